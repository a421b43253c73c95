import type { JsonObject } from '../json.js';
import { configMapPrinter, endpointsPrinter, namespacePrinter, nodePrinter, secretPrinter, serviceAccountPrinter, servicePrinter } from './core-printers.js';
import type { Cell, Printer } from './printer.js';

const now = new Date('2024-05-01T12:00:00Z');
const ago = (seconds: number): string => new Date(now.getTime() - seconds * 1000).toISOString().replace('.000Z', 'Z');
const meta = (name: string, extra: JsonObject = {}): JsonObject => ({ name, namespace: 'default', creationTimestamp: ago(5), ...extra });
const headers = (p: Printer): string[] => p.columns.map((c) => `${c.name}${c.priority === 1 ? '*' : ''}`);

describe('Services', () => {
  test('columns', () => {
    expect(headers(servicePrinter)).toEqual(['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector*']);
  });

  const svc = (name: string, spec: JsonObject, status: JsonObject = {}): JsonObject => ({ metadata: meta(name), spec, status });
  test.each<[string, JsonObject, Cell[]]>([
    ['ClusterIP', svc('web', { type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, protocol: 'TCP' }], selector: { app: 'web' } }), ['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP', '5s', 'app=web']],
    [
      'NodePort with externalIPs',
      svc('np', { type: 'NodePort', clusterIPs: ['10.96.0.11'], externalIPs: ['192.0.2.1', '192.0.2.2'], ports: [{ port: 80, nodePort: 31234, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }] }),
      ['np', 'NodePort', '10.96.0.11', '192.0.2.1,192.0.2.2', '80:31234/TCP,443/TCP', '5s', '<none>'],
    ],
    ['LoadBalancer waiting for an address', svc('lb', { type: 'LoadBalancer', clusterIPs: ['10.96.0.12'], ports: [{ port: 53, nodePort: 30053, protocol: 'UDP' }] }), ['lb', 'LoadBalancer', '10.96.0.12', '<pending>', '53:30053/UDP', '5s', '<none>']],
    [
      'LoadBalancer ingress sorted and deduplicated, then externalIPs',
      svc('lb', { type: 'LoadBalancer', clusterIPs: ['10.96.0.12'], externalIPs: ['198.51.100.9'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] }, { loadBalancer: { ingress: [{ ip: '203.0.113.7' }, { hostname: 'lb.example.com' }, { ip: '2001:db8::7' }, { ip: '203.0.113.7' }] } }),
      ['lb', 'LoadBalancer', '10.96.0.12', '2001:db8::7,203.0.113.7,lb.example.com,198.51.100.9', '80:30080/TCP', '5s', '<none>'],
    ],
    ['LoadBalancer with externalIPs only', svc('lb', { type: 'LoadBalancer', clusterIPs: ['10.96.0.12'], externalIPs: ['198.51.100.9'], ports: [] }), ['lb', 'LoadBalancer', '10.96.0.12', '198.51.100.9', '<none>', '5s', '<none>']],
    ['ExternalName', svc('ext', { type: 'ExternalName', externalName: 'db.example.com' }), ['ext', 'ExternalName', '<none>', 'db.example.com', '<none>', '5s', '<none>']],
    ['headless', svc('hl', { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 5432, protocol: 'TCP' }], selector: { tier: 'db', app: 'pg' } }), ['hl', 'ClusterIP', 'None', '<none>', '5432/TCP', '5s', 'app=pg,tier=db']],
    ['clusterIP without clusterIPs', svc('old', { type: 'ClusterIP', clusterIP: '10.96.0.13', ports: [{ port: 80, protocol: 'TCP' }] }), ['old', 'ClusterIP', '10.96.0.13', '<none>', '80/TCP', '5s', '<none>']],
    ['no type', svc('odd', { clusterIPs: ['10.96.0.14'] }), ['odd', '', '10.96.0.14', '<unknown>', '<none>', '5s', '<none>']],
  ])('%s', (_, obj, cells) => {
    expect(servicePrinter.print(obj, now).cells).toEqual(cells);
  });
});

describe('Nodes', () => {
  test('columns', () => {
    expect(headers(nodePrinter)).toEqual(['Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP*', 'External-IP*', 'OS-Image*', 'Kernel-Version*', 'Container-Runtime*']);
  });

  const info = { kubeletVersion: 'v1.32.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0-18-amd64', containerRuntimeVersion: 'containerd://1.7.13' };
  test.each<[string, JsonObject, Cell[]]>([
    [
      'a ready control plane',
      {
        metadata: meta('cp-1', { labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/': '', 'kubernetes.io/role': 'master' } }),
        status: { conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }], addresses: [{ type: 'Hostname', address: 'cp-1' }, { type: 'InternalIP', address: '10.0.0.1' }, { type: 'InternalIP', address: '10.0.0.9' }], nodeInfo: info },
      },
      ['cp-1', 'Ready', 'control-plane,master', '5s', 'v1.32.0', '10.0.0.1', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0-18-amd64', 'containerd://1.7.13'],
    ],
    [
      'cordoned and not ready',
      { metadata: meta('w-1'), spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }], addresses: [{ type: 'ExternalIP', address: '203.0.113.4' }], nodeInfo: info } },
      ['w-1', 'NotReady,SchedulingDisabled', '<none>', '5s', 'v1.32.0', '<none>', '203.0.113.4', 'Debian GNU/Linux 12 (bookworm)', '6.1.0-18-amd64', 'containerd://1.7.13'],
    ],
    ['not reporting yet', { metadata: meta('w-2') }, ['w-2', 'Unknown', '<none>', '5s', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']],
  ])('%s', (_, obj, cells) => {
    expect(nodePrinter.print(obj, now).cells).toEqual(cells);
  });
});

describe('small core types', () => {
  test.each<[string, Printer, JsonObject, string[], Cell[]]>([
    ['Namespace', namespacePrinter, { metadata: meta('team-a'), status: { phase: 'Active' } }, ['Name', 'Status', 'Age'], ['team-a', 'Active', '5s']],
    ['Namespace being deleted', namespacePrinter, { metadata: meta('old'), status: { phase: 'Terminating' } }, ['Name', 'Status', 'Age'], ['old', 'Terminating', '5s']],
    ['Secret', secretPrinter, { metadata: meta('tls'), type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==', 'tls.key': 'eQ==' } }, ['Name', 'Type', 'Data', 'Age'], ['tls', 'kubernetes.io/tls', 2, '5s']],
    ['Secret with stringData, untyped', secretPrinter, { metadata: meta('s'), data: { a: 'eA==' }, stringData: { a: 'x', b: 'y' } }, ['Name', 'Type', 'Data', 'Age'], ['s', 'Opaque', 2, '5s']],
    ['ConfigMap', configMapPrinter, { metadata: meta('cfg'), data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }, ['Name', 'Data', 'Age'], ['cfg', 3, '5s']],
    ['empty ConfigMap', configMapPrinter, { metadata: meta('none') }, ['Name', 'Data', 'Age'], ['none', 0, '5s']],
    ['ServiceAccount', serviceAccountPrinter, { metadata: meta('default'), secrets: [{ name: 'token' }] }, ['Name', 'Secrets', 'Age'], ['default', 1, '5s']],
    [
      'Endpoints',
      endpointsPrinter,
      { metadata: meta('web'), subsets: [{ addresses: [{ ip: '10.1.0.1' }, { ip: 'fd00::1' }], ports: [{ port: 80 }, { port: 443 }] }] },
      ['Name', 'Endpoints', 'Age'],
      ['web', '10.1.0.1:80,[fd00::1]:80,10.1.0.1:443 + 1 more...', '5s'],
    ],
    ['Endpoints of a headless service without ports', endpointsPrinter, { metadata: meta('hl'), subsets: [{ addresses: [{ ip: '10.1.0.1' }] }] }, ['Name', 'Endpoints', 'Age'], ['hl', '10.1.0.1', '5s']],
    ['Endpoints with no subsets', endpointsPrinter, { metadata: meta('none') }, ['Name', 'Endpoints', 'Age'], ['none', '<none>', '5s']],
  ])('%s', (_, printer, obj, columns, cells) => {
    expect(printer.columns.map((c) => c.name)).toEqual(columns);
    expect(printer.print(obj, now).cells).toEqual(cells);
  });
});
