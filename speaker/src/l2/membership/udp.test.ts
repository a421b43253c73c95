// The protocol over real UDP sockets on loopback (127.0.0.1-4, one process): a stopped member is
// dead for the others in under a second, a forged datagram is refused and counted, a taken port
// is a MembershipError (the caller then falls back to Node readiness).
import { afterEach, describe, expect, test } from '@jest/globals';
import { createSocket } from 'node:dgram';
import { encodeMessage, MEMBER_STATE, MESSAGE_TYPE } from './codec.js';
import { MembershipError } from './errors.js';
import { Membership } from './protocol.js';
import { UdpMembership } from './udp.js';

const key = Buffer.from('udp loopback test key, 32 bytes!');
const running: UdpMembership[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

async function until(condition: () => boolean, limitMs: number): Promise<number> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > limitMs) throw new Error(`udp test: condition not met within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return Date.now() - start;
}

async function cluster(n: number, onChange?: (name: string) => void): Promise<Map<string, UdpMembership>> {
  const members = new Map<string, UdpMembership>();
  for (let i = 1; i <= n; i++) {
    const udp = await UdpMembership.start(new Membership({ self: `n${i}`, key }, Date.now()), { address: `127.0.0.${i}`, port: 0, onChange: () => onChange?.(`n${i}`) });
    running.push(udp);
    members.set(`n${i}`, udp);
  }
  const peers = [...members].map(([name, udp], i) => ({ name, address: `127.0.0.${i + 1}`, port: udp.port }));
  for (const udp of members.values()) udp.membership.setPeers(peers);
  return members;
}

const view = (udp: UdpMembership | undefined, name: string) => udp?.membership.status().find((s) => s.name === name);

describe('membership over UDP on loopback', () => {
  test('a stopped member is declared dead by the others in under a second', async () => {
    const members = await cluster(4);
    await until(() => [...members.values()].every((u) => u.membership.status().every((s) => s.heard && s.state === MEMBER_STATE.Alive)), 2000);
    await members.get('n2')?.stop();
    const others = ['n1', 'n3', 'n4'].map((n) => members.get(n));
    const took = await until(() => others.every((u) => view(u, 'n2')?.state === MEMBER_STATE.Dead), 2000);
    expect(took).toBeLessThan(1000);
    for (const u of others) for (const name of ['n1', 'n3', 'n4']) expect(view(u, name)?.state).toBe(MEMBER_STATE.Alive);
  });

  test('a member that leaves is dead for the others as soon as its datagram arrives, never suspected; its socket is closed', async () => {
    // Every change of picture at each member, as its onChange saw it (the caller re-elects there).
    const seen: string[] = [];
    const members = await cluster(4, (name) => seen.push(`${name}:${members.get(name)?.membership.status().find((s) => s.name === 'n2')?.state}`));
    await until(() => [...members.values()].every((u) => u.membership.status().every((s) => s.heard && s.state === MEMBER_STATE.Alive)), 2000);
    seen.length = 0;
    await members.get('n2')?.leave();
    const others = ['n1', 'n3', 'n4'];
    await until(() => others.every((n) => view(members.get(n), 'n2')?.state === MEMBER_STATE.Dead), 2000);
    for (const n of others) expect(seen).toContain(`${n}:${MEMBER_STATE.Dead}`);
    expect(seen.filter((s) => s.endsWith(`:${MEMBER_STATE.Suspect}`))).toEqual([]);
    // Sent twice with fresh nonces: the second copy is no replay.
    await new Promise((r) => setTimeout(r, 50));
    for (const n of others) expect(members.get(n)?.membership.counters.rejected.replayed).toBe(0);
    expect(() => members.get('n2')?.port).toThrow();
  });

  test('a forged datagram (wrong key) is refused, counted, and changes nothing', async () => {
    const members = await cluster(3);
    const n1 = members.get('n1');
    await until(() => view(n1, 'n3')?.heard === true, 2000);
    const forged = encodeMessage({ type: MESSAGE_TYPE.Gossip, timestamp: Date.now(), nonce: 7n, seq: 0, sender: 'n2', incarnation: 0, target: '', interfaces: [], updates: [{ name: 'n3', state: MEMBER_STATE.Dead, incarnation: 99 }] }, Buffer.from('an attacker without the real key'));
    const attacker = createSocket('udp4');
    await new Promise<void>((resolve, reject) => attacker.send(forged, n1?.port ?? 0, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
    attacker.close();
    await until(() => n1?.membership.counters.rejected['bad-mac'] === 1, 1000);
    expect(view(n1, 'n3')?.state).toBe(MEMBER_STATE.Alive);
    expect(view(n1, 'n3')?.incarnation).toBe(0);
  });

  test('a port already taken is a MembershipError', async () => {
    const first = await UdpMembership.start(new Membership({ self: 'a', key }, Date.now()), { address: '127.0.0.1', port: 0 });
    running.push(first);
    const second = UdpMembership.start(new Membership({ self: 'b', key }, Date.now()), { address: '127.0.0.1', port: first.port });
    await expect(second).rejects.toThrow(MembershipError);
    await expect(second).rejects.toThrow(/^membership: cannot bind UDP 127.0.0.1 port \d+: /);
  });
});
