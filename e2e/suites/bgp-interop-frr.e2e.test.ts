// Needs root: bgp-speaker-ts against FRR bgpd on four sessions at once (IPv4/IPv6 x eBGP/iBGP,
// speaker active and passive) read back with vtysh, plus a 2-octet (RFC 6793 OLD) session on
// which FRR's AS4_PATH must be merged into the real path; lab bgp-interop-frr.

import { frrVtysh, run, startLab, type Lab, downLab } from '@headland/lab/lab';
import {
  buildSpeaker, eventually, expectedAtRouter, ROOT, ROUTER_AS, ROUTER_ROUTE, SESSIONS, seenBySpeaker, Speaker, speakerConfig, startCapture,
  type SeenRoute, type Session,
} from './bgp-interop/harness.js';

const LAB = 'bgp-interop-frr';
const DIR = `/tmp/${LAB}`;
const OLD_PEER = '198.18.210.3';

let lab: Lab;
let speaker: Speaker;
let stopCapture: () => Promise<void> = async () => {};

const vtysh = (...commands: string[]) => run(frrVtysh(LAB, 'router', ...commands));
const configure = (...lines: string[]) => vtysh('configure terminal', 'router bgp 64601', ...lines);

const wellKnown: Record<string, string> = { 'no-export': 'NO_EXPORT', 'no-advertise': 'NO_ADVERTISE' };

/** The best path of `show bgp ... PREFIX json` in the common shape; undefined when FRR has none. */
function parseFrrRoute(json: any): SeenRoute | undefined {
  const path = json?.paths?.[0];
  if (!path) return undefined;
  const split = (text: string | undefined) => (text ? text.split(' ') : []);
  return {
    asPath: path.aspath.string === 'Local' ? '' : path.aspath.string,
    nextHop: path.nexthops[0].ip,
    med: path.metric,
    localPref: path.locPrf,
    communities: split(path.community?.string).map((c) => wellKnown[c] ?? c),
    largeCommunities: split(path.largeCommunity?.string),
    // FRR prints link bandwidth as "LB:AS:bytes per second (Mbps)"
    linkBandwidth: [...String(path.extendedCommunity?.string ?? '').matchAll(/LB:\d+:\d+/g)].map((m) => m[0]),
  };
}

const frrRoute = async (family: 'ipv4' | 'ipv6', prefix: string) => parseFrrRoute(JSON.parse(await vtysh(`show bgp ${family} unicast ${prefix} json`)));

beforeAll(async () => {
  await downLab(LAB);
  await buildSpeaker();
  lab = await startLab(`${ROOT}lab/topologies/${LAB}/${LAB}.clab.yml`);
  stopCapture = await startCapture(lab, 'speaker', 'frr');
  const oldPeer = { address: OLD_PEER, peerAs: ROUTER_AS, localAs: 4200000001, sourceAddress: '198.18.210.13', holdTime: 9, connectRetry: { initial: 1, max: 2, jitter: 0 } };
  speaker = Speaker.start(lab, 'speaker', speakerConfig([oldPeer]), DIR);
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
    await eventually(async () => JSON.parse(await vtysh('show bgp neighbors json'))[s.speakerAddress]?.bgpState, (st) => st === 'Established', `FRR ${s.name} Established`);
  });

  test('our route arrives intact at FRR', async () => {
    const seen = await eventually(() => frrRoute(s.family, s.speakerPrefix), (r) => r !== undefined, `${s.speakerPrefix} at FRR`);
    expect(seen).toEqual(expectedAtRouter(s));
  });

  test("FRR's route arrives intact in our Adj-RIB-In", async () => {
    const line = await speaker.route(s.routerAddress, s.routerPrefix);
    expect(seenBySpeaker(line)).toEqual({
      asPath: s.ibgp ? '' : String(ROUTER_AS),
      nextHop: s.routerAddress,
      med: ROUTER_ROUTE.med,
      localPref: s.ibgp ? ROUTER_ROUTE.localPref : undefined,
      communities: [ROUTER_ROUTE.community],
      largeCommunities: [ROUTER_ROUTE.largeCommunity],
      // Set non-transitive, so FRR keeps link bandwidth inside the AS.
      linkBandwidth: s.ibgp ? [`LB:${ROUTER_AS}:1000000`] : [],
    });
    if (s.family === 'ipv6') expect(line.linkLocalNextHop).toMatch(/^fe80::/);
    else expect(line.linkLocalNextHop).toBeUndefined();
  });
});

test('2-octet session: FRR sends AS_TRANS with AS4_PATH and the speaker keeps the real path (RFC 6793 §4.2.3)', async () => {
  await speaker.established(OLD_PEER);
  const neighbor = JSON.parse(await vtysh(`show bgp neighbors ${'198.18.210.13'} json`))['198.18.210.13'];
  expect(neighbor.remoteAs).toBe(4200000001);
  const line = await speaker.route(OLD_PEER, '198.18.221.0/24');
  expect(line.asPath).toBe(`${ROUTER_AS} 4200000099`);
  // The same route over a 4-octet session, for comparison.
  expect((await speaker.route('198.18.210.1', '198.18.221.0/24')).asPath).toBe(`${ROUTER_AS} 4200000099`);
  // (FRR itself ignores the AS4_PATH we send here: it saw our AS4 capability, so it takes us for
  // a NEW speaker and shows 23456; the ExaBGP suite checks that direction.)
});

test('withdraw works both ways', async () => {
  const mark = speaker.lines.length;
  for (const s of SESSIONS) speaker.send({ withdraw: s.speakerPrefix });
  for (const s of SESSIONS) await eventually(() => frrRoute(s.family, s.speakerPrefix), (r) => r === undefined, `${s.speakerPrefix} withdrawn at FRR`);
  await configure('address-family ipv4 unicast', 'no network 198.18.220.0/24', 'exit-address-family', 'address-family ipv6 unicast', 'no network 2001:db8:d220::/64');
  for (const s of SESSIONS) {
    await speaker.waitFor((l) => l.event === 'route' && l.action === 'withdraw' && l.peer === s.routerAddress && l.prefix === s.routerPrefix, `${s.routerPrefix} withdrawn on ${s.name}`, 30_000, mark);
  }
});

test('a ROUTE-REFRESH from FRR is answered, and its Cease ends the session', async () => {
  const [v4ebgp, v4ibgp] = SESSIONS as [Session, Session];
  speaker.send({ announce: v4ebgp.speakerPrefix, peers: [v4ebgp.routerAddress], med: 5 });
  await eventually(() => frrRoute('ipv4', v4ebgp.speakerPrefix), (r) => r?.med === 5, 'the route back at FRR');
  await vtysh(`clear bgp ipv4 unicast ${v4ebgp.speakerAddress} soft in`);
  await eventually(() => speaker.status(), (peers) => (peers.find((p) => p.address === v4ebgp.routerAddress)?.counters as any)?.messagesIn['route-refresh'] >= 1, 'ROUTE-REFRESH counted');
  expect((await frrRoute('ipv4', v4ebgp.speakerPrefix))?.med).toBe(5);

  const mark = speaker.lines.length;
  await configure(`neighbor ${v4ibgp.speakerAddress} shutdown`);
  const down = await speaker.waitFor((l) => l.event === 'state' && l.peer === v4ibgp.routerAddress && l.from === 'Established', 'Cease from FRR', 15_000, mark);
  expect(down.reason).toMatch(/Cease \/ Administrative Shutdown/);
  await configure(`no neighbor ${v4ibgp.speakerAddress} shutdown`);
  await speaker.waitFor((l) => l.event === 'state' && l.peer === v4ibgp.routerAddress && l.to === 'Established', 'back up', 30_000, mark);
});

test('SIGTERM: the speaker exits 0 and FRR records Administrative Shutdown on every session', async () => {
  expect(await speaker.stop()).toBe(0);
  for (const s of SESSIONS) {
    const n = await eventually(async () => JSON.parse(await vtysh('show bgp neighbors json'))[s.speakerAddress], (x) => x?.bgpState !== 'Established', `FRR ${s.name} down`);
    expect(JSON.stringify(n)).toMatch(/Administrative Shutdown/i);
  }
});
