// Session settings: defaults, every refusal naming its field, and address canonical forms.

import { canonicalAddress, resolveBfdConfig, resolveBfdTimers, type BfdSessionConfigInput } from './config.js';
import { BfdConfigError } from './errors.js';

describe('resolveBfdConfig', () => {
  test('defaults: 300 ms both ways, three packets, Active, single hop', () => {
    expect(resolveBfdConfig({ localDiscriminator: 1, peerAddress: '2001:DB8::0:1' })).toEqual({
      localDiscriminator: 1,
      peerAddress: '2001:db8::1',
      localAddress: undefined,
      multihop: false,
      passive: false,
      minimumTtl: 254,
      desiredMinTxUs: 300_000,
      requiredMinRxUs: 300_000,
      detectMultiplier: 3,
    });
  });

  const base: BfdSessionConfigInput = { localDiscriminator: 1, peerAddress: '192.0.2.2' };
  test.each<[string, BfdSessionConfigInput, string]>([
    ['discriminator 0', { ...base, localDiscriminator: 0 }, 'localDiscriminator'],
    ['discriminator 2^32', { ...base, localDiscriminator: 2 ** 32 }, 'localDiscriminator'],
    ['peer no address', { ...base, peerAddress: 'router-1' }, 'peerAddress'],
    ['local no address', { ...base, localAddress: '192.0.2.256' }, 'localAddress'],
    ['desired TX below 1 ms', { ...base, desiredMinTxUs: 999 }, 'desiredMinTxUs'],
    ['required RX 0', { ...base, requiredMinRxUs: 0 }, 'requiredMinRxUs'],
    ['required RX above 32 bits', { ...base, requiredMinRxUs: 2 ** 32 }, 'requiredMinRxUs'],
    ['fractional interval', { ...base, desiredMinTxUs: 300_000.5 }, 'desiredMinTxUs'],
    ['detect mult 0', { ...base, detectMultiplier: 0 }, 'detectMultiplier'],
    ['detect mult 256', { ...base, detectMultiplier: 256 }, 'detectMultiplier'],
    ['minimum TTL 0', { ...base, minimumTtl: 0 }, 'minimumTtl'],
    ['minimum TTL 256', { ...base, minimumTtl: 256 }, 'minimumTtl'],
  ])('%s is refused, naming %s', (_, input, field) => {
    expect(() => resolveBfdConfig(input)).toThrow(BfdConfigError);
    expect(() => resolveBfdConfig(input)).toThrow(new RegExp(`^bfd config: ${field} `));
  });

  test('a partial timer change keeps the rest', () => {
    expect(resolveBfdTimers({ detectMultiplier: 5 }, { desiredMinTxUs: 100_000, requiredMinRxUs: 200_000, detectMultiplier: 3 })).toEqual({
      desiredMinTxUs: 100_000,
      requiredMinRxUs: 200_000,
      detectMultiplier: 5,
    });
  });
});

test.each<[string, string | undefined]>([
  ['192.0.2.1', '192.0.2.1'],
  ['::ffff:192.0.2.1', '192.0.2.1'],
  ['2001:0DB8:0000::0001', '2001:db8::1'],
  ['fe80::1%eth0', 'fe80::1%eth0'],
  ['fe80::1%', undefined],
  ['192.0.2.01', undefined],
  ['', undefined],
])('canonicalAddress(%s) = %s', (text, expected) => {
  expect(canonicalAddress(text)).toBe(expected);
});
