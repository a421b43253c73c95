import { parseIP, type IPAddress } from './address.js';
import { ipFromBytes, ipToBytes } from './bytes.js';

describe('ipToBytes and ipFromBytes', () => {
  test.each([
    ['192.0.2.1', [192, 0, 2, 1]],
    ['0.0.0.0', [0, 0, 0, 0]],
    ['255.255.255.255', [255, 255, 255, 255]],
    ['2001:db8::1', [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]],
    ['::ffff:192.0.2.1', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1]],
    ['::', new Array<number>(16).fill(0)],
  ])('%s <-> %j', (text, bytes) => {
    const address = parseIP(text);
    expect([...ipToBytes(address)]).toEqual(bytes);
    expect(ipFromBytes(Uint8Array.from(bytes))).toEqual(address);
  });

  test.each([[new Uint8Array(0)], [new Uint8Array(5)], [new Uint8Array(15)], [[1, 2, 3, 4]]])('rejects %p', (bytes) => {
    expect(() => ipFromBytes(bytes as Uint8Array)).toThrow(/^ip: ipFromBytes: expected 4 or 16 bytes/);
  });

  test('rejects an address out of range', () => {
    expect(() => ipToBytes({ family: 4, value: 1n << 32n })).toThrow(/^ip: ipToBytes: value .* out of range/);
    expect(() => ipToBytes({ family: 6 } as IPAddress)).toThrow(/^ip: ipToBytes: .* not a bigint/);
  });
});
