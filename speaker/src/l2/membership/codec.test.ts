// The signed datagram: round trips, field-by-field layout, and every kind of bad bytes refused
// with its reason (the tag is checked before the fields, so most damage reads as bad-mac).
import { describe, expect, test } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { decodeMessage, encodeMessage, encodingLength, MEMBER_STATE, MESSAGE_TYPE, type Message } from './codec.js';
import { MembershipError } from './errors.js';
import { ReplayGuard } from './replay.js';

const key = Buffer.from('0123456789abcdef0123456789abcdef');
const ping: Message = { type: MESSAGE_TYPE.Ping, timestamp: 1_700_000_000_123, nonce: 0x0102030405060708n, seq: 7, sender: 'n1', incarnation: 3, target: 'n2', interfaces: [], updates: [] };
const withUpdates: Message = { ...ping, type: MESSAGE_TYPE.Gossip, target: '', interfaces: ['bond0.100', 'eth1'], updates: [{ name: 'n3', state: MEMBER_STATE.Dead, incarnation: 9 }, { name: 'nœud-4', state: MEMBER_STATE.Suspect, incarnation: 0 }] };

/** Signs a hand-made body the way the codec does, so a test reaches the field checks. */
const signed = (hex: string) => {
  const body = Buffer.from(hex.replace(/\s+/g, ''), 'hex');
  return Buffer.concat([body, createHmac('sha256', key).update(body).digest()]);
};

describe('membership codec', () => {
  const most: Message = { ...ping, interfaces: Array.from({ length: 64 }, (_, i) => `if${String(i).padStart(2, '0')}-${'x'.repeat(10)}`) };
  test.each([ping, withUpdates, most, { ...ping, interfaces: ['é'], type: MESSAGE_TYPE.Ack, seq: 0xffffffff, incarnation: 0xffffffff }])('round trip %#', (message) => {
    const bytes = encodeMessage(message, key);
    expect(bytes.length).toBe(encodingLength(message));
    expect(decodeMessage(bytes, key)).toEqual(message);
    const inside = Buffer.concat([Buffer.from('xx'), bytes, Buffer.from('yy')]);
    expect(decodeMessage(inside.subarray(2, inside.length - 2), key)).toEqual(message);
    expect(encodeMessage(decodeMessage(bytes, key), key)).toEqual(bytes);
  });

  test('the interfaces cost 1 byte plus 1 + length per name', () => {
    expect(encodingLength({ ...ping, interfaces: ['eth1'] }) - encodingLength(ping)).toBe(5);
    expect(encodingLength({ ...ping, interfaces: ['bond0', 'eth1'] }) - encodingLength(ping)).toBe(11);
  });

  test('a message cut at any byte is refused, even when signed again after the cut', () => {
    const bytes = Buffer.from(encodeMessage(withUpdates, key));
    const body = bytes.subarray(0, bytes.length - 32);
    for (let cut = 0; cut < bytes.length; cut++) {
      expect(() => decodeMessage(bytes.subarray(0, cut), key)).toThrow(expect.objectContaining({ name: 'MembershipWireError' }));
      if (cut < body.length) expect(() => decodeMessage(signed(body.subarray(0, cut).toString('hex')), key)).toThrow(expect.objectContaining({ name: 'MembershipWireError', reason: 'malformed' }));
    }
  });

  test('the HMAC covers the interfaces: changing one byte of a name is bad-mac', () => {
    const bytes = Buffer.from(encodeMessage(withUpdates, key));
    // After the 28-byte header, sender "n1" (3 bytes) and an empty target (1): count, then "bond0.100".
    const at = 28 + 3 + 1;
    expect(bytes.readUInt8(at)).toBe(2);
    expect(bytes.toString('utf8', at + 2, at + 11)).toBe('bond0.100');
    bytes[at + 2] = 'c'.charCodeAt(0);
    expect(() => decodeMessage(bytes, key)).toThrow(expect.objectContaining({ reason: 'bad-mac' }));
  });

  test('layout of a ping, field by field', () => {
    const hex = Buffer.from(encodeMessage(ping, key)).toString('hex');
    expect(hex.slice(0, 2 * 36)).toBe(
      [
        '484c', // "HL"
        '02', // version 2
        '01', // type: ping
        '0000018bcfe5687b', // timestamp 1700000000123 ms
        '0102030405060708', // nonce
        '00000007', // seq 7
        '00000003', // sender incarnation 3
        '02', '6e31', // sender "n1"
        '02', '6e32', // target "n2"
        '00', // no interfaces
        '00', // no updates
      ].join(''),
    );
    expect(hex.length).toBe(2 * (36 + 32)); // then the 32-byte HMAC-SHA256
  });

  test('layout of the interfaces, field by field', () => {
    const hex = Buffer.from(encodeMessage({ ...ping, interfaces: ['eth1', 'eth2'] }, key)).toString('hex');
    expect(hex.slice(2 * 34, 2 * 46)).toBe(
      [
        '02', // two interfaces
        '04', '65746831', // "eth1"
        '04', '65746832', // "eth2"
        '00', // no updates
      ].join(''),
    );
  });

  const header = '484c 02 04 0000018bcfe5687b 0102030405060708 00000000 00000000';
  const sender = '02 6e31 00'; // "n1", no target
  test.each([
    { name: 'empty', bytes: Buffer.alloc(0), reason: 'malformed' },
    { name: 'shorter than any message', bytes: Buffer.alloc(40), reason: 'malformed' },
    { name: 'no magic', bytes: Buffer.concat([Buffer.from('XX'), Buffer.from(encodeMessage(ping, key)).subarray(2)]), reason: 'malformed' },
    { name: 'another version', bytes: Buffer.from(encodeMessage(ping, key)).fill(3, 2, 3), reason: 'bad-version' },
    { name: 'version 1 (no interfaces field)', bytes: Buffer.from(encodeMessage(ping, key)).fill(1, 2, 3), reason: 'bad-version' },
    { name: 'wrong key', bytes: encodeMessage(ping, Buffer.from('another key, 16+ bytes long')), reason: 'bad-mac' },
    { name: 'one bit flipped', bytes: Buffer.from(encodeMessage(ping, key)).fill(0x6f, 29, 30), reason: 'bad-mac' },
    { name: 'tag cut short', bytes: Buffer.from(encodeMessage(ping, key)).subarray(0, 64), reason: 'bad-mac' },
    { name: 'signed, unknown type', bytes: signed(header.replace(' 04 ', ' 09 ') + sender + '00 00'), reason: 'malformed', message: /message type 9/ },
    { name: 'signed, empty sender', bytes: signed(header + '00 00 00 00'), reason: 'malformed', message: /empty sender/ },
    { name: 'signed, sender runs past the end', bytes: signed(header + '09 6e31 00 00'), reason: 'malformed', message: /sender name runs past the end/ },
    { name: 'signed, no interface count', bytes: signed(header + sender), reason: 'malformed', message: /no interface count/ },
    { name: 'signed, no update count', bytes: signed(header + sender + '00'), reason: 'malformed', message: /no update count/ },
    { name: 'signed, 65 interfaces', bytes: signed(header + sender + '41' + Array.from({ length: 65 }, (_, i) => '02 65' + (0x30 + i).toString(16)).join('') + '00'), reason: 'malformed', message: /65 interfaces, more than 64/ },
    { name: 'signed, an empty interface name', bytes: signed(header + sender + '01 00 00'), reason: 'malformed', message: /interface 0 has an empty name/ },
    { name: 'signed, a 16-byte interface name', bytes: signed(header + sender + '01 10' + '61'.repeat(16) + '00'), reason: 'malformed', message: /interface 0 name is 16 bytes, more than 15/ },
    { name: 'signed, an interface name runs past the end', bytes: signed(header + sender + '01 05 657468'), reason: 'malformed', message: /interface 0 name runs past the end/ },
    { name: 'signed, fewer interfaces than counted', bytes: signed(header + sender + '02 04 65746831'), reason: 'malformed', message: /no interface 1 name/ },
    { name: 'signed, interfaces out of order', bytes: signed(header + sender + '02 04 65746832 04 65746831 00'), reason: 'malformed', message: /interface 1 "eth1" is not after "eth2"/ },
    { name: 'signed, the same interface twice', bytes: signed(header + sender + '02 04 65746831 04 65746831 00'), reason: 'malformed', message: /interface 1 "eth1" is not after "eth1"/ },
    { name: 'signed, update cut short', bytes: signed(header + sender + '00 01 02 0000'), reason: 'malformed', message: /update 0 is cut short/ },
    { name: 'signed, update state 3', bytes: signed(header + sender + '00 01 03 00000001 02 6e33'), reason: 'malformed', message: /update 0 has state 3/ },
    { name: 'signed, bytes after the updates', bytes: signed(header + sender + '00 00 ff'), reason: 'malformed', message: /1 bytes after the updates/ },
  ])('refuses: $name ($reason)', ({ bytes, reason, message }) => {
    expect(() => decodeMessage(bytes, key)).toThrow(expect.objectContaining({ name: 'MembershipWireError', reason }));
    expect(() => decodeMessage(bytes, key)).toThrow(/^membership: /);
    if (message !== undefined) expect(() => decodeMessage(bytes, key)).toThrow(message);
  });

  test.each([
    { name: 'a short key', run: () => encodeMessage(ping, Buffer.from('short')), message: /key must be at least 16 bytes/ },
    { name: 'an empty sender', run: () => encodeMessage({ ...ping, sender: '' }, key), message: /sender name is empty/ },
    { name: 'a 254-byte name', run: () => encodeMessage({ ...ping, target: 'x'.repeat(254) }, key), message: /target name is 254 bytes/ },
    { name: '65 interfaces', run: () => encodeMessage({ ...ping, interfaces: Array.from({ length: 65 }, (_, i) => `e${String(i).padStart(2, '0')}`) }, key), message: /65 interfaces, more than 64/ },
    { name: 'an empty interface name', run: () => encodeMessage({ ...ping, interfaces: [''] }, key), message: /interface 0 has an empty name/ },
    { name: 'a 16-byte interface name', run: () => encodeMessage({ ...ping, interfaces: ['eth0', 'x'.repeat(16)] }, key), message: /interface 1 name is 16 bytes, more than 15/ },
    { name: 'unsorted interfaces', run: () => encodeMessage({ ...ping, interfaces: ['eth2', 'eth1'] }, key), message: /interface 1 "eth1" is not after "eth2"/ },
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
