// Needs root: bgp-speaker-ts against ExaBGP on four sessions at once (IPv4/IPv6 x eBGP/iBGP,
// speaker active and passive), what ExaBGP received read back from the JSON it logs, plus a
// session where ExaBGP is a 2-octet (RFC 6793 OLD) speaker and the speaker AS 4200000001; lab bgp-interop-exabgp.

import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { exabgpApi, startLab, type Lab, downLab } from '@headland/lab/lab';
import {
  buildSpeaker, eventually, expectedAtRouter, ROOT, ROUTER_AS, ROUTER_ROUTE, SESSIONS, seenBySpeaker, Speaker, speakerConfig, startCapture,
  type SeenRoute, type Session,
} from './bgp-interop/harness.js';

const LAB = 'bgp-interop-exabgp';
// The config's "receive" process: ExaBGP writes every received message to its stdin as JSON.
const DIR = `/tmp/${LAB}`;
const RECEIVED = `${DIR}/received.jsonl`;
const OLD_SESSION = { router: '198.18.210.3', speaker: '198.18.210.13' };

let lab: Lab;
let speaker: Speaker;
let stopCapture: () => Promise<void> = async () => {};

const wellKnown: Record<string, string> = { '65535:65281': 'NO_EXPORT', '65535:65282': 'NO_ADVERTISE' };

/** ExaBGP's JSON messages about the session with `peer` (the speaker's address), oldest first. */
function received(peer: string): any[] {
  if (!existsSync(RECEIVED)) return [];
  return readFileSync(RECEIVED, 'utf8')
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l))
    .filter((m) => m.type === 'update' && m.neighbor?.address?.peer === peer);
}

/** The latest state of `prefix` from `peer` as ExaBGP logged it: undefined once withdrawn. */
function exabgpRoute(peer: string, prefix: string): SeenRoute | undefined {
  let seen: SeenRoute | undefined;
  for (const m of received(peer)) {
    // End-of-RIB comes as { message: { eor: ... } }.
    const update = m.neighbor.message?.update;
    if (!update) continue;
    for (const family of Object.values(update.withdraw ?? {}) as any[]) if (family.some((n: any) => n.nlri === prefix)) seen = undefined;
    for (const family of Object.values(update.announce ?? {}) as any[]) {
      for (const [nextHop, nlris] of Object.entries(family) as [string, any[]][]) {
        if (!nlris.some((n) => n.nlri === prefix)) continue;
        const a = update.attribute;
        seen = {
          asPath: ((a['as-path'] ?? []) as number[]).join(' '),
          nextHop,
          med: a.med,
          localPref: a['local-preference'],
          communities: ((a.community ?? []) as number[][]).map(([x, y]) => wellKnown[`${x}:${y}`] ?? `${x}:${y}`),
          largeCommunities: ((a['large-community'] ?? []) as number[][]).map((c) => c.join(':')),
          // ExaBGP does not name link bandwidth: decode the 8 octets of the value.
          linkBandwidth: ((a['extended-community'] ?? []) as { value: number | string }[]).map((e) => {
            const bytes = new DataView(new ArrayBuffer(8));
            bytes.setBigUint64(0, BigInt(e.value));
            return bytes.getUint16(0) === 0x4004 ? `LB:${bytes.getUint16(2)}:${bytes.getFloat32(4)}` : `other:${e.value}`;
          }),
        };
      }
    }
  }
  return seen;
}

beforeAll(async () => {
  await downLab(LAB);
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  // A shell keeps the pipe to ExaBGP open while cat appends: ExaBGP counts a closed stdout as a dead process.
  writeFileSync(`${DIR}/receive`, `#!/bin/sh\ncat >> ${RECEIVED}\n`);
  chmodSync(`${DIR}/receive`, 0o755);
  await buildSpeaker();
  lab = await startLab(`${ROOT}lab/topologies/${LAB}/${LAB}.clab.yml`);
  stopCapture = await startCapture(lab, 'speaker', 'exabgp');
  const oldPeer = { address: OLD_SESSION.router, peerAs: ROUTER_AS, localAs: 4200000001, sourceAddress: OLD_SESSION.speaker, holdTime: 9, connectRetry: { initial: 1, max: 2, jitter: 0 } };
  const viaFourOctet = { prefix: '203.0.113.13/32', peers: [OLD_SESSION.router], asPath: [4200000002] };
  speaker = Speaker.start(lab, 'speaker', speakerConfig([oldPeer], [viaFourOctet]), DIR);
}, 240_000);

afterAll(async () => {
  await speaker?.stop();
  await stopCapture();
  await downLab(LAB);
}, 60_000);

describe.each(SESSIONS.map((s) => [s.name, s] as const))('%s', (_name, s) => {
  test(`session comes up with the speaker ${s.speakerPassive ? 'passive' : 'active'}`, async () => {
    await speaker.established(s.routerAddress);
    const opened = speaker.lines.find((l) => l.event === 'state' && l.peer === s.routerAddress && l.to === 'OpenSent');
    expect(opened?.reason).toBe(s.speakerPassive ? 'TcpConnectionConfirmed' : 'Tcp_CR_Acked');
  });

  test('our route arrives intact at ExaBGP', async () => {
    const seen = await eventually(async () => exabgpRoute(s.speakerAddress, s.speakerPrefix), (r) => r !== undefined, `${s.speakerPrefix} at ExaBGP`);
    expect(seen).toEqual(expectedAtRouter(s));
  });

  test("ExaBGP's route arrives intact in our Adj-RIB-In", async () => {
    const line = await speaker.route(s.routerAddress, s.routerPrefix);
    expect(line.linkLocalNextHop).toBeUndefined();
    expect(seenBySpeaker(line)).toEqual({
      asPath: s.ibgp ? '' : String(ROUTER_AS),
      nextHop: s.routerAddress,
      med: ROUTER_ROUTE.med,
      localPref: s.ibgp ? ROUTER_ROUTE.localPref : undefined,
      communities: [ROUTER_ROUTE.community],
      largeCommunities: [ROUTER_ROUTE.largeCommunity],
      linkBandwidth: s.ibgp ? [`LB:${ROUTER_AS}:1000000`] : [],
    });
  });
});

test('2-octet session: AS4_PATH both ways (RFC 6793 §4.2.2 and §4.2.3)', async () => {
  await speaker.established(OLD_SESSION.router);
  // ExaBGP rebuilt our real path from AS_TRANS and the AS4_PATH we sent.
  const seen = await eventually(async () => exabgpRoute(OLD_SESSION.speaker, '203.0.113.13/32'), (r) => r !== undefined, '203.0.113.13/32 at ExaBGP');
  expect(seen?.asPath).toBe('4200000001 4200000002');
  // And we rebuilt ExaBGP's from the AS4_PATH it sent.
  const line = await speaker.route(OLD_SESSION.router, '198.18.221.0/24');
  expect(line.asPath).toBe(`${ROUTER_AS} 4200000099`);
});

test('withdraw works both ways', async () => {
  const mark = speaker.lines.length;
  for (const s of SESSIONS) speaker.send({ withdraw: s.speakerPrefix });
  for (const s of SESSIONS) await eventually(async () => exabgpRoute(s.speakerAddress, s.speakerPrefix), (r) => r === undefined, `${s.speakerPrefix} withdrawn at ExaBGP`);
  await exabgpApi(LAB, 'router', 'withdraw route 198.18.220.0/24 next-hop self', 'withdraw route 2001:db8:d220::/64 next-hop self');
  for (const s of SESSIONS) {
    await speaker.waitFor((l) => l.event === 'route' && l.action === 'withdraw' && l.peer === s.routerAddress && l.prefix === s.routerPrefix, `${s.routerPrefix} withdrawn on ${s.name}`, 30_000, mark);
  }
});

test('a Cease from ExaBGP ends the session and it comes back', async () => {
  const v4ibgp = SESSIONS[1]!;
  const mark = speaker.lines.length;
  await exabgpApi(LAB, 'router', `neighbor ${v4ibgp.speakerAddress} teardown 2`);
  const down = await speaker.waitFor((l) => l.event === 'state' && l.peer === v4ibgp.routerAddress && l.from === 'Established', 'Cease from ExaBGP', 15_000, mark);
  expect(down.reason).toMatch(/Cease \/ Administrative Shutdown/);
  await speaker.waitFor((l) => l.event === 'state' && l.peer === v4ibgp.routerAddress && l.to === 'Established', 'back up', 30_000, mark);
});

test('SIGTERM: the speaker exits 0 and ExaBGP logs the withdrawals', async () => {
  const before = received(SESSIONS[0]!.speakerAddress).length;
  speaker.send({ announce: SESSIONS[0]!.speakerPrefix, peers: [SESSIONS[0]!.routerAddress] });
  await eventually(async () => exabgpRoute(SESSIONS[0]!.speakerAddress, SESSIONS[0]!.speakerPrefix), (r) => r !== undefined, 'the route back at ExaBGP');
  expect(await speaker.stop()).toBe(0);
  await eventually(async () => exabgpRoute(SESSIONS[0]!.speakerAddress, SESSIONS[0]!.speakerPrefix), (r) => r === undefined, 'withdrawn at ExaBGP on shutdown');
  expect(received(SESSIONS[0]!.speakerAddress).length).toBeGreaterThan(before);
});
