import { BgpConfigError } from '../fsm/config.js';
import { bfdSettingsProblem, peerBfdSettings, socketSecurity, socketSecurityProblem } from './peer-config.js';

const address = '198.18.0.2';

describe('socketSecurity: what a peer asks of its sockets', () => {
  test.each([
    ['nothing: plain Node sockets', {}, undefined],
    ['a password', { password: 'swordfish' }, { password: 'swordfish' }],
    ['eBGP multihop TTL', { ttl: 3 }, { ttl: 3 }],
    ['GTSM, directly connected', { gtsm: true }, { ttl: 255, minTtl: 255 }],
    ['GTSM, 3 hops away', { gtsm: true, gtsmHops: 3 }, { ttl: 255, minTtl: 253 }],
    ['GTSM off', { gtsm: false }, undefined],
    ['password and GTSM', { password: 'k', gtsm: true }, { password: 'k', ttl: 255, minTtl: 255 }],
    ['an 80-byte password', { password: 'p'.repeat(80) }, { password: 'p'.repeat(80) }],
  ])('%s', (_name, peer, expected) => expect(socketSecurity({ address, ...peer })).toEqual(expected));

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['empty password', { password: '' }, /password must be a non-empty string/],
    ['password not text', { password: 42 }, /password must be a non-empty string/],
    ['81-byte password', { password: 'p'.repeat(81) }, /password is 81 bytes; TCP MD5 keys hold at most 80/],
    ['ttl 0', { ttl: 0 }, /ttl 0 is not 1..255/],
    ['ttl 256', { ttl: 256 }, /ttl 256 is not 1..255/],
    ['ttl as text', { ttl: '2' }, /ttl 2 is not 1..255/],
    ['gtsm as text', { gtsm: 'yes' }, /gtsm must be true or false/],
    ['gtsmHops 0', { gtsm: true, gtsmHops: 0 }, /gtsmHops 0 is not 1..254/],
    ['gtsmHops 255', { gtsm: true, gtsmHops: 255 }, /gtsmHops 255 is not 1..254/],
    ['gtsmHops without gtsm', { gtsmHops: 2 }, /gtsmHops needs gtsm: true/],
    ['ttl with gtsm', { gtsm: true, ttl: 5 }, /ttl and gtsm exclude each other/],
  ])('%s is refused, naming the peer', (_name, peer, message) => {
    const run = () => socketSecurity({ address, ...(peer as object) });
    expect(run).toThrow(BgpConfigError);
    expect(run).toThrow(new RegExp(`^peer-config: peer ${address}: ${message.source}`));
    expect(socketSecurityProblem(peer)).toMatch(message);
  });
});

describe('peerBfdSettings: a peer\'s BFD with defaults, hop mode from the BGP session\'s reach', () => {
  const us = (ms: number) => ms * 1000;
  const base = { desiredMinTxUs: us(300), requiredMinRxUs: us(300), detectMultiplier: 3, passive: false, multihop: false, minimumTtl: undefined };
  test.each<[string, Record<string, unknown>, object | undefined]>([
    ['no bfd: none', {}, undefined],
    ['bfd: {} is on with 300 ms x 3, active, single hop', { bfd: {} }, base],
    ['timers in milliseconds', { bfd: { transmitIntervalMs: 50, receiveIntervalMs: 100, detectMultiplier: 5, passive: true } }, { ...base, desiredMinTxUs: us(50), requiredMinRxUs: us(100), detectMultiplier: 5, passive: true }],
    ['eBGP multihop ttl 3: multihop, minimum TTL 253 (two routers between)', { ttl: 3, bfd: {} }, { ...base, multihop: true, minimumTtl: 253 }],
    ['ttl 1 (directly connected): single hop', { ttl: 1, bfd: {} }, base],
    ['GTSM 2 hops: multihop, minimum TTL 254', { gtsm: true, gtsmHops: 2, bfd: {} }, { ...base, multihop: true, minimumTtl: 254 }],
    ['GTSM 1 hop: single hop', { gtsm: true, bfd: {} }, base],
    ['multihop asked for without ttl: minimum TTL 254', { bfd: { multihop: true } }, { ...base, multihop: true, minimumTtl: 254 }],
    ['ttl 3 but single hop asked for', { ttl: 3, bfd: { multihop: false } }, base],
    ['a minimum TTL alone means multihop', { bfd: { minimumTtl: 250 } }, { ...base, multihop: true, minimumTtl: 250 }],
    ['a minimum TTL overrides the one from ttl', { ttl: 3, bfd: { minimumTtl: 240 } }, { ...base, multihop: true, minimumTtl: 240 }],
  ])('%s', (_name, peer, expected) => expect(peerBfdSettings({ address, ...peer })).toEqual(expected));

  test.each<[string, unknown, RegExp]>([
    ['not an object', true, /bfd must be an object/],
    ['transmit below 10 ms', { transmitIntervalMs: 9 }, /bfd\.transmitIntervalMs 9 is not a whole number of milliseconds in 10\.\.60000/],
    ['receive above 60 s', { receiveIntervalMs: 60_001 }, /bfd\.receiveIntervalMs 60001 is not/],
    ['fractional interval', { transmitIntervalMs: 50.5 }, /bfd\.transmitIntervalMs 50\.5 is not/],
    ['detect multiplier 0', { detectMultiplier: 0 }, /bfd\.detectMultiplier 0 is not 1\.\.255/],
    ['passive as text', { passive: 'yes' }, /bfd\.passive must be true or false/],
    ['multihop as text', { multihop: 1 }, /bfd\.multihop must be true or false/],
    ['minimum TTL 0', { minimumTtl: 0 }, /bfd\.minimumTtl 0 is not 1\.\.255/],
    ['minimum TTL on single hop', { minimumTtl: 250, multihop: false }, /bfd\.minimumTtl applies to multihop sessions only/],
  ])('%s is refused, naming the peer and field', (_name, bfd, message) => {
    const run = () => peerBfdSettings({ address, bfd: bfd as never });
    expect(run).toThrow(BgpConfigError);
    expect(run).toThrow(new RegExp(`^peer-config: peer ${address}: ${message.source}`));
    expect(bfdSettingsProblem({ bfd: bfd as never })).toMatch(message);
  });
});
