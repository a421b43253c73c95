// Needs root: bgp-speaker-ts against BIRD 2 on four sessions at once (IPv4/IPv6 x eBGP/iBGP,
// speaker active and passive), every attribute read back with birdc; lab bgp-interop-bird.

import { birdc, run, tryRun, startLab, type Lab, downLab } from '@headland/lab/lab';
import {
  buildSpeaker, eventually, expectedAtRouter, ROOT, ROUTER_AS, ROUTER_ROUTE, SESSIONS, seenBySpeaker, Speaker, speakerConfig, startCapture,
  type SeenRoute, type Session,
} from './bgp-interop/harness.js';

const LAB = 'bgp-interop-bird';
const DIR = `/tmp/${LAB}`;
const protocolOf = (s: Session) => s.name.replace('-', '_');

let lab: Lab;
let speaker: Speaker;
let stopCapture: () => Promise<void> = async () => {};

const bird = (...words: string[]) => run(birdc(LAB, 'router', ...words));

const wellKnown: Record<string, string> = { '65535,65281': 'NO_EXPORT', '65535,65282': 'NO_ADVERTISE', '65535,65283': 'NO_EXPORT_SUBCONFED' };

/** One route of `birdc show route all` in the common shape; undefined when BIRD has none. */
export function parseBirdRoute(text: string): SeenRoute | undefined {
  if (!/BGP\.origin/.test(text)) return undefined;
  const field = (name: string) => text.match(new RegExp(`BGP\\.${name}: ?(.*)`))?.[1]?.trim();
  const number = (name: string) => (field(name) === undefined ? undefined : Number(field(name)));
  const pairs = (value: string | undefined) => [...(value ?? '').matchAll(/\(([^)]*)\)/g)].map((m) => m[1]!.replace(/\s+/g, ''));
  const float = (bits: number) => new DataView(Uint32Array.of(bits).buffer).getFloat32(0, true);
  return {
    asPath: field('as_path') ?? '',
    nextHop: (field('next_hop') ?? '').split(' ')[0]!,
    med: number('med'),
    localPref: number('local_pref'),
    communities: pairs(field('community')).map((c) => wellKnown[c] ?? c.replace(',', ':')),
    largeCommunities: pairs(field('large_community')).map((c) => c.replace(/,/g, ':')),
    // BIRD prints link bandwidth as (unknown 0x4004, AS, float bits)
    linkBandwidth: pairs(field('ext_community'))
      .map((c) => c.split(','))
      .filter(([kind]) => kind === 'unknown0x4004')
      .map(([, asn, bits]) => `LB:${asn}:${float(Number(bits))}`),
  };
}

// birdc exits 1 with "Network not found" when there is no such route.
const birdRoute = async (s: Session) => parseBirdRoute((await tryRun(birdc(LAB, 'router', 'show', 'route', 'all', 'for', s.speakerPrefix, 'protocol', protocolOf(s)))).stdout);

beforeAll(async () => {
  await downLab(LAB);
  await buildSpeaker();
  lab = await startLab(`${ROOT}lab/topologies/${LAB}/${LAB}.clab.yml`);
  stopCapture = await startCapture(lab, 'speaker', 'bird');
  speaker = Speaker.start(lab, 'speaker', speakerConfig(), DIR);
}, 240_000);

afterAll(async () => {
  await speaker?.stop();
  await stopCapture();
  await downLab(LAB);
}, 60_000);

describe.each(SESSIONS.map((s) => [s.name, s] as const))('%s', (_name, s) => {
  test(`session comes up with the speaker ${s.speakerPassive ? 'passive' : 'active'}`, async () => {
    const up = await speaker.established(s.routerAddress);
    expect(up.reason).toBe('KeepAliveMsg');
    const opened = speaker.lines.find((l) => l.event === 'state' && l.peer === s.routerAddress && l.to === 'OpenSent');
    expect(opened?.reason).toBe(s.speakerPassive ? 'TcpConnectionConfirmed' : 'Tcp_CR_Acked');
    await eventually(() => bird('show', 'protocols', protocolOf(s)), (t) => /Established/.test(t), `BIRD ${protocolOf(s)} Established`);
  });

  test('our route arrives intact at BIRD', async () => {
    const seen = await eventually(() => birdRoute(s), (r) => r !== undefined, `${s.speakerPrefix} at BIRD`);
    // BIRD gives routes from external peers its default local preference.
    expect(seen).toEqual({ ...expectedAtRouter(s), localPref: s.ibgp ? 250 : 100 });
  });

  test("BIRD's route arrives intact in our Adj-RIB-In", async () => {
    const line = await speaker.route(s.routerAddress, s.routerPrefix);
    expect(seenBySpeaker(line)).toEqual({
      asPath: s.ibgp ? '' : String(ROUTER_AS),
      nextHop: s.routerAddress,
      med: ROUTER_ROUTE.med,
      localPref: s.ibgp ? ROUTER_ROUTE.localPref : undefined,
      communities: [ROUTER_ROUTE.community],
      largeCommunities: [ROUTER_ROUTE.largeCommunity],
      // Link bandwidth is non-transitive: BIRD keeps it inside the AS.
      linkBandwidth: s.ibgp ? [`LB:${ROUTER_AS}:1000000`] : [],
    });
    // On a shared link BIRD sends the IPv6 link-local next hop beside the global one.
    if (s.family === 'ipv6') expect(line.linkLocalNextHop).toMatch(/^fe80::/);
    else expect(line.linkLocalNextHop).toBeUndefined();
  });
});

test('withdraw works both ways', async () => {
  const mark = speaker.lines.length;
  for (const s of SESSIONS) speaker.send({ withdraw: s.speakerPrefix });
  for (const s of SESSIONS) await eventually(() => birdRoute(s), (r) => r === undefined, `${s.speakerPrefix} withdrawn at BIRD`);
  await bird('disable', 'static4');
  await bird('disable', 'static6');
  for (const s of SESSIONS) {
    await speaker.waitFor((l) => l.event === 'route' && l.action === 'withdraw' && l.peer === s.routerAddress && l.prefix === s.routerPrefix, `${s.routerPrefix} withdrawn on ${s.name}`, 30_000, mark);
  }
  await bird('enable', 'static4');
  await bird('enable', 'static6');
  for (const s of SESSIONS) await speaker.route(s.routerAddress, s.routerPrefix, mark);
});

test('a ROUTE-REFRESH from BIRD is answered, and its Cease ends the session', async () => {
  const [v4ebgp, v4ibgp] = SESSIONS;
  speaker.send({ announce: v4ebgp!.speakerPrefix, peers: [v4ebgp!.routerAddress], med: 5 });
  await eventually(() => birdRoute(v4ebgp!), (r) => r?.med === 5, 'the route back at BIRD');
  await bird('reload', 'in', protocolOf(v4ebgp!));
  const refreshed = await eventually(() => speaker.status(), (peers) => (peers.find((p) => p.address === v4ebgp!.routerAddress)?.counters as any)?.messagesIn['route-refresh'] >= 1, 'ROUTE-REFRESH counted');
  expect(refreshed.find((p) => p.address === v4ebgp!.routerAddress)?.state).toBe('Established');
  expect((await birdRoute(v4ebgp!))?.med).toBe(5);

  const mark = speaker.lines.length;
  await bird('disable', protocolOf(v4ibgp!));
  const down = await speaker.waitFor((l) => l.event === 'state' && l.peer === v4ibgp!.routerAddress && l.from === 'Established', 'Cease from BIRD', 15_000, mark);
  expect(down.reason).toMatch(/Cease \/ Administrative Shutdown/);
  await bird('enable', protocolOf(v4ibgp!));
  await speaker.waitFor((l) => l.event === 'state' && l.peer === v4ibgp!.routerAddress && l.to === 'Established', 'back up', 30_000, mark);
});

test('SIGTERM: the speaker exits 0 and BIRD sees every session closed', async () => {
  expect(await speaker.stop()).toBe(0);
  for (const s of SESSIONS) {
    const info = await eventually(() => bird('show', 'protocols', 'all', protocolOf(s)), (t) => !/Established/.test(t), `BIRD ${protocolOf(s)} down`);
    expect(info).toMatch(/Received: Administrative shutdown/i);
  }
});
