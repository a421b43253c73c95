// The signed datagram: round trips, field-by-field layout, and every kind of bad bytes refused
// with its reason (the tag is checked before the fields, so most damage reads as bad-mac).
import { describe, expect, test } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { boundDataPlane, decodeMessage, encodeMessage, encodingLength, MAX_NOT_SERVING, MAX_NOT_SERVING_BYTES, MEMBER_STATE, MESSAGE_TYPE, wireVersionOf, type Message } from './codec.js';
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
  const serving: Message = { ...withUpdates, dataPlane: { proxyServing: true, notServing: [], overflow: false } };
  const failing: Message = { ...ping, dataPlane: { proxyServing: false, notServing: ['default/web', 'shop/cart'], overflow: false } };
  const overflowing: Message = { ...ping, dataPlane: { proxyServing: true, notServing: [], overflow: true } };
  /** The longest list that fits: 32 keys, 16 bytes each on the wire = exactly 512. */
  const fullList: Message = { ...ping, dataPlane: { proxyServing: false, notServing: Array.from({ length: MAX_NOT_SERVING }, (_, i) => `ns/svc-${String(i).padStart(8, '0')}`), overflow: false } };
  test.each([ping, withUpdates, most, { ...ping, interfaces: ['é'], type: MESSAGE_TYPE.Ack, seq: 0xffffffff, incarnation: 0xffffffff }, serving, failing, overflowing, fullList])('round trip %#', (message) => {
    const bytes = encodeMessage(message, key);
    expect(bytes.length).toBe(encodingLength(message));
    expect(decodeMessage(bytes, key)).toEqual(message);
    const inside = Buffer.concat([Buffer.from('xx'), bytes, Buffer.from('yy')]);
    expect(decodeMessage(inside.subarray(2, inside.length - 2), key)).toEqual(message);
    expect(encodeMessage(decodeMessage(bytes, key), key)).toEqual(bytes);
  });

  test('the longest list fits the byte budget exactly', () => {
    expect(fullList.dataPlane?.notServing.reduce((n, k) => n + 1 + k.length, 0)).toBe(MAX_NOT_SERVING_BYTES);
    // With 12-byte node names, the whole datagram stays far below 1,232 bytes (never fragmented).
    const k8s: Message = { ...fullList, sender: 'k8s-node-042', target: 'k8s-node-043', interfaces: ['bond0.100', 'eth1'], updates: Array.from({ length: 8 }, (_, i) => ({ name: `k8s-node-${100 + i}`, state: MEMBER_STATE.Suspect, incarnation: 1 })) };
    expect(encodingLength(k8s)).toBe(28 + 26 + (1 + 10 + 5) + 2 + 512 + 1 + 8 * 18 + 32);
    expect(encodingLength(k8s)).toBeLessThan(1_232);
  });

  test('the data plane costs 2 bytes plus 1 + length per key', () => {
    expect(encodingLength(failing) - encodingLength(ping)).toBe(1 + 11 + (1 + 9));
    expect(encodingLength(overflowing)).toBe(encodingLength(ping));
  });

  test.each<{ name: string; notServing: string[]; overflow: boolean; sent: string[] | 'overflow' }>([
    { name: 'a short list is sent sorted, without duplicates', notServing: ['b/x', 'a/y', 'b/x'], overflow: false, sent: ['a/y', 'b/x'] },
    { name: '32 keys fit', notServing: Array.from({ length: 32 }, (_, i) => `n/s${i}`), overflow: false, sent: Array.from({ length: 32 }, (_, i) => `n/s${i}`).sort() },
    { name: '33 keys are overflow', notServing: Array.from({ length: 33 }, (_, i) => `n/s${i}`), overflow: false, sent: 'overflow' },
    { name: '5 keys of 127 bytes are over 512 bytes: overflow', notServing: Array.from({ length: 5 }, (_, i) => `${'n'.repeat(63)}/${String(i).repeat(63)}`), overflow: false, sent: 'overflow' },
    { name: 'overflow asked for lists nothing', notServing: ['a/b'], overflow: true, sent: 'overflow' },
  ])('bounds: $name', ({ notServing, overflow, sent }) => {
    const bounded = boundDataPlane({ proxyServing: true, notServing, overflow });
    if (sent === 'overflow') expect(bounded).toEqual({ proxyServing: true, notServing: [], overflow: true });
    else expect(bounded).toEqual({ proxyServing: true, notServing: sent, overflow: false });
    expect(decodeMessage(encodeMessage({ ...ping, dataPlane: bounded }, key), key).dataPlane).toEqual(bounded);
  });

  test('a version 2 datagram is read, its data plane unknown; version 2 is still sent on request', () => {
    const v2 = encodeMessage(failing, key, 2);
    expect(v2.length).toBe(encodingLength(failing, 2));
    expect(v2.length).toBe(encodingLength(ping) - 2);
    expect(Buffer.from(v2).readUInt8(2)).toBe(2);
    expect(wireVersionOf(v2)).toBe(2);
    const decoded = decodeMessage(v2, key);
    expect(decoded.dataPlane).toBeUndefined();
    expect(decoded).toEqual(ping);
    expect(wireVersionOf(encodeMessage(failing, key))).toBe(3);
  });

  test('the interfaces cost 1 byte plus 1 + length per name', () => {
    expect(encodingLength({ ...ping, interfaces: ['eth1'] }) - encodingLength(ping)).toBe(5);
    expect(encodingLength({ ...ping, interfaces: ['bond0', 'eth1'] }) - encodingLength(ping)).toBe(11);
  });

  test.each([withUpdates, failing])('a message cut at any byte is refused, even when signed again after the cut (%#)', (message) => {
    const bytes = Buffer.from(encodeMessage(message, key));
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

  test('the HMAC covers the data plane: changing one byte of a key is bad-mac', () => {
    const bytes = Buffer.from(encodeMessage(failing, key));
    // After the header, "n1", "n2" and no interfaces: flags, count, then "default/web".
    const at = 28 + 3 + 3 + 1;
    expect(bytes.toString('utf8', at + 3, at + 14)).toBe('default/web');
    bytes[at + 3] = 'D'.charCodeAt(0);
    expect(() => decodeMessage(bytes, key)).toThrow(expect.objectContaining({ reason: 'bad-mac' }));
  });

  test('layout of a ping, field by field', () => {
    const hex = Buffer.from(encodeMessage(ping, key)).toString('hex');
    expect(hex.slice(0, 2 * 38)).toBe(
      [
        '484c', // "HL"
        '03', // version 3
        '01', // type: ping
        '0000018bcfe5687b', // timestamp 1700000000123 ms
        '0102030405060708', // nonce
        '00000007', // seq 7
        '00000003', // sender incarnation 3
        '02', '6e31', // sender "n1"
        '02', '6e32', // target "n2"
        '00', // no interfaces
        '00', '00', // data plane unknown: no flags, no keys
        '00', // no updates
      ].join(''),
    );
    expect(hex.length).toBe(2 * (38 + 32)); // then the 32-byte HMAC-SHA256
  });

  test('layout of the data plane, field by field', () => {
    const hex = Buffer.from(encodeMessage(failing, key)).toString('hex');
    expect(hex.slice(2 * 35, 2 * 60)).toBe(
      [
        '01', // flags: known; proxy not serving, no overflow
        '02', // two Services not served
        '0b', '64656661756c742f776562', // "default/web"
        '09', '73686f702f63617274', // "shop/cart"
        '00', // no updates
      ].join(''),
    );
    expect(Buffer.from(encodeMessage(serving, key)).toString('hex').slice(2 * 48, 2 * 50)).toBe('0300'); // after the interfaces: known + proxy serving, no keys
    expect(Buffer.from(encodeMessage(overflowing, key)).toString('hex').slice(2 * 35, 2 * 37)).toBe('0700'); // known + proxy serving + overflow, no keys
  });

  test('layout of the interfaces, field by field', () => {
    const hex = Buffer.from(encodeMessage({ ...ping, interfaces: ['eth1', 'eth2'] }, key)).toString('hex');
    expect(hex.slice(2 * 34, 2 * 48)).toBe(
      [
        '02', // two interfaces
        '04', '65746831', // "eth1"
        '04', '65746832', // "eth2"
        '00', '00', // data plane unknown
        '00', // no updates
      ].join(''),
    );
  });

  const header = '484c 02 04 0000018bcfe5687b 0102030405060708 00000000 00000000';
  const sender = '02 6e31 00'; // "n1", no target
  const header3 = header.replace('484c 02', '484c 03');
  test.each([
    { name: 'empty', bytes: Buffer.alloc(0), reason: 'malformed' },
    { name: 'shorter than any message', bytes: Buffer.alloc(40), reason: 'malformed' },
    { name: 'no magic', bytes: Buffer.concat([Buffer.from('XX'), Buffer.from(encodeMessage(ping, key)).subarray(2)]), reason: 'malformed' },
    { name: 'another version', bytes: Buffer.from(encodeMessage(ping, key)).fill(4, 2, 3), reason: 'bad-version', message: /version 4, expected 2 to 3/ },
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
    // Version 3: the data plane between the interfaces and the updates.
    { name: 'signed v3, no data-plane flags', bytes: signed(header3 + sender + '00'), reason: 'malformed', message: /no data-plane flags and count/ },
    { name: 'signed v3, a flags byte without a count', bytes: signed(header3 + sender + '00 01'), reason: 'malformed', message: /no data-plane flags and count/ },
    { name: 'signed v3, unknown flag bits', bytes: signed(header3 + sender + '00 09 00 00'), reason: 'malformed', message: /data-plane flags 0x09 have unknown bits/ },
    { name: 'signed v3, unknown state with keys', bytes: signed(header3 + sender + '00 00 01 03 612f62 00'), reason: 'malformed', message: /data-plane flags 0x00 with count 1: an unknown state has neither/ },
    { name: 'signed v3, unknown state with proxy serving', bytes: signed(header3 + sender + '00 02 00 00'), reason: 'malformed', message: /data-plane flags 0x02 with count 0/ },
    { name: 'signed v3, 33 keys', bytes: signed(header3 + sender + '00 01 21' + Array.from({ length: 33 }, (_, i) => '03 612f' + (0x30 + i).toString(16)).join('') + '00'), reason: 'malformed', message: /data plane: 33 not-serving keys, more than 32/ },
    { name: 'signed v3, keys over 512 bytes', bytes: signed(header3 + sender + '00 01 05' + Array.from({ length: 5 }, (_, i) => '7f' + '61'.repeat(63) + '2f' + (0x30 + i).toString(16).repeat(63)).join('') + '00'), reason: 'malformed', message: /not-serving keys take 640 bytes, more than 512/ },
    { name: 'signed v3, overflow with keys', bytes: signed(header3 + sender + '00 05 01 03 612f62 00'), reason: 'malformed', message: /overflow with 1 not-serving keys/ },
    { name: 'signed v3, a key without a slash', bytes: signed(header3 + sender + '00 01 01 03 616263 00'), reason: 'malformed', message: /not-serving key 0 "abc" is not "namespace\/name"/ },
    { name: 'signed v3, an empty key', bytes: signed(header3 + sender + '00 01 01 00 00'), reason: 'malformed', message: /not-serving key 0 "" is not "namespace\/name"/ },
    { name: 'signed v3, a 128-byte key', bytes: signed(header3 + sender + '00 01 01 80' + '61'.repeat(64) + '2f' + '62'.repeat(63) + '00'), reason: 'malformed', message: /not-serving key 0 "a+\/b+" is 128 bytes, more than 127/ },
    { name: 'signed v3, keys out of order', bytes: signed(header3 + sender + '00 01 02 03 622f78 03 612f78 00'), reason: 'malformed', message: /not-serving key 1 "a\/x" is not after "b\/x"/ },
    { name: 'signed v3, the same key twice', bytes: signed(header3 + sender + '00 01 02 03 612f78 03 612f78 00'), reason: 'malformed', message: /not-serving key 1 "a\/x" is not after "a\/x"/ },
    { name: 'signed v3, a key runs past the end', bytes: signed(header3 + sender + '00 01 01 05 612f78'), reason: 'malformed', message: /the not-serving key 0 name runs past the end/ },
    { name: 'signed v3, fewer keys than counted', bytes: signed(header3 + sender + '00 01 02 03 612f78'), reason: 'malformed', message: /no not-serving key 1 name/ },
    { name: 'signed v3, no update count after the data plane', bytes: signed(header3 + sender + '00 03 00'), reason: 'malformed', message: /no update count/ },
    { name: 'signed v2 with data-plane bytes: extra bytes', bytes: signed(header + sender + '00 00 00 00'), reason: 'malformed', message: /2 bytes after the updates/ },
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
    { name: 'a data-plane key without a slash', run: () => encodeMessage({ ...ping, dataPlane: { proxyServing: true, notServing: ['web'], overflow: false } }, key), message: /data plane: not-serving key 0 "web" is not "namespace\/name"/ },
    { name: 'unsorted data-plane keys', run: () => encodeMessage({ ...ping, dataPlane: { proxyServing: true, notServing: ['b/x', 'a/x'], overflow: false } }, key), message: /not-serving key 1 "a\/x" is not after "b\/x"/ },
    { name: '33 data-plane keys', run: () => encodeMessage({ ...ping, dataPlane: { proxyServing: true, notServing: Array.from({ length: 33 }, (_, i) => `n/s${String(i).padStart(2, '0')}`), overflow: false } }, key), message: /33 not-serving keys, more than 32/ },
    { name: 'version 4', run: () => encodeMessage(ping, key, 4 as 3), message: /cannot encode version 4/ },
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
