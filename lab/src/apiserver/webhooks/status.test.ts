import type { JsonObject } from '../json.js';
import { dryRunUnsupported, forbidden, internalError, webhookDenied } from './status.js';

describe('webhookDenied (ToStatusErr)', () => {
  test.each<[string, JsonObject | undefined, JsonObject]>([
    ['no status at all', undefined, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'admission webhook "deny.example.com" denied the request without explanation', code: 400 }],
    ['a message and a code', { code: 403, message: 'no pods on Tuesdays' }, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'admission webhook "deny.example.com" denied the request: no pods on Tuesdays', code: 403 }],
    ['a message without a code gets 400', { message: 'nope' }, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'admission webhook "deny.example.com" denied the request: nope', code: 400 }],
    ['a code under 400 is raised to 400', { code: 200, message: 'nope' }, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'admission webhook "deny.example.com" denied the request: nope', code: 400 }],
    ['a 5xx code is kept', { code: 503, message: 'busy' }, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'admission webhook "deny.example.com" denied the request: busy', code: 503 }],
    ['the reason stands in for a missing message', { reason: 'Forbidden', code: 403 }, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'admission webhook "deny.example.com" denied the request: Forbidden', reason: 'Forbidden', code: 403 }],
    ['status "Success" is made "Failure"', { status: 'Success', message: 'x' }, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'admission webhook "deny.example.com" denied the request: x', code: 400 }],
    [
      'details pass through, empty fields dropped',
      { message: 'bad', code: 422, reason: 'Invalid', details: { name: 'web', kind: 'pods', group: '', causes: [{ field: 'spec', message: 'no', reason: '' }], unknown: 1 } },
      { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'admission webhook "deny.example.com" denied the request: bad', reason: 'Invalid', details: { name: 'web', kind: 'pods', causes: [{ message: 'no', field: 'spec' }] }, code: 422 },
    ],
  ])('%s', (_name, result, expected) => {
    const out = webhookDenied('deny.example.com', result);
    expect(out).toEqual(expected);
    expect(Object.keys(out)).toEqual(Object.keys(expected));
  });
});

describe('other statuses', () => {
  test.each<[string, unknown, JsonObject]>([
    ['internal error', internalError('failed calling webhook "x": boom'), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Internal error occurred: failed calling webhook "x": boom', reason: 'InternalError', details: { causes: [{ message: 'failed calling webhook "x": boom' }] }, code: 500 }],
    ['forbidden, core group', forbidden('', 'pods', 'web', 'why'), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "web" is forbidden: why', reason: 'Forbidden', details: { kind: 'pods', name: 'web' }, code: 403 }],
    ['forbidden, no name', forbidden('apps', 'deployments', '', 'why'), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'deployments.apps is forbidden: why', reason: 'Forbidden', details: { kind: 'deployments', group: 'apps' }, code: 403 }],
    ['dry run unsupported', dryRunUnsupported('w.example.com'), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'admission webhook "w.example.com" does not support dry run', reason: 'BadRequest', code: 400 }],
  ])('%s', (_name, status, expected) => {
    expect(status).toEqual(expected);
  });
});
