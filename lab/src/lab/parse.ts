// Parses and validates a containerlab-format topology (*.clab.yml) into the lab's model.
// Pure: text and file path in, Topology out or a TopologyError naming the node/link and field.

import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  contains,
  firstHost,
  formatAddress,
  formatPrefix,
  isLabAddress,
  isLabPrefix,
  isMgmtAddress,
  isNetwork,
  parseAddress,
  parsePrefix,
  type Address,
  type Prefix,
} from './cidr.js';
import { TopologyError } from './errors.js';
import { labNameProblem, MAX_MGMT_NODES, nodeNameProblem } from './naming.js';
import { KINDS, ROUTER_KINDS, type Kind, type LabNode, type Link, type LinkEnd, type Pod, type Route, type Topology } from './topology.js';

type Obj = Record<string, unknown>;

const IFACE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;
const SYSCTL = /^net\.[A-Za-z0-9_./-]+$/;
/** Interface names the lab itself uses inside a namespace of that kind. */
const RESERVED_IFACES: Record<Kind, RegExp> = {
  linux: /^(lo|mgmt0)$/,
  bridge: /^(lo|br0)$/,
  'k8s-node': /^(lo|mgmt0|pods|vp[0-9]+)$/,
  frr: /^(lo|mgmt0)$/,
  bird: /^(lo|mgmt0)$/,
  gobgp: /^(lo|mgmt0)$/,
  exabgp: /^(lo|mgmt0)$/,
};
/** containerlab node keys that mean nothing without containers: accepted, noted, ignored. */
const IGNORED_KEYS = new Set(['image', 'binds', 'labels', 'group', 'type', 'license', 'ports', 'cpu', 'memory', 'user', 'entrypoint', 'cmd', 'network-mode', 'publish', 'mgmt-ipv6', 'startup-delay', 'enforce-startup-config', 'suppress-startup-config', 'env-files', 'extras', 'wait-for', 'dns', 'certificate', 'healthcheck', 'stages']);
const NODE_KEYS = new Set(['kind', 'startup-config', 'exec', 'env', 'mgmt-ipv4', 'interfaces', 'routes', 'sysctls', 'forwarding', 'pod-subnets', 'pods']);
const MGMT_FIRST_HOST = 10;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses topology text; `file` anchors relative startup-config paths ("" keeps them as written). */
export function parseTopology(text: string, file = ''): Topology {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new TopologyError('file', `not valid YAML: ${(err as Error).message.split('\n')[0] ?? ''}`);
  }
  if (!isObj(doc)) throw new TopologyError('file', 'the top level must be a mapping with name and topology');
  const name = doc['name'];
  if (typeof name !== 'string') throw new TopologyError('name', 'missing or not a string');
  const nameProblem = labNameProblem(name);
  if (nameProblem !== undefined) throw new TopologyError('name', nameProblem);
  const topo = doc['topology'];
  if (!isObj(topo)) throw new TopologyError('topology', 'missing or not a mapping');
  const rawNodes = topo['nodes'];
  if (!isObj(rawNodes) || Object.keys(rawNodes).length === 0) throw new TopologyError('topology.nodes', 'missing or empty');

  const notes: string[] = [];
  if (doc['mgmt'] !== undefined) notes.push('mgmt: ignored; the lab always uses 198.19.255.0/24 for k8s-node management');
  const defaults = optionalObj(topo['defaults'], 'topology.defaults');
  const kindDefaults = optionalObj(topo['kinds'], 'topology.kinds');
  const baseDir = file === '' ? '' : dirname(resolve(file));
  const addresses = new AddressBook();

  const nodes: LabNode[] = [];
  let k8sIndex = 0;
  for (const [nodeName, raw] of Object.entries(rawNodes)) {
    const where = `node "${nodeName}"`;
    const problem = nodeNameProblem(nodeName);
    if (problem !== undefined) throw new TopologyError(where, problem);
    if (!isObj(raw)) throw new TopologyError(where, 'must be a mapping');
    const kindName = raw['kind'] ?? defaults['kind'];
    if (typeof kindName !== 'string' || !(KINDS as readonly string[]).includes(kindName)) {
      throw new TopologyError(`${where} field kind`, `unknown kind ${JSON.stringify(kindName)} (known: ${KINDS.join(', ')})`);
    }
    const kind = kindName as Kind;
    const merged: Obj = { ...defaults, ...optionalObj(kindDefaults[kind], `topology.kinds.${kind}`), ...raw };
    const node = parseNode(nodeName, kind, merged, baseDir, addresses, notes, kind === 'k8s-node' ? k8sIndex++ : -1);
    nodes.push(node);
  }
  if (k8sIndex > MAX_MGMT_NODES) throw new TopologyError('topology.nodes', `at most ${MAX_MGMT_NODES} k8s-node nodes (mgmt link names)`);

  const links = parseLinks(topo['links'], new Map(nodes.map((n) => [n.name, n])));
  const linked = new Set(links.flatMap((l) => [`${l.a.node}:${l.a.iface}`, `${l.b.node}:${l.b.iface}`]));
  for (const node of nodes) {
    for (const iface of node.interfaces.keys()) {
      if (!linked.has(`${node.name}:${iface}`)) throw new TopologyError(`node "${node.name}" field interfaces.${iface}`, 'has addresses but no link uses it');
    }
  }
  return { name, file: file === '' ? '' : resolve(file), nodes, links, notes };
}

function optionalObj(v: unknown, where: string): Obj {
  if (v === undefined) return {};
  if (!isObj(v)) throw new TopologyError(where, 'must be a mapping');
  return v;
}

/** Addresses seen so far, so a duplicate names both users. */
class AddressBook {
  private readonly seen = new Map<string, string>();
  claim(a: Address, where: string): void {
    const key = `${a.family}/${a.value}`;
    const first = this.seen.get(key);
    if (first !== undefined) throw new TopologyError(where, `address ${formatAddress(a)} is already used by ${first}`);
    this.seen.set(key, where);
  }
}

function parseNode(name: string, kind: Kind, raw: Obj, baseDir: string, book: AddressBook, notes: string[], k8sIndex: number): LabNode {
  const where = (field: string) => `node "${name}" field ${field}`;
  for (const key of Object.keys(raw)) {
    if (IGNORED_KEYS.has(key)) notes.push(`node "${name}": ${key} ignored (no containers in this lab)`);
    else if (!NODE_KEYS.has(key)) throw new TopologyError(where(key), 'unknown field (see lab/topologies/README.md)');
  }
  const isRouter = (ROUTER_KINDS as readonly string[]).includes(kind);
  const sc = raw['startup-config'];
  let startupConfig: string | undefined;
  if (sc !== undefined) {
    if (!isRouter) throw new TopologyError(where('startup-config'), `kind ${kind} runs no daemon; use exec instead`);
    if (typeof sc !== 'string' || sc === '') throw new TopologyError(where('startup-config'), 'must be a file path');
    startupConfig = isAbsolute(sc) || baseDir === '' ? sc : resolve(baseDir, sc);
  } else if (isRouter) {
    throw new TopologyError(where('startup-config'), `kind ${kind} needs a startup-config file`);
  }

  const interfaces = new Map<string, string[]>();
  const rawIfaces = optionalObj(raw['interfaces'], where('interfaces'));
  for (const [iface, rawAddrs] of Object.entries(rawIfaces)) {
    checkIface(kind, iface, where(`interfaces.${iface}`));
    if (kind === 'bridge') throw new TopologyError(where(`interfaces.${iface}`), 'a bridge has ports, not addresses');
    const list = stringList(rawAddrs ?? [], where(`interfaces.${iface}`));
    interfaces.set(iface, list.map((text) => {
      const p = parsePrefix(text);
      const w = where(`interfaces.${iface}`);
      if (typeof p === 'string') throw new TopologyError(w, `bad address ${JSON.stringify(text)}: ${p}`);
      if (!text.includes('/')) throw new TopologyError(w, `bad address "${text}": needs a prefix length (a/len)`);
      if (!isLabAddress(p)) throw new TopologyError(w, `bad address "${text}": outside the lab ranges (198.18.0.0/15, 203.0.113.0/24, 2001:db8::/32; 198.19.255.0/24 is mgmt)`);
      book.claim(p, `node "${name}" ${iface}`);
      return formatPrefix(p);
    }));
  }

  const routes = (raw['routes'] === undefined ? [] : listOf(raw['routes'], where('routes'))).map((r, i) => parseRoute(r, where(`routes[${i}]`)));
  const exec = raw['exec'] === undefined ? [] : stringList(raw['exec'], where('exec'));
  const env = stringMap(raw['env'], where('env'));
  const sysctls = stringMap(raw['sysctls'], where('sysctls'));
  for (const key of Object.keys(sysctls)) {
    if (!SYSCTL.test(key)) throw new TopologyError(where(`sysctls.${key}`), 'only net.* sysctls (they are per namespace)');
  }
  const fwd = raw['forwarding'];
  if (fwd !== undefined && typeof fwd !== 'boolean') throw new TopologyError(where('forwarding'), 'must be true or false');
  const forwarding = typeof fwd === 'boolean' ? fwd : isRouter || kind === 'k8s-node';

  const k8s = kind === 'k8s-node';
  for (const key of ['mgmt-ipv4', 'pod-subnets', 'pods']) {
    if (!k8s && raw[key] !== undefined) throw new TopologyError(where(key), 'only for kind k8s-node');
  }
  let mgmtIPv4: string | undefined;
  let podSubnets: Prefix[] = [];
  let pods: Pod[] = [];
  if (k8s) {
    mgmtIPv4 = parseMgmt(raw['mgmt-ipv4'], k8sIndex, where('mgmt-ipv4'), book, name);
    podSubnets = (raw['pod-subnets'] === undefined ? [] : stringList(raw['pod-subnets'], where('pod-subnets'))).map((text) => {
      const p = parsePrefix(text);
      const w = where('pod-subnets');
      if (typeof p === 'string') throw new TopologyError(w, `bad subnet ${JSON.stringify(text)}: ${p}`);
      if (!text.includes('/') || !isNetwork(p)) throw new TopologyError(w, `bad subnet "${text}": not a network address with a prefix length`);
      if (!isLabPrefix(p)) throw new TopologyError(w, `bad subnet "${text}": outside the lab ranges`);
      if (p.length > (p.family === 4 ? 30 : 126)) throw new TopologyError(w, `bad subnet "${text}": too small for a gateway and a pod`);
      book.claim(firstHost(p), `node "${name}" pod bridge`);
      return p;
    });
    pods = parsePods(raw['pods'], podSubnets, where('pods'), book, name);
  }
  return {
    name,
    kind,
    ...(startupConfig === undefined ? {} : { startupConfig }),
    interfaces,
    routes,
    exec,
    env,
    sysctls,
    forwarding,
    ...(mgmtIPv4 === undefined ? {} : { mgmtIPv4 }),
    podSubnets: podSubnets.map(formatPrefix),
    pods,
  };
}

function checkIface(kind: Kind, iface: string, where: string): void {
  if (!IFACE.test(iface)) throw new TopologyError(where, `"${iface}" is not an interface name (1-15 of letters, digits, "_", "-", ".")`);
  if (RESERVED_IFACES[kind].test(iface)) throw new TopologyError(where, `"${iface}" is used by the lab itself in a ${kind} node`);
}

function parseMgmt(raw: unknown, index: number, where: string, book: AddressBook, node: string): string {
  const text = raw === undefined ? `198.19.255.${MGMT_FIRST_HOST + index}` : raw;
  if (typeof text !== 'string') throw new TopologyError(where, 'must be an IPv4 address');
  const a = parseAddress(text);
  if (typeof a === 'string' || a.family !== 4) throw new TopologyError(where, `bad address ${JSON.stringify(text)}: not an IPv4 address`);
  const host = Number(a.value & 0xffn);
  if (!isMgmtAddress(a) || host < 2 || host > 254) throw new TopologyError(where, `bad address "${text}": must be 198.19.255.2-254 (.1 is the host)`);
  book.claim(a, `node "${node}" mgmt`);
  return formatAddress(a);
}

function parsePods(raw: unknown, subnets: readonly Prefix[], where: string, book: AddressBook, node: string): Pod[] {
  if (raw === undefined) return [];
  if (!isObj(raw)) throw new TopologyError(where, 'must map pod names to addresses');
  if (subnets.length === 0 && Object.keys(raw).length > 0) throw new TopologyError(where, 'pods need pod-subnets on the node');
  return Object.entries(raw).map(([pod, rawAddrs]) => {
    const w = `${where}.${pod}`;
    const problem = nodeNameProblem(pod);
    if (problem !== undefined) throw new TopologyError(w, problem.replace('node name', 'pod name'));
    const addresses = stringList(rawAddrs, w).map((text) => {
      const a = parseAddress(text);
      if (typeof a === 'string') throw new TopologyError(w, `bad address ${JSON.stringify(text)}: ${a}`);
      const subnet = subnets.find((s) => contains(s, a));
      if (subnet === undefined) throw new TopologyError(w, `bad address "${text}": not inside the node's pod-subnets`);
      if (a.value === subnet.value || a.value === firstHost(subnet).value) {
        throw new TopologyError(w, `bad address "${text}": the network address and the first host (the node's bridge) are taken`);
      }
      book.claim(a, `pod "${node}/${pod}"`);
      return formatAddress(a);
    });
    if (addresses.length === 0) throw new TopologyError(w, 'needs at least one address');
    const families = addresses.map((t) => (t.includes(':') ? 6 : 4));
    if (new Set(families).size !== families.length) throw new TopologyError(w, 'at most one address per family');
    return { name: pod, addresses };
  });
}

const ROUTE_TEXT = /^(\S+)(?:\s+via\s+(\S+))?(?:\s+dev\s+(\S+))?$/;

function parseRoute(raw: unknown, where: string): Route {
  let dst: unknown;
  let via: unknown;
  let dev: unknown;
  if (typeof raw === 'string') {
    const m = ROUTE_TEXT.exec(raw.trim());
    if (m === null) throw new TopologyError(where, `"${raw}" is not "DST via GW" or "DST dev IF"`);
    [, dst, via, dev] = m;
  } else if (isObj(raw)) {
    ({ dst, via, dev } = raw);
  } else {
    throw new TopologyError(where, 'must be "DST via GW" or a mapping with dst, via, dev');
  }
  if (typeof dst !== 'string') throw new TopologyError(where, 'dst is missing');
  if (via === undefined && dev === undefined) throw new TopologyError(where, 'needs via or dev');
  if (dev !== undefined && (typeof dev !== 'string' || !IFACE.test(dev))) throw new TopologyError(where, `dev ${JSON.stringify(dev)} is not an interface name`);
  let viaAddr: Address | undefined;
  if (via !== undefined) {
    const a = typeof via === 'string' ? parseAddress(via) : 'not a string';
    if (typeof a === 'string') throw new TopologyError(where, `bad address via ${JSON.stringify(via)}: ${a}`);
    if (!isLabAddress(a)) throw new TopologyError(where, `bad address via "${String(via)}": outside the lab ranges`);
    viaAddr = a;
  }
  let family: 4 | 6;
  let dstText: string;
  if (dst === 'default') {
    if (viaAddr === undefined) throw new TopologyError(where, 'a default route needs via (to say which family)');
    family = viaAddr.family;
    dstText = 'default';
  } else {
    const p = parsePrefix(dst);
    if (typeof p === 'string') throw new TopologyError(where, `bad dst ${JSON.stringify(dst)}: ${p}`);
    if (!isNetwork(p)) throw new TopologyError(where, `bad dst "${dst}": host bits set`);
    if (!isLabPrefix(p)) throw new TopologyError(where, `bad dst "${dst}": outside the lab ranges`);
    if (viaAddr !== undefined && viaAddr.family !== p.family) throw new TopologyError(where, `via ${String(via)} is not the family of ${dst}`);
    family = p.family;
    dstText = formatPrefix(p);
  }
  return {
    dst: dstText,
    family,
    ...(viaAddr === undefined ? {} : { via: formatAddress(viaAddr) }),
    ...(typeof dev === 'string' ? { dev } : {}),
  };
}

function parseLinks(raw: unknown, nodes: ReadonlyMap<string, LabNode>): Link[] {
  if (raw === undefined) return [];
  const used = new Map<string, number>();
  return listOf(raw, 'topology.links').map((link, i) => {
    const where = `link ${i}`;
    if (!isObj(link)) throw new TopologyError(where, 'must be a mapping with endpoints');
    const eps = link['endpoints'];
    if (!Array.isArray(eps) || eps.length !== 2) throw new TopologyError(`${where} field endpoints`, 'must list exactly two "node:iface" endpoints');
    const [a, b] = eps.map((ep: unknown): LinkEnd => {
      const text = JSON.stringify(ep);
      const colon = typeof ep === 'string' ? ep.indexOf(':') : -1;
      if (typeof ep !== 'string' || colon <= 0) throw new TopologyError(`${where} field endpoints`, `${text} is not "node:iface"`);
      const node = ep.slice(0, colon);
      const iface = ep.slice(colon + 1);
      const target = nodes.get(node);
      if (target === undefined) throw new TopologyError(`${where} (${eps.join(' - ')})`, `unknown node "${node}"`);
      checkIface(target.kind, iface, `${where} endpoint ${ep}`);
      const key = `${node}:${iface}`;
      const first = used.get(key);
      if (first !== undefined) throw new TopologyError(`${where} endpoint ${ep}`, `interface used twice (also in link ${first})`);
      used.set(key, i);
      return { node, iface };
    }) as [LinkEnd, LinkEnd];
    return { a, b };
  });
}

function listOf(raw: unknown, where: string): unknown[] {
  if (!Array.isArray(raw)) throw new TopologyError(where, 'must be a list');
  return raw;
}

function stringList(raw: unknown, where: string): string[] {
  const list = typeof raw === 'string' ? [raw] : listOf(raw, where);
  return list.map((v, i) => {
    if (typeof v !== 'string') throw new TopologyError(`${where}[${i}]`, `must be a string, got ${JSON.stringify(v)}`);
    return v;
  });
}

function stringMap(raw: unknown, where: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(optionalObj(raw, where))) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new TopologyError(`${where}.${k}`, 'must be a string or number');
    out[k] = String(v);
  }
  return out;
}
