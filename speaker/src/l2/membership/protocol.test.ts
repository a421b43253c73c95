// The protocol in an in-memory network with an injected clock: quiet steady state, a crash seen
// well under a second, refutation of a wrong suspicion, refused datagrams, and the probe traffic.
import { describe, expect, test } from '@jest/globals';
import { encodeMessage, MEMBER_STATE, MESSAGE_TYPE, type Message } from './codec.js';
import { DEFAULTS, worstDetectionMs } from './options.js';
import { Membership } from './protocol.js';
import { SimulatedNetwork } from './simulation.js';

const key = Buffer.from('membership test key, 32 bytes!!');
const names = (n: number) => Array.from({ length: n }, (_, i) => `n${i + 1}`);
const stateOf = (sim: SimulatedNetwork, observer: string, member: string) => sim.members.get(observer)?.status().find((s) => s.name === member);

describe('membership over a simulated network', () => {
  test('steady state: everyone alive and heard, nobody ever suspected', () => {
    const sim = new SimulatedNetwork({ names: names(5), key });
    let suspicions = 0;
    sim.run(3000, () => {
      for (const m of sim.members.values()) suspicions += m.status().filter((s) => s.state !== MEMBER_STATE.Alive).length;
    });
    expect(suspicions).toBe(0);
    for (const m of sim.members.values()) for (const s of m.status()) expect(s).toMatchObject({ state: MEMBER_STATE.Alive, heard: true, incarnation: 0 });
  });

  test.each([3, 5, 12])('a crashed speaker is dead for all %i-1 others well under a second', (n) => {
    const sim = new SimulatedNetwork({ names: names(n), key, seed: n });
    sim.run(1000);
    const crashedAt = sim.now;
    sim.crash('n2');
    const deadAt = new Map<string, number>();
    sim.run(1500, (now) => {
      for (const name of sim.members.keys()) if (name !== 'n2' && !deadAt.has(name) && stateOf(sim, name, 'n2')?.state === MEMBER_STATE.Dead) deadAt.set(name, now - crashedAt);
    });
    expect(deadAt.size).toBe(n - 1);
    const slowest = Math.max(...deadAt.values());
    // Bound from the options: 2 x 100 ms of misses + 90 ms ack timeout + 100 ms indirect + 200 ms suspicion.
    expect(worstDetectionMs(DEFAULTS)).toBe(590);
    expect(slowest).toBeLessThanOrEqual(worstDetectionMs(DEFAULTS) + 10);
    // And nobody was wrong about anyone else meanwhile.
    for (const name of sim.members.keys()) {
      if (name === 'n2') continue;
      for (const s of sim.members.get(name)?.status() ?? []) if (s.name !== 'n2') expect(s.state).toBe(MEMBER_STATE.Alive);
    }
  });

  test('a wrongly suspected speaker refutes with a higher incarnation and is never declared dead', () => {
    const sim = new SimulatedNetwork({ names: names(4), key });
    sim.run(500);
    // n1 (a real member, holding the key) tells n3 that n2 is suspect.
    const rumour: Message = { type: MESSAGE_TYPE.Gossip, timestamp: sim.now, nonce: 42n, seq: 0, sender: 'n1', incarnation: 0, target: '', interfaces: [], updates: [{ name: 'n2', state: MEMBER_STATE.Suspect, incarnation: 0 }] };
    sim.inject('n3', encodeMessage(rumour, key));
    let suspected = false;
    let dead = false;
    sim.run(2000, () => {
      for (const name of ['n1', 'n3', 'n4']) {
        const s = stateOf(sim, name, 'n2')?.state;
        suspected ||= s === MEMBER_STATE.Suspect;
        dead ||= s === MEMBER_STATE.Dead;
      }
    });
    expect(suspected).toBe(true);
    expect(dead).toBe(false);
    expect(sim.members.get('n2')?.counters.refuted).toBe(1);
    for (const name of ['n1', 'n3', 'n4']) expect(stateOf(sim, name, 'n2')).toMatchObject({ state: MEMBER_STATE.Alive, incarnation: 1 });
  });

  test('a restarted speaker (incarnation 0 again) is taken back although it was dead at 0', () => {
    const sim = new SimulatedNetwork({ names: names(3), key });
    sim.run(500);
    sim.crash('n3');
    sim.run(1000);
    expect(stateOf(sim, 'n1', 'n3')?.state).toBe(MEMBER_STATE.Dead);
    const fresh = new Membership({ self: 'n3', key }, sim.now);
    fresh.setPeers(names(3).map((name) => ({ name, address: name, port: 7946 })));
    sim.members.set('n3', fresh);
    sim.stopped.delete('n3');
    sim.run(500);
    for (const name of ['n1', 'n2']) expect(stateOf(sim, name, 'n3')).toMatchObject({ state: MEMBER_STATE.Alive, incarnation: 1 });
  });
});

test('a speaker that hears nobody for silenceMs says its probes are not working; the others still are', () => {
  const sim = new SimulatedNetwork({ names: names(4), key });
  sim.run(500);
  sim.partition([['n1'], ['n2', 'n3', 'n4']]);
  sim.run(DEFAULTS.silenceMs - 100);
  expect(sim.members.get('n1')?.probesWorking(sim.now)).toBe(true);
  sim.run(200);
  expect(sim.members.get('n1')?.probesWorking(sim.now)).toBe(false);
  expect(sim.members.get('n2')?.probesWorking(sim.now)).toBe(true);
  sim.heal();
  sim.run(300);
  expect(sim.members.get('n1')?.probesWorking(sim.now)).toBe(true);
});

describe('refused datagrams are counted and change nothing', () => {
  const make = () => {
    const m = new Membership({ self: 'n1', key }, 1_700_000_000_000);
    m.setPeers(names(3).map((name) => ({ name, address: name, port: 7946 })));
    return m;
  };
  const now = 1_700_000_000_000;
  const fromN2: Message = { type: MESSAGE_TYPE.Gossip, timestamp: now, nonce: 1n, seq: 0, sender: 'n2', incarnation: 0, target: '', interfaces: [], updates: [{ name: 'n3', state: MEMBER_STATE.Dead, incarnation: 5 }] };

  test.each([
    { name: 'forged: signed with another key', bytes: encodeMessage(fromN2, Buffer.from('not the cluster key at all')), reason: 'bad-mac' },
    { name: 'not ours at all', bytes: Buffer.from('hello there, this is no membership datagram at all, honest'), reason: 'malformed' },
    { name: 'a sender that is no member', bytes: encodeMessage({ ...fromN2, sender: 'intruder' }, key), reason: 'unknown-sender' },
    { name: 'our own message reflected back', bytes: encodeMessage({ ...fromN2, sender: 'n1' }, key), reason: 'from-self' },
    { name: 'a ping meant for another node', bytes: encodeMessage({ ...fromN2, type: MESSAGE_TYPE.Ping, target: 'n3' }, key), reason: 'wrong-target' },
    { name: 'too old', bytes: encodeMessage({ ...fromN2, timestamp: now - DEFAULTS.replayWindowMs - 1 }, key), reason: 'stale' },
  ])('$name: $reason', ({ bytes, reason }) => {
    const m = make();
    expect(m.receive(bytes, now)).toEqual([]);
    expect(m.counters.rejected).toMatchObject({ [reason]: 1 });
    expect(m.counters.received).toBe(0);
    expect(m.status().find((s) => s.name === 'n3')?.state).toBe(MEMBER_STATE.Alive);
  });

  test('a replayed datagram is refused the second time', () => {
    const m = make();
    const bytes = encodeMessage(fromN2, key);
    m.receive(bytes, now);
    expect(m.status().find((s) => s.name === 'n3')?.state).toBe(MEMBER_STATE.Dead);
    expect(m.receive(bytes, now + 5)).toEqual([]);
    expect(m.counters.rejected.replayed).toBe(1);
    expect(m.counters.received).toBe(1);
  });

  test.each([
    { name: 'a short key', config: { self: 'n1', key: Buffer.alloc(15) }, message: /^membership: the key must be at least 16 bytes \(got 15\)/ },
    { name: 'an ack timeout beyond the interval', config: { self: 'n1', key, ackTimeoutMs: 150 }, message: /ackTimeoutMs \(150\) must not exceed probeIntervalMs \(100\)/ },
    { name: 'a negative timer', config: { self: 'n1', key, suspicionTimeoutMs: -1 }, message: /suspicionTimeoutMs is -1/ },
    { name: 'no name', config: { self: '', key }, message: /self \(the node name\) is empty/ },
  ])('bad options: $name', ({ config, message }) => {
    expect(() => new Membership(config, now)).toThrow(message);
  });
});

describe('probe traffic', () => {
  /*
   * At 100 nodes, per node, steady state: each round (100 ms) a node pings its 3 ring
   * successors and 1 random member, and answers the ~4 pings it receives, so 8 datagrams out
   * and 8 in per round: 80 packets/s each way. A ping or ack between nodes named like
   * "k8s-node-042" (12 bytes) is 88 bytes of payload (28 header + 26 names + 1 interface count
   * + 1 update count + 32 HMAC, no interfaces, no updates), 116 with IPv4 and UDP headers:
   * 80 x 116 = 9,280 bytes/s (74 kbit/s) each way. Publishing one interface ("eth1") adds
   * 5 bytes per message (9,680 bytes/s). Measured below in the simulation: the same, since
   * nothing changes in a steady state.
   */
  test('at 100 nodes: 80 packets/s and about 9.3 kB/s out per node', () => {
    const list = Array.from({ length: 100 }, (_, i) => `k8s-node-${String(i).padStart(3, '0')}`);
    const ping: Message = { type: MESSAGE_TYPE.Ping, timestamp: 0, nonce: 0n, seq: 1, sender: list[0] ?? '', incarnation: 0, target: list[1] ?? '', interfaces: [], updates: [] };
    const wire = encodeMessage(ping, key).length + 28;
    expect(wire).toBe(116);
    const perSecond = 1000 / DEFAULTS.probeIntervalMs;
    const packets = 2 * (DEFAULTS.ringMonitors + 1) * perSecond;
    expect(packets).toBe(80);

    const sim = new SimulatedNetwork({ names: list, key, stepMs: 5 });
    sim.run(1000);
    sim.sentPackets.clear();
    sim.sentBytes.clear();
    sim.run(2000);
    const meanPackets = [...sim.sentPackets.values()].reduce((a, b) => a + b, 0) / list.length / 2;
    const meanBytes = [...sim.sentBytes.values()].reduce((a, b) => a + b, 0) / list.length / 2;
    expect(meanPackets).toBeGreaterThan(packets * 0.95);
    expect(meanPackets).toBeLessThan(packets * 1.05);
    expect(meanBytes).toBeLessThan(packets * wire * 1.05);
    expect(Math.max(...sim.sentPackets.values()) / 2).toBeLessThan(packets * 1.5);
  });
});
