import type { JsonObject } from '../json.js';
import { webhooksOf, type Webhook } from './config.js';
import { isExemptConfigurationResource, ruleMatches, shouldCallHook, type AdmissionRequest } from './match.js';

const user = { name: 'alice', groups: ['system:authenticated'] };

function request(over: Partial<AdmissionRequest> = {}): AdmissionRequest {
  return {
    operation: 'CREATE',
    kind: { group: '', version: 'v1', kind: 'Pod' },
    resource: { group: '', version: 'v1', resource: 'pods' },
    subresource: '',
    name: 'web',
    namespace: 'default',
    object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' } } },
    oldObject: null,
    options: null,
    dryRun: false,
    user,
    ...over,
  };
}

function hook(fields: JsonObject): Webhook {
  const [w] = webhooksOf([{ metadata: { name: 'cfg' }, webhooks: [{ name: 'w.example.com', ...fields }] }], 'validating');
  if (w === undefined) throw new Error('no webhook');
  return w;
}

const allPods = { operations: ['*'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] };
const defaultRule = { ...allPods, scope: '*' };
const namespaces: Record<string, Record<string, string>> = { default: { team: 'a' }, other: { team: 'b' } };
const nsLabels = (ns: string): Record<string, string> | undefined => namespaces[ns];

describe('rules', () => {
  const rule = (r: JsonObject) => hook({ rules: [r] }).rules[0] ?? defaultRule;
  test.each<[string, JsonObject, Partial<AdmissionRequest>, boolean]>([
    ['exact match', allPods, {}, true],
    ['operation listed', { ...allPods, operations: ['CREATE', 'UPDATE'] }, {}, true],
    ['operation not listed', { ...allPods, operations: ['UPDATE', 'DELETE'] }, {}, false],
    ['a CONNECT rule on "pods" does not cover pods/exec', { ...allPods, operations: ['CONNECT'] }, { operation: 'CONNECT', subresource: 'exec' }, false],
    ['CONNECT on pods/exec', { ...allPods, operations: ['CONNECT'], resources: ['pods/exec'] }, { operation: 'CONNECT', subresource: 'exec' }, true],
    ['group mismatch', { ...allPods, apiGroups: ['apps'] }, {}, false],
    ['group wildcard', { ...allPods, apiGroups: ['*'] }, {}, true],
    ['version mismatch', { ...allPods, apiVersions: ['v2'] }, {}, false],
    ['version wildcard', { ...allPods, apiVersions: ['*'] }, {}, true],
    ['resource mismatch', { ...allPods, resources: ['services'] }, {}, false],
    ['"*" matches every resource', { ...allPods, resources: ['*'] }, {}, true],
    ['"*" does not match a subresource', { ...allPods, resources: ['*'] }, { subresource: 'status', operation: 'UPDATE' }, false],
    ['"*/*" matches a subresource', { ...allPods, resources: ['*/*'] }, { subresource: 'status', operation: 'UPDATE' }, true],
    ['"*/*" matches the main resource too', { ...allPods, resources: ['*/*'] }, {}, true],
    ['"pods" does not match pods/status', allPods, { subresource: 'status', operation: 'UPDATE' }, false],
    ['"pods/status" matches pods/status', { ...allPods, resources: ['pods/status'] }, { subresource: 'status', operation: 'UPDATE' }, true],
    ['"pods/status" does not match pods', { ...allPods, resources: ['pods/status'] }, {}, false],
    ['"pods/*" matches pods/exec', { ...allPods, resources: ['pods/*'] }, { subresource: 'exec', operation: 'CONNECT' }, true],
    ['"pods/*" matches pods itself', { ...allPods, resources: ['pods/*'] }, {}, true],
    ['"*/status" matches services/status', { ...allPods, resources: ['*/status'] }, { resource: { group: '', version: 'v1', resource: 'services' }, subresource: 'status', operation: 'UPDATE' }, true],
    ['scope Namespaced, namespaced request', { ...allPods, scope: 'Namespaced' }, {}, true],
    ['scope Cluster, namespaced request', { ...allPods, scope: 'Cluster' }, {}, false],
    ['scope Cluster, cluster-scoped request', { ...allPods, resources: ['nodes'], scope: 'Cluster' }, { resource: { group: '', version: 'v1', resource: 'nodes' }, namespace: '' }, true],
    ['scope Namespaced, cluster-scoped request', { ...allPods, resources: ['nodes'], scope: 'Namespaced' }, { resource: { group: '', version: 'v1', resource: 'nodes' }, namespace: '' }, false],
    ['a Namespace counts as cluster-scoped even with its namespace set', { ...allPods, resources: ['namespaces'], scope: 'Cluster' }, { resource: { group: '', version: 'v1', resource: 'namespaces' }, namespace: 'default', operation: 'UPDATE' }, true],
    ['a Namespace is never Namespaced', { ...allPods, resources: ['namespaces'], scope: 'Namespaced' }, { resource: { group: '', version: 'v1', resource: 'namespaces' }, namespace: 'default', operation: 'UPDATE' }, false],
    ['an unknown scope matches nothing', { ...allPods, scope: 'Everywhere' }, {}, false],
  ])('%s', (_name, r, over, expected) => {
    expect(ruleMatches(rule(r), request(over))).toBe(expected);
  });
});

describe('namespaceSelector', () => {
  const sel = { matchLabels: { team: 'a' } };
  test.each<[string, JsonObject, Partial<AdmissionRequest>, boolean | number]>([
    ['namespace labels match', sel, {}, true],
    ['namespace labels do not match', sel, { namespace: 'other' }, false],
    ['empty selector matches without looking the namespace up', {}, { namespace: 'missing' }, true],
    ['a missing namespace fails the request with 404', sel, { namespace: 'missing' }, 404],
    ['cluster-scoped objects are never excluded', { matchLabels: { nope: 'x' } }, { resource: { group: '', version: 'v1', resource: 'nodes' }, namespace: '' }, true],
    [
      'a Namespace being created is matched on its own labels',
      sel,
      { resource: { group: '', version: 'v1', resource: 'namespaces' }, namespace: '', name: 'new', object: { metadata: { name: 'new', labels: { team: 'a' } } } },
      true,
    ],
    [
      'a Namespace being updated is matched on its new labels, not the stored ones',
      sel,
      { operation: 'UPDATE', resource: { group: '', version: 'v1', resource: 'namespaces' }, namespace: 'other', name: 'other', object: { metadata: { name: 'other', labels: { team: 'a' } } } },
      true,
    ],
    ['a Namespace being deleted is matched on the stored labels', sel, { operation: 'DELETE', resource: { group: '', version: 'v1', resource: 'namespaces' }, namespace: 'other', name: 'other', object: null }, false],
    ['a Namespace deleted without its namespace attribute is looked up by name', sel, { operation: 'DELETE', resource: { group: '', version: 'v1', resource: 'namespaces' }, namespace: '', name: 'default', object: null }, true],
  ])('%s', (_name, namespaceSelector, over, expected) => {
    const out = shouldCallHook(hook({ rules: [{ ...allPods, resources: ['*'] }], namespaceSelector }), request(over), nsLabels);
    if (typeof expected === 'number') expect(out.call ? undefined : out.status?.code).toBe(expected);
    else expect(out.call).toBe(expected);
  });

  test('the 404 reads as the namespace lookup failing', () => {
    const out = shouldCallHook(hook({ rules: [allPods], namespaceSelector: { matchLabels: { team: 'a' } } }), request({ namespace: 'missing' }), nsLabels);
    expect(out.call ? undefined : out.status).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'namespaces "missing" not found', reason: 'NotFound', details: { name: 'missing', kind: 'namespaces' }, code: 404 });
  });
});

describe('objectSelector', () => {
  const sel = { matchLabels: { app: 'web' } };
  const labelled = (app: string): JsonObject => ({ metadata: { labels: { app } } });
  test.each<[string, JsonObject, Partial<AdmissionRequest>, boolean]>([
    ['new object matches', sel, {}, true],
    ['new object does not match', sel, { object: labelled('db') }, false],
    ['old object matches (labels removed by an update)', sel, { operation: 'UPDATE', object: { metadata: {} }, oldObject: labelled('web') }, true],
    ['neither matches', sel, { operation: 'UPDATE', object: labelled('db'), oldObject: labelled('api') }, false],
    ['DELETE looks at the old object', sel, { operation: 'DELETE', object: null, oldObject: labelled('web') }, true],
    ['no objects at all never match a non-empty selector', { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, { operation: 'CONNECT', object: null }, false],
    ['the empty selector matches with no objects', {}, { operation: 'CONNECT', object: null }, true],
  ])('%s', (_name, objectSelector, over, expected) => {
    expect(shouldCallHook(hook({ rules: [{ ...allPods, resources: ['*', 'pods/*'] }], objectSelector }), request(over), nsLabels).call).toBe(expected);
  });
});

describe('shouldCallHook', () => {
  test('a broken selector only matters when the rules match', () => {
    const broken = { matchExpressions: [{ key: 'a', operator: 'Bogus' }] };
    expect(shouldCallHook(hook({ rules: [{ ...allPods, resources: ['services'] }], objectSelector: broken }), request(), nsLabels)).toEqual({ call: false });
    const out = shouldCallHook(hook({ rules: [allPods], objectSelector: broken }), request(), nsLabels);
    expect(out.call ? undefined : out.status?.message).toBe('Internal error occurred: "Bogus" is not a valid label selector operator');
  });

  test('a missing namespace does not fail requests the rules do not match', () => {
    expect(shouldCallHook(hook({ rules: [{ ...allPods, resources: ['services'] }], namespaceSelector: { matchLabels: { x: 'y' } } }), request({ namespace: 'missing' }), nsLabels)).toEqual({ call: false });
  });

  test('the invocation carries the request kind and resource', () => {
    const out = shouldCallHook(hook({ rules: [allPods] }), request(), nsLabels);
    expect(out.call ? { kind: out.invocation.kind, resource: out.invocation.resource } : undefined).toEqual({ kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' } });
  });

  const crd = request({ kind: { group: 'example.com', version: 'v1beta1', kind: 'Widget' }, resource: { group: 'example.com', version: 'v1beta1', resource: 'widgets' }, equivalentVersions: ['v1', 'v1beta1'] });
  const v1Only = { operations: ['*'], apiGroups: ['example.com'], apiVersions: ['v1'], resources: ['widgets'] };
  test.each<[string, string, string | undefined]>([
    ['Equivalent calls a v1 rule for a v1beta1 request in v1', 'Equivalent', 'v1'],
    ['Exact does not', 'Exact', undefined],
  ])('%s', (_name, matchPolicy, version) => {
    const out = shouldCallHook(hook({ rules: [v1Only], matchPolicy }), crd, nsLabels);
    expect(out.call ? out.invocation.kind.version : undefined).toBe(version);
    if (out.call) expect(out.invocation.resource).toEqual({ group: 'example.com', version: 'v1', resource: 'widgets' });
  });

  test.each<[string, string, unknown]>([
    ['Fail: the request is forbidden', 'Fail', { call: false, status: expect.objectContaining({ code: 403, reason: 'Forbidden' }) }],
    ['Ignore: the webhook is skipped', 'Ignore', { call: false, skipped: 'webhook "w.example.com" has matchConditions (only-web), and headland-apiserver cannot evaluate CEL expressions' }],
  ])('matchConditions with failurePolicy %s', (_name, failurePolicy, expected) => {
    expect(shouldCallHook(hook({ rules: [allPods], failurePolicy, matchConditions: [{ name: 'only-web', expression: 'true' }] }), request(), nsLabels)).toEqual(expected);
  });

  test('the matchConditions refusal names the object as NewForbidden does', () => {
    const out = shouldCallHook(hook({ rules: [allPods], matchConditions: [{ name: 'c1', expression: 'true' }] }), request(), nsLabels);
    expect(out.call ? undefined : out.status?.message).toBe('pods "web" is forbidden: webhook "w.example.com" has matchConditions (c1), and headland-apiserver cannot evaluate CEL expressions');
  });

  test.each<[string, string, boolean]>([
    ['admissionregistration.k8s.io', 'ValidatingWebhookConfiguration', true],
    ['admissionregistration.k8s.io', 'MutatingWebhookConfiguration', true],
    ['admissionregistration.k8s.io', 'ValidatingAdmissionPolicyBinding', true],
    ['admissionregistration.k8s.io', 'Other', false],
    ['', 'Pod', false],
  ])('exempt %s %s: %s', (group, kind, expected) => {
    expect(isExemptConfigurationResource(request({ kind: { group, version: 'v1', kind } }))).toBe(expected);
  });
});
