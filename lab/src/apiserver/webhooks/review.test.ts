import type { JsonObject } from '../json.js';
import { webhooksOf, type Webhook } from './config.js';
import type { AdmissionRequest, Invocation } from './match.js';
import type { DecodedResponse, DecodedReview } from './response-body.js';
import { buildAdmissionReview, reviewOptions, reviewVersionFor, verifyAdmissionResponse, type ReviewVersion } from './review.js';

function hook(fields: JsonObject = {}): Webhook {
  const [w] = webhooksOf([{ metadata: { name: 'cfg' }, webhooks: [{ name: 'w.example.com', ...fields }] }], 'validating');
  if (w === undefined) throw new Error('no webhook');
  return w;
}

const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' } };
const req: AdmissionRequest = {
  operation: 'UPDATE',
  kind: { group: '', version: 'v1', kind: 'Pod' },
  resource: { group: '', version: 'v1', resource: 'pods' },
  subresource: 'status',
  name: 'web',
  namespace: 'default',
  object: pod,
  oldObject: pod,
  options: reviewOptions('UPDATE', { fieldManager: 'kubectl' }),
  dryRun: false,
  user: { name: 'alice', uid: 'u-1', groups: ['devs', 'system:authenticated'], extra: { scopes: ['a', 'b'] } },
};
const invocation: Invocation = { webhook: hook(), kind: req.kind, resource: req.resource, subresource: 'status' };

describe('buildAdmissionReview', () => {
  test('carries the request the way CreateV1AdmissionReview does', () => {
    expect(buildAdmissionReview('uid-1', 'v1', invocation, req)).toEqual({
      kind: 'AdmissionReview',
      apiVersion: 'admission.k8s.io/v1',
      request: {
        uid: 'uid-1',
        kind: { group: '', version: 'v1', kind: 'Pod' },
        resource: { group: '', version: 'v1', resource: 'pods' },
        subResource: 'status',
        requestKind: { group: '', version: 'v1', kind: 'Pod' },
        requestResource: { group: '', version: 'v1', resource: 'pods' },
        requestSubResource: 'status',
        name: 'web',
        namespace: 'default',
        operation: 'UPDATE',
        userInfo: { username: 'alice', uid: 'u-1', groups: ['devs', 'system:authenticated'], extra: { scopes: ['a', 'b'] } },
        object: pod,
        oldObject: pod,
        dryRun: false,
        options: { kind: 'UpdateOptions', apiVersion: 'meta.k8s.io/v1', fieldManager: 'kubectl' },
      },
    });
  });

  test('empty fields are left out, absent objects are null, v1beta1 only changes the apiVersion', () => {
    const create: AdmissionRequest = { ...req, operation: 'CREATE', subresource: '', name: '', namespace: '', oldObject: null, options: null, dryRun: true, user: { name: 'system:anonymous', groups: [] } };
    const review = buildAdmissionReview('uid-2', 'v1beta1', { ...invocation, subresource: '' }, create);
    expect(review['apiVersion']).toBe('admission.k8s.io/v1beta1');
    const r = review['request'] as JsonObject;
    expect(Object.keys(r)).toEqual(['uid', 'kind', 'resource', 'requestKind', 'requestResource', 'operation', 'userInfo', 'object', 'oldObject', 'dryRun', 'options']);
    expect(r['userInfo']).toEqual({ username: 'system:anonymous' });
    expect([r['oldObject'], r['options'], r['dryRun']]).toEqual([null, null, true]);
  });

  test('an equivalent-version invocation relabels the objects and keeps the request kind', () => {
    const widget = { apiVersion: 'example.com/v1beta1', kind: 'Widget', metadata: { name: 'w' } };
    const crdReq: AdmissionRequest = { ...req, kind: { group: 'example.com', version: 'v1beta1', kind: 'Widget' }, resource: { group: 'example.com', version: 'v1beta1', resource: 'widgets' }, subresource: '', object: widget, oldObject: null };
    const inv: Invocation = { webhook: hook(), kind: { group: 'example.com', version: 'v1', kind: 'Widget' }, resource: { group: 'example.com', version: 'v1', resource: 'widgets' }, subresource: '' };
    const r = buildAdmissionReview('u', 'v1', inv, crdReq)['request'] as JsonObject;
    expect([r['kind'], r['requestKind'], (r['object'] as JsonObject)['apiVersion']]).toEqual([
      { group: 'example.com', version: 'v1', kind: 'Widget' },
      { group: 'example.com', version: 'v1beta1', kind: 'Widget' },
      'example.com/v1',
    ]);
  });
});

describe('reviewOptions and versions', () => {
  test.each<[AdmissionRequest['operation'], JsonObject, JsonObject | null]>([
    ['CREATE', {}, { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' }],
    ['UPDATE', { fieldValidation: 'Strict' }, { kind: 'UpdateOptions', apiVersion: 'meta.k8s.io/v1', fieldValidation: 'Strict' }],
    ['DELETE', { propagationPolicy: 'Background', kind: 'Wrong' }, { kind: 'DeleteOptions', apiVersion: 'meta.k8s.io/v1', propagationPolicy: 'Background' }],
    ['CONNECT', {}, null],
  ])('%s options', (op, fields, expected) => {
    expect(reviewOptions(op, fields)).toEqual(expected);
  });

  test.each<[string[], ReviewVersion | undefined]>([
    [['v1', 'v1beta1'], 'v1'],
    [['v1beta1', 'v1'], 'v1beta1'],
    [['v2', 'v1'], 'v1'],
    [['v2'], undefined],
    [[], undefined],
  ])('admissionReviewVersions %j → %s', (versions, expected) => {
    expect(reviewVersionFor(hook({ admissionReviewVersions: versions }))).toBe(expected);
  });
});

describe('verifyAdmissionResponse', () => {
  const response = (over: Partial<DecodedResponse> = {}): DecodedResponse => ({ uid: 'uid-1', allowed: true, status: undefined, patch: undefined, patchType: undefined, warnings: [], auditAnnotations: {}, ...over });
  const review = (r: DecodedResponse | undefined, apiVersion = 'admission.k8s.io/v1', kind = 'AdmissionReview'): DecodedReview => ({ apiVersion, kind, response: r });
  const patch = Buffer.from('[]');

  test.each<[string, ReviewVersion, boolean, DecodedReview, string | Record<string, unknown>]>([
    ['allowed without status', 'v1', false, review(response()), { allowed: true, status: undefined }],
    ['denied with a status', 'v1', false, review(response({ allowed: false, status: { message: 'no' } })), { allowed: false, status: { message: 'no' } }],
    ['missing response', 'v1', false, review(undefined), 'webhook response was absent'],
    ['uid mismatch', 'v1', false, review(response({ uid: 'other' })), 'expected response.uid="uid-1", got "other"'],
    ['empty uid', 'v1', false, review(response({ uid: '' })), 'expected response.uid="uid-1", got ""'],
    ['no apiVersion or kind', 'v1', false, review(response(), '', ''), 'expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got /, Kind='],
    ['v1beta1 answer to a v1 review', 'v1', false, review(response(), 'admission.k8s.io/v1beta1'), 'expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got admission.k8s.io/v1beta1, Kind=AdmissionReview'],
    ['core v1 Status', 'v1', false, review(response(), 'v1', 'Status'), 'expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got /v1, Kind=Status'],
    ['validating with a patch', 'v1', false, review(response({ patch, patchType: 'JSONPatch' })), 'validating webhook may not return response.patch'],
    ['validating with a patchType', 'v1', false, review(response({ patchType: 'JSONPatch' })), 'validating webhook may not return response.patchType'],
    ['mutating patch without patchType', 'v1', true, review(response({ patch })), 'webhook returned response.patch but not response.patchType'],
    ['mutating patchType without patch', 'v1', true, review(response({ patchType: 'JSONPatch' })), 'webhook returned response.patchType but not response.patch'],
    ['mutating with an empty patchType', 'v1', true, review(response({ patch, patchType: '' })), 'webhook returned invalid response.patchType of ""'],
    ['mutating with a JSON patch', 'v1', true, review(response({ patch, patchType: 'JSONPatch' })), { patch, patchType: 'JSONPatch' }],
    ['v1beta1 checks neither uid nor kind', 'v1beta1', false, review(response({ uid: 'whatever' }), '', ''), { allowed: true }],
    ['v1beta1 takes a patch without patchType as JSONPatch', 'v1beta1', true, review(response({ patch })), { patch, patchType: 'JSONPatch' }],
    ['v1beta1 still needs a response', 'v1beta1', false, review(undefined), 'webhook response was absent'],
  ])('%s', (_name, version, mutating, r, expected) => {
    const out = verifyAdmissionResponse('uid-1', version, mutating, r);
    if (typeof expected === 'string') expect(out).toEqual({ ok: false, error: expected });
    else expect(out.ok ? out.result : out.error).toMatchObject(expected);
  });

  test('warnings and audit annotations come through', () => {
    const out = verifyAdmissionResponse('uid-1', 'v1', false, review(response({ warnings: ['careful'], auditAnnotations: { a: 'b' } })));
    expect(out.ok ? [out.result.warnings, out.result.auditAnnotations] : out.error).toEqual([['careful'], { a: 'b' }]);
  });
});
