import type { JsonObject } from '../json.js';
import type { Cell, Printer } from './printer.js';
import { daemonSetPrinter, deploymentPrinter, replicaSetPrinter, statefulSetPrinter } from './workload-printers.js';

const now = new Date('2024-05-01T12:00:00Z');
const meta = { name: 'web', namespace: 'default', creationTimestamp: '2024-04-29T09:00:00Z' };
const template = { spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }, { name: 'log', image: 'busybox' }], nodeSelector: { 'kubernetes.io/os': 'linux' } } };
const headers = (p: Printer): string[] => p.columns.map((c) => `${c.name.toUpperCase()}${c.priority === 1 ? '*' : ''}`);

test.each<[string, Printer, string[]]>([
  ['Deployment', deploymentPrinter, ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS*', 'IMAGES*', 'SELECTOR*']],
  ['DaemonSet', daemonSetPrinter, ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE', 'CONTAINERS*', 'IMAGES*', 'SELECTOR*']],
  ['ReplicaSet', replicaSetPrinter, ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE', 'CONTAINERS*', 'IMAGES*', 'SELECTOR*']],
  ['StatefulSet', statefulSetPrinter, ['NAME', 'READY', 'AGE', 'CONTAINERS*', 'IMAGES*']],
])('%s headers', (_, printer, want) => {
  expect(headers(printer)).toEqual(want);
});

test.each<[string, Printer, JsonObject, Cell[]]>([
  [
    'a Deployment rolling out',
    deploymentPrinter,
    { metadata: meta, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } },
    ['web', '2/3', 3, 2, '2d3h', 'nginx,log', 'nginx:1.25,busybox', 'app=web'],
  ],
  ['a new Deployment, replicas defaulted', deploymentPrinter, { metadata: meta, spec: { template: { spec: { containers: [] } } } }, ['web', '0/1', 0, 0, '2d3h', '', '', '']],
  ['a Deployment scaled to zero', deploymentPrinter, { metadata: meta, spec: { replicas: 0, selector: { matchLabels: { app: 'web' } }, template } }, ['web', '0/0', 0, 0, '2d3h', 'nginx,log', 'nginx:1.25,busybox', 'app=web']],
  ['a Deployment with a broken selector', deploymentPrinter, { metadata: meta, spec: { replicas: 1, selector: { matchExpressions: [{ key: 'a', operator: 'Near' }] }, template } }, ['web', '0/1', 0, 0, '2d3h', 'nginx,log', 'nginx:1.25,busybox', '<invalid>']],
  [
    'a DaemonSet',
    daemonSetPrinter,
    { metadata: meta, spec: { selector: { matchLabels: { app: 'speaker' } }, template }, status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 } },
    ['web', 3, 3, 2, 3, 2, 'kubernetes.io/os=linux', '2d3h', 'nginx,log', 'nginx:1.25,busybox', 'app=speaker'],
  ],
  ['a DaemonSet on every node', daemonSetPrinter, { metadata: meta, spec: { template: { spec: { containers: [{ name: 'a', image: 'b' }] } } } }, ['web', 0, 0, 0, 0, 0, '<none>', '2d3h', 'a', 'b', '<none>']],
  ['a ReplicaSet', replicaSetPrinter, { metadata: meta, spec: { replicas: 2, selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d' } }, template }, status: { replicas: 2, readyReplicas: 1 } }, ['web', 2, 2, 1, '2d3h', 'nginx,log', 'nginx:1.25,busybox', 'app=web,pod-template-hash=5d']],
  ['a StatefulSet', statefulSetPrinter, { metadata: meta, spec: { replicas: 3, template }, status: { readyReplicas: 3 } }, ['web', '3/3', '2d3h', 'nginx,log', 'nginx:1.25,busybox']],
])('%s', (_, printer, obj, cells) => {
  expect(printer.print(obj, now).cells).toEqual(cells);
});
