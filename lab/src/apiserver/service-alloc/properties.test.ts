// Random request sequences against a small dual-stack cluster, checked against a plain model:
// what the allocator holds is exactly what the stored Services hold, and no two Services share.
import fc from 'fast-check';
import { formatIP } from '@headland/api';
import { isObject, type Json, type JsonObject } from '../json.js';
import { ServiceAllocator } from './allocator.js';
import type { Random } from './bitmap.js';
import { edit, MiniStore, service } from './fixtures.js';
import { parseServiceIP } from './ip-range.js';
import { restore } from './restore.js';

// Small ranges so that clashes and exhaustion happen: 30 IPv4, 15 IPv6 addresses, 20 node ports.
const CONFIG = { serviceClusterIPRanges: ['198.19.128.0/27', '2001:db8:5e::/124'], nodePortRange: { first: 30000, last: 30019 } };

function seeded(seed: number): Random {
  let s = seed >>> 0;
  return (n) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const names = fc.constantFrom('a', 'b', 'c', 'd');
const nodePort = fc.constantFrom(0, 0, 0, 30000, 30001, 30010, 30019, 29999);
const port = fc.record({ port: fc.constantFrom(53, 80, 81), protocol: fc.constantFrom('TCP', 'UDP'), nodePort });
// Unique by (port, protocol): ValidateService refuses repeats, and that check is not this module's.
const ports = fc.uniqueArray(port, { minLength: 1, maxLength: 3, selector: (p) => `${p.port}/${p.protocol}` }).map((ps) => ps.map((p, i): JsonObject => {
  const out: JsonObject = { name: `p${i}`, port: p.port, protocol: p.protocol };
  if (p.nodePort !== 0) out['nodePort'] = p.nodePort;
  return out;
}));
const clusterIP = fc.constantFrom(undefined, undefined, 'None', '198.19.128.3', '198.19.128.20', '2001:db8:5e::5', '10.0.0.1');
const spec = fc
  .record({
    type: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'),
    externalTrafficPolicy: fc.constantFrom('Cluster', 'Local'),
    allocateLoadBalancerNodePorts: fc.constantFrom(undefined, true, false),
    ipFamilyPolicy: fc.constantFrom(undefined, 'SingleStack', 'PreferDualStack', 'RequireDualStack'),
    healthCheckNodePort: fc.constantFrom(0, 0, 30005),
    clusterIP,
    ports,
  })
  .map((r): JsonObject => {
    const s: JsonObject = { type: r.type, ports: r.ports };
    if (r.type === 'NodePort' || r.type === 'LoadBalancer') s['externalTrafficPolicy'] = r.externalTrafficPolicy;
    if (r.type === 'LoadBalancer' && r.allocateLoadBalancerNodePorts !== undefined) s['allocateLoadBalancerNodePorts'] = r.allocateLoadBalancerNodePorts;
    if (r.type !== 'ExternalName' && r.ipFamilyPolicy !== undefined) s['ipFamilyPolicy'] = r.ipFamilyPolicy;
    if (r.healthCheckNodePort !== 0) s['healthCheckNodePort'] = r.healthCheckNodePort;
    if (r.clusterIP !== undefined && r.type !== 'ExternalName') s['clusterIP'] = r.clusterIP;
    return s;
  });
// Edits a client might make to a stored Service, as merge patches of spec.
const change = fc.oneof(
  fc.record({ type: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'), externalTrafficPolicy: fc.constantFrom('Cluster', 'Local', null) }),
  fc.record({ externalTrafficPolicy: fc.constantFrom('Cluster', 'Local') }),
  fc.record({ allocateLoadBalancerNodePorts: fc.constantFrom(true, false) }),
  fc.record({ ipFamilyPolicy: fc.constantFrom('SingleStack', 'PreferDualStack', 'RequireDualStack') }),
  fc.record({ ports }),
  fc.record({ clusterIP: clusterIP.map((c) => c ?? null), clusterIPs: fc.constant(null) }),
  fc.record({ healthCheckNodePort: fc.constantFrom(30005, 30006, null) }),
) as fc.Arbitrary<Record<string, Json>>;
type Op = { op: 'create'; name: string; spec: JsonObject } | { op: 'update'; name: string; change: Record<string, Json> } | { op: 'delete'; name: string };
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('create' as const), name: names, spec }),
  fc.record({ op: fc.constant('update' as const), name: names, change }),
  fc.record({ op: fc.constant('delete' as const), name: names }),
);

function apply(store: MiniStore, o: Op): void {
  if (o.op === 'create') {
    if (!store.objects.has(o.name)) store.create(service(o.name, o.spec));
  } else if (store.objects.has(o.name)) {
    if (o.op === 'update') store.update(o.name, (s) => edit(s, o.op === 'update' ? { ...o.change, ...(o.change['type'] === 'ExternalName' ? { externalName: 'example.com' } : {}) } : {}));
    else store.delete(o.name);
  }
}

/** What one stored Service holds, by the model: its addresses and its ports. */
function holdings(obj: JsonObject): { ips: string[]; ports: number[] } {
  const spec = isObject(obj['spec']) ? obj['spec'] : {};
  const ips = (Array.isArray(spec['clusterIPs']) ? spec['clusterIPs'] : []).flatMap((t) => {
    const ip = typeof t === 'string' ? parseServiceIP(t) : undefined;
    return ip === undefined ? [] : [formatIP(ip)];
  });
  // Only NodePort and LoadBalancer Services hold node ports; an ExternalName's are inert numbers.
  const holds = spec['type'] === 'NodePort' || spec['type'] === 'LoadBalancer';
  const ports = (holds && Array.isArray(spec['ports']) ? spec['ports'] : []).map((p) => (isObject(p) && typeof p['nodePort'] === 'number' ? p['nodePort'] : 0));
  const hc = typeof spec['healthCheckNodePort'] === 'number' ? spec['healthCheckNodePort'] : 0;
  return { ips: [...new Set(ips)], ports: [...new Set([...ports, hc].filter((p) => p !== 0))] };
}

function checkModel(store: MiniStore): void {
  const ips: string[] = [];
  const ports: number[] = [];
  for (const obj of store.objects.values()) {
    const h = holdings(obj);
    ips.push(...h.ips);
    ports.push(...h.ports);
  }
  // Held twice would show up as a repeat across Services.
  expect(new Set(ips).size).toBe(ips.length);
  expect(new Set(ports).size).toBe(ports.length);
  const snap = store.alloc.snapshot();
  expect([...(snap.ips.IPv4 ?? []), ...(snap.ips.IPv6 ?? [])].sort()).toEqual([...ips].sort());
  expect(snap.nodePorts).toEqual([...ports].sort((a, b) => a - b));
}

test('after every request the allocator holds exactly what the stored Services hold, none shared', () => {
  fc.assert(
    fc.property(fc.integer(), fc.array(op, { maxLength: 40 }), (seed, ops) => {
      const store = new MiniStore(new ServiceAllocator({ ...CONFIG, random: seeded(seed) }));
      for (const o of ops) {
        apply(store, o);
        checkModel(store);
      }
    }),
    { numRuns: 300 },
  );
});

test('create then delete, or a refused create, leaves the allocator as it was', () => {
  fc.assert(
    fc.property(fc.integer(), fc.array(op, { maxLength: 20 }), spec, (seed, ops, s) => {
      const store = new MiniStore(new ServiceAllocator({ ...CONFIG, random: seeded(seed) }));
      for (const o of ops) apply(store, o);
      const before = store.alloc.snapshot();
      const out = store.create(service('new', s));
      if (!(out instanceof Error)) store.delete('new');
      expect(store.alloc.snapshot()).toEqual(before);
    }),
    { numRuns: 300 },
  );
});

test('restore from the stored Services rebuilds the same state', () => {
  fc.assert(
    fc.property(fc.integer(), fc.array(op, { maxLength: 30 }), (seed, ops) => {
      const store = new MiniStore(new ServiceAllocator({ ...CONFIG, random: seeded(seed) }));
      for (const o of ops) apply(store, o);
      const rebuilt = new ServiceAllocator(CONFIG);
      expect(restore(rebuilt, [...store.objects.values()]).problems).toEqual([]);
      expect(rebuilt.snapshot()).toEqual(store.alloc.snapshot());
    }),
    { numRuns: 100 },
  );
});
