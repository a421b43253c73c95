import type { JsonObject } from '../json.js';
import { defaultWebhookConfiguration, unsupportedFeatureWarnings, webhooksOf, type WebhookType } from './config.js';

const config = (name: string, webhooks: JsonObject[]): JsonObject => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name }, webhooks });

describe('webhooksOf', () => {
  test('configurations are taken in name order, webhooks in listed order, duplicate names numbered in the uid', () => {
    const hooks = webhooksOf(
      [config('zeta', [{ name: 'z.example.com' }]), config('alpha', [{ name: 'a.example.com' }, { name: 'b.example.com' }, { name: 'a.example.com' }])],
      'validating',
    );
    expect(hooks.map((h) => h.uid)).toEqual(['alpha/a.example.com/0', 'alpha/b.example.com/0', 'alpha/a.example.com/1', 'zeta/z.example.com/0']);
  });

  test.each<[string, JsonObject, Record<string, unknown>]>([
    ['an empty webhook gets the v1 defaults', { name: 'w.example.com' }, { failurePolicy: 'Fail', matchPolicy: 'Equivalent', timeoutSeconds: 10, namespaceSelector: {}, objectSelector: {}, reinvocationPolicy: 'Never', sideEffects: undefined }],
    ['given values are kept', { name: 'w.example.com', failurePolicy: 'Ignore', matchPolicy: 'Exact', timeoutSeconds: 3, sideEffects: 'None' }, { failurePolicy: 'Ignore', matchPolicy: 'Exact', timeoutSeconds: 3, sideEffects: 'None' }],
    ['a timeout over 30 is clamped', { name: 'w.example.com', timeoutSeconds: 90 }, { timeoutSeconds: 30 }],
    ['a timeout under 1 is clamped', { name: 'w.example.com', timeoutSeconds: 0 }, { timeoutSeconds: 1 }],
  ])('%s', (_name, hook, expected) => {
    const [w] = webhooksOf([config('c', [hook])], 'validating');
    expect(w).toMatchObject(expected);
  });

  test.each<[string, JsonObject, Record<string, unknown>]>([
    ['url', { url: 'https://x.example.com/v', caBundle: 'Q0E=' }, { url: 'https://x.example.com/v', caBundle: 'Q0E=', service: undefined }],
    ['service with the default port', { service: { namespace: 'ns', name: 'svc', path: '/v' } }, { url: undefined, service: { namespace: 'ns', name: 'svc', path: '/v', port: 443 } }],
    ['service with a port, no path', { service: { namespace: 'ns', name: 'svc', port: 8443 } }, { service: { namespace: 'ns', name: 'svc', path: undefined, port: 8443 } }],
  ])('clientConfig: %s', (_name, clientConfig, expected) => {
    const [w] = webhooksOf([config('c', [{ name: 'w.example.com', clientConfig }])], 'validating');
    expect(w?.clientConfig).toMatchObject(expected);
  });

  test('rules default their scope to "*"', () => {
    const [w] = webhooksOf([config('c', [{ name: 'w.example.com', rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }] }])], 'validating');
    expect(w?.rules).toEqual([{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], scope: '*' }]);
  });
});

describe('defaultWebhookConfiguration', () => {
  test.each<[WebhookType, JsonObject, JsonObject]>([
    [
      'validating',
      { name: 'w.example.com', clientConfig: { service: { namespace: 'ns', name: 's' } }, rules: [{ operations: ['*'] }], sideEffects: 'None', admissionReviewVersions: ['v1'] },
      {
        name: 'w.example.com',
        clientConfig: { service: { namespace: 'ns', name: 's', port: 443 } },
        rules: [{ operations: ['*'], scope: '*' }],
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        failurePolicy: 'Fail',
        matchPolicy: 'Equivalent',
        namespaceSelector: {},
        objectSelector: {},
        timeoutSeconds: 10,
      },
    ],
    [
      'mutating',
      { name: 'm.example.com', failurePolicy: 'Ignore', timeoutSeconds: 5 },
      { name: 'm.example.com', failurePolicy: 'Ignore', timeoutSeconds: 5, matchPolicy: 'Equivalent', namespaceSelector: {}, objectSelector: {}, reinvocationPolicy: 'Never' },
    ],
  ])('%s webhooks get the v1 defaults', (type, hook, expected) => {
    const out = defaultWebhookConfiguration(config('c', [hook]), type);
    expect(out['webhooks']).toEqual([expected]);
  });
});

describe('unsupportedFeatureWarnings', () => {
  test.each<[JsonObject, string[]]>([
    [{ name: 'a' }, []],
    [{ name: 'a', matchConditions: [{ name: 'c', expression: 'true' }] }, ['webhooks[0].matchConditions: headland-apiserver does not evaluate CEL; requests this webhook matches are refused (failurePolicy Fail) or skip the webhook (failurePolicy Ignore)']],
    [{ name: 'a', reinvocationPolicy: 'IfNeeded' }, ['webhooks[0].reinvocationPolicy: headland-apiserver calls each mutating webhook once; IfNeeded is treated as Never']],
  ])('%j', (hook, expected) => {
    expect(unsupportedFeatureWarnings(config('c', [hook]))).toEqual(expected);
  });
});
