// The project's RBAC manifests, read as a cluster would hold them: what they let the speaker and
// the controller do, checked against the requests each program makes (paths as they send them).

import { readdirSync, readFileSync } from 'node:fs';
import { ALL_KINDS, API_VERSION, STATUS_KINDS } from '@headland/api';
import { parseAllDocuments } from 'yaml';
import type { UserInfo } from '../identity.js';
import { authorize } from './authorizer.js';
import { bootstrapPolicy } from './bootstrap.js';
import { forbiddenMessage } from './forbidden.js';
import { MemoryRbac } from './memory.js';
import type { RbacObject } from './objects.js';
import { requestAttributes } from './request-info.js';

const MANIFESTS = new URL('../../../../manifests/', import.meta.url);

function load(file: URL): RbacObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as unknown)
    .filter((o): o is RbacObject => typeof o === 'object' && o !== null);
}

const rbacFiles = readdirSync(new URL('rbac/', MANIFESTS)).filter((f) => f.endsWith('.yaml'));
const rbacObjects = rbacFiles.flatMap((f) => load(new URL(`rbac/${f}`, MANIFESTS)));
const cluster = new MemoryRbac([...bootstrapPolicy().clusterRoles, ...bootstrapPolicy().clusterRoleBindings, ...rbacObjects]);

/** The identity a workload's pods run as, and the --namespace it is given, from its manifest. */
function workload(file: string, kind: string): { user: UserInfo; namespace: string; serviceAccount: string } {
  const obj = load(new URL(file, MANIFESTS)).find((o) => o['kind'] === kind) as
    | { metadata: { namespace: string }; spec: { template: { spec: { serviceAccountName: string; containers: { command: string[] }[] } } } }
    | undefined;
  if (obj === undefined) throw new Error(`no ${kind} in manifests/${file}`);
  const ns = obj.metadata.namespace;
  const sa = obj.spec.template.spec.serviceAccountName;
  const command = obj.spec.template.spec.containers[0]?.command ?? [];
  const flag = command.indexOf('--namespace');
  return {
    user: { name: `system:serviceaccount:${ns}:${sa}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'] },
    namespace: flag >= 0 ? (command[flag + 1] ?? '') : ns,
    serviceAccount: sa,
  };
}

const speaker = workload('speaker.yaml', 'DaemonSet');
const controller = workload('controller.yaml', 'Deployment');

test.each([
  ['speaker', speaker],
  ['controller', controller],
])('the %s runs as a ServiceAccount the RBAC manifests define, in its own namespace', (_what, w) => {
  const account = rbacObjects.find((o) => o['kind'] === 'ServiceAccount' && (o['metadata'] as { name?: string }).name === w.serviceAccount);
  expect(account?.['metadata']).toMatchObject({ name: w.serviceAccount, namespace: w.namespace });
});

function allowed(user: UserInfo, method: string, target: string): boolean {
  const url = new URL(target, 'https://apiserver');
  return authorize(requestAttributes(user, method, url.pathname, url.searchParams), cluster).allowed;
}

const hl = `/apis/${API_VERSION}`;
const statusPlurals = STATUS_KINDS.map((k) => k.plural);
const configPlurals = ALL_KINDS.map((k) => k.plural);

describe('speaker', () => {
  const ns = speaker.namespace;
  test.each([
    // Informers: list, then watch.
    ['GET', '/api/v1/services'],
    ['GET', '/api/v1/services?watch=true'],
    ['GET', '/apis/discovery.k8s.io/v1/endpointslices?watch=true'],
    ['GET', '/api/v1/nodes'],
    ['GET', '/api/v1/nodes?watch=1'],
    ['GET', `/api/v1/namespaces/${ns}/secrets`],
    ['GET', `/api/v1/namespaces/${ns}/secrets?watch=true`],
    ...configPlurals.flatMap((p) => [
      ['GET', `${hl}/namespaces/${ns}/${p}`],
      ['GET', `${hl}/namespaces/${ns}/${p}?watch=true`],
    ]),
    ['GET', `${hl}/namespaces/${ns}/servicel2statuses?watch=true`],
    // Its status objects: read, create, write status, delete.
    ...statusPlurals.flatMap((p) => [
      ['GET', `${hl}/namespaces/${ns}/${p}/node-a.web`],
      ['POST', `${hl}/namespaces/${ns}/${p}`],
      ['PUT', `${hl}/namespaces/${ns}/${p}/node-a.web/status`],
      ['PATCH', `${hl}/namespaces/${ns}/${p}/node-a.web/status`],
      ['DELETE', `${hl}/namespaces/${ns}/${p}/node-a.web`],
    ]),
    // Events on Services in any namespace.
    ['POST', '/api/v1/namespaces/default/events'],
    ['PATCH', '/api/v1/namespaces/default/events/web.17a'],
    // After a 409 on create the recorder reads the Event back (kube/src/events.ts).
    ['GET', '/api/v1/namespaces/default/events/web.17a'],
  ])('may %s %s', (method, target) => {
    expect(allowed(speaker.user, method, target)).toBe(true);
  });

  test.each([
    ['PUT', '/api/v1/namespaces/default/services/web'],
    ['PATCH', '/api/v1/namespaces/default/services/web'],
    ['PATCH', '/api/v1/namespaces/default/services/web/status'],
    ['GET', '/api/v1/namespaces/default/secrets/s'],
    ['GET', '/api/v1/namespaces/kube-system/secrets'],
    ['GET', '/api/v1/secrets'],
    ['PATCH', `/api/v1/nodes/node-a`],
    ['POST', `${hl}/namespaces/default/servicebgpstatuses`],
    ['PUT', `${hl}/namespaces/${ns}/ipaddresspools/pool/status`],
    ['POST', `${hl}/namespaces/${ns}/ipaddresspools`],
    ['PUT', `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/headland-controller`],
  ])('may not %s %s', (method, target) => {
    expect(allowed(speaker.user, method, target)).toBe(false);
  });

  test('the 403 it would get for a Service status', () => {
    const attrs = requestAttributes(speaker.user, 'PATCH', '/api/v1/namespaces/y/services/x/status', new URLSearchParams());
    const decision = authorize(attrs, cluster);
    expect(forbiddenMessage(attrs, decision.reason)).toBe(
      `services "x" is forbidden: User "system:serviceaccount:${speaker.namespace}:headland-speaker" cannot patch resource "services/status" in API group "" in the namespace "y"`,
    );
  });
});

describe('controller', () => {
  const ns = controller.namespace;
  test.each([
    ['GET', '/api/v1/services'],
    ['GET', '/api/v1/services?watch=true'],
    ['GET', '/api/v1/namespaces?watch=true'],
    ['GET', '/api/v1/namespaces/default/services/web'],
    ['PATCH', '/api/v1/namespaces/default/services/web/status'],
    ['PUT', '/api/v1/namespaces/default/services/web/status'],
    ['PATCH', '/api/v1/namespaces/default/services/web'],
    ...configPlurals.flatMap((p) => [
      ['GET', `${hl}/namespaces/${ns}/${p}?watch=true`],
      ['PATCH', `${hl}/namespaces/${ns}/${p}/x/status`],
    ]),
    // Services with endpoints and the speakers' status objects (SpeakerStatus, ServiceL2Status), for the unannounced-Services metric.
    ['GET', '/apis/discovery.k8s.io/v1/endpointslices'],
    ['GET', '/apis/discovery.k8s.io/v1/endpointslices?watch=true'],
    ['GET', `${hl}/namespaces/${ns}/speakerstatuses?watch=true`],
    ['GET', `${hl}/namespaces/${ns}/servicel2statuses`],
    // The webhook's certificate Secret (created if missing, renewed by name) and its caBundle.
    ['GET', `/api/v1/namespaces/${ns}/secrets/headland-webhook-cert`],
    ['POST', `/api/v1/namespaces/${ns}/secrets`],
    ['PUT', `/api/v1/namespaces/${ns}/secrets/headland-webhook-cert`],
    ['GET', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/headland-validating-webhook'],
    ['PATCH', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/headland-validating-webhook'],
    ['GET', `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/headland-controller`],
    ['POST', `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`],
    ['PUT', `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/headland-controller`],
    ['POST', '/api/v1/namespaces/default/events'],
    ['PATCH', '/api/v1/namespaces/default/events/web.17a'],
    // After a 409 on create the recorder reads the Event back (kube/src/events.ts).
    ['GET', '/api/v1/namespaces/default/events/web.17a'],
  ])('may %s %s', (method, target) => {
    expect(allowed(controller.user, method, target)).toBe(true);
  });

  test.each([
    ['GET', `/api/v1/namespaces/${ns}/secrets`],
    ['GET', `/api/v1/namespaces/${ns}/secrets?watch=true`],
    ['GET', `/api/v1/namespaces/${ns}/secrets/headland-memberlist`],
    ['PUT', `/api/v1/namespaces/${ns}/secrets/headland-memberlist`],
    ['DELETE', `/api/v1/namespaces/${ns}/secrets/headland-webhook-cert`],
    ['POST', '/api/v1/namespaces/default/secrets'],
    ['GET', '/api/v1/namespaces/default/secrets/s'],
    ['GET', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations'],
    ['PATCH', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/other'],
    ['DELETE', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/headland-validating-webhook'],
    ['PATCH', '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/headland-validating-webhook'],
    ['PUT', '/api/v1/namespaces/default/services/web'],
    ['DELETE', '/api/v1/namespaces/default/services/web'],
    ['GET', `${hl}/namespaces/default/ipaddresspools`],
    ['PATCH', `${hl}/namespaces/${ns}/ipaddresspools/x`],
    ['POST', `${hl}/namespaces/${ns}/servicebgpstatuses`],
    ['PATCH', `${hl}/namespaces/${ns}/servicel2statuses/node-a.web/status`],
    ['GET', `${hl}/namespaces/default/servicebgpstatuses`],
    ['PATCH', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/web-abc'],
    ['GET', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/x'],
    ['DELETE', `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/headland-controller`],
  ])('may not %s %s', (method, target) => {
    expect(allowed(controller.user, method, target)).toBe(false);
  });
});
