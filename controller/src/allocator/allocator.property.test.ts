// Random sequences of allocate / claim / release / setPools, checked after every step against a
// brute-force view: no IP held by services that may not share, every IP in its pool, exact usage.
import fc from 'fast-check';
import { formatIP, parseIP, type IPAddress, type Pool } from '@headland/api';
import { serviceRequest, type ServiceRequest } from '../service/request.js';
import { isBuggy } from './address-space.js';
import { Allocator } from './allocator.js';
import { poolsFrom, serviceJSON } from './fixtures.js';
import { sharingProblem } from './sharing.js';

const NAMES = ['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7'];

// Each pool lives in its own region, so random pools never overlap (buildConfig would refuse it);
// pool a starts past .0, so avoidBuggyIPs always leaves it an address.
const poolSpec = fc.record({
  a: fc.option(fc.record({ from: fc.integer({ min: 1, max: 8 }), count: fc.integer({ min: 1, max: 8 }), avoid: fc.boolean(), teamOnly: fc.boolean() }), { nil: undefined }),
  b: fc.option(fc.record({ from: fc.integer({ min: 0, max: 4 }), count: fc.integer({ min: 1, max: 4 }), auto: fc.boolean(), priority: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }) }), { nil: undefined }),
  d: fc.option(fc.record({ v4: fc.integer({ min: 0, max: 6 }), v6: fc.integer({ min: 0, max: 4 }), avoid: fc.boolean() }), { nil: undefined }),
});
type PoolSpec = typeof poolSpec extends fc.Arbitrary<infer T> ? T : never;

function pools(spec: PoolSpec): Pool[] {
  const specs: Record<string, Record<string, unknown>> = {};
  if (spec.a) {
    specs['a'] = {
      addresses: [`203.0.113.${spec.a.from}-203.0.113.${spec.a.from + spec.a.count - 1}`],
      avoidBuggyIPs: spec.a.avoid,
      ...(spec.a.teamOnly ? { serviceAllocation: { namespaces: ['team'] } } : {}),
    };
  }
  if (spec.b) {
    specs['b'] = {
      addresses: [`203.0.113.${64 + spec.b.from}-203.0.113.${64 + spec.b.from + spec.b.count - 1}`],
      autoAssign: spec.b.auto,
      ...(spec.b.priority !== undefined ? { serviceAllocation: { priority: spec.b.priority } } : {}),
    };
  }
  if (spec.d && spec.d.v4 + spec.d.v6 > 0) {
    // Around a /24 boundary, so avoidBuggyIPs has .255 and .0 to skip.
    const addresses = [];
    if (spec.d.v4 > 0) addresses.push(`198.18.0.253-198.18.1.${spec.d.v4 - 1}`);
    if (spec.d.v6 > 0) addresses.push(`2001:db8::-2001:db8::${spec.d.v6 - 1}`);
    specs['d'] = { addresses, avoidBuggyIPs: spec.d.avoid };
  }
  return poolsFrom(specs);
}

const ipText = fc.constantFrom('203.0.113.0', '203.0.113.3', '203.0.113.65', '198.18.0.255', '198.18.0.254', '198.18.1.1', '2001:db8::', '2001:db8::2', '192.0.2.1');

const serviceShape = fc.record({
  name: fc.constantFrom(...NAMES),
  namespace: fc.constantFrom('default', 'team'),
  sharingKey: fc.constantFrom(undefined, 'k', 'm'),
  ports: fc.constantFrom([80], [443], [80, 443]),
  local: fc.option(fc.constantFrom('x', 'y'), { nil: undefined }),
  families: fc.constantFrom({}, { ipFamilies: ['IPv6'] }, { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4', 'IPv6'] }, { ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv6', 'IPv4'] }),
  ip: fc.option(ipText, { nil: undefined, freq: 3 }),
  pool: fc.option(fc.constantFrom('a', 'b', 'd', 'zz'), { nil: undefined, freq: 4 }),
});
type Shape = typeof serviceShape extends fc.Arbitrary<infer T> ? T : never;

function toRequest(shape: Shape): ServiceRequest | undefined {
  const annotations: Record<string, string> = {};
  if (shape.sharingKey !== undefined) annotations['headland.io/allow-shared-ip'] = shape.sharingKey;
  if (shape.ip !== undefined) annotations['headland.io/loadBalancerIPs'] = shape.ip;
  if (shape.pool !== undefined) annotations['headland.io/address-pool'] = shape.pool;
  const spec = {
    ports: shape.ports.map((port) => ({ port, protocol: 'TCP' })),
    ...shape.families,
    ...(shape.local !== undefined ? { externalTrafficPolicy: 'Local', selector: { app: shape.local } } : {}),
  };
  const r = serviceRequest(serviceJSON(shape.name, { namespace: shape.namespace, annotations, spec }), {});
  // A request the service module refuses (an IP of a family the service lacks) never reaches the allocator.
  return r.ok ? r.request : undefined;
}

const op = fc.oneof(
  { weight: 6, arbitrary: serviceShape.map((s) => ({ kind: 'allocate' as const, s })) },
  { weight: 2, arbitrary: fc.tuple(serviceShape, fc.array(ipText, { minLength: 1, maxLength: 2 })).map(([s, ips]) => ({ kind: 'claim' as const, s, ips })) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('release' as const), name: fc.constantFrom(...NAMES) }) },
  { weight: 1, arbitrary: poolSpec.map((p) => ({ kind: 'setPools' as const, p })) },
);

const key = (ip: IPAddress) => `${ip.family}:${ip.value}`;

function check(allocator: Allocator, current: Pool[], model: Map<string, ServiceRequest>): void {
  const byName = new Map(current.map((p) => [p.name, p]));
  const heldBy = new Map<string, string[]>();
  const assigned = new Map<string, Set<string>>();
  for (const name of NAMES) {
    const k = `default/${name}`;
    const t = `team/${name}`;
    for (const svcKey of [k, t]) {
      const a = allocator.assignmentOf(svcKey);
      expect(a !== undefined).toBe(model.has(svcKey));
      if (a === undefined) continue;
      const pool = byName.get(a.pool);
      expect(pool).toBeDefined();
      for (const ip of a.ips) {
        expect(pool?.addresses.contains(ip)).toBe(true);
        if (pool?.avoidBuggyIPs) expect(isBuggy(ip)).toBe(false);
        heldBy.set(key(ip), [...(heldBy.get(key(ip)) ?? []), svcKey]);
        const bucket = `${a.pool}/${ip.family}`;
        assigned.set(bucket, (assigned.get(bucket) ?? new Set()).add(key(ip)));
        expect(allocator.holders(ip)).toContain(svcKey);
      }
    }
  }
  // Services holding one IP may all share it, pairwise.
  for (const [ipKey, holders] of heldBy) {
    const [family, value] = ipKey.split(':');
    const ip: IPAddress = { family: Number(family) as 4 | 6, value: BigInt(value ?? '0') };
    expect([...allocator.holders(ip)].sort()).toEqual([...holders].sort());
    for (const a of holders) {
      for (const b of holders) {
        const ra = model.get(a);
        const rb = model.get(b);
        if (a !== b && ra !== undefined && rb !== undefined) expect(sharingProblem(ra, rb, ip)?.message).toBeUndefined();
      }
    }
  }
  const usage = allocator.usage();
  for (const pool of current) {
    for (const family of [4, 6] as const) {
      const total = BigInt([...pool.addresses.iterate(family)].filter((ip) => !(pool.avoidBuggyIPs && isBuggy(ip))).length);
      const used = BigInt(assigned.get(`${pool.name}/${family}`)?.size ?? 0);
      expect(usage.get(pool.name)?.[family]).toEqual({ assigned: used, available: total - used, total });
    }
  }
}

// The lowest address of the pool that is allocatable and held by no one but `self`.
function lowestFree(allocator: Allocator, pool: Pool, family: 4 | 6, self: string): IPAddress | undefined {
  for (const ip of pool.addresses.iterate(family)) {
    if (pool.avoidBuggyIPs && isBuggy(ip)) continue;
    if (allocator.holders(ip).every((h) => h === self)) return ip;
  }
  return undefined;
}

test('random allocate / claim / release / setPools keep every invariant', () => {
  fc.assert(
    fc.property(poolSpec, fc.array(op, { maxLength: 40 }), (initial, ops) => {
      let current = pools(initial);
      const allocator = new Allocator(current);
      const model = new Map<string, ServiceRequest>();
      for (const step of ops) {
        if (step.kind === 'release') {
          for (const ns of ['default', 'team']) {
            allocator.release(`${ns}/${step.name}`);
            model.delete(`${ns}/${step.name}`);
          }
        } else if (step.kind === 'setPools') {
          current = pools(step.p);
          const { stranded } = allocator.setPools(current);
          for (const s of stranded) model.delete(s.key);
        } else {
          const req = toRequest(step.s);
          if (req === undefined) continue;
          if (step.kind === 'allocate') {
            const r = allocator.allocate(req);
            if (r.ok) model.set(req.key, req);
            else model.delete(req.key);
            // With nothing asked for and nothing to share, a new address is the lowest free one.
            const plain = req.requestedIPs.length === 0 && req.sharingKey === undefined && req.familyPolicy === 'SingleStack';
            if (r.ok && r.changed && plain) {
              const pool = current.find((p) => p.name === r.assignment.pool);
              const ip = r.assignment.ips[0];
              if (pool !== undefined && ip !== undefined) expect(formatIP(lowestFree(allocator, pool, ip.family, req.key) ?? parseIP('0.0.0.0'))).toBe(formatIP(ip));
            }
          } else {
            const r = allocator.claim(req, step.ips.map(parseIP));
            if (r.ok) {
              model.set(req.key, req);
              expect(r.assignment.ips.map(formatIP).sort()).toEqual([...step.ips].sort());
            }
          }
        }
        check(allocator, current, model);
      }
    }),
    { numRuns: 300 },
  );
});
