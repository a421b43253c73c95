import { ApiException } from '@kubernetes/client-node';
import { HttpError } from './errors.js';
import { isConflict, isGone, isNotFound, statusCodeOf } from './status.js';

test.each<[string, unknown, number | undefined]>([
  ['ApiException', new ApiException(409, 'Conflict', {}, {}), 409],
  ['Watch error', Object.assign(new Error('Gone'), { statusCode: 410 }), 410],
  ['HttpError', new HttpError(404, 'GET', '/x', undefined, 'rest: not found'), 404],
  ['Status object', { kind: 'Status', status: 'Failure', code: 410, reason: 'Expired' }, 410],
  ['Status inside body', { body: { kind: 'Status', code: 422 } }, 422],
  ['Status inside response', { response: { statusCode: 503 } }, 503],
  ['system error code', Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), undefined],
  ['a number that is no HTTP status', { code: 7 }, undefined],
  ['plain Error', new Error('x'), undefined],
  ['string', 'boom', undefined],
  ['null', null, undefined],
  ['undefined', undefined, undefined],
])('statusCodeOf(%s) = %p', (_what, err, code) => {
  expect(statusCodeOf(err)).toBe(code);
});

test('errors that refer to each other do not loop', () => {
  const a: Record<string, unknown> = {};
  const b: Record<string, unknown> = { response: a };
  a['body'] = b;
  expect(statusCodeOf(a)).toBeUndefined();
});

test.each([
  [409, [true, false, false]],
  [404, [false, true, false]],
  [410, [false, false, true]],
  [500, [false, false, false]],
])('status %i: conflict, not found, gone = %j', (code, flags) => {
  const err = new ApiException(code, 'x', {}, {});
  expect([isConflict(err), isNotFound(err), isGone(err)]).toEqual(flags);
});
