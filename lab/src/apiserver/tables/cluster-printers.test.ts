import type { JsonObject } from '../json.js';
import { endpointSlicePrinter, leasePrinter, roleBindingPrinter, webhookConfigurationPrinter } from './cluster-printers.js';
import type { Cell, Printer } from './printer.js';
import { builtinPrinter, defaultPrinter } from './printers.js';

const now = new Date('2024-05-01T12:00:00Z');
const meta = (name: string): JsonObject => ({ name, creationTimestamp: '2024-03-17T12:00:00Z' });

test.each<[string, Printer, JsonObject, string[], Cell[]]>([
  [
    'an EndpointSlice with more than three addresses',
    endpointSlicePrinter,
    { metadata: meta('web-abc12'), addressType: 'IPv4', ports: [{ name: 'http', port: 80 }, { name: 'metrics' }, {}], endpoints: [{ addresses: ['10.1.0.1', '10.1.0.2'] }, { addresses: ['10.1.0.3'] }, { addresses: ['10.1.0.4'] }] },
    ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age'],
    ['web-abc12', 'IPv4', '80,metrics,*', '10.1.0.1,10.1.0.2,10.1.0.3 + 1 more...', '45d'],
  ],
  [
    'an empty EndpointSlice',
    endpointSlicePrinter,
    { metadata: meta('web-empty'), addressType: 'IPv6', ports: [{ port: 1 }, { port: 2 }, { port: 3 }, { port: 4 }, { port: 5 }], endpoints: [] },
    ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age'],
    ['web-empty', 'IPv6', '1,2,3 + 2 more...', '<unset>', '45d'],
  ],
  ['a held Lease', leasePrinter, { metadata: meta('headland-controller'), spec: { holderIdentity: 'cp-1_4f2e' } }, ['Name', 'Holder', 'Age'], ['headland-controller', 'cp-1_4f2e', '45d']],
  ['a free Lease', leasePrinter, { metadata: meta('free'), spec: {} }, ['Name', 'Holder', 'Age'], ['free', '', '45d']],
  [
    'a RoleBinding',
    roleBindingPrinter,
    {
      metadata: meta('read'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [
        { kind: 'User', name: 'alice' },
        { kind: 'Group', name: 'devs' },
        { kind: 'ServiceAccount', name: 'speaker', namespace: 'headland-system' },
        { kind: 'User', name: 'bob' },
        { kind: 'ServiceAccount', name: 'ctl', namespace: 'headland-system' },
      ],
    },
    ['Name', 'Role', 'Age', 'Users', 'Groups', 'ServiceAccounts'],
    ['read', 'ClusterRole/view', '45d', 'alice, bob', 'devs', 'headland-system/speaker, headland-system/ctl'],
  ],
  ['a ValidatingWebhookConfiguration', webhookConfigurationPrinter, { metadata: meta('headland'), webhooks: [{ name: 'a' }, { name: 'b' }] }, ['Name', 'Webhooks', 'Age'], ['headland', 2, '45d']],
  ['a ClusterRole (default table)', defaultPrinter, { metadata: meta('view') }, ['Name', 'Created At'], ['view', '2024-03-17T12:00:00Z']],
  ['a fraction of a second is dropped', defaultPrinter, { metadata: { name: 'x', creationTimestamp: '2024-03-17T12:00:00.75+01:00' } }, ['Name', 'Created At'], ['x', '2024-03-17T11:00:00Z']],
  ['no creation time', defaultPrinter, { metadata: { name: 'x' } }, ['Name', 'Created At'], ['x', '0001-01-01T00:00:00Z']],
])('%s', (_, printer, obj, columns, cells) => {
  expect(printer.columns.map((c) => c.name)).toEqual(columns);
  expect(printer.print(obj, now).cells).toEqual(cells);
});

test.each([
  ['', 'services', 'Port(s)'],
  ['events.k8s.io', 'events', 'Last Seen'],
  ['rbac.authorization.k8s.io', 'clusterrolebindings', 'Role'],
  ['admissionregistration.k8s.io', 'mutatingwebhookconfigurations', 'Webhooks'],
  ['rbac.authorization.k8s.io', 'roles', undefined],
  ['apiextensions.k8s.io', 'customresourcedefinitions', undefined],
])('%s/%s prints a column %s of its own', (group, plural, name) => {
  const names = builtinPrinter(group, plural)?.columns.map((c) => c.name);
  if (name === undefined) expect(names).toBeUndefined();
  else expect(names).toContain(name);
});
