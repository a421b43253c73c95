// L2 mode with real membership over loopback UDP: three speakers elect one owner per IP, each
// tells its responder only its own IPs, and a stopped speaker's IPs are taken over by the others.
import { afterEach, describe, expect, test } from '@jest/globals';
import { createLogger } from '@headland/kube';
import { electionInput, endpointsFor, manyServices, node } from './election/fixtures.js';
import { L2Mode } from './mode.js';
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

async function startAll(handoverMs = 0): Promise<Speaker[]> {
  speakers = NAMES.map((name) => {
    const responder = new RecordingResponder();
    const mode: L2Mode = new L2Mode({ self: name, lbClass: undefined, log, responder, port: 0, handoverMs, onChange: () => mode.elect(view, ready) });
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
