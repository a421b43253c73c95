// Every wire error path, with the code, subcode, data and RFC 7606 action the RFCs give.

import { hex, toHex } from './bytes.js';
import { classicContext, modernContext, type WireContext } from './context.js';
import { BgpWireError, type ErrorAction } from './errors.js';
import { decodeMessage, serializeMessage } from './message.js';
import { notificationFor } from './notification.js';
import { notificationName } from './notification-names.js';
import type { DecodedUpdate } from './update.js';

const MARKER = 'ffffffffffffffffffffffffffffffff';

/** A message of `type` around `body` with a correct length field. */
function message(type: number, body: string): Uint8Array {
  const b = hex(body);
  return hex(`${MARKER} ${(19 + b.length).toString(16).padStart(4, '0')} ${type.toString(16).padStart(2, '0')} ${toHex(b)}`);
}

/** An UPDATE from its three parts, lengths filled in. */
function update(attributes: string, nlri = '', withdrawn = ''): Uint8Array {
  const len = (h: string) => hex(h).length.toString(16).padStart(4, '0');
  return message(2, `${len(withdrawn)} ${withdrawn} ${len(attributes)} ${attributes} ${nlri}`);
}

function thrown(bytes: Uint8Array, ctx: WireContext = classicContext): BgpWireError {
  try {
    decodeMessage(bytes, 0, ctx);
  } catch (error) {
    if (error instanceof BgpWireError) return error;
    throw error;
  }
  throw new Error('no error thrown');
}

const OPEN_BODY = '04 fde9 00b4 c6120001 00';

type Row = [string, Uint8Array, WireContext, number, number, ErrorAction, string | undefined];

const thrownCases: Row[] = [
  ['bad marker', hex(`${MARKER.slice(0, 30)}fe 0013 04`), classicContext, 1, 1, 'session-reset', ''],
  ['length below 19', hex(`${MARKER} 0012 04`), classicContext, 1, 2, 'session-reset', '0012'],
  ['length above 4096 without extended messages', hex(`${MARKER} 1001 02`), classicContext, 1, 2, 'session-reset', '1001'],
  ['type 6 unknown', hex(`${MARKER} 0013 06`), classicContext, 1, 3, 'session-reset', '06'],
  ['type 0 unknown', hex(`${MARKER} 0013 00`), classicContext, 1, 3, 'session-reset', '00'],
  ['KEEPALIVE of 20 octets', message(4, '00'), classicContext, 1, 2, 'session-reset', '0014'],
  ['OPEN shorter than 29', message(1, '04 fde9 00b4 c6120001'), classicContext, 1, 2, 'session-reset', '001c'],
  ['OPEN longer than 4096 even with extended messages', hex(`${MARKER} 1001 01`), modernContext, 1, 2, 'session-reset', '1001'],
  ['UPDATE shorter than 23', message(2, '0000'), classicContext, 1, 2, 'session-reset', '0015'],
  ['NOTIFICATION shorter than 21', message(3, '06'), classicContext, 1, 2, 'session-reset', '0014'],
  ['ROUTE-REFRESH not 23 octets', message(5, '0001 00 01 00'), classicContext, 7, 1, 'session-reset', `${MARKER}0018050001000100`],
  ['message shorter than its length field', hex(`${MARKER} 0020 04`), classicContext, 1, 2, 'session-reset', undefined],
  ['truncated header', hex('ffffffff'), classicContext, 1, 2, 'session-reset', undefined],
  ['unsupported version 3', message(1, '03 fde9 00b4 c6120001 00'), classicContext, 2, 1, 'session-reset', '0004'],
  ['optional parameter type 1 (authentication)', message(1, '04 fde9 00b4 c6120001 03 01 01 00'), classicContext, 2, 4, 'session-reset', ''],
  ['optional parameters length disagrees', message(1, '04 fde9 00b4 c6120001 05 02 02 02 00'), classicContext, 2, 0, 'session-reset', ''],
  ['optional parameter overruns', message(1, '04 fde9 00b4 c6120001 02 02 09'), classicContext, 2, 0, 'session-reset', ''],
  ['capability overruns its parameter', message(1, '04 fde9 00b4 c6120001 04 02 02 41 04'), classicContext, 2, 0, 'session-reset', ''],
  ['multiprotocol capability of 3 octets', message(1, '04 fde9 00b4 c6120001 07 02 05 01 03 000100'), classicContext, 2, 0, 'session-reset', '0103000100'],
  ['graceful restart capability of 3 octets', message(1, '04 fde9 00b4 c6120001 07 02 05 40 03 007800'), classicContext, 2, 0, 'session-reset', '4003007800'],
  ['route refresh capability with a value', message(1, '04 fde9 00b4 c6120001 05 02 03 02 01 00'), classicContext, 2, 0, 'session-reset', '020100'],
  ['withdrawn routes length past the message', update('', '', '').subarray(0, 23).map((b, i) => (i === 20 ? 9 : b)), classicContext, 3, 1, 'session-reset', ''],
  ['total attribute length past the message', message(2, '0000 0009 400101'), classicContext, 3, 1, 'session-reset', ''],
  ['withdrawn prefix /33', update('', '', '21 cb007100 00'), classicContext, 3, 10, 'session-reset', ''],
  ['NLRI prefix /33', update('40010100 400200 400304c6120001', '21 cb00710000'), classicContext, 3, 10, 'session-reset', ''],
  ['NLRI prefix overruns the message', update('40010100 400200 400304c6120001', '18 cb00'), classicContext, 3, 10, 'session-reset', ''],
  ['unrecognized well-known attribute', update('40 63 01 00'), classicContext, 3, 2, 'session-reset', '40630100'],
  ['MP_REACH_NLRI too short for AFI/SAFI', update('80 0e 02 0002'), modernContext, 3, 9, 'session-reset', '800e020002'],
  ['MP_REACH_NLRI flags not optional', update('40 0e 05 0002 01 00 00'), modernContext, 3, 4, 'session-reset', '400e050002010000'],
  ['MP_REACH_NLRI unsupported AFI/SAFI', update('80 0e 05 0019 46 00 00'), modernContext, 3, 9, 'afisafi-disable', '800e050019460000'],
  ['MP_REACH_NLRI IPv6 next hop of 4', update('80 0e 09 0002 01 04 20010db8 00'), modernContext, 3, 9, 'afisafi-disable', undefined],
  ['MP_REACH_NLRI next hop overruns', update('80 0e 06 0002 01 10 2001 00'), modernContext, 3, 9, 'afisafi-disable', undefined],
  ['MP_REACH_NLRI prefix /129', update(`80 0e 17 0002 01 10 ${'20010db8'.padEnd(32, '0')} 00 81 20`), modernContext, 3, 9, 'afisafi-disable', undefined],
  ['MP_UNREACH_NLRI prefix overruns', update('80 0f 05 0002 01 40 20'), modernContext, 3, 9, 'afisafi-disable', '800f050002014020'],
];

test.each(thrownCases)('%s -> %i/%i %s', (_name, bytes, ctx, code, subcode, action, data) => {
  const error = thrown(bytes, ctx);
  expect(error.message).toMatch(/^[a-zA-Z0-9_ -]+: /);
  expect([error.code, error.subcode, error.action]).toEqual([code, subcode, action]);
  if (data !== undefined) expect(toHex(error.data)).toBe(data.replace(/\s+/g, ''));
});

/** Attribute problems RFC 7606 lets the UPDATE survive: reported, not thrown. */
const collectedCases: Array<[string, string, WireContext, number, ErrorAction]> = [
  ['ORIGIN value 3 (invalid ORIGIN)', '40 01 01 03', classicContext, 6, 'treat-as-withdraw'],
  ['ORIGIN of 2 octets', '40 01 02 0000', classicContext, 5, 'treat-as-withdraw'],
  ['ORIGIN flagged optional (flags error)', 'c0 01 01 00', classicContext, 4, 'treat-as-withdraw'],
  ['AS_PATH segment type 5', '40 02 04 05 01 fde9', classicContext, 11, 'treat-as-withdraw'],
  ['AS_PATH segment overruns', '40 02 04 02 02 fde9', classicContext, 11, 'treat-as-withdraw'],
  ['AS_PATH empty segment', '40 02 02 02 00', classicContext, 11, 'treat-as-withdraw'],
  ['AS_PATH odd 4-octet length', '40 02 04 02 01 fde9', modernContext, 11, 'treat-as-withdraw'],
  ['NEXT_HOP of 5 octets', '40 03 05 c612000100', classicContext, 5, 'treat-as-withdraw'],
  ['NEXT_HOP flagged optional', '80 03 04 c6120001', classicContext, 4, 'treat-as-withdraw'],
  ['MULTI_EXIT_DISC of 3 octets', '80 04 03 000000', classicContext, 5, 'treat-as-withdraw'],
  ['MULTI_EXIT_DISC flagged transitive', 'c0 04 04 00000000', classicContext, 4, 'treat-as-withdraw'],
  ['LOCAL_PREF of 2 octets', '40 05 02 0064', classicContext, 5, 'treat-as-withdraw'],
  ['ATOMIC_AGGREGATE with a value', '40 06 01 00', classicContext, 5, 'attribute-discard'],
  ['ATOMIC_AGGREGATE flagged optional', 'c0 06 00', classicContext, 4, 'attribute-discard'],
  ['AGGREGATOR of 8 octets on a 2-octet session', 'c0 07 08 0000fde9 c6120001', classicContext, 5, 'attribute-discard'],
  ['AGGREGATOR of 6 octets on a 4-octet session', 'c0 07 06 fde9 c6120001', modernContext, 5, 'attribute-discard'],
  ['COMMUNITIES of 5 octets', 'c0 08 05 fde9006400', classicContext, 5, 'treat-as-withdraw'],
  ['COMMUNITIES empty', 'c0 08 00', classicContext, 5, 'treat-as-withdraw'],
  ['COMMUNITIES flagged non-transitive', '80 08 04 fde90064', classicContext, 4, 'treat-as-withdraw'],
  ['EXTENDED_COMMUNITIES of 9 octets', 'c0 10 09 000200000000000000', classicContext, 5, 'treat-as-withdraw'],
  ['LARGE_COMMUNITY of 13 octets', 'c0 20 0d 00000001000000020000000300', classicContext, 5, 'treat-as-withdraw'],
  ['AS4_PATH malformed', 'c0 11 03 02 01 00', classicContext, 9, 'attribute-discard'],
  ['AS4_AGGREGATOR of 6 octets', 'c0 12 06 fde9 c6120001', classicContext, 5, 'attribute-discard'],
  ['attribute length overruns the list', '40 01 05 00', classicContext, 5, 'treat-as-withdraw'],
  ['list ends with 2 stray octets', '40 01 01 00 40 01', classicContext, 1, 'treat-as-withdraw'],
  ['extended length field truncated', '40 01 01 00 50 01 00', classicContext, 1, 'treat-as-withdraw'],
];

test.each(collectedCases)('%s -> 3/%i %s, collected', (_name, attributes, ctx, subcode, action) => {
  const [decoded] = decodeMessage(update(attributes), 0, ctx);
  const errors = (decoded as DecodedUpdate).attributeErrors;
  expect(errors).toHaveLength(1);
  const [error] = errors;
  expect([error?.code, error?.subcode, error?.action]).toEqual([3, subcode, action]);
  expect(error?.message).toMatch(/^[A-Za-z0-9_ -]+: /);
});

test('an attribute error carries the whole attribute as NOTIFICATION data', () => {
  const [decoded] = decodeMessage(update('40 01 01 00 40 01 01 07'), 0, classicContext);
  expect(toHex((decoded as DecodedUpdate).attributeErrors[0]!.data)).toBe('40010107');
});

test('decoding continues past a bad attribute to the rest', () => {
  const [decoded] = decodeMessage(update('40 01 01 09 40 02 00 40 03 04 c6120001'), 0, classicContext);
  expect((decoded as DecodedUpdate).attributes.map((a) => a.type)).toEqual(['as-path', 'next-hop']);
});

test('unknown optional non-transitive attributes are dropped, transitive ones kept', () => {
  const [decoded] = decodeMessage(update('80 63 01 00 c0 64 01 05'), 0, classicContext);
  expect((decoded as DecodedUpdate).attributes).toEqual([{ type: 'unknown', code: 0x64, flags: 0xc0, value: hex('05') }]);
  // Passed on with the Partial bit set (RFC 4271 §5).
  const again = serializeMessage(decoded, classicContext);
  expect(toHex(again.subarray(23))).toBe('e0640105');
});

describe('notificationFor', () => {
  test('carries code, subcode and data', () => {
    const error = thrown(hex(`${MARKER} 0013 09`));
    expect(notificationFor(error)).toEqual({ type: 'notification', code: 1, subcode: 3, data: hex('09') });
    expect(toHex(serializeMessage(notificationFor(error), classicContext))).toBe(`${MARKER}001603010309`);
  });

  test.each([
    [1, 1, 'Message Header Error / Connection Not Synchronized'],
    [2, 6, 'OPEN Message Error / Unacceptable Hold Time'],
    [3, 11, 'UPDATE Message Error / Malformed AS_PATH'],
    [4, 0, 'Hold Timer Expired / Unspecific'],
    [5, 3, 'Finite State Machine Error / Receive Unexpected Message in Established State'],
    [6, 7, 'Cease / Connection Collision Resolution'],
    [6, 8, 'Cease / Out of Resources'],
    [7, 1, 'ROUTE-REFRESH Message Error / Invalid Message Length'],
    [9, 9, 'Unknown error code 9 / Unknown subcode 9'],
  ])('%i/%i is named %s', (code, subcode, name) => {
    expect(notificationName(code, subcode)).toBe(name);
  });
});

test('decoding OPEN_BODY itself succeeds (the table above differs only in the broken field)', () => {
  expect(decodeMessage(message(1, OPEN_BODY), 0, classicContext)[0].type).toBe('open');
});
