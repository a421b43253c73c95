// The signed datagram: round trips, field-by-field layout, and every kind of bad bytes refused
// with its reason (the tag is checked before the fields, so most damage reads as bad-mac).
import { describe, expect, test } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { decodeMessage, encodeMessage, encodingLength, MEMBER_STATE, MESSAGE_TYPE, type Message } from './codec.js';
import { MembershipError } from './errors.js';
import { ReplayGuard } from './replay.js';

const key = Buffer.from('0123456789abcdef0123456789abcdef');
const ping: Message = { type: MESSAGE_TYPE.Ping, timestamp: 1_700_000_000_123, nonce: 0x0102030405060708n, seq: 7, sender: 'n1', incarnation: 3, target: 'n2', updates: [] };
const withUpdates: Message = { ...ping, type: MESSAGE_TYPE.Gossip, target: '', updates: [{ name: 'n3', state: MEMBER_STATE.Dead, incarnation: 9 }, { name: 'nœud-4', state: MEMBER_STATE.Suspect, incarnation: 0 }] };

/** Signs a hand-made body the way the codec does, so a test reaches the field checks. */
const signed = (hex: string) => {
  const body = Buffer.from(hex.replace(/\s+/g, ''), 'hex');
  return Buffer.concat([body, createHmac('sha256', key).update(body).digest()]);
};

describe('membership codec', () => {
  test.each([ping, withUpdates, { ...ping, type: MESSAGE_TYPE.Ack, seq: 0xffffffff, incarnation: 0xffffffff }])('round trip %#', (message) => {
    const bytes = encodeMessage(message, key);
    expect(bytes.length).toBe(encodingLength(message));
    expect(decodeMessage(bytes, key)).toEqual(message);
    const inside = Buffer.concat([Buffer.from('xx'), bytes, Buffer.from('yy')]);
    expect(decodeMessage(inside.subarray(2, inside.length - 2), key)).toEqual(message);
  });

  test('layout of a ping, field by field', () => {
    const hex = Buffer.from(encodeMessage(ping, key)).toString('hex');
    expect(hex.slice(0, 2 * 35)).toBe(
      [
        '484c', // "HL"
        '01', // version 1
        '01', // type: ping
        '0000018bcfe5687b', // timestamp 1700000000123 ms
        '0102030405060708', // nonce
        '00000007', // seq 7
        '00000003', // sender incarnation 3
        '02', '6e31', // sender "n1"
        '02', '6e32', // target "n2"
        '00', // no updates
      ].join(''),
    );
    expect(hex.length).toBe(2 * (35 + 32)); // then the 32-byte HMAC-SHA256
  });

  const header = '484c 01 04 0000018bcfe5687b 0102030405060708 00000000 00000000';
  test.each([
    { name: 'empty', bytes: Buffer.alloc(0), reason: 'malformed' },
    { name: 'shorter than any message', bytes: Buffer.alloc(40), reason: 'malformed' },
    { name: 'no magic', bytes: Buffer.concat([Buffer.from('XX'), Buffer.from(encodeMessage(ping, key)).subarray(2)]), reason: 'malformed' },
    { name: 'another version', bytes: Buffer.from(encodeMessage(ping, key)).fill(2, 2, 3), reason: 'bad-version' },
    { name: 'wrong key', bytes: encodeMessage(ping, Buffer.from('another key, 16+ bytes long')), reason: 'bad-mac' },
    { name: 'one bit flipped', bytes: Buffer.from(encodeMessage(ping, key)).fill(0x6f, 29, 30), reason: 'bad-mac' },
    { name: 'tag cut short', bytes: Buffer.from(encodeMessage(ping, key)).subarray(0, 64), reason: 'bad-mac' },
    { name: 'signed, unknown type', bytes: signed(header.replace(' 04 ', ' 09 ') + '02 6e31 00 00'), reason: 'malformed' },
    { name: 'signed, empty sender', bytes: signed(header + '00 00 00'), reason: 'malformed' },
    { name: 'signed, sender runs past the end', bytes: signed(header + '09 6e31'), reason: 'malformed' },
    { name: 'signed, no update count', bytes: signed(header + '02 6e31 00'), reason: 'malformed' },
    { name: 'signed, update cut short', bytes: signed(header + '02 6e31 00 01 02 0000'), reason: 'malformed' },
    { name: 'signed, update state 3', bytes: signed(header + '02 6e31 00 01 03 00000001 02 6e33'), reason: 'malformed' },
    { name: 'signed, bytes after the updates', bytes: signed(header + '02 6e31 00 00 ff'), reason: 'malformed' },
  ])('refuses: $name ($reason)', ({ bytes, reason }) => {
    expect(() => decodeMessage(bytes, key)).toThrow(expect.objectContaining({ name: 'MembershipWireError', reason }));
    expect(() => decodeMessage(bytes, key)).toThrow(/^membership: /);
  });

  test.each([
    { name: 'a short key', run: () => encodeMessage(ping, Buffer.from('short')), message: /key must be at least 16 bytes/ },
    { name: 'an empty sender', run: () => encodeMessage({ ...ping, sender: '' }, key), message: /sender name is empty/ },
    { name: 'a 254-byte name', run: () => encodeMessage({ ...ping, target: 'x'.repeat(254) }, key), message: /target name is 254 bytes/ },
    { name: '256 updates', run: () => encodeMessage({ ...ping, updates: Array.from({ length: 256 }, () => ({ name: 'a', state: 0 as const, incarnation: 0 })) }, key), message: /256 updates/ },
    { name: 'a short key to decode with', run: () => decodeMessage(encodeMessage(ping, key), Buffer.alloc(8)), message: /key must be at least 16 bytes \(got 8\)/ },
  ])('local errors: $name', ({ run, message }) => {
    expect(run).toThrow(MembershipError);
    expect(run).toThrow(message);
  });
});

describe('replay guard', () => {
  test('a message is accepted once, and only within the window', () => {
    const guard = new ReplayGuard(1000);
    expect(guard.check('n1', 1n, 5000, 5000)).toBeUndefined();
    expect(guard.check('n1', 1n, 5000, 5100)).toBe('replayed');
    expect(guard.check('n2', 1n, 5000, 5100)).toBeUndefined();
    expect(guard.check('n1', 2n, 3999, 5000)).toBe('stale');
    expect(guard.check('n1', 3n, 6001, 5000)).toBe('stale');
    // Remembered nonces are forgotten once their timestamps are out of the window anyway.
    expect(guard.check('n1', 4n, 7000, 7000)).toBeUndefined();
    expect(guard.size).toBe(1);
  });
});
