import { toStatus } from '../errors.js';
import { goPtr, goQuote, goSlice, toApiError } from './failures.js';

test.each([
  [goQuote('198.19.128.10'), '"198.19.128.10"'],
  [goQuote('a"b\\c'), '"a\\"b\\\\c"'],
  [goQuote('tab\there\n\x00\x7f'), '"tab\\there\\n\\x00\\x7f"'],
  [goQuote('ünï'), '"ünï"'],
  [goSlice(undefined), '[]string(nil)'],
  [goSlice([]), '[]string{}'],
  [goSlice(['a', 'b']), '[]string{"a", "b"}'],
  [goSlice(['IPv4'], 'core.IPFamily'), '[]core.IPFamily{"IPv4"}'],
  [goPtr(undefined), 'null'],
  [goPtr('SingleStack'), '"SingleStack"'],
])('Go formatting: %s', (got, want) => {
  expect(got).toBe(want);
});

test.each([
  [
    'invalid',
    toApiError('web', { kind: 'invalid', errors: [{ field: 'spec.x', type: 'FieldValueRequired', detail: 'Required value' }] }),
    { code: 422, reason: 'Invalid', message: 'Service "web" is invalid: spec.x: Required value', details: { name: 'web', group: '', kind: 'Service', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.x' }] } },
  ],
  [
    'internal',
    toApiError('web', { kind: 'internal', message: 'failed to allocate a serviceIP: range is full' }),
    { code: 500, reason: 'InternalError', message: 'Internal error occurred: failed to allocate a serviceIP: range is full', details: { causes: [{ message: 'failed to allocate a serviceIP: range is full' }] } },
  ],
  ['unknown', toApiError('web', { kind: 'unknown', message: 'duplicate nodePort: {TCP 30080}' }), { code: 500, reason: '', message: 'duplicate nodePort: {TCP 30080}' }],
])('%s failures answer as kube-apiserver does', (_kind, err, want) => {
  expect(toStatus(err)).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', ...want });
});
