import type { JsonObject } from '../json.js';
import { runMutatingWebhooks, runValidatingWebhooks, type WebhookInput } from './admit.js';
import type { AdmissionRequest } from './match.js';
import { reviewOptions } from './review.js';
import type { AdmissionStatus } from './status.js';
import { createTestCa, type TestCa } from './test-pki.js';
import { answer, hang, raw, startWebhookServer, type Script, type TestWebhookServer } from './test-server.js';

let ca: TestCa;
let good: { cert: string; key: string };
let foreign: { cert: string; key: string };
const servers: TestWebhookServer[] = [];

beforeAll(async () => {
  ca = await createTestCa();
  good = await ca.issue({ ips: ['127.0.0.1'] });
  foreign = await (await createTestCa('another-ca')).issue({ ips: ['127.0.0.1'] });
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function server(script: Script, tls = good): Promise<TestWebhookServer> {
  const s = await startWebhookServer(tls, script);
  servers.push(s);
  return s;
}

const podsRule = { operations: ['CREATE', 'UPDATE', 'DELETE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] };

function hookSpec(name: string, s: TestWebhookServer, extra: JsonObject = {}): JsonObject {
  return { name, clientConfig: { url: s.url, caBundle: ca.caBundle }, rules: [podsRule], sideEffects: 'None', admissionReviewVersions: ['v1'], timeoutSeconds: 5, ...extra };
}

const configuration = (kind: string, name: string, webhooks: JsonObject[]): JsonObject => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind, metadata: { name }, webhooks });
const vwc = (name: string, webhooks: JsonObject[]): JsonObject => configuration('ValidatingWebhookConfiguration', name, webhooks);
const mwc = (name: string, webhooks: JsonObject[]): JsonObject => configuration('MutatingWebhookConfiguration', name, webhooks);

const pod: JsonObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } }, spec: {} };

function request(over: Partial<AdmissionRequest> = {}): AdmissionRequest {
  return {
    operation: 'CREATE',
    kind: { group: '', version: 'v1', kind: 'Pod' },
    resource: { group: '', version: 'v1', resource: 'pods' },
    subresource: '',
    name: 'web',
    namespace: 'default',
    object: pod,
    oldObject: null,
    options: reviewOptions('CREATE'),
    dryRun: false,
    user: { name: 'alice', groups: ['system:authenticated'] },
    ...over,
  };
}

function input(configurations: JsonObject[], over: Partial<WebhookInput> = {}): WebhookInput & { logged: JsonObject[] } {
  const logged: JsonObject[] = [];
  return {
    configurations,
    request: request(),
    namespaceLabels: (ns) => (ns === 'default' ? { 'kubernetes.io/metadata.name': 'default' } : undefined),
    resolveService: () => {
      throw new Error('no services here');
    },
    log: (line) => logged.push(line),
    newUid: () => 'uid-1',
    logged,
    ...over,
  };
}

function internal(message: string): AdmissionStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `Internal error occurred: ${message}`, reason: 'InternalError', details: { causes: [{ message }] }, code: 500 };
}

function denied(message: string, code: number): AdmissionStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code };
}

const FIND_KIND = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';
const post = (s: TestWebhookServer, t: number): string => `failed calling webhook "v.example.com": failed to call webhook: Post "${s.url}?timeout=${t}s": `;

type Row = [string, 'Fail' | 'Ignore', Script, 'good' | 'foreign', number, (s: TestWebhookServer) => AdmissionStatus | 'allowed'];

describe('runValidatingWebhooks against real HTTPS webhooks', () => {
  test.each<Row>([
    ['allows', 'Fail', answer({ allowed: true }), 'good', 5, () => 'allowed'],
    ['allows', 'Ignore', answer({ allowed: true }), 'good', 5, () => 'allowed'],
    ['denies with a message and code', 'Fail', answer({ allowed: false, status: { code: 403, message: 'no pods today' } }), 'good', 5, () => denied('admission webhook "v.example.com" denied the request: no pods today', 403)],
    ['denies with a message and code', 'Ignore', answer({ allowed: false, status: { code: 403, message: 'no pods today' } }), 'good', 5, () => denied('admission webhook "v.example.com" denied the request: no pods today', 403)],
    ['denies without a message', 'Fail', answer({ allowed: false }), 'good', 5, () => denied('admission webhook "v.example.com" denied the request without explanation', 400)],
    ['denies without a message', 'Ignore', answer({ allowed: false }), 'good', 5, () => denied('admission webhook "v.example.com" denied the request without explanation', 400)],
    ['times out', 'Fail', hang, 'good', 1, (s) => internal(`${post(s, 1)}context deadline exceeded`)],
    ['times out', 'Ignore', hang, 'good', 1, () => 'allowed'],
    ['answers garbage', 'Fail', raw(200, 'this is not json'), 'good', 5, () => internal(`failed calling webhook "v.example.com": failed to call webhook: couldn't get version/kind; json parse error: json: cannot unmarshal string into Go value of type ${FIND_KIND}`)],
    ['answers garbage', 'Ignore', raw(200, 'this is not json'), 'good', 5, () => 'allowed'],
    ['presents a certificate from another CA', 'Fail', answer({ allowed: true }), 'foreign', 5, (s) => internal(`${post(s, 5)}tls: failed to verify certificate: x509: certificate signed by unknown authority`)],
    ['presents a certificate from another CA', 'Ignore', answer({ allowed: true }), 'foreign', 5, () => 'allowed'],
    ['answers another uid', 'Fail', answer({ allowed: true }, { uid: 'other' }), 'good', 5, () => internal('failed calling webhook "v.example.com": received invalid webhook response: expected response.uid="uid-1", got "other"')],
    ['answers another uid', 'Ignore', answer({ allowed: true }, { uid: 'other' }), 'good', 5, () => 'allowed'],
    ['answers without a response', 'Fail', raw(200, '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}', 'application/json'), 'good', 5, () => internal('failed calling webhook "v.example.com": received invalid webhook response: webhook response was absent')],
    ['answers HTTP 500', 'Fail', raw(500, 'boom'), 'good', 5, () => internal('failed calling webhook "v.example.com": failed to call webhook: an error on the server ("boom") has prevented the request from succeeding')],
    ['answers HTTP 500', 'Ignore', raw(500, 'boom'), 'good', 5, () => 'allowed'],
  ])('a webhook that %s, failurePolicy %s', async (what, failurePolicy, script, tls, timeoutSeconds, expected) => {
    const s = await server(script, tls === 'good' ? good : foreign);
    const run = input([vwc('cfg', [hookSpec('v.example.com', s, { failurePolicy, timeoutSeconds })])]);
    const out = await runValidatingWebhooks(run);
    const want = expected(s);
    if (want === 'allowed') expect(out).toEqual({ allowed: true, warnings: [] });
    else expect(out).toEqual({ allowed: false, status: want, warnings: [] });
    expect(s.received).toHaveLength(tls === 'good' ? 1 : 0);
    // The real server logs a webhook failing open; nothing is logged otherwise.
    const failedOpen = failurePolicy === 'Ignore' && want === 'allowed' && what !== 'allows';
    expect(run.logged.map((l) => String(l['msg']).startsWith('Failed calling webhook, failing open v.example.com: '))).toEqual(failedOpen ? [true] : []);
  });

  test('webhooks are called in parallel', async () => {
    const slow: Script = (review, res) => setTimeout(() => answer({ allowed: true })(review, res), 700);
    const a = await server(slow);
    const b = await server(slow);
    const started = Date.now();
    const out = await runValidatingWebhooks(input([vwc('cfg', [hookSpec('a.example.com', a), hookSpec('b.example.com', b)])]));
    expect(out.allowed).toBe(true);
    expect(Date.now() - started).toBeLessThan(1300);
    expect([a.received.length, b.received.length]).toEqual([1, 1]);
  });

  test('the first denial to arrive wins, and warnings of webhooks that answered are kept', async () => {
    const late = await server((review, res) => setTimeout(() => answer({ allowed: false, status: { message: 'late' }, warnings: ['from late'] })(review, res), 300));
    const early = await server(answer({ allowed: false, status: { message: 'early' }, warnings: ['from early'] }));
    const fine = await server(answer({ allowed: true, warnings: ['from fine', 'from early'] }));
    const out = await runValidatingWebhooks(input([vwc('a', [hookSpec('late.example.com', late)]), vwc('b', [hookSpec('early.example.com', early), hookSpec('fine.example.com', fine)])]));
    expect(out.allowed ? undefined : out.status.message).toBe('admission webhook "early.example.com" denied the request: early');
    expect([...out.warnings].sort()).toEqual(['from early', 'from fine', 'from late']);
  });

  test.each<[string, Partial<AdmissionRequest>, JsonObject, number | 'allowed', number]>([
    ['a request the rules do not match calls nothing', { resource: { group: '', version: 'v1', resource: 'services' }, kind: { group: '', version: 'v1', kind: 'Service' } }, {}, 'allowed', 0],
    ['admission configuration itself is exempt', { resource: { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingwebhookconfigurations' }, kind: { group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingWebhookConfiguration' }, namespace: '' }, { rules: [{ ...podsRule, apiGroups: ['*'], resources: ['*'] }] }, 'allowed', 0],
    ['a missing namespace fails with 404 before any call', { namespace: 'gone' }, { namespaceSelector: { matchLabels: { x: 'y' } } }, 404, 0],
    ['an object the objectSelector excludes calls nothing', {}, { objectSelector: { matchLabels: { app: 'db' } } }, 'allowed', 0],
    ['a dry run with side effects is refused', { dryRun: true }, { sideEffects: 'Some' }, 400, 0],
    ['a dry run without side effects is sent', { dryRun: true }, { sideEffects: 'NoneOnDryRun' }, 'allowed', 1],
    ['a dry run with no sideEffects set fails the call', { dryRun: true }, { sideEffects: null }, 500, 0],
    ['a webhook with no known review version fails the call', {}, { admissionReviewVersions: ['v2'] }, 500, 0],
    ['a matchCondition refuses the request under Fail', {}, { matchConditions: [{ name: 'c', expression: 'true' }] }, 403, 0],
    ['a matchCondition skips the webhook under Ignore', {}, { failurePolicy: 'Ignore', matchConditions: [{ name: 'c', expression: 'true' }] }, 'allowed', 0],
  ])('%s', async (_name, over, spec, expected, calls) => {
    const s = await server(answer({ allowed: true }));
    const out = await runValidatingWebhooks(input([vwc('cfg', [hookSpec('v.example.com', s, spec)])], { request: request(over) }));
    expect(out.allowed ? 'allowed' : out.status.code).toBe(expected);
    expect(s.received).toHaveLength(calls);
  });

  test('the webhook sees the dry-run flag and the v1beta1 review it asked for', async () => {
    const s = await server(raw(200, JSON.stringify({ apiVersion: 'admission.k8s.io/v1beta1', kind: 'AdmissionReview', response: { allowed: true } }), 'application/json'));
    const out = await runValidatingWebhooks(input([vwc('cfg', [hookSpec('v.example.com', s, { admissionReviewVersions: ['v1beta1'] })])], { request: request({ dryRun: true }) }));
    expect(out.allowed).toBe(true);
    const sent = s.received[0]?.review;
    expect([sent?.['apiVersion'], (sent?.['request'] as JsonObject)['dryRun']]).toEqual(['admission.k8s.io/v1beta1', true]);
  });
});

const b64 = (ops: JsonObject[]): string => Buffer.from(JSON.stringify(ops)).toString('base64');
const patching = (ops: JsonObject[]): Script => answer({ allowed: true, patchType: 'JSONPatch', patch: b64(ops) });

describe('runMutatingWebhooks against real HTTPS webhooks', () => {
  test('patches apply in configuration-name order, each webhook seeing the previous result', async () => {
    const second = await server(patching([{ op: 'add', path: '/metadata/annotations', value: { second: 'yes' } }]));
    const first = await server(patching([{ op: 'add', path: '/metadata/labels/first', value: 'yes' }]));
    const out = await runMutatingWebhooks(input([mwc('b-second', [hookSpec('second.example.com', second)]), mwc('a-first', [hookSpec('first.example.com', first)])]));
    expect(out).toEqual({
      allowed: true,
      object: { ...pod, metadata: { name: 'web', namespace: 'default', labels: { app: 'web', first: 'yes' }, annotations: { second: 'yes' } } },
      warnings: [],
    });
    const seen = (second.received[0]?.review['request'] as JsonObject)['object'] as JsonObject;
    expect((seen['metadata'] as JsonObject)['labels']).toEqual({ app: 'web', first: 'yes' });
  });

  test.each<[string, 'Fail' | 'Ignore', Script, Partial<AdmissionRequest>, string | 'unchanged']>([
    ['garbage', 'Fail', raw(200, 'garbage'), {}, `Internal error occurred: failed calling webhook "m.example.com": failed to call webhook: couldn't get version/kind; json parse error: json: cannot unmarshal string into Go value of type ${FIND_KIND}`],
    ['garbage', 'Ignore', raw(200, 'garbage'), {}, 'unchanged'],
    ['a patch that does not decode', 'Fail', answer({ allowed: true, patchType: 'JSONPatch', patch: Buffer.from('{oops').toString('base64') }), {}, `Internal error occurred: failed calling webhook "m.example.com": received undecodable patch in webhook response: invalid character 'o' looking for beginning of object key string`],
    ['a patch that does not decode', 'Ignore', answer({ allowed: true, patchType: 'JSONPatch', patch: Buffer.from('{oops').toString('base64') }), {}, 'unchanged'],
    ['a patch that does not apply fails even under Ignore', 'Ignore', patching([{ op: 'remove', path: '/spec/missing' }]), {}, 'Internal error occurred: path "/spec/missing" does not exist'],
    ['a patch on a DELETE', 'Ignore', patching([{ op: 'add', path: '/x', value: 1 }]), { operation: 'DELETE', object: null, oldObject: pod }, 'Internal error occurred: admission webhook "m.example.com" attempted to modify the object, which is not supported for this operation'],
    ['an empty patch changes nothing, whatever its patchType', 'Fail', answer({ allowed: true, patchType: 'MergePatch', patch: b64([]) }), {}, 'unchanged'],
    ['a denial', 'Ignore', answer({ allowed: false, status: { message: 'no' } }), {}, 'admission webhook "m.example.com" denied the request: no'],
  ])('%s, failurePolicy %s', async (_name, failurePolicy, script, over, expected) => {
    const s = await server(script);
    const out = await runMutatingWebhooks(input([mwc('cfg', [hookSpec('m.example.com', s, { failurePolicy })])], { request: request(over) }));
    if (expected === 'unchanged') expect(out).toEqual({ allowed: true, object: over.object === undefined ? pod : over.object, warnings: [] });
    else expect(out.allowed ? undefined : out.status.message).toBe(expected);
  });

  test('a matchCondition skipped under Ignore is logged', async () => {
    const s = await server(answer({ allowed: true }));
    const run = input([vwc('cfg', [hookSpec('v.example.com', s, { failurePolicy: 'Ignore', matchConditions: [{ name: 'c', expression: 'true' }] })])]);
    await runValidatingWebhooks(run);
    expect(run.logged.map((l) => l['msg'])).toEqual(['Skipping webhook v.example.com: webhook "v.example.com" has matchConditions (c), and headland-apiserver cannot evaluate CEL expressions']);
  });

  test('under matchPolicy Equivalent the webhook patches its own version and the result returns to the request version', async () => {
    const s = await server(patching([{ op: 'add', path: '/spec/size', value: 3 }]));
    const widget: JsonObject = { apiVersion: 'example.com/v1beta1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' }, spec: {} };
    const crdRequest = request({ kind: { group: 'example.com', version: 'v1beta1', kind: 'Widget' }, resource: { group: 'example.com', version: 'v1beta1', resource: 'widgets' }, object: widget, equivalentVersions: ['v1', 'v1beta1'] });
    const rule = { operations: ['CREATE'], apiGroups: ['example.com'], apiVersions: ['v1'], resources: ['widgets'] };
    const out = await runMutatingWebhooks(input([mwc('cfg', [hookSpec('m.example.com', s, { rules: [rule] })])], { request: crdRequest }));
    expect(out).toEqual({ allowed: true, object: { ...widget, spec: { size: 3 } }, warnings: [] });
    const sent = s.received[0]?.review['request'] as JsonObject;
    expect([(sent['object'] as JsonObject)['apiVersion'], sent['kind'], sent['requestKind']]).toEqual([
      'example.com/v1',
      { group: 'example.com', version: 'v1', kind: 'Widget' },
      { group: 'example.com', version: 'v1beta1', kind: 'Widget' },
    ]);
  });

  test('an unsupported patchType under Fail is a failed call, once the patch has decoded', async () => {
    const s = await server(answer({ allowed: true, patchType: 'MergePatch', patch: b64([{ op: 'add', path: '/x', value: 1 }]) }));
    const out = await runMutatingWebhooks(input([mwc('cfg', [hookSpec('m.example.com', s)])]));
    expect(out.allowed ? undefined : out.status.message).toBe('Internal error occurred: failed calling webhook "m.example.com": unsupported patch type "MergePatch"');
  });
});
