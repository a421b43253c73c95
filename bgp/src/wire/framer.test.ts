// The stream framer: partial reads, several messages per read, and bad headers.

import { hex } from './bytes.js';
import { classicContext, modernContext } from './context.js';
import { BgpWireError } from './errors.js';
import { MessageFramer } from './framer.js';
import { serializeMessage } from './message.js';
import { fuzzCorpus } from './fuzz.js';

const messages = fuzzCorpus().map((m) => serializeMessage(m, classicContext));
const stream = Uint8Array.from(messages.flatMap((m) => [...m]));

test.each([1, 2, 7, 19, 20, 64, 4096])('reads of %i octets yield the messages intact', (size) => {
  const framer = new MessageFramer();
  const out: Uint8Array[] = [];
  for (let at = 0; at < stream.length; at += size) out.push(...framer.push(stream.subarray(at, at + size)));
  expect(out).toEqual(messages);
  expect(framer.buffered).toBe(0);
});

test('a partial message waits, and is counted as buffered', () => {
  const framer = new MessageFramer();
  expect(framer.push(messages[0]!.subarray(0, 30))).toEqual([]);
  expect(framer.buffered).toBe(30);
  expect(framer.push(messages[0]!.subarray(30))).toEqual([messages[0]]);
});

function failure(framer: MessageFramer, bytes: Uint8Array): BgpWireError {
  try {
    framer.push(bytes);
  } catch (error) {
    if (error instanceof BgpWireError) return error;
    throw error;
  }
  throw new Error('no error');
}

test.each<[string, string, number, number]>([
  ['bad marker', '00ffffffffffffffffffffffffffffff 0013 04', 1, 1],
  ['length 18', 'ffffffffffffffffffffffffffffffff 0012 04', 1, 2],
  ['length 5000 without extended messages', 'ffffffffffffffffffffffffffffffff 1388 02', 1, 2],
  ['type 9', 'ffffffffffffffffffffffffffffffff 0013 09', 1, 3],
])('rejects %s as soon as the header is in (%i/%i), and stays failed', (_name, header, code, subcode) => {
  const framer = new MessageFramer();
  const error = failure(framer, hex(header));
  expect([error.code, error.subcode]).toEqual([code, subcode]);
  expect(failure(framer, serializeMessage({ type: 'keepalive' }, classicContext))).toBe(error);
});

test('extended messages are accepted once the context says so', () => {
  const big = serializeMessage({ type: 'notification', code: 6, subcode: 2, data: new Uint8Array(10000) }, modernContext);
  const framer = new MessageFramer();
  framer.context = modernContext;
  expect(framer.push(big)).toEqual([big]);
});
