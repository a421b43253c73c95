// The protocol in an in-memory network with an injected clock: quiet steady state, a crash seen
// well under a second, refutation of a wrong suspicion, refused datagrams, and the probe traffic.
import { describe, expect, test } from '@jest/globals';
import { decodeMessage, encodeMessage, MEMBER_STATE, MESSAGE_TYPE, wireVersionOf, type Message, type NodeDataPlane } from './codec.js';
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
   * "k8s-node-042" (12 bytes) is 90 bytes of payload (28 header + 26 names + 1 interface count
   * + 2 data-plane flags and count + 1 update count + 32 HMAC, no interfaces, no updates), 118
   * with IPv4 and UDP headers: 80 x 118 = 9,440 bytes/s (76 kbit/s) each way. Publishing one
   * interface ("eth1") adds 5 bytes per message (9,840 bytes/s); each Service listed as not
   * served adds 1 + its key's length. Measured below in the simulation: the same, since nothing
   * changes in a steady state.
   */
  test('at 100 nodes: 80 packets/s and about 9.4 kB/s out per node', () => {
    const list = Array.from({ length: 100 }, (_, i) => `k8s-node-${String(i).padStart(3, '0')}`);
    const ping: Message = { type: MESSAGE_TYPE.Ping, timestamp: 0, nonce: 0n, seq: 1, sender: list[0] ?? '', incarnation: 0, target: list[1] ?? '', interfaces: [], updates: [] };
    const wire = encodeMessage(ping, key).length + 28;
    expect(wire).toBe(118);
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

describe('leaving cleanly', () => {
  const peersOf = (list: readonly string[]) => list.map((name) => ({ name, address: name, port: 7946 }));

  test.each([1, 5, 20])('with %i ms of latency every other member has the leaver dead one message delay later, never suspected', (latencyMs) => {
    const sim = new SimulatedNetwork({ names: names(5), key, latencyMs, seed: latencyMs });
    sim.run(500);
    const versions = new Map([...sim.members].map(([name, m]) => [name, m.version]));
    let suspected = false;
    sim.leave('n2');
    sim.run(latencyMs, () => {
      for (const name of ['n1', 'n3', 'n4', 'n5']) suspected ||= stateOf(sim, name, 'n2')?.state === MEMBER_STATE.Suspect;
    });
    expect(suspected).toBe(false);
    for (const name of ['n1', 'n3', 'n4', 'n5']) {
      expect(stateOf(sim, name, 'n2')).toMatchObject({ state: MEMBER_STATE.Dead, incarnation: 0 });
      expect(sim.members.get(name)!.version).toBeGreaterThan(versions.get(name)!);
    }
    // The leaver refutes nothing afterwards (the others' gossip calls it dead) and sends nothing.
    const sentAfterLeave = sim.sentPackets.get('n2');
    sim.run(2000);
    expect(sim.sentPackets.get('n2')).toBe(sentAfterLeave);
    expect(sim.members.get('n2')?.counters.refuted).toBe(0);
    for (const name of ['n1', 'n3', 'n4', 'n5']) {
      expect(stateOf(sim, name, 'n2')).toMatchObject({ state: MEMBER_STATE.Dead, incarnation: 0 });
      for (const other of ['n1', 'n3', 'n4', 'n5']) expect(stateOf(sim, name, other)?.state).toBe(MEMBER_STATE.Alive);
    }
  });

  test('the leave goes to every member not dead, as gossip declaring us dead at our incarnation; then we answer nothing', () => {
    const now = 1_700_000_000_000;
    const n1 = new Membership({ self: 'n1', key }, now);
    n1.setPeers(peersOf(names(4)));
    // n2 says n4 is dead; and n3 suspects us, so we refute (incarnation 1) before leaving.
    n1.receive(encodeMessage({ type: MESSAGE_TYPE.Gossip, timestamp: now, nonce: 1n, seq: 0, sender: 'n2', incarnation: 0, target: '', interfaces: [], updates: [{ name: 'n4', state: MEMBER_STATE.Dead, incarnation: 0 }] }, key), now);
    n1.receive(encodeMessage({ type: MESSAGE_TYPE.Gossip, timestamp: now, nonce: 2n, seq: 0, sender: 'n3', incarnation: 0, target: '', interfaces: [], updates: [{ name: 'n1', state: MEMBER_STATE.Suspect, incarnation: 0 }] }, key), now);
    const out = n1.leave(now + 1);
    expect(out.map((o) => o.to.name).sort()).toEqual(['n2', 'n3']);
    for (const o of out) {
      const message = decodeMessage(o.bytes, key);
      expect(message).toMatchObject({ type: MESSAGE_TYPE.Gossip, sender: 'n1', incarnation: 1 });
      expect(message.updates).toContainEqual({ name: 'n1', state: MEMBER_STATE.Dead, incarnation: 1 });
    }
    // A second call (sent again against loss) makes fresh datagrams, not replays.
    const again = n1.leave(now + 21);
    expect(again.map((o) => decodeMessage(o.bytes, key).nonce)).not.toEqual(out.map((o) => decodeMessage(o.bytes, key).nonce));
    const ping = encodeMessage({ type: MESSAGE_TYPE.Ping, timestamp: now, nonce: 3n, seq: 9, sender: 'n2', incarnation: 0, target: 'n1', interfaces: [], updates: [{ name: 'n1', state: MEMBER_STATE.Dead, incarnation: 1 }] }, key);
    expect(n1.receive(ping, now + 30)).toEqual([]);
    expect(n1.tick(now + 5000)).toEqual([]);
    expect(n1.counters.refuted).toBe(1);
  });

  test('a forged leave is refused; a replayed one too, and would lose to the restarted speaker anyway', () => {
    const now = 1_700_000_000_000;
    const n1 = new Membership({ self: 'n1', key }, now);
    n1.setPeers(peersOf(names(3)));
    const n2 = new Membership({ self: 'n2', key }, now);
    n2.setPeers(peersOf(names(3)));
    const forged = new Membership({ self: 'n2', key: Buffer.from('an attacker without the real key') }, now);
    forged.setPeers(peersOf(names(3)));
    const forgedLeave = forged.leave(now).find((o) => o.to.name === 'n1')!;
    expect(n1.receive(forgedLeave.bytes, now)).toEqual([]);
    expect(n1.counters.rejected['bad-mac']).toBe(1);
    expect(n1.status().find((s) => s.name === 'n2')?.state).toBe(MEMBER_STATE.Alive);

    const leave = n2.leave(now).find((o) => o.to.name === 'n1')!;
    n1.receive(leave.bytes, now + 1);
    expect(n1.status().find((s) => s.name === 'n2')).toMatchObject({ state: MEMBER_STATE.Dead, incarnation: 0 });
    // n2 restarts and refutes the dead record with incarnation 1.
    n1.receive(encodeMessage({ type: MESSAGE_TYPE.Gossip, timestamp: now + 100, nonce: 77n, seq: 0, sender: 'n2', incarnation: 1, target: '', interfaces: [], updates: [] }, key), now + 100);
    expect(n1.status().find((s) => s.name === 'n2')).toMatchObject({ state: MEMBER_STATE.Alive, incarnation: 1 });
    expect(n1.receive(leave.bytes, now + 200)).toEqual([]);
    expect(n1.counters.rejected.replayed).toBe(1);
    expect(n1.status().find((s) => s.name === 'n2')).toMatchObject({ state: MEMBER_STATE.Alive, incarnation: 1 });
  });

  test('a speaker restarted after leaving (incarnation 0 again) is taken back', () => {
    const sim = new SimulatedNetwork({ names: names(3), key });
    sim.run(500);
    sim.leave('n3');
    sim.run(50);
    sim.crash('n3');
    for (const name of ['n1', 'n2']) expect(stateOf(sim, name, 'n3')?.state).toBe(MEMBER_STATE.Dead);
    sim.run(500);
    const fresh = new Membership({ self: 'n3', key }, sim.now);
    fresh.setPeers(peersOf(names(3)));
    sim.members.set('n3', fresh);
    sim.stopped.delete('n3');
    sim.run(500);
    for (const name of ['n1', 'n2']) expect(stateOf(sim, name, 'n3')).toMatchObject({ state: MEMBER_STATE.Alive, incarnation: 1 });
    expect(fresh.counters.refuted).toBe(1);
  });
});

describe("each member's L2 interfaces", () => {
  const published: Record<string, string[]> = { n1: ['eth1'], n2: ['eth2', 'eth1', 'eth1'], n3: [] };

  test('are unknown until heard, then known by everyone from its messages, and a change reaches everyone', () => {
    const sim = new SimulatedNetwork({ names: names(3), key });
    for (const [name, list] of Object.entries(published)) sim.members.get(name)!.setInterfaces(list);
    expect(stateOf(sim, 'n1', 'n2')?.interfaces).toBeUndefined();
    expect(stateOf(sim, 'n1', 'n1')?.interfaces).toEqual(['eth1']);
    sim.run(300);
    for (const observer of names(3)) {
      expect(sim.members.get(observer)!.status().map((s) => [s.name, s.interfaces])).toEqual([
        ['n1', ['eth1']],
        ['n2', ['eth1', 'eth2']],
        ['n3', []],
      ]);
    }
    const before = sim.members.get('n1')!.version;
    sim.members.get('n2')!.setInterfaces(['eth2']);
    sim.run(300);
    expect(stateOf(sim, 'n1', 'n2')?.interfaces).toEqual(['eth2']);
    expect(stateOf(sim, 'n3', 'n2')?.interfaces).toEqual(['eth2']);
    expect(sim.members.get('n1')!.version).toBeGreaterThan(before);
  });

  test('setting the same list again changes nothing', () => {
    const m = new Membership({ self: 'n1', key }, 0);
    m.setInterfaces(['eth1', 'eth0']);
    const version = m.version;
    m.setInterfaces(['eth0', 'eth1', 'eth0']);
    expect(m.version).toBe(version);
  });

  test.each([
    { name: 'an empty name', list: ['eth0', ''], message: /^membership: cannot publish these interfaces: interface 0 has an empty name/ },
    { name: 'a 16-byte name', list: ['a-very-long-name'], message: /interface 0 name is 16 bytes, more than 15/ },
    { name: '65 names', list: Array.from({ length: 65 }, (_, i) => `eth${i}`), message: /65 interfaces, more than 64/ },
  ])('bad lists are refused: $name', ({ list, message }) => {
    const m = new Membership({ self: 'n1', key }, 0);
    expect(() => m.setInterfaces(list)).toThrow(message);
    expect(m.status()[0]?.interfaces).toEqual([]);
  });
});

describe("each member's data plane", () => {
  const failingWeb: NodeDataPlane = { proxyServing: true, notServing: ['shop/web'], overflow: false };
  const serving: NodeDataPlane = { proxyServing: true, notServing: [], overflow: false };

  test('is unknown until heard (and for a member that publishes none), then known by everyone', () => {
    const sim = new SimulatedNetwork({ names: names(3), key });
    sim.members.get('n1')!.setDataPlane(serving);
    sim.members.get('n2')!.setDataPlane(failingWeb);
    expect(stateOf(sim, 'n3', 'n2')?.dataPlane).toBeUndefined();
    expect(stateOf(sim, 'n2', 'n2')?.dataPlane).toEqual(failingWeb);
    sim.run(300);
    for (const observer of names(3)) {
      expect(sim.members.get(observer)!.status().map((s) => [s.name, s.dataPlane])).toEqual([
        ['n1', serving],
        ['n2', failingWeb],
        ['n3', undefined],
      ]);
    }
  });

  test.each([3, 20])('a change reaches all %i members within a round: it is broadcast, not left to the ring', (n) => {
    const sim = new SimulatedNetwork({ names: names(n), key, seed: n });
    sim.members.get('n2')!.setDataPlane(serving);
    sim.run(1000);
    const versions = new Map([...sim.members].map(([name, m]) => [name, m.version]));
    sim.members.get('n2')!.setDataPlane(failingWeb);
    const learnt = new Map<string, number>();
    const changedAt = sim.now;
    sim.run(500, (now) => {
      for (const name of sim.members.keys()) if (!learnt.has(name) && stateOf(sim, name, 'n2')?.dataPlane?.notServing.length === 1) learnt.set(name, now - changedAt);
    });
    expect(learnt.size).toBe(n);
    // The broadcast leaves at n2's next tick (its next round at the latest) and takes 1 ms.
    expect(Math.max(...learnt.values())).toBeLessThanOrEqual(DEFAULTS.probeIntervalMs + 2);
    for (const name of names(n)) if (name !== 'n2') expect(sim.members.get(name)!.version).toBeGreaterThan(versions.get(name)!);
  });

  test('a change is broadcast to every member not dead twice, a round apart, then rides on the usual messages only', () => {
    const now = 1_700_000_000_000;
    // Nobody answers here; a member that never gives up on direct pings suspects nobody meanwhile.
    const m = new Membership({ self: 'n1', key, missesBeforeIndirect: 1000 }, now);
    m.setPeers(names(4).map((name) => ({ name, address: name, port: 7946 })));
    m.receive(encodeMessage({ type: MESSAGE_TYPE.Gossip, timestamp: now, nonce: 1n, seq: 0, sender: 'n2', incarnation: 0, target: '', interfaces: [], updates: [{ name: 'n4', state: MEMBER_STATE.Dead, incarnation: 0 }] }, key), now);
    m.tick(now);
    const gossip = (out: ReturnType<Membership['tick']>) => out.filter((o) => decodeMessage(o.bytes, key).type === MESSAGE_TYPE.Gossip);
    expect(gossip(m.tick(now + 1))).toEqual([]);
    const version = m.version;
    expect(m.setDataPlane(failingWeb)).toEqual(failingWeb);
    expect(m.version).toBe(version + 1);
    expect(m.nextWakeAt()).toBeLessThanOrEqual(now + 2);
    const first = gossip(m.tick(now + 2));
    expect(first.map((o) => o.to.name).sort()).toEqual(['n2', 'n3']);
    for (const o of first) expect(decodeMessage(o.bytes, key).dataPlane).toEqual(failingWeb);
    expect(gossip(m.tick(now + 3))).toEqual([]);
    expect(gossip(m.tick(now + 2 + DEFAULTS.probeIntervalMs)).map((o) => o.to.name).sort()).toEqual(['n2', 'n3']);
    expect(gossip(m.tick(now + 2 + 2 * DEFAULTS.probeIntervalMs))).toEqual([]);
    // The same state again is no change: nothing is broadcast.
    m.setDataPlane({ proxyServing: true, notServing: ['shop/web', 'shop/web'], overflow: false });
    expect(m.version).toBe(version + 1);
    expect(gossip(m.tick(now + 2 + 3 * DEFAULTS.probeIntervalMs))).toEqual([]);
  });

  test('a list beyond the bounds is published as overflow; a bad key is refused', () => {
    const m = new Membership({ self: 'n1', key }, 0);
    const many = Array.from({ length: 40 }, (_, i) => `ns/s${i}`);
    expect(m.setDataPlane({ proxyServing: false, notServing: many, overflow: false })).toEqual({ proxyServing: false, notServing: [], overflow: true });
    expect(m.status()[0]?.dataPlane).toEqual({ proxyServing: false, notServing: [], overflow: true });
    expect(() => m.setDataPlane({ proxyServing: true, notServing: ['web'], overflow: false })).toThrow(/^membership: cannot publish this data plane: not-serving key 0 "web" is not "namespace\/name"/);
    expect(m.status()[0]?.dataPlane?.overflow).toBe(true);
    m.setDataPlane(undefined);
    expect(m.status()[0]?.dataPlane).toBeUndefined();
  });

  test('a version 2 member: heard, its data plane unknown, and answered in version 2', () => {
    const now = 1_700_000_000_000;
    const m = new Membership({ self: 'n1', key }, now);
    m.setPeers(names(3).map((name) => ({ name, address: name, port: 7946 })));
    m.setDataPlane(failingWeb);
    // Before n2 is heard it is sent version 3.
    const before = m.tick(now).filter((o) => o.to.name === 'n2');
    for (const o of before) expect(wireVersionOf(o.bytes)).toBe(3);
    const ping: Message = { type: MESSAGE_TYPE.Ping, timestamp: now, nonce: 5n, seq: 11, sender: 'n2', incarnation: 0, target: 'n1', interfaces: ['eth1'], dataPlane: serving, updates: [] };
    const out = m.receive(encodeMessage(ping, key, 2), now + 1);
    expect(m.status().find((s) => s.name === 'n2')).toMatchObject({ heard: true, interfaces: ['eth1'], dataPlane: undefined });
    expect(out).toHaveLength(1);
    expect(wireVersionOf(out[0]!.bytes)).toBe(2);
    expect(decodeMessage(out[0]!.bytes, key)).toMatchObject({ type: MESSAGE_TYPE.Ack, seq: 11, sender: 'n1' });
    // Upgraded, it speaks version 3 and is answered in it, with our data plane.
    const upgraded = m.receive(encodeMessage({ ...ping, nonce: 6n, seq: 12 }, key), now + 2);
    expect(m.status().find((s) => s.name === 'n2')?.dataPlane).toEqual(serving);
    expect(wireVersionOf(upgraded[0]!.bytes)).toBe(3);
    expect(decodeMessage(upgraded[0]!.bytes, key).dataPlane).toEqual(failingWeb);
  });
});
