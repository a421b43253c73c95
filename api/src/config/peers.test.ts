import { formatIP } from '../ip/address.js';
import { matchesAny } from '../selector.js';
import { buildConfig } from './build.js';
import { bfd, isRejected, issuesOf, PEER_SPEC, peer, secret, snapshot } from './fixtures.js';
import { SEVERITY, type Severity } from './issues.js';
import type { SecretData } from './types.js';

const build = (spec: unknown, secrets: SecretData[] = [], namespace?: string) =>
  buildConfig(snapshot({ bgpPeers: [peer('r1', spec, namespace === undefined ? {} : { namespace })], secrets, bfdProfiles: [bfd('fast', {})] }));

describe('a peer is rejected', () => {
  test.each<[string, unknown, string, RegExp]>([
    ['myASN 0 (schema)', { ...PEER_SPEC, myASN: 0 }, 'spec.myASN', /greater than or equal to 1/],
    ['peerASN 0 (schema)', { ...PEER_SPEC, peerASN: 0 }, 'spec.peerASN', /greater than or equal to 1/],
    ['myASN past 32 bits (schema)', { ...PEER_SPEC, myASN: 4294967296 }, 'spec.myASN', /less than or equal to 4294967295/],
    ['peerASN past 32 bits (schema)', { ...PEER_SPEC, peerASN: 4294967296 }, 'spec.peerASN', /less than or equal to 4294967295/],
    ['a negative ASN (schema)', { ...PEER_SPEC, myASN: -1 }, 'spec.myASN', /greater than or equal to 1/],
    ['peerASN and dynamicASN', { ...PEER_SPEC, dynamicASN: 'external' }, 'spec.dynamicASN', /not both/],
    ['neither peerASN nor dynamicASN', { myASN: 64512, peerAddress: '198.18.0.1' }, 'spec.peerASN', /set peerASN or dynamicASN/],
    ['a bad dynamicASN (schema)', { myASN: 64512, dynamicASN: 'both', peerAddress: '198.18.0.1' }, 'spec.dynamicASN', /Unsupported value/],
    ['peerAddress not an IP', { ...PEER_SPEC, peerAddress: 'router.example' }, 'spec.peerAddress', /^ip: "router\.example" is not an IP address/],
    ['peerAddress a CIDR', { ...PEER_SPEC, peerAddress: '198.18.0.1/32' }, 'spec.peerAddress', /^ip: /],
    ['peerAddress missing (schema)', { myASN: 64512, peerASN: 64513 }, 'spec.peerAddress', /Required value/],
    ['sourceAddress not an IP', { ...PEER_SPEC, sourceAddress: '198.18.0.256' }, 'spec.sourceAddress', /^ip: /],
    ['sourceAddress of the other family', { ...PEER_SPEC, sourceAddress: '2001:db8::2' }, 'spec.sourceAddress', /is IPv6 but peerAddress 198\.18\.0\.1 is IPv4/],
    ['routerID not an IP', { ...PEER_SPEC, routerID: '1' }, 'spec.routerID', /^ip: /],
    ['routerID IPv6', { ...PEER_SPEC, routerID: '2001:db8::1' }, 'spec.routerID', /not an IPv4 address/],
    ['holdTime without a unit', { ...PEER_SPEC, holdTime: '90' }, 'spec.holdTime', /^duration: "90" is not a duration/],
    ['holdTime with a bad unit', { ...PEER_SPEC, holdTime: '90sec' }, 'spec.holdTime', /unknown unit "sec"/],
    ['holdTime negative', { ...PEER_SPEC, holdTime: '-90s' }, 'spec.holdTime', /negative/],
    ['holdTime sub-second', { ...PEER_SPEC, holdTime: '500ms' }, 'spec.holdTime', /not a whole number of seconds/],
    ['holdTime fractional seconds', { ...PEER_SPEC, holdTime: '3.5s' }, 'spec.holdTime', /not a whole number of seconds/],
    ['holdTime 1s', { ...PEER_SPEC, holdTime: '1s' }, 'spec.holdTime', /0s or at least 3s/],
    ['holdTime 2s', { ...PEER_SPEC, holdTime: '2s' }, 'spec.holdTime', /0s or at least 3s/],
    ['holdTime past 16 bits', { ...PEER_SPEC, holdTime: '65536s' }, 'spec.holdTime', /more than 65535s/],
    ['keepalive only, hold would pass 16 bits', { ...PEER_SPEC, keepaliveTime: '22000s' }, 'spec.keepaliveTime', /hold time would be 66000s/],
    ['keepalive longer than hold', { ...PEER_SPEC, holdTime: '9s', keepaliveTime: '10s' }, 'spec.keepaliveTime', /longer than the hold time \(9s\)/],
    ['keepalive 0 with hold > 0', { ...PEER_SPEC, holdTime: '9s', keepaliveTime: '0s' }, 'spec.keepaliveTime', /keepalive time of 0 needs a hold time of 0/],
    ['keepalive with hold 0', { ...PEER_SPEC, holdTime: '0s', keepaliveTime: '1s' }, 'spec.keepaliveTime', /longer than the hold time \(0s\)/],
    ['keepalive sub-second', { ...PEER_SPEC, keepaliveTime: '1500ms' }, 'spec.keepaliveTime', /not a whole number of seconds/],
    ['connectTime not a duration', { ...PEER_SPEC, connectTime: 'soon' }, 'spec.connectTime', /^duration: /],
    ['connectTime 0', { ...PEER_SPEC, connectTime: '0s' }, 'spec.connectTime', /from 1s to 65535s/],
    ['durations not strings (schema)', { ...PEER_SPEC, holdTime: 90 }, 'spec.holdTime', /must be string/],
    ['password and passwordSecret', { ...PEER_SPEC, password: 'x', passwordSecret: { name: 'md5' } }, 'spec.passwordSecret', /not both/],
    ['passwordSecret in another namespace', { ...PEER_SPEC, passwordSecret: { name: 'md5', namespace: 'default' } }, 'spec.passwordSecret.namespace', /must be in headland-system.*not in default/],
    ['ttlSecurity with ebgpMultiHop', { ...PEER_SPEC, ttlSecurity: true, ebgpMultiHop: true }, 'spec.ttlSecurity', /cannot be set with ebgpMultiHop/],
    ['a port of 0 (schema)', { ...PEER_SPEC, peerPort: 0 }, 'spec.peerPort', /greater than or equal to 1/],
    ['a node selector that does not parse', { ...PEER_SPEC, nodeSelectors: [{ matchExpressions: [{ key: 'k', operator: 'Exists', values: ['v'] }] }] }, 'spec.nodeSelectors[0].matchExpressions[0].values', /^selector: operator Exists takes no values/],
  ])('%s', (_name, spec, field, message) => {
    const config = build(spec, [secret('md5', { password: 'p' })]);
    expect(config.peers.has('r1')).toBe(false);
    expect(isRejected(config, 'BGPPeer', 'r1')).toBe(true);
    expect(issuesOf(config, 'BGPPeer', 'r1')).toContainEqual(expect.objectContaining({ field, message: expect.stringMatching(message), severity: SEVERITY.Invalid }));
  });

  test('a passwordSecret defaults to the peer namespace, which must be headland-system', () => {
    const config = build({ ...PEER_SPEC, passwordSecret: { name: 'md5' } }, [secret('md5', { password: 'p' }, 'team-a')], 'team-a');
    expect(issuesOf(config, 'BGPPeer', 'r1')).toContainEqual(expect.objectContaining({ field: 'spec.passwordSecret.namespace', message: expect.stringMatching(/not in team-a/) }));
  });
});

describe('timers', () => {
  test.each<[string, object, number, number, number]>([
    ['neither: 90/30', {}, 90, 30, 10],
    ['only hold: keepalive a third', { holdTime: '3m' }, 180, 60, 10],
    ['only hold, rounded down', { holdTime: '10s' }, 10, 3, 10],
    ['only hold 3s', { holdTime: '3s' }, 3, 1, 10],
    ['only keepalive: hold three times', { keepaliveTime: '20s' }, 60, 20, 10],
    ['only keepalive 0: hold 0', { keepaliveTime: '0s' }, 0, 0, 10],
    ['hold 0: keepalive 0', { holdTime: '0s' }, 0, 0, 10],
    ['hold "0" (Go accepts a bare zero)', { holdTime: '0' }, 0, 0, 10],
    ['both', { holdTime: '1m30s', keepaliveTime: '45s' }, 90, 45, 10],
    ['keepalive equal to hold', { holdTime: '30s', keepaliveTime: '30s' }, 30, 30, 10],
    ['compound and milliseconds that make whole seconds', { holdTime: '1m0.5s500ms' }, 61, 20, 10],
    ['hours', { holdTime: '1h' }, 3600, 1200, 10],
    ['connectTime', { connectTime: '1m' }, 90, 30, 60],
    ['largest hold', { holdTime: '65535s', keepaliveTime: '65535s' }, 65535, 65535, 10],
  ])('%s', (_name, timers, holdTime, keepaliveTime, connectTime) => {
    const config = build({ ...PEER_SPEC, ...timers });
    expect(config.issues).toEqual([]);
    const p = config.peers.get('r1');
    expect([p?.holdTime, p?.keepaliveTime, p?.connectTime]).toEqual([holdTime, keepaliveTime, connectTime]);
  });
});

describe('password', () => {
  test.each<[string, unknown, SecretData[], string | undefined]>([
    ['none', PEER_SPEC, [], undefined],
    ['inline', { ...PEER_SPEC, password: 'inline-secret' }, [], 'inline-secret'],
    ['from a Secret', { ...PEER_SPEC, passwordSecret: { name: 'md5' } }, [secret('md5', { password: 'from-secret' })], 'from-secret'],
    ['from a Secret with its namespace given', { ...PEER_SPEC, passwordSecret: { name: 'md5', namespace: 'headland-system' } }, [secret('other', { password: 'no' }), secret('md5', { password: 'yes' })], 'yes'],
  ])('%s', (_name, spec, secrets, password) => {
    const config = build(spec, secrets);
    expect(config.issues).toEqual([]);
    expect(config.peers.get('r1')?.password).toBe(password);
  });

  test.each<[string, SecretData[], RegExp]>([
    ['the Secret is missing', [], /Secret headland-system\/md5 does not exist/],
    ['the Secret is in another namespace', [secret('md5', { password: 'p' }, 'default')], /Secret headland-system\/md5 does not exist/],
    ['the Secret has no password key', [secret('md5', { passwd: 'p' })], /has no "password" key/],
  ])('held back when %s (transient)', (_name, secrets, message) => {
    const config = build({ ...PEER_SPEC, passwordSecret: { name: 'md5' } }, secrets);
    expect(config.peers.has('r1')).toBe(false);
    expect(config.rejected).toEqual([{ ref: { kind: 'BGPPeer', namespace: 'headland-system', name: 'r1' }, issues: [expect.objectContaining({ field: 'spec.passwordSecret.name', message: expect.stringMatching(message), severity: SEVERITY.MissingReference })] }]);
  });
});

describe('fields carried into the model', () => {
  test('everything set', () => {
    const config = build({
      ...PEER_SPEC,
      peerASN: undefined,
      dynamicASN: 'internal',
      peerAddress: '2001:DB8::1',
      peerPort: 1179,
      sourceAddress: '2001:db8::2',
      routerID: '198.18.0.9',
      ebgpMultiHop: true,
      passive: true,
      nodeSelectors: [{ matchLabels: { rack: 'r1' } }],
      bfdProfile: 'fast',
      enableGracefulRestart: true,
    });
    expect(config.issues).toEqual([]);
    const p = config.peers.get('r1');
    expect(p).toMatchObject({ name: 'r1', myASN: 64512, peerASN: undefined, dynamicASN: 'internal', port: 1179, ebgpMultiHop: true, ttlSecurity: false, passive: true, bfdProfile: 'fast', gracefulRestart: true });
    expect(formatIP(p!.address)).toBe('2001:db8::1');
    expect(formatIP(p!.sourceAddress!)).toBe('2001:db8::2');
    expect(formatIP(p!.routerID!)).toBe('198.18.0.9');
    expect(matchesAny(p!.nodeSelectors, { rack: 'r1' })).toBe(true);
    expect(matchesAny(p!.nodeSelectors, { rack: 'r2' })).toBe(false);
  });

  test('defaults', () => {
    const p = build(PEER_SPEC).peers.get('r1');
    expect(p).toMatchObject({ peerASN: 64513, dynamicASN: undefined, port: 179, sourceAddress: undefined, routerID: undefined, ebgpMultiHop: false, ttlSecurity: false, passive: false, bfdProfile: undefined, gracefulRestart: false, nodeSelectors: [] });
  });

  test('a missing BFD profile keeps the peer without it and reports a transient issue', () => {
    const config = build({ ...PEER_SPEC, bfdProfile: 'slow' });
    expect(config.peers.get('r1')?.bfdProfile).toBeUndefined();
    expect(config.rejected).toEqual([]);
    expect(config.issues).toEqual([expect.objectContaining({ field: 'spec.bfdProfile', message: expect.stringMatching(/BFDProfile "slow" does not exist/), severity: SEVERITY.MissingReference })]);
  });
});

describe('duplicate sessions', () => {
  test.each<[string, unknown, unknown, boolean]>([
    ['same address, port and no selectors', PEER_SPEC, PEER_SPEC, true],
    ['same address written differently', { ...PEER_SPEC, peerAddress: '2001:db8::1' }, { ...PEER_SPEC, peerAddress: '2001:DB8:0::1' }, true],
    ['same selectors in another order', { ...PEER_SPEC, nodeSelectors: [{ matchLabels: { a: '1' } }, { matchLabels: { b: '1' } }] }, { ...PEER_SPEC, nodeSelectors: [{ matchLabels: { b: '1' } }, { matchLabels: { a: '1' } }] }, true],
    ['default port and 179', PEER_SPEC, { ...PEER_SPEC, peerPort: 179 }, true],
    ['another port', PEER_SPEC, { ...PEER_SPEC, peerPort: 1179 }, false],
    ['another address', PEER_SPEC, { ...PEER_SPEC, peerAddress: '198.18.0.2' }, false],
    ['different node selectors', { ...PEER_SPEC, nodeSelectors: [{ matchLabels: { rack: 'r1' } }] }, { ...PEER_SPEC, nodeSelectors: [{ matchLabels: { rack: 'r2' } }] }, false],
  ])('%s', (_name, a, b, duplicate) => {
    const config = buildConfig(snapshot({ bgpPeers: [peer('r2', b), peer('r1', a)] }));
    expect(config.peers.has('r1')).toBe(true);
    expect(config.peers.has('r2')).toBe(!duplicate);
    const expected: Severity[] = duplicate ? [SEVERITY.Invalid] : [];
    expect(issuesOf(config, 'BGPPeer', 'r2').map((i) => i.severity)).toEqual(expected);
    if (duplicate) expect(issuesOf(config, 'BGPPeer', 'r2')[0]?.message).toMatch(/BGPPeer headland-system\/r1 already peers with/);
  });
});
