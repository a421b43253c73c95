// The BFD Control packet codec: round trips for every field and auth section, commented hex
// fixtures, and a damage table with one row per discard rule, each naming its reason.

import { hex, toHex } from '../wire/bytes.js';
import type { BfdAuthSection } from './auth-section.js';
import { controlEncodingLength, decodeControl, encodeControl, serializeControl, tryDecodeControl, type BfdControlPacket } from './codec.js';
import { BfdEncodeError, BfdWireError, BfdWireReasons, type BfdWireReason } from './errors.js';
import { bfdFuzzCorpus } from './fuzz.js';
import { bfdPacket } from './testing.js';

/** encode -> decode -> encode, at offset 0 and inside a larger buffer. */
function roundTrip(packet: BfdControlPacket): void {
  const length = controlEncodingLength(packet);
  const first = new Uint8Array(length);
  expect(encodeControl(packet, first, 0)).toBe(length);
  const [decoded, next] = decodeControl(first);
  expect(next).toBe(length);
  expect(decoded).toEqual(packet);
  expect(serializeControl(decoded)).toEqual(first);
  const big = new Uint8Array(length + 10).fill(0xa5);
  expect(encodeControl(packet, big, 7)).toBe(7 + length);
  expect(big.subarray(7, 7 + length)).toEqual(first);
  expect(big.subarray(0, 7).every((b) => b === 0xa5)).toBe(true);
  expect(big.subarray(7 + length).every((b) => b === 0xa5)).toBe(true);
  expect(decodeControl(big, 7, 7 + length)).toEqual([decoded, 7 + length]);
}

const auth = {
  password: { type: 'simple-password', keyId: 9, password: new Uint8Array(16).fill(0x61) },
  shortPassword: { type: 'simple-password', keyId: 0, password: Uint8Array.of(0x78) },
  md5: { type: 'keyed-md5', keyId: 1, sequence: 0, digest: new Uint8Array(16).fill(1) },
  meticulousMd5: { type: 'meticulous-keyed-md5', keyId: 255, sequence: 0xffffffff, digest: new Uint8Array(16).fill(2) },
  sha1: { type: 'keyed-sha1', keyId: 4, sequence: 12345, digest: new Uint8Array(20).fill(3) },
  meticulousSha1: { type: 'meticulous-keyed-sha1', keyId: 5, sequence: 1, digest: new Uint8Array(20).fill(4) },
  unknown: { type: 'unknown', code: 6, data: Uint8Array.of(0xde, 0xad) },
  unknownEmpty: { type: 'unknown', code: 0, data: new Uint8Array(0) },
} satisfies Record<string, BfdAuthSection>;

describe('round trip', () => {
  test.each<[string, BfdControlPacket]>([
    ['Down, Your Discriminator 0', bfdPacket()],
    ['AdminDown, diag 7', bfdPacket({ state: 'AdminDown', diag: 7 })],
    ['Init with Poll', bfdPacket({ state: 'Init', yourDiscriminator: 7, poll: true })],
    ['Up with Final, C and D', bfdPacket({ state: 'Up', yourDiscriminator: 7, final: true, controlPlaneIndependent: true, demand: true })],
    ['largest values', bfdPacket({ state: 'Up', diag: 31, detectMult: 255, myDiscriminator: 0xffffffff, yourDiscriminator: 0xffffffff, desiredMinTxUs: 0xffffffff, requiredMinRxUs: 0xffffffff, requiredMinEchoRxUs: 0xffffffff })],
    ['zero intervals', bfdPacket({ desiredMinTxUs: 0, requiredMinRxUs: 0, requiredMinEchoRxUs: 0 })],
    ...Object.entries(auth).map(([name, section]): [string, BfdControlPacket] => [`auth section: ${name}`, bfdPacket({ auth: section })]),
    ...bfdFuzzCorpus().map((p, i): [string, BfdControlPacket] => [`fuzz corpus ${i}`, p]),
  ])('%s', (_, packet) => roundTrip(packet));
});

describe('fixtures', () => {
  test('a plain Down packet', () => {
    const bytes = hex(`
      20        # Vers 1, Diag 0
      40        # State 1 (Down), P F C A D M clear
      03        # Detect Mult 3
      18        # Length 24
      00000001  # My Discriminator 1
      00000000  # Your Discriminator 0
      000f4240  # Desired Min TX Interval 1,000,000 us
      000493e0  # Required Min RX Interval 300,000 us
      00000000  # Required Min Echo RX Interval 0: no Echo
    `);
    const packet = bfdPacket({ myDiscriminator: 1 });
    expect(decodeControl(bytes)).toEqual([packet, 24]);
    expect(serializeControl(packet)).toEqual(bytes);
  });

  test('Up with Poll, diag 3', () => {
    const bytes = hex(`
      23        # Vers 1, Diag 3 (Neighbor Signaled Session Down)
      e0        # State 3 (Up), P set
      05        # Detect Mult 5
      18        # Length 24
      0000000a  # My Discriminator 10
      0000000b  # Your Discriminator 11
      000493e0  # Desired Min TX Interval 300,000 us
      000186a0  # Required Min RX Interval 100,000 us
      0000c350  # Required Min Echo RX Interval 50,000 us
    `);
    expect(decodeControl(bytes)[0]).toEqual(
      bfdPacket({ diag: 3, state: 'Up', poll: true, detectMult: 5, myDiscriminator: 10, yourDiscriminator: 11, desiredMinTxUs: 300_000, requiredMinRxUs: 100_000, requiredMinEchoRxUs: 50_000 }),
    );
  });

  test('Down with a Meticulous Keyed SHA1 section (the layout tcpdump prints)', () => {
    const bytes = hex(`
      20        # Vers 1, Diag 0
      44        # State 1 (Down), A set
      05        # Detect Mult 5
      34        # Length 52: 24 + 28
      00000001  # My Discriminator 1
      00000000  # Your Discriminator 0
      000f4240  # Desired Min TX Interval 1 s
      000f4240  # Required Min RX Interval 1 s
      00000000  # Required Min Echo RX Interval 0
      05        # Auth Type 5 (Meticulous Keyed SHA1)
      1c        # Auth Len 28
      02        # Auth Key ID 2
      00        # Reserved
      00000005  # Sequence Number 5
      0102030405060708090a0b0c0d0e0f1011121314  # Auth Key/Hash, 20 octets
    `);
    const [packet] = decodeControl(bytes);
    expect(packet).toEqual(
      bfdPacket({
        detectMult: 5,
        myDiscriminator: 1,
        requiredMinRxUs: 1_000_000,
        auth: { type: 'meticulous-keyed-sha1', keyId: 2, sequence: 5, digest: hex('0102030405060708090a0b0c0d0e0f1011121314') },
      }),
    );
    expect(serializeControl(packet)).toEqual(bytes);
  });

  test('a Simple Password section', () => {
    const bytes = hex(`
      20 44 03 1e  # Vers 1, Down, A set, Detect Mult 3, Length 30
      00000001 00000000 000f4240 000493e0 00000000
      01           # Auth Type 1 (Simple Password)
      06           # Auth Len 6: type, len, key id and 3 octets of password
      07           # Auth Key ID 7
      616263       # Password "abc"
    `);
    expect(decodeControl(bytes)[0].auth).toEqual({ type: 'simple-password', keyId: 7, password: hex('616263') });
  });
});

/** The base Down packet (24 octets) with octets replaced: [offset, value] pairs. */
const DOWN = serializeControl(bfdPacket({ myDiscriminator: 1 }));
function patched(base: Uint8Array, ...edits: [number, number][]): Uint8Array {
  const out = base.slice();
  for (const [at, value] of edits) out[at] = value;
  return out;
}
/** The base packet grown to `length` octets of datagram (zero filled). */
function grown(base: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  out.set(base.subarray(0, Math.min(base.length, length)));
  return out;
}
/** A Down packet with the A bit and the given auth section octets, Length filled in. */
function withAuth(section: string): Uint8Array {
  const body = hex(section);
  const out = grown(DOWN, 24 + body.length);
  out.set(body, 24);
  out[1] = 0x44;
  out[3] = out.length;
  return out;
}

function thrown(bytes: Uint8Array): BfdWireError {
  try {
    decodeControl(bytes);
  } catch (error) {
    if (error instanceof BfdWireError) return error;
    throw error;
  }
  throw new Error('no error thrown');
}

describe('damage: every discard rule names its reason', () => {
  const rows: [string, BfdWireReason, Uint8Array][] = [
    ['empty datagram', 'truncated', new Uint8Array(0)],
    ['three octets', 'truncated', DOWN.slice(0, 3)],
    ['version 0', 'version', patched(DOWN, [0, 0x00])],
    ['version 2', 'version', patched(DOWN, [0, 0x40])],
    ['version 7', 'version', patched(DOWN, [0, 0xe0])],
    ['Length 0', 'length-below-minimum', patched(DOWN, [3, 0])],
    ['Length 23', 'length-below-minimum', patched(DOWN, [3, 23])],
    ['A bit with Length 24', 'auth-section-missing', patched(DOWN, [1, 0x44])],
    ['A bit with Length 25', 'auth-section-missing', patched(grown(DOWN, 25), [1, 0x44], [3, 25])],
    ['Length 25 in a 24-octet datagram', 'length-exceeds-datagram', patched(DOWN, [3, 25])],
    ['Length 255 in a 24-octet datagram', 'length-exceeds-datagram', patched(DOWN, [3, 255])],
    ['datagram of 20 octets, Length 24', 'length-exceeds-datagram', DOWN.slice(0, 20)],
    ['Detect Mult 0', 'detect-mult-zero', patched(DOWN, [2, 0])],
    ['Multipoint bit', 'multipoint', patched(DOWN, [1, 0x41])],
    ['My Discriminator 0', 'my-discriminator-zero', patched(DOWN, [7, 0])],
    ['Your Discriminator 0 in Init', 'your-discriminator-zero', patched(DOWN, [1, 0x80])],
    ['Your Discriminator 0 in Up', 'your-discriminator-zero', patched(DOWN, [1, 0xc0])],
    ['Poll and Final together', 'poll-and-final', patched(DOWN, [1, 0x70])],
    ['Length 28 with the A bit clear', 'length-without-auth', patched(grown(DOWN, 28), [3, 28])],
    ['Auth Len 27 in a 28-octet section', 'auth-length', withAuth('05 1b 02 00 00000005 0102030405060708090a0b0c0d0e0f1011121314')],
    ['Auth Len 29 in a 28-octet section', 'auth-length', withAuth('05 1d 02 00 00000005 0102030405060708090a0b0c0d0e0f1011121314')],
    ['Auth Len 0', 'auth-length', withAuth('01 00')],
    ['simple password of 0 octets (Auth Len 3)', 'auth-type-length', withAuth('01 03 07')],
    ['simple password of 17 octets (Auth Len 20)', 'auth-type-length', withAuth(`01 14 07 ${'61'.repeat(17)}`)],
    ['Keyed MD5 with Auth Len 28', 'auth-type-length', withAuth(`02 1c 01 00 00000001 ${'00'.repeat(20)}`)],
    ['Meticulous Keyed MD5 with Auth Len 20', 'auth-type-length', withAuth(`03 14 01 00 00000001 ${'00'.repeat(12)}`)],
    ['Keyed SHA1 with Auth Len 24', 'auth-type-length', withAuth(`04 18 01 00 00000001 ${'00'.repeat(16)}`)],
  ];

  test.each(rows)('%s -> %s', (_, reason, bytes) => {
    const error = thrown(bytes);
    expect(error.reason).toBe(reason);
    expect(error.message).toMatch(/^bfd codec: /);
    expect(tryDecodeControl(bytes)).toEqual({ ok: false, error });
  });

  test('the table covers every reason', () => {
    expect(new Set(rows.map((r) => r[1]))).toEqual(new Set(BfdWireReasons));
  });
});

describe('accepted edge cases', () => {
  test('Your Discriminator 0 is fine in Down and AdminDown', () => {
    expect(decodeControl(DOWN)[0].state).toBe('Down');
    expect(decodeControl(patched(DOWN, [1, 0x00]))[0].state).toBe('AdminDown');
  });

  test('octets past Length are padding (RFC 9764) and ignored', () => {
    const [packet, next] = decodeControl(grown(DOWN, 200));
    expect(next).toBe(24);
    expect(packet).toEqual(decodeControl(DOWN)[0]);
  });

  test('reserved diagnostic codes are carried', () => {
    expect(decodeControl(patched(DOWN, [0, 0x3f]))[0].diag).toBe(31);
  });

  test('the Reserved octet of a digest section is ignored on receipt', () => {
    const [packet] = decodeControl(withAuth(`02 18 01 ff 00000009 ${'ab'.repeat(16)}`));
    expect(packet.auth).toEqual({ type: 'keyed-md5', keyId: 1, sequence: 9, digest: new Uint8Array(16).fill(0xab) });
    expect(toHex(serializeControl(packet)).slice(48, 56)).toBe('02180100');
  });

  test('unknown Auth Types are carried as octets', () => {
    expect(decodeControl(withAuth('09 04 beef'))[0].auth).toEqual({ type: 'unknown', code: 9, data: hex('beef') });
  });

  test('tryDecodeControl tags a good packet', () => {
    expect(tryDecodeControl(DOWN)).toEqual({ ok: true, packet: decodeControl(DOWN)[0] });
  });
});

describe('the encoder refuses what cannot go on the wire or would be discarded', () => {
  test.each<[string, BfdControlPacket, RegExp]>([
    ['diag 32', bfdPacket({ diag: 32 }), /diag 32/],
    ['detect mult 0', bfdPacket({ detectMult: 0 }), /Detect Mult is 0/],
    ['detect mult 256', bfdPacket({ detectMult: 256 }), /detect mult 256/],
    ['My Discriminator 0', bfdPacket({ myDiscriminator: 0 }), /My Discriminator is 0/],
    ['Your Discriminator 0 in Up', bfdPacket({ state: 'Up' }), /Your Discriminator is 0 in state Up/],
    ['Poll and Final', bfdPacket({ poll: true, final: true }), /both Poll and Final/],
    ['negative interval', bfdPacket({ desiredMinTxUs: -1 }), /32-bit range/],
    ['interval of 2^32', bfdPacket({ requiredMinRxUs: 2 ** 32 }), /32-bit range/],
    ['fractional discriminator', bfdPacket({ myDiscriminator: 1.5 }), /32-bit range/],
    ['empty password', bfdPacket({ auth: { type: 'simple-password', keyId: 1, password: new Uint8Array(0) } }), /1\.\.16/],
    ['17-octet password', bfdPacket({ auth: { type: 'simple-password', keyId: 1, password: new Uint8Array(17) } }), /1\.\.16/],
    ['SHA1 hash of 16 octets', bfdPacket({ auth: { type: 'keyed-sha1', keyId: 1, sequence: 1, digest: new Uint8Array(16) } }), /must be 20/],
    ['key id 256', bfdPacket({ auth: { type: 'keyed-md5', keyId: 256, sequence: 1, digest: new Uint8Array(16) } }), /key id 256/],
    ['unknown auth type with a known code', bfdPacket({ auth: { type: 'unknown', code: 2, data: new Uint8Array(0) } }), /free 8-bit code/],
    ['unknown auth section too long', bfdPacket({ auth: { type: 'unknown', code: 9, data: new Uint8Array(230) } }), /exceeds/],
  ])('%s', (_, packet, message) => {
    expect(() => serializeControl(packet)).toThrow(BfdEncodeError);
    expect(() => serializeControl(packet)).toThrow(message);
  });
});
