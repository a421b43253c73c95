import { AS_TRANS, OpenSubcode, BgpWireError, type OpenMessage } from '../wire/index.js';
import { resolveSessionConfig, type SessionConfigInput } from './config.js';
import { buildOpen, checkOpen, keepaliveFor } from './open-check.js';
import { resolveCollision } from './collision.js';
import { retryDelay } from './backoff.js';
import { BgpConfigError } from './config.js';

const local = { localAs: 64512, routerId: '198.18.0.1', peerAs: 64513 } as const;
const peerOpen = (input: Partial<SessionConfigInput> = {}): OpenMessage =>
  buildOpen(resolveSessionConfig({ localAs: 64513, routerId: '198.18.0.2', peerAs: 64512, ...input }));

describe('checkOpen', () => {
  test.each<[string, Partial<SessionConfigInput>, Partial<SessionConfigInput>, number]>([
    ['peer AS other than configured', {}, { localAs: 64999 }, OpenSubcode.badPeerAs],
    ['dynamic "internal" given an external peer', { peerAs: 'internal' }, {}, OpenSubcode.badPeerAs],
    ['dynamic "external" given an internal peer', { peerAs: 'external' }, { localAs: 64512 }, OpenSubcode.badPeerAs],
    ['internal peer with our router id', { peerAs: 64512 }, { localAs: 64512, routerId: '198.18.0.1' }, OpenSubcode.badBgpIdentifier],
  ])('%s is refused', (_name, ours, theirs, subcode) => {
    const cfg = resolveSessionConfig({ ...local, ...ours });
    const open = peerOpen({ peerAs: 'external', ...theirs });
    expect(() => checkOpen(open, cfg)).toThrow(BgpWireError);
    try {
      checkOpen(open, cfg);
    } catch (error) {
      expect((error as BgpWireError).subcode).toBe(subcode);
      expect((error as BgpWireError).message).toMatch(/^(validate-open|open-check): /);
    }
  });

  test.each<[string, Partial<OpenMessage>, number]>([
    ['hold time 1', { holdTime: 1 }, OpenSubcode.unacceptableHoldTime],
    ['hold time 2', { holdTime: 2 }, OpenSubcode.unacceptableHoldTime],
    ['identifier 0.0.0.0', { identifier: '0.0.0.0' }, OpenSubcode.badBgpIdentifier],
  ])('an OPEN with %s is refused', (_name, patch, subcode) => {
    const cfg = resolveSessionConfig(local);
    expect(() => checkOpen({ ...peerOpen(), ...patch }, cfg)).toThrow(expect.objectContaining({ subcode }));
  });

  test.each<[string, Partial<SessionConfigInput>, Partial<SessionConfigInput>, object]>([
    ['eBGP, smaller hold time wins', { holdTime: 90 }, { holdTime: 9 }, { peerAs: 64513, external: true, holdTime: 9, keepaliveTime: 3 }],
    ['hold 0 on one side turns timers off', { holdTime: 90 }, { holdTime: 0 }, { holdTime: 0, keepaliveTime: 0 }],
    ['dynamic internal', { peerAs: 'internal' }, { localAs: 64512 }, { peerAs: 64512, external: false }],
    ['dynamic external, 4-octet AS', { peerAs: 'external' }, { localAs: 4200000000 }, { peerAs: 4200000000, external: true }],
    ['families intersect', { families: ['ipv4', 'ipv6'] }, { families: ['ipv6'] }, { families: ['ipv6'] }],
    ['graceful restart seen', {}, { gracefulRestart: { restartTime: 120, forwardingPreserved: true } }, { peerGracefulRestart: expect.objectContaining({ restartTime: 120 }) }],
  ])('%s', (_name, ours, theirs, expected) => {
    const cfg = resolveSessionConfig({ ...local, ...ours });
    expect(checkOpen(peerOpen(theirs), cfg)).toMatchObject(expected);
  });

  test('a peer without multiprotocol capabilities speaks IPv4 unicast only', () => {
    const open = { ...peerOpen(), capabilities: [] };
    expect(checkOpen(open, resolveSessionConfig({ ...local, families: ['ipv4', 'ipv6'] })).families).toEqual(['ipv4']);
  });

  test('keepalive is the configured value, at most a third of the hold time', () => {
    expect([keepaliveFor(90, undefined), keepaliveFor(90, 10), keepaliveFor(9, 10), keepaliveFor(0, 10), keepaliveFor(3, undefined)]).toEqual([30, 10, 3, 0, 1]);
  });
});

describe('buildOpen', () => {
  test('a 4-octet local AS goes in the capability, AS_TRANS in My AS; GR and families advertised', () => {
    const open = buildOpen(resolveSessionConfig({ ...local, localAs: 4200000001, families: ['ipv4', 'ipv6'], gracefulRestart: { restartTime: 60, forwardingPreserved: true } }));
    expect(open.myAs).toBe(AS_TRANS);
    expect(open.capabilities).toEqual(
      expect.arrayContaining([
        { type: 'four-octet-as', asn: 4200000001 },
        { type: 'multiprotocol', afi: 2, safi: 1 },
        expect.objectContaining({ type: 'graceful-restart', restartTime: 60, families: [expect.objectContaining({ afi: 1, forwardingPreserved: true }), expect.objectContaining({ afi: 2 })] }),
      ]),
    );
  });
});

describe('resolveCollision (RFC 4271 §6.8)', () => {
  test.each([
    ['198.18.0.2', '198.18.0.1', 'outgoing'],
    ['198.18.0.1', '198.18.0.2', 'incoming'],
    ['10.0.0.1', '9.255.255.255', 'outgoing'],
    ['128.0.0.0', '127.255.255.255', 'outgoing'], // compared unsigned, not as signed 32-bit
    ['1.2.3.4', '255.255.255.255', 'incoming'],
  ])('local %s, remote %s: keep %s', (localId, remoteId, winner) => {
    expect(resolveCollision(localId, remoteId)).toBe(winner);
  });

  test('a bad identifier is a typed error', () => {
    expect(() => resolveCollision('1.2.3', '1.2.3.4')).toThrow(/^collision: local BGP identifier "1.2.3"/);
  });
});

describe('retryDelay', () => {
  const cfg = { initial: 5, max: 60, jitter: 0.5 };
  test.each([
    [0, 0, 5],
    [1, 0, 10],
    [4, 0, 60],
    [40, 0, 60],
    [0, 0.999999, 5 * (1 - 0.5 * 0.999999)],
    [2, 0.5, 20 * 0.75],
    [-3, 0, 5],
    [0, Number.NaN, 5],
  ])('attempt %d with draw %d waits %d s', (attempt, draw, expected) => {
    expect(retryDelay(attempt, cfg, () => draw)).toBeCloseTo(expected, 6);
  });
});

describe('resolveSessionConfig', () => {
  test.each<[string, Record<string, unknown>, RegExp]>([
    ['AS 0', { localAs: 0 }, /^config: localAs/],
    ['AS too large', { localAs: 2 ** 32 }, /^config: localAs/],
    ['router id not a quad', { routerId: 'r1' }, /^config: routerId/],
    ['router id zero', { routerId: '0.0.0.0' }, /^config: routerId/],
    ['peer AS text', { peerAs: 'any' }, /^config: peerAs/],
    ['hold time 2', { holdTime: 2 }, /^config: holdTime/],
    ['hold time fractional', { holdTime: 3.5 }, /^config: holdTime/],
    ['keepalive 0', { keepaliveTime: 0 }, /^config: keepaliveTime/],
    ['no families', { families: [] }, /^config: families/],
    ['unknown family', { families: ['vpnv4'] }, /^config: families/],
    ['retry max below initial', { connectRetry: { initial: 10, max: 5, jitter: 0 } }, /^config: connectRetry/],
    ['jitter above 1', { connectRetry: { initial: 1, max: 5, jitter: 2 } }, /^config: connectRetry.jitter/],
    ['restart time 4096', { gracefulRestart: { restartTime: 4096, forwardingPreserved: true } }, /^config: gracefulRestart.restartTime/],
    ['forwarding not boolean', { gracefulRestart: { restartTime: 1, forwardingPreserved: 'yes' } }, /^config: gracefulRestart.forwardingPreserved/],
  ])('%s', (_name, patch, message) => {
    const input = { ...local, ...patch } as unknown as SessionConfigInput;
    expect(() => resolveSessionConfig(input)).toThrow(BgpConfigError);
    expect(() => resolveSessionConfig(input)).toThrow(message);
  });

  test('defaults', () => {
    expect(resolveSessionConfig(local)).toMatchObject({ holdTime: 90, keepaliveTime: undefined, families: ['ipv4'], passive: false, extendedMessage: true, gracefulRestart: undefined });
  });
});
