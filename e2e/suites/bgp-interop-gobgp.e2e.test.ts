// Needs root: bgp-speaker-ts against GoBGP on four sessions at once (IPv4/IPv6 x eBGP/iBGP,
// speaker active and passive), every attribute read back with `gobgp global rib -j`; lab bgp-interop-gobgp.

import { gobgpCli, run, startLab, type Lab, downLab } from '@headland/lab/lab';
import {
  buildSpeaker, eventually, expectedAtRouter, ROOT, ROUTER_AS, ROUTER_ROUTE, SESSIONS, seenBySpeaker, Speaker, speakerConfig, startCapture,
  type SeenRoute, type Session,
} from './bgp-interop/harness.js';

const LAB = 'bgp-interop-gobgp';
const DIR = `/tmp/${LAB}`;
const afi = (s: Session) => (s.family === 'ipv4' ? 'ipv4' : 'ipv6');

let lab: Lab;
let speaker: Speaker;
let stopCapture: () => Promise<void> = async () => {};

const gobgp = (...words: string[]) => run(gobgpCli(LAB, 'router', ...words));
const wellKnown: Record<number, string> = { 0xffffff01: 'NO_EXPORT', 0xffffff02: 'NO_ADVERTISE' };
const routerRouteArgs = (family: 'ipv4' | 'ipv6', prefix: string) =>
  ['global', 'rib', 'add', '-a', family, prefix, 'community', ROUTER_ROUTE.community, 'large-community', ROUTER_ROUTE.largeCommunity, 'med', String(ROUTER_ROUTE.med), 'local-pref', String(ROUTER_ROUTE.localPref)];

/** GoBGP's JSON path (attrs by type code) in the common shape. */
function parseGobgpPath(path: any): SeenRoute {
  const attr = (type: number) => (path.attrs as any[]).find((a) => a.type === type);
  return {
    asPath: ((attr(2)?.as_paths ?? []) as any[]).flatMap((seg) => seg.asns).join(' '),
    nextHop: attr(3)?.nexthop ?? attr(14)?.nexthop,
    med: attr(4)?.metric,
    localPref: attr(5)?.value,
    communities: ((attr(8)?.communities ?? []) as number[]).map((c) => wellKnown[c] ?? `${c >>> 16}:${c & 0xffff}`),
    largeCommunities: ((attr(32)?.value ?? []) as any[]).map((c) => `${c.ASN}:${c.LocalData1}:${c.LocalData2}`),
    linkBandwidth: ((attr(16)?.value ?? []) as any[]).filter((e) => e.type === 64 && e.subtype === 4).map((e) => `LB:${e.asn}:${e.bandwidth}`),
  };
}

async function gobgpRoute(s: Session): Promise<SeenRoute | undefined> {
  const json = JSON.parse(await gobgp('global', 'rib', '-a', afi(s), '-j', s.speakerPrefix));
  const path = (json[s.speakerPrefix] as any[] | undefined)?.find((p) => p['neighbor-ip'] === s.speakerAddress);
  return path ? parseGobgpPath(path) : undefined;
}

beforeAll(async () => {
  await downLab(LAB);
  await buildSpeaker();
  lab = await startLab(`${ROOT}lab/topologies/${LAB}/${LAB}.clab.yml`);
  await gobgp(...routerRouteArgs('ipv4', '198.18.220.0/24'));
  await gobgp(...routerRouteArgs('ipv6', '2001:db8:d220::/64'));
  stopCapture = await startCapture(lab, 'speaker', 'gobgp');
  speaker = Speaker.start(lab, 'speaker', speakerConfig(), DIR);
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
    const state = async () => JSON.parse(await gobgp('neighbor', s.speakerAddress, '-j'))?.state?.session_state;
    await eventually(state, (st) => st === 6 || st === 'established', `GoBGP ${s.name} established`);
  });

  test('our route arrives intact at GoBGP', async () => {
    const seen = await eventually(() => gobgpRoute(s), (r) => r !== undefined, `${s.speakerPrefix} at GoBGP`);
    expect(seen).toEqual(expectedAtRouter(s));
  });

  test("GoBGP's route arrives intact in our Adj-RIB-In", async () => {
    const line = await speaker.route(s.routerAddress, s.routerPrefix);
    // Added by the CLI, so origin incomplete; GoBGP sends no link-local next hop.
    expect(line.origin).toBe('incomplete');
    expect(line.linkLocalNextHop).toBeUndefined();
    expect(seenBySpeaker(line)).toEqual({
      asPath: s.ibgp ? '' : String(ROUTER_AS),
      nextHop: s.routerAddress,
      med: ROUTER_ROUTE.med,
      localPref: s.ibgp ? ROUTER_ROUTE.localPref : undefined,
      communities: [ROUTER_ROUTE.community],
      largeCommunities: [ROUTER_ROUTE.largeCommunity],
      linkBandwidth: [],
    });
  });
});

test('withdraw works both ways', async () => {
  const mark = speaker.lines.length;
  for (const s of SESSIONS) speaker.send({ withdraw: s.speakerPrefix });
  for (const s of SESSIONS) await eventually(() => gobgpRoute(s), (r) => r === undefined, `${s.speakerPrefix} withdrawn at GoBGP`);
  await gobgp('global', 'rib', 'del', '-a', 'ipv4', '198.18.220.0/24');
  await gobgp('global', 'rib', 'del', '-a', 'ipv6', '2001:db8:d220::/64');
  for (const s of SESSIONS) {
    await speaker.waitFor((l) => l.event === 'route' && l.action === 'withdraw' && l.peer === s.routerAddress && l.prefix === s.routerPrefix, `${s.routerPrefix} withdrawn on ${s.name}`, 30_000, mark);
  }
});

// (GoBGP keeps its Adj-RIB-In, so `softresetin` re-runs policy without sending ROUTE-REFRESH.)
test('a Cease from GoBGP ends the session and it comes back', async () => {
  const v4ibgp = SESSIONS[1]!;
  const mark = speaker.lines.length;
  await gobgp('neighbor', v4ibgp.speakerAddress, 'disable');
  const down = await speaker.waitFor((l) => l.event === 'state' && l.peer === v4ibgp.routerAddress && l.from === 'Established', 'Cease from GoBGP', 15_000, mark);
  expect(down.reason).toMatch(/Cease \/ Administrative Shutdown/);
  await gobgp('neighbor', v4ibgp.speakerAddress, 'enable');
  await speaker.waitFor((l) => l.event === 'state' && l.peer === v4ibgp.routerAddress && l.to === 'Established', 'back up', 30_000, mark);
});

test('SIGTERM: the speaker exits 0 and GoBGP sees every session closed', async () => {
  expect(await speaker.stop()).toBe(0);
  for (const s of SESSIONS) {
    const state = async () => JSON.parse(await gobgp('neighbor', s.speakerAddress, '-j'))?.state?.session_state;
    await eventually(state, (st) => st !== 6 && st !== 'established', `GoBGP ${s.name} down`);
  }
});
