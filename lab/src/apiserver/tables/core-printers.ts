// Server-side printing of the core/v1 types besides Pods and Events: the columns of
// kube-apiserver's printers for Services, Nodes, Namespaces, Secrets and the like, cell by cell.

import type { Json, JsonObject } from '../json.js';
import { since } from './duration.js';
import { formatLabels } from './labels.js';
import { AGE_COLUMN, column, count, createdOf, int, list, meta, NAME_COLUMN, nameOf, obj, str, type Printer } from './printer.js';

const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** The load balancer's IPs (or host names), deduplicated and sorted as a Go string set lists them. */
function loadBalancerAddresses(status: JsonObject): string[] {
  const seen = new Set<string>();
  for (const ing of list(obj(status['loadBalancer'])['ingress']).map(obj)) {
    const ip = str(ing['ip']);
    const host = str(ing['hostname']);
    if (ip !== '') seen.add(ip);
    else if (host !== '') seen.add(host);
  }
  return [...seen].sort(byBytes);
}

/** getServiceExternalIP with wide output, as the server always prints. */
export function serviceExternalIP(svc: JsonObject): string {
  const spec = obj(svc['spec']);
  const externalIPs = list(spec['externalIPs']).map(str);
  switch (str(spec['type'])) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const all = [...loadBalancerAddresses(obj(svc['status'])), ...externalIPs];
      return all.length > 0 ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return str(spec['externalName']);
    default:
      return '<unknown>';
  }
}

/** makePortString: `80/TCP`, or `80:31234/TCP` with a node port. */
export function servicePorts(ports: Json | undefined): string {
  const text = list(ports)
    .map(obj)
    .map((p) => (int(p['nodePort']) > 0 ? `${int(p['port'])}:${int(p['nodePort'])}/${str(p['protocol'])}` : `${int(p['port'])}/${str(p['protocol'])}`))
    .join(',');
  return text === '' ? '<none>' : text;
}

export const servicePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Type', 'string', 'How the Service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.'),
    column('Cluster-IP', 'string', 'The virtual IP of the Service inside the cluster.'),
    column('External-IP', 'string', 'Addresses outside the cluster: load balancer ingress and externalIPs.'),
    column('Port(s)', 'string', 'The ports of the Service, with node ports where allocated.'),
    AGE_COLUMN,
    column('Selector', 'string', 'The pod labels the Service sends traffic to.', { priority: 1 }),
  ],
  print(svc, now) {
    const spec = obj(svc['spec']);
    // kube-apiserver keeps clusterIPs in step with clusterIP, so a stored Service has both.
    const clusterIP = str(list(spec['clusterIPs'])[0]) || str(spec['clusterIP']) || '<none>';
    return { cells: [nameOf(svc), str(spec['type']), clusterIP, serviceExternalIP(svc), servicePorts(spec['ports']), since(createdOf(svc), now), formatLabels(spec['selector'])] };
  },
};

function nodeAddress(node: JsonObject, type: string): string {
  const found = list(obj(node['status'])['addresses'])
    .map(obj)
    .find((a) => a['type'] === type);
  return found === undefined ? '<none>' : str(found['address']);
}

/** node-role.kubernetes.io/<role> labels and the older kubernetes.io/role=<role>, sorted. */
function nodeRoles(node: JsonObject): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(obj(meta(node)['labels']))) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role !== '') roles.add(role);
    } else if (k === 'kubernetes.io/role' && str(v) !== '') roles.add(str(v));
  }
  return [...roles].sort(byBytes);
}

export const nodePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Status', 'string', 'Whether the node is Ready, and whether it takes new pods.'),
    column('Roles', 'string', 'The roles the node labels claim.'),
    AGE_COLUMN,
    column('Version', 'string', 'The kubelet version the node reports.'),
    column('Internal-IP', 'string', 'The first InternalIP address of the node.', { priority: 1 }),
    column('External-IP', 'string', 'The first ExternalIP address of the node.', { priority: 1 }),
    column('OS-Image', 'string', 'The operating system image the node reports.', { priority: 1 }),
    column('Kernel-Version', 'string', 'The kernel version the node reports.', { priority: 1 }),
    column('Container-Runtime', 'string', 'The container runtime and version the node reports.', { priority: 1 }),
  ],
  print(node, now) {
    const status = obj(node['status']);
    // The last Ready condition wins, as the Go printer keys conditions by type.
    const ready = list(status['conditions'])
      .map(obj)
      .filter((c) => c['type'] === 'Ready')
      .at(-1);
    const states = [ready === undefined ? 'Unknown' : ready['status'] === 'True' ? 'Ready' : 'NotReady'];
    if (obj(node['spec'])['unschedulable'] === true) states.push('SchedulingDisabled');
    const roles = nodeRoles(node).join(',');
    const info = obj(status['nodeInfo']);
    const known = (v: Json | undefined): string => str(v) || '<unknown>';
    return {
      cells: [
        nameOf(node),
        states.join(','),
        roles === '' ? '<none>' : roles,
        since(createdOf(node), now),
        str(info['kubeletVersion']),
        nodeAddress(node, 'InternalIP'),
        nodeAddress(node, 'ExternalIP'),
        known(info['osImage']),
        known(info['kernelVersion']),
        known(info['containerRuntimeVersion']),
      ],
    };
  },
};

export const namespacePrinter: Printer = {
  columns: [NAME_COLUMN, column('Status', 'string', 'The phase of the namespace: Active or Terminating.'), AGE_COLUMN],
  print: (ns, now) => ({ cells: [nameOf(ns), str(obj(ns['status'])['phase']), since(createdOf(ns), now)] }),
};

export const secretPrinter: Printer = {
  columns: [NAME_COLUMN, column('Type', 'string', 'The kind of secret, which fixes the keys it holds.'), column('Data', 'string', 'How many keys the secret holds.'), AGE_COLUMN],
  print(secret, now) {
    // stringData is folded into data on write; `type` defaults to Opaque.
    const keys = new Set([...Object.keys(obj(secret['data'])), ...Object.keys(obj(secret['stringData']))]);
    return { cells: [nameOf(secret), str(secret['type']) || 'Opaque', keys.size, since(createdOf(secret), now)] };
  },
};

export const configMapPrinter: Printer = {
  columns: [NAME_COLUMN, column('Data', 'string', 'How many keys the config map holds, text and binary.'), AGE_COLUMN],
  print: (cm, now) => ({ cells: [nameOf(cm), count(cm['data']) + count(cm['binaryData']), since(createdOf(cm), now)] }),
};

export const serviceAccountPrinter: Printer = {
  columns: [NAME_COLUMN, column('Secrets', 'string', 'How many secrets the service account lists.'), AGE_COLUMN],
  print: (sa, now) => ({ cells: [nameOf(sa), count(sa['secrets']), since(createdOf(sa), now)] }),
};

/** formatEndpoints: up to three `ip:port` (or bare ip) entries, then how many more. */
function endpointsCell(subsets: Json | undefined): string {
  const all = list(subsets).map(obj);
  if (all.length === 0) return '<none>';
  const shown: string[] = [];
  let total = 0;
  let more = false;
  const add = (entry: string): void => {
    if (shown.length === 3) more = true;
    else shown.push(entry);
  };
  for (const ss of all) {
    const addresses = list(ss['addresses']).map((a) => str(obj(a)['ip']));
    const ports = list(ss['ports']).map(obj);
    if (ports.length === 0) {
      total += addresses.length;
      for (const ip of addresses) if (!more) add(ip);
      continue;
    }
    for (const p of ports) {
      total += addresses.length;
      for (const ip of addresses) if (!more) add(ip.includes(':') ? `[${ip}]:${int(p['port'])}` : `${ip}:${int(p['port'])}`);
    }
  }
  return more ? `${shown.join(',')} + ${total - 3} more...` : shown.join(',');
}

export const endpointsPrinter: Printer = {
  columns: [NAME_COLUMN, column('Endpoints', 'string', 'The addresses and ports of the endpoints.'), AGE_COLUMN],
  print: (ep, now) => ({ cells: [nameOf(ep), endpointsCell(ep['subsets']), since(createdOf(ep), now)] }),
};
