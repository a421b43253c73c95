// L2 mode with real membership over loopback UDP: three speakers elect one owner per IP, each
// tells its responder only its own IPs, and a stopped speaker's IPs are taken over by the others.
import { afterEach, describe, expect, test } from '@jest/globals';
import { createLogger } from '@headland/kube';
import { electionInput, endpointsFor, manyServices, node } from './election/fixtures.js';
import { L2Mode } from './mode.js';
import { MEMBER_STATE } from './membership/index.js';
import type { AnsweredIP } from './ownership.js';
import type { L2Responder, ResponderCounters } from './responder-port.js';

/** Keeps what the mode told it; the real responder does the same plus the frames. */
class RecordingResponder implements L2Responder {
  answers: readonly AnsweredIP[] = [];
  announced: string[] = [];
  stoppedAt: number | undefined;
  setAnswers(answers: readonly AnsweredIP[], announce: readonly string[]): void {
    this.answers = answers;
    this.announced.push(...announce);
  }
  counters(): ResponderCounters {
    return { requestsReceived: 0, repliesSent: 0, gratuitousSent: this.announced.length, dropped: {} };
  }
  async stop(): Promise<void> {
    this.stoppedAt = Date.now();
  }
}

const KEY = new Uint8Array(Buffer.from('a membership key of 32 bytes....'));
const NAMES = ['n1', 'n2', 'n3'];
const services = manyServices(9);
const view = electionInput({ nodes: NAMES.map((n) => node(n)), services, endpoints: endpointsFor(services, 'n1') });
const ready = new Set(NAMES);
const log = createLogger({ name: 'test', level: 'silent' });

interface Speaker {
  readonly name: string;
  readonly mode: L2Mode;
  readonly responder: RecordingResponder;
}

let speakers: Speaker[] = [];
afterEach(async () => {
  await Promise.all(speakers.map((s) => s.mode.stop()));
  speakers = [];
});

interface StartExtras {
  /** Called after each re-election a speaker's membership asked for. */
  readonly observe?: (name: string, mode: L2Mode) => void;
  /** Each speaker's own interfaces, and the advertised ones it is told before membership starts. */
  readonly localInterfaces?: Record<string, readonly string[]>;
  readonly advertised?: readonly string[];
}

async function startAll(handoverMs = 0, extras: StartExtras = {}): Promise<Speaker[]> {
  speakers = NAMES.map((name) => {
    const responder = new RecordingResponder();
    const local = extras.localInterfaces?.[name];
    const mode: L2Mode = new L2Mode({
      self: name, lbClass: undefined, log, responder, port: 0, handoverMs,
      ...(local === undefined ? {} : { localInterfaces: () => local }),
      onChange: () => {
        mode.elect(view, ready);
        extras.observe?.(name, mode);
      },
    });
    if (extras.advertised !== undefined) mode.setAdvertisedInterfaces(extras.advertised);
    return { name, mode, responder };
  });
  for (const s of speakers) await s.mode.configure({ key: KEY, address: '127.0.0.1', peers: [] });
  const peers = speakers.map((s) => ({ name: s.name, address: '127.0.0.1', port: s.mode.udpPort ?? 0 }));
  for (const s of speakers) await s.mode.configure({ key: KEY, address: '127.0.0.1', peers: peers.filter((p) => p.name !== s.name) });
  for (const s of speakers) s.mode.elect(view, ready);
  // Until every speaker has heard the others, a silent one is judged by its (Ready) Node.
  expect(await until(() => speakers.every((s) => s.mode.members().every((m) => m.heard)), 3_000)).toBe(true);
  return speakers;
}

const until = async (what: () => boolean, ms: number): Promise<boolean> => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
};

const ownedIPs = (s: Speaker) => s.responder.answers.map((a) => a.ip);

describe('L2Mode', () => {
  test('every IP is answered by exactly one speaker, which announced it', async () => {
    await startAll();
    const all = speakers.flatMap(ownedIPs).sort();
    expect(all).toEqual(services.map((_, i) => `203.0.113.${i + 1}`).sort());
    for (const s of speakers) {
      expect([...s.responder.announced].sort()).toEqual(ownedIPs(s).sort());
      expect(ownedIPs(s).length).toBeLessThanOrEqual(Math.ceil(9 / 3) + 1);
    }
    expect(speakers.map((s) => s.mode.source())).toEqual(['Probes', 'Probes', 'Probes']);
  });

  test('a stopped speaker IPs move to the others, which announce them', async () => {
    await startAll();
    const [gone, ...rest] = speakers as [Speaker, ...Speaker[]];
    const itsIPs = ownedIPs(gone);
    expect(itsIPs.length).toBeGreaterThan(0);
    await gone.mode.stop();
    speakers = rest;
    const takenOver = await until(() => itsIPs.every((ip) => rest.some((s) => ownedIPs(s).includes(ip))), 3_000);
    expect(takenOver).toBe(true);
    for (const ip of itsIPs) expect(rest.filter((s) => ownedIPs(s).includes(ip) && s.responder.announced.includes(ip))).toHaveLength(1);
  });

  test('on stop the speaker keeps answering until the others have taken over', async () => {
    await startAll(1_500);
    const [gone, ...rest] = speakers as [Speaker, ...Speaker[]];
    const itsIPs = ownedIPs(gone);
    let takenOverAt: number | undefined;
    const watching = until(() => itsIPs.every((ip) => rest.some((s) => ownedIPs(s).includes(ip))), 3_000).then((ok) => {
      if (ok) takenOverAt = Date.now();
    });
    await gone.mode.stop();
    await watching;
    speakers = rest;
    expect(takenOverAt).toBeDefined();
    expect(gone.responder.stoppedAt).toBeDefined();
    expect(takenOverAt!).toBeLessThanOrEqual(gone.responder.stoppedAt!);
  });

  test('without a key, liveness follows Node readiness and nothing binds', async () => {
    const responder = new RecordingResponder();
    const mode = new L2Mode({ self: 'n1', lbClass: undefined, log, responder, port: 0, handoverMs: 0, onChange: () => undefined });
    speakers = [{ name: 'n1', mode, responder }];
    await mode.configure({ key: undefined, address: '127.0.0.1', peers: [] });
    expect(mode.source()).toBe('NoKey');
    expect(mode.udpPort).toBeUndefined();
    mode.elect(view, new Set(['n1']));
    expect(ownedIPs({ name: 'n1', mode, responder }).sort()).toEqual([...mode.election.owners.keys()].sort());
    expect(mode.election.owners.size).toBe(9);
  });

  test('a port that cannot be bound falls back to readiness (NoSocket)', async () => {
    const first = new L2Mode({ self: 'n1', lbClass: undefined, log, responder: new RecordingResponder(), port: 0, handoverMs: 0, onChange: () => undefined });
    await first.configure({ key: KEY, address: '127.0.0.1', peers: [] });
    const second = new L2Mode({ self: 'n2', lbClass: undefined, log, responder: new RecordingResponder(), port: first.udpPort ?? 0, handoverMs: 0, onChange: () => undefined });
    await second.configure({ key: KEY, address: '127.0.0.1', peers: [] });
    speakers = [
      { name: 'n1', mode: first, responder: new RecordingResponder() },
      { name: 'n2', mode: second, responder: new RecordingResponder() },
    ];
    expect(second.source()).toBe('NoSocket');
  });

  test('no L2Advertisement: nothing is elected', async () => {
    const responder = new RecordingResponder();
    const mode = new L2Mode({ self: 'n1', lbClass: undefined, log, responder, port: 0, handoverMs: 0, onChange: () => undefined });
    speakers = [{ name: 'n1', mode, responder }];
    mode.elect({ ...view, config: { ...view.config, l2Advertisements: [] } }, ready);
    expect(mode.election.owners.size).toBe(0);
    expect(responder.answers).toEqual([]);
  });
});

describe('L2Mode leaving and interfaces', () => {
  test('stop leaves membership: the others see it dead and take its IPs without ever suspecting it', async () => {
    const seen: string[] = [];
    await startAll(0, { observe: (name, mode) => seen.push(`${name}:${mode.members().find((m) => m.name === 'n1')?.state}`) });
    const [gone, ...rest] = speakers as [Speaker, ...Speaker[]];
    const itsIPs = ownedIPs(gone);
    expect(itsIPs.length).toBeGreaterThan(0);
    seen.length = 0;
    await gone.mode.stop();
    speakers = rest;
    expect(await until(() => itsIPs.every((ip) => rest.some((s) => ownedIPs(s).includes(ip))), 3_000)).toBe(true);
    for (const s of rest) expect(s.mode.members().find((m) => m.name === 'n1')).toMatchObject({ state: MEMBER_STATE.Dead, incarnation: 0 });
    expect(seen).toContain(`n2:${MEMBER_STATE.Dead}`);
    expect(seen).toContain(`n3:${MEMBER_STATE.Dead}`);
    expect(seen.filter((x) => x.endsWith(`:${MEMBER_STATE.Suspect}`))).toEqual([]);
    expect(gone.responder.stoppedAt).toBeDefined();
  });

  test('each speaker publishes its own interfaces among the advertised ones; every speaker sees all lists', async () => {
    const localInterfaces = { n1: ['eth0', 'eth1'], n2: ['eth1', 'eth2'], n3: ['eth0'] };
    // Told before membership starts: configure() hands the list to the new membership.
    await startAll(0, { localInterfaces, advertised: ['eth2', 'eth1', 'eth1'] });
    const expected = { n1: ['eth1'], n2: ['eth1', 'eth2'], n3: [] };
    const lists = (mode: L2Mode) => Object.fromEntries([...mode.interfacesOf()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, set]) => [name, [...set].sort()]));
    expect(await until(() => speakers.every((s) => JSON.stringify(lists(s.mode)) === JSON.stringify(expected)), 3_000)).toBe(true);
    // A new advertisement reaches the others with the next message.
    const n3 = speakers.find((s) => s.name === 'n3')!;
    n3.mode.setAdvertisedInterfaces(['eth0']);
    expect(lists(n3.mode)['n3']).toEqual(['eth0']);
    expect(await until(() => speakers.every((s) => lists(s.mode)['n3']?.[0] === 'eth0'), 3_000)).toBe(true);
  });

  test('a member not heard yet has no list; a membership restart (new key) keeps ours; a failing lister keeps the last', async () => {
    const responder = new RecordingResponder();
    let local: () => readonly string[] = () => ['eth1'];
    const mode = new L2Mode({ self: 'n1', lbClass: undefined, log, responder, port: 0, handoverMs: 0, localInterfaces: () => local(), onChange: () => undefined });
    speakers = [{ name: 'n1', mode, responder }];
    mode.setAdvertisedInterfaces(['eth1', 'eth9']);
    expect([...mode.interfacesOf()]).toEqual([['n1', new Set(['eth1'])]]);
    await mode.configure({ key: KEY, address: '127.0.0.1', peers: [{ name: 'n2', address: '127.0.0.1', port: 9 }] });
    expect([...mode.interfacesOf().keys()]).toEqual(['n1']);
    expect(mode.members().find((m) => m.name === 'n2')?.interfaces).toBeUndefined();
    await mode.configure({ key: new Uint8Array(Buffer.from('another membership key, 32 bytes')), address: '127.0.0.1', peers: [] });
    expect(mode.members().find((m) => m.name === 'n1')?.interfaces).toEqual(['eth1']);
    local = () => {
      throw new Error('no /sys/class/net');
    };
    mode.setAdvertisedInterfaces(['eth1']);
    expect(mode.members().find((m) => m.name === 'n1')?.interfaces).toEqual(['eth1']);
    // More than a message can carry (64): the last list stays, nothing throws.
    const many = Array.from({ length: 65 }, (_, i) => `vlan${i}`);
    local = () => many;
    mode.setAdvertisedInterfaces(many);
    expect(mode.members().find((m) => m.name === 'n1')?.interfaces).toEqual(['eth1']);
    expect(mode.interfacesOf().get('n1')).toEqual(new Set(['eth1']));
  });
});

describe('L2Mode and each node\'s data plane', () => {
  const proxyDown = { proxyServing: false, notServing: [], overflow: false };
  const serving = { proxyServing: true, notServing: [], overflow: false };
  /** Who owns each IP in each speaker's own election. */
  const ownersSeenBy = (s: Speaker) => [...s.mode.election.owners.values()].map((o) => o.node);

  test('a node whose kube-proxy is down is left out by every speaker, and taken back when it serves again', async () => {
    await startAll();
    const n2 = speakers.find((s) => s.name === 'n2')!;
    expect(ownedIPs(n2).length).toBeGreaterThan(0);
    n2.mode.setDataPlane(proxyDown);
    n2.mode.elect(view, ready);
    expect(ownedIPs(n2)).toEqual([]);
    expect(await until(() => speakers.every((s) => !ownersSeenBy(s).includes('n2') && s.mode.election.owners.size === 9), 3_000)).toBe(true);
    for (const s of speakers) expect(s.mode.dataPlaneOf().get('n2')).toEqual(proxyDown);
    expect(speakers.flatMap(ownedIPs).sort()).toEqual(services.map((_, i) => `203.0.113.${i + 1}`).sort());
    n2.mode.setDataPlane(serving);
    n2.mode.elect(view, ready);
    expect(await until(() => speakers.every((s) => ownersSeenBy(s).includes('n2')), 3_000)).toBe(true);
    expect(await until(() => speakers.flatMap(ownedIPs).length === 9, 3_000)).toBe(true);
  });

  test('states count only while probes work; ours survives a membership restart; a key that is no "ns/name" publishes overflow', async () => {
    const responder = new RecordingResponder();
    const mode = new L2Mode({ self: 'n1', lbClass: undefined, log, responder, port: 0, handoverMs: 0, onChange: () => undefined });
    speakers = [{ name: 'n1', mode, responder }];
    mode.setDataPlane(proxyDown);
    expect(mode.source()).toBe('NoKey');
    expect(mode.dataPlaneOf().size).toBe(0);
    mode.elect(view, new Set(['n1']));
    expect(mode.election.owners.size).toBe(9);
    await mode.configure({ key: KEY, address: '127.0.0.1', peers: [] });
    expect(mode.source()).toBe('Probes');
    expect(mode.dataPlaneOf()).toEqual(new Map([['n1', proxyDown]]));
    expect(mode.members().find((m) => m.name === 'n1')?.dataPlane).toEqual(proxyDown);
    mode.elect(view, new Set(['n1']));
    expect(mode.election.owners.size).toBe(0);
    mode.setDataPlane({ proxyServing: true, notServing: ['not-a-key'], overflow: false });
    expect(mode.members().find((m) => m.name === 'n1')?.dataPlane).toEqual({ proxyServing: true, notServing: [], overflow: true });
    mode.setDataPlane(undefined);
    expect(mode.dataPlaneOf()).toEqual(new Map([['n1', undefined]]));
  });
});
