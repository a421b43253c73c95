import { answerReview } from './handler.js';
import { parseReview, reviewResponse } from './review.js';

const review = (request: Record<string, unknown>, over: Record<string, unknown> = {}): Record<string, unknown> => ({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request, ...over });
const pool = { apiVersion: 'headland.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'p', namespace: 'headland-system' }, spec: { addresses: ['203.0.113.300/32'] } };
const request = { uid: 'abc', kind: { group: 'headland.io', version: 'v1beta1', kind: 'IPAddressPool' }, operation: 'CREATE', namespace: 'headland-system', name: 'p', object: pool, dryRun: false };

describe('parseReview', () => {
  test.each<[string, unknown, string]>([
    ['not an object', 'x', 'review: the body is not a JSON object'],
    ['v1beta1', review(request, { apiVersion: 'admission.k8s.io/v1beta1' }), 'review: expected admission.k8s.io/v1 AdmissionReview, got admission.k8s.io/v1beta1 AdmissionReview'],
    ['no request', { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }, 'review: the AdmissionReview has no request'],
    ['no uid', review({ ...request, uid: '' }), 'review: request.uid is missing'],
    ['a strange operation', review({ ...request, operation: 'PATCH' }), 'review: request.operation "PATCH" is not one of CREATE, UPDATE, DELETE, CONNECT'],
  ])('refuses %s', (_what, body, error) => {
    expect(parseReview(body)).toEqual({ ok: false, error });
  });

  test('reads a request, null objects for what is absent', () => {
    expect(parseReview(review(request))).toEqual({ ok: true, request: { ...request, oldObject: null } });
  });
});

test('reviewResponse writes the v1 AdmissionReview, warnings only when there are some', () => {
  expect(reviewResponse({ uid: 'u', allowed: true, warnings: [] })).toEqual({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'u', allowed: true } });
});

describe('answerReview', () => {
  test('a denial answers 200 with the request uid and the validate line', () => {
    const a = answerReview(review(request), { namespace: 'headland-system', objects: [] });
    expect(a.status).toBe(200);
    if (a.status !== 200) return;
    expect(a.body).toEqual({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: {
        uid: 'abc',
        allowed: false,
        status: { code: 403, reason: 'Forbidden', message: 'IPAddressPool headland-system/p: spec.addresses[0]: ip: "203.0.113.300" is not an IP address: IPv4 part "300" is greater than 255' },
      },
    });
  });

  test('a body that is not a review is a 400', () => {
    expect(answerReview({}, { namespace: 'headland-system', objects: [] })).toEqual({ status: 400, error: 'review: expected admission.k8s.io/v1 AdmissionReview, got (no apiVersion) (no kind)' });
  });
});
