import { chooseRouterId, defaultLocalAs, diffPeers, planPeers, type SessionPlan } from './peers.js';
import { configOf, peer, secret } from './fixtures.js';

const V4 = { ipv4: '198.18.0.11', ipv6: undefined };
const DUAL = { ipv4: '198.18.0.11', ipv6: '2001:db8::11' };
const base = { myASN: 64513, peerASN: 64512, peerAddress: '198.18.0.1' };

test.each([
  ['defaults', { ...base }, V4, {
    address: '198.18.0.1', peerAs: 64512, port: 179, localAs: 64513, holdTime: 90, keepaliveTime: 30,
    connectRetry: { initial: 10, max: 10, jitter: 0.25 }, passive: false, families: ['ipv4'],
  }],
  ['the node has IPv6 too: both families, IPv6 next hop given', { ...base }, DUAL, {
    families: ['ipv4', 'ipv6'], nextHop: { ipv6: '2001:db8::11' },
  }],
  ['an IPv6 peer carries IPv4 with the node\'s IPv4 next hop', { ...base, peerAddress: '2001:db8::1' }, DUAL, {
    address: '2001:db8::1', families: ['ipv6', 'ipv4'], nextHop: { ipv4: '198.18.0.11' },
  }],
  ['dynamic ASN', { myASN: 64513, dynamicASN: 'internal', peerAddress: '198.18.0.1' }, V4, { peerAs: 'internal' }],
  ['timers, port, source, passive', { ...base, holdTime: '9s', keepaliveTime: '3s', connectTime: '2s', peerPort: 1179, sourceAddress: '198.18.0.11', passive: true }, V4, {
    holdTime: 9, keepaliveTime: 3, connectRetry: { initial: 2, max: 2, jitter: 0.25 }, port: 1179, sourceAddress: '198.18.0.11', passive: true,
  }],
  ['hold time 0: no keepalive time', { ...base, holdTime: '0s' }, V4, { holdTime: 0 }],
  ['inline password, multihop', { ...base, password: 'sesame', ebgpMultiHop: true }, V4, { password: 'sesame', ttl: 255 }],
  ['GTSM and graceful restart', { ...base, ttlSecurity: true, enableGracefulRestart: true }, V4, { gtsm: true, gracefulRestart: { restartTime: 120, forwardingPreserved: true } }],
])('%s', (_name, spec, node, expected) => {
  const plan = planPeers(configOf([peer('tor', spec)]), ['tor'], node);
  const session = plan.sessions.get('tor');
  expect(session?.config).toMatchObject(expected);
  expect(plan.problems).toEqual([]);
  if ((spec as Record<string, unknown>)['holdTime'] === '0s') expect(session?.config).not.toHaveProperty('keepaliveTime');
  if (!('password' in spec)) expect(session?.config).not.toHaveProperty('password');
});

test('the password comes from the Secret the BGPPeer names', () => {
  const config = configOf([peer('tor', { ...base, passwordSecret: { name: 'tor-md5' } })], [secret('tor-md5', 'from-secret')]);
  expect(planPeers(config, ['tor'], V4).sessions.get('tor')?.config.password).toBe('from-secret');
});

test('only the selected peers; two peers with one address: the first by name runs, the other is a problem', () => {
  const config = configOf([peer('b', { ...base, peerPort: 1179 }), peer('a', { ...base }), peer('c', { ...base, peerAddress: '198.18.0.2' })]);
  const plan = planPeers(config, ['c', 'b', 'a', 'gone'], V4);
  expect([...plan.sessions.keys()]).toEqual(['a', 'c']);
  expect(plan.problems).toEqual([{ peer: 'b', message: 'BGPPeer b has the address 198.18.0.1 of BGPPeer a, which also selects this node; only a runs' }]);
});

const plan = (address: string, fingerprint: string): SessionPlan => ({ name: address, address, config: { address, peerAs: 1 }, fingerprint, bfdFingerprint: '' });

test.each([
  ['nothing running: all added', [], [plan('10.0.0.1', 'x'), plan('10.0.0.2', 'y')], { add: ['10.0.0.1', '10.0.0.2'], remove: [], replace: [] }],
  ['same settings: untouched', [['10.0.0.1', 'x']], [plan('10.0.0.1', 'x')], { add: [], remove: [], replace: [] }],
  ['changed settings: replaced', [['10.0.0.1', 'x']], [plan('10.0.0.1', 'x2')], { add: [], remove: [], replace: ['10.0.0.1'] }],
  ['gone: removed, others untouched', [['10.0.0.1', 'x'], ['10.0.0.2', 'y']], [plan('10.0.0.2', 'y')], { add: [], remove: ['10.0.0.1'], replace: [] }],
  ['mixed', [['10.0.0.3', 'z'], ['10.0.0.1', 'x']], [plan('10.0.0.1', 'x'), plan('10.0.0.9', 'n'), plan('10.0.0.3', 'z2')], { add: ['10.0.0.9'], remove: [], replace: ['10.0.0.3'] }],
] as const)('diffPeers: %s', (_name, running, planned, expected) => {
  const diff = diffPeers(new Map(running.map(([a, f]) => [a, f])), new Map(planned.map((p) => [p.name, p])));
  expect({ add: diff.add.map((p) => p.address), remove: diff.remove, replace: diff.replace.map((p) => p.address) }).toEqual(expected);
});

test('an unchanged BGPPeer gives the same fingerprint from a new Config (its session stays up)', () => {
  const a = planPeers(configOf([peer('tor', { ...base, password: 'x' })]), ['tor'], V4);
  const b = planPeers(configOf([peer('tor', { ...base, password: 'x' }), peer('other', { ...base, peerAddress: '198.18.0.9' })]), ['tor', 'other'], V4);
  expect(b.sessions.get('tor')?.fingerprint).toBe(a.sessions.get('tor')?.fingerprint);
  const c = planPeers(configOf([peer('tor', { ...base, password: 'y' })]), ['tor'], V4);
  expect(c.sessions.get('tor')?.fingerprint).not.toBe(a.sessions.get('tor')?.fingerprint);
});

test.each([
  ['the flag wins', '10.9.9.9', [peer('tor', { ...base, routerID: '10.1.1.1' })], '10.9.9.9'],
  ['else the first peer with a routerID', undefined, [peer('a', { ...base }), peer('b', { ...base, peerAddress: '198.18.0.2', routerID: '10.1.1.1' })], '10.1.1.1'],
  ['else the node\'s IPv4 address', undefined, [peer('a', { ...base })], '198.18.0.11'],
])('chooseRouterId: %s', (_name, flag, peers, expected) => {
  const config = configOf(peers);
  expect(chooseRouterId(flag, config, peers.map((p) => p.name), V4)).toBe(expected);
});

test('chooseRouterId: an IPv6-only node without flag or routerID has none', () => {
  expect(chooseRouterId(undefined, configOf([peer('a', { ...base })]), ['a'], { ipv4: undefined, ipv6: '2001:db8::1' })).toBeUndefined();
});

test('defaultLocalAs: the first selected peer\'s myASN, else 64512', () => {
  const config = configOf([peer('b', { ...base, myASN: 65001, peerAddress: '198.18.0.2' }), peer('c', { ...base, myASN: 65002, peerAddress: '198.18.0.3' })]);
  expect(defaultLocalAs(config, ['c', 'b'])).toBe(65001);
  expect(defaultLocalAs(config, [])).toBe(64512);
});

test('a BFDProfile named by the peer becomes its bfd settings; a change of timers leaves the BGP fingerprint alone', () => {
  const profile = (ms: number) => ({ apiVersion: 'headland.io/v1beta1', kind: 'BFDProfile', metadata: { name: 'fast', namespace: 'headland-system' }, spec: { transmitInterval: ms, receiveInterval: ms, detectMultiplier: 3 } });
  const withBfd = (ms: number) => planPeers(configOf([peer('a', { ...base, bfdProfile: 'fast' })], [profile(ms)]), ['a'], V4).sessions.get('a')!;
  const fast = withBfd(50);
  expect(fast.config.bfd).toEqual({ transmitIntervalMs: 50, receiveIntervalMs: 50, detectMultiplier: 3, passive: false, multihop: false });
  const slow = withBfd(300);
  expect(slow.fingerprint).toBe(fast.fingerprint);
  expect(slow.bfdFingerprint).not.toBe(fast.bfdFingerprint);
  const none = planPeers(configOf([peer('a', { ...base })]), ['a'], V4).sessions.get('a')!;
  expect(none.config.bfd).toBeUndefined();
  expect(none.bfdFingerprint).toBe('');
});
