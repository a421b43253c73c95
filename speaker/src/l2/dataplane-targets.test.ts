// What this node asks its kube-proxy for L2 (tables over the election's fixtures), the state it
// publishes from the answers, and that the two agree with the election for this node.
import { describe, expect, test } from '@jest/globals';
import type { DataPlaneAnswer, DataPlaneView } from '../policy/types.js';
import { contestsOf } from './election/candidates.js';
import { electionInput, node, service, type ElectionSpec } from './election/fixtures.js';
import { l2DataPlaneState, l2DataPlaneTargets, localEndpointSignature, mergeProbeTargets, NO_L2_TARGETS, sameTargets } from './dataplane-targets.js';

const nodes2 = [node('n1'), node('n2')];
const web = (extra: Partial<Parameters<typeof service>[0]> = {}) => service({ key: 'ns/web', ips: ['203.0.113.10'], ...extra });
const local = (extra: Partial<Parameters<typeof service>[0]> = {}) => web({ policy: 'Local', healthCheckNodePort: 30_000, ...extra });
const draining = (n: string, family: 4 | 6 = 4) => ({ service: 'ns/web', node: n, family, ready: false, serving: true, terminating: true });

const rows: { name: string; spec: ElectionSpec; services?: Record<string, number>; unaskable?: string[]; proxy?: boolean }[] = [
  { name: 'a checked Cluster Service: /healthz', spec: { services: [web()], endpoints: [{ service: 'ns/web', node: 'n2' }] }, proxy: true },
  { name: 'dataPlaneCheck None: nothing', spec: { ads: [{ name: 'l2', pools: ['lan'], dataPlaneCheck: 'None' }], services: [web()], endpoints: [{ service: 'ns/web', node: 'n2' }] } },
  { name: 'Local, ready here: its health check node port', spec: { services: [local()], endpoints: [{ service: 'ns/web', node: 'n1' }] }, services: { 'ns/web': 30_000 } },
  { name: 'Local, ready here, no healthCheckNodePort: cannot be asked', spec: { services: [{ ...local(), healthCheckNodePort: undefined }], endpoints: [{ service: 'ns/web', node: 'n1' }] }, unaskable: ['ns/web'] },
  { name: 'Local, ready only elsewhere: nothing (no candidate here anyway)', spec: { services: [local()], endpoints: [{ service: 'ns/web', node: 'n2' }] } },
  { name: 'Local, only terminating pods anywhere, some here: /healthz', spec: { services: [local()], endpoints: [draining('n1'), draining('n2')] }, proxy: true },
  { name: 'Local, terminating here and ready elsewhere: nothing', spec: { services: [local()], endpoints: [draining('n1'), { service: 'ns/web', node: 'n2' }] } },
  { name: 'dual-stack Local: ready here in v4, only draining in v6: both checks', spec: { services: [local({ ips: ['203.0.113.10', '2001:db8::10'] })], endpoints: [{ service: 'ns/web', node: 'n1' }, draining('n1', 6)] }, services: { 'ns/web': 30_000 }, proxy: true },
  { name: 'the advertisement does not select this node', spec: { ads: [{ name: 'l2', pools: ['lan'], nodeSelectors: [{ edge: 'yes' }] }], services: [web()], endpoints: [{ service: 'ns/web', node: 'n2' }] } },
  { name: 'one of two selecting advertisements checks', spec: { ads: [{ name: 'a', pools: ['lan'], dataPlaneCheck: 'None' }, { name: 'b', pools: ['lan'] }], services: [web()], endpoints: [{ service: 'ns/web', node: 'n2' }] }, proxy: true },
  { name: 'this node is excluded from load balancers', spec: { nodes: [node('n1', { 'node.kubernetes.io/exclude-from-external-load-balancers': '' }), node('n2')], services: [web()], endpoints: [{ service: 'ns/web', node: 'n2' }] } },
  { name: 'this node is not in the view (yet)', spec: { nodes: [node('n2')], services: [web()], endpoints: [{ service: 'ns/web', node: 'n2' }] } },
  { name: 'serviceSelectors miss', spec: { ads: [{ name: 'l2', pools: ['lan'], serviceSelectors: [{ tier: 'edge' }] }], services: [web()], endpoints: [{ service: 'ns/web', node: 'n2' }] } },
  { name: 'a Service of another class', spec: { services: [web({ loadBalancerClass: 'other' })], endpoints: [{ service: 'ns/web', node: 'n2' }] } },
  { name: 'no endpoint anywhere', spec: { services: [local()] } },
  { name: 'an IP in no pool', spec: { services: [web({ ips: ['198.51.100.1'] })], endpoints: [{ service: 'ns/web', node: 'n2' }] } },
  { name: 'no L2Advertisement', spec: { ads: [], services: [web()], endpoints: [{ service: 'ns/web', node: 'n2' }] } },
];

describe('what node n1 asks its kube-proxy for L2', () => {
  test.each(rows)('$name', ({ spec, services = {}, unaskable = [], proxy = false }) => {
    const targets = l2DataPlaneTargets(electionInput({ nodes: nodes2, ...spec }), 'n1', undefined);
    expect({ services: Object.fromEntries(targets.services), unaskable: targets.unaskable, proxy: targets.proxy }).toEqual({ services, unaskable, proxy });
  });

  test('the answers it gets make the election leave it out exactly where it checks', () => {
    for (const { name, spec } of rows) {
      const targets = l2DataPlaneTargets(electionInput({ nodes: nodes2, ...spec }), 'n1', undefined);
      const fail = l2DataPlaneState(targets, answers({}, undefined));
      const pass = l2DataPlaneState(targets, answers(Object.fromEntries([...targets.services.keys()].map((k) => [k, true])), true));
      const checks = targets.services.size + targets.unaskable.length > 0 || targets.proxy;
      // Every check passing: n1 is a candidate wherever it is with no state (but for a Service kube-proxy
      // cannot be asked about, the only one in its row); every check failing: nowhere it checks.
      expect([name, candidacies(spec, { n1: pass })]).toEqual([name, targets.unaskable.length > 0 ? 0 : candidacies(spec, undefined)]);
      expect([name, candidacies(spec, { n1: fail })]).toEqual([name, checks ? 0 : candidacies(spec, undefined)]);
    }
  });
});

describe('the state n1 publishes', () => {
  const targets = { services: new Map([['ns/a', 30_001], ['ns/b', 30_002], ['ns/c', 30_003]]), unaskable: ['ns/d'], proxy: true };
  test.each<{ name: string; services: Record<string, boolean>; proxy: boolean | undefined; state: { proxyServing: boolean; notServing: string[]; overflow: boolean } }>([
    { name: 'every answer ok: only what cannot be asked', services: { 'ns/a': true, 'ns/b': true, 'ns/c': true }, proxy: true, state: { proxyServing: true, notServing: ['ns/d'], overflow: false } },
    { name: 'an answer that is not ok is listed', services: { 'ns/a': true, 'ns/b': false, 'ns/c': true }, proxy: true, state: { proxyServing: true, notServing: ['ns/b', 'ns/d'], overflow: false } },
    { name: 'an answer not had yet is listed', services: { 'ns/a': true, 'ns/b': true }, proxy: true, state: { proxyServing: true, notServing: ['ns/c', 'ns/d'], overflow: false } },
    { name: '/healthz not ok', services: { 'ns/a': true, 'ns/b': true, 'ns/c': true }, proxy: false, state: { proxyServing: false, notServing: ['ns/d'], overflow: false } },
    { name: '/healthz not asked yet', services: { 'ns/a': true, 'ns/b': true, 'ns/c': true }, proxy: undefined, state: { proxyServing: false, notServing: ['ns/d'], overflow: false } },
  ])('$name', ({ services, proxy, state }) => {
    expect(l2DataPlaneState(targets, answers(services, proxy))).toEqual(state);
  });

  test('more than the wire carries: overflow', () => {
    const many = { services: new Map(Array.from({ length: 40 }, (_, i) => [`ns/s${i}`, 30_000 + i] as const)), unaskable: [], proxy: false };
    expect(l2DataPlaneState(many, answers({}, true))).toEqual({ proxyServing: true, notServing: [], overflow: true });
    expect(l2DataPlaneState(many, answers(Object.fromEntries([...many.services.keys()].map((k) => [k, true])), true))).toEqual({ proxyServing: true, notServing: [], overflow: false });
  });
});

describe('the prober gets both modes\' targets', () => {
  const bgp = { services: new Map([['ns/a', 30_001]]), proxy: false, version: 4 };
  test.each([
    { name: 'no L2', l2: undefined, services: { 'ns/a': 30_001 }, proxy: false, version: '4' },
    { name: 'L2 adds its Services and /healthz', l2: { services: new Map([['ns/b', 30_002]]), unaskable: ['ns/c'], proxy: true, version: 7 }, services: { 'ns/a': 30_001, 'ns/b': 30_002 }, proxy: true, version: '4/7' },
    { name: 'the same Service in both is asked once', l2: { services: new Map([['ns/a', 30_001]]), unaskable: [], proxy: false, version: 1 }, services: { 'ns/a': 30_001 }, proxy: false, version: '4/1' },
  ])('$name', ({ l2, services, proxy, version }) => {
    const merged = mergeProbeTargets(bgp, l2);
    expect({ services: Object.fromEntries(merged.services), proxy: merged.proxy, version: merged.version }).toEqual({ services, proxy, version });
  });

  test('sameTargets and the endpoint signature', () => {
    const a = { services: new Map([['ns/a', 1]]), unaskable: [], proxy: false };
    expect(sameTargets(a, { ...a, services: new Map([['ns/a', 1]]) })).toBe(true);
    expect(sameTargets(a, { ...a, services: new Map([['ns/a', 2]]) })).toBe(false);
    expect(sameTargets(a, { ...a, proxy: true })).toBe(false);
    expect(sameTargets(NO_L2_TARGETS, { ...NO_L2_TARGETS, unaskable: ['ns/x'] })).toBe(false);
    const view = electionInput({ nodes: nodes2, services: [local()], endpoints: [{ service: 'ns/web', node: 'n1' }] });
    const moreView = electionInput({ nodes: nodes2, services: [local()], endpoints: [{ service: 'ns/web', node: 'n1' }, { service: 'ns/web', node: 'n1' }] });
    expect(localEndpointSignature(view, 'n1', 'ns/web')).not.toBe(localEndpointSignature(moreView, 'n1', 'ns/web'));
    expect(localEndpointSignature(view, 'n2', 'ns/web')).toBe(localEndpointSignature(moreView, 'n2', 'ns/web'));
  });
});

function answers(services: Record<string, boolean>, proxy: boolean | undefined): DataPlaneView {
  const answer = (ok: boolean | undefined): DataPlaneAnswer | undefined => (ok === undefined ? undefined : { ok, detail: ok ? '200' : '503' });
  return { service: (key) => answer(services[key]), proxy: () => answer(proxy) };
}

/** How many IPs n1 is a candidate for. */
function candidacies(spec: ElectionSpec, dataPlaneOf: ElectionSpec['dataPlaneOf']): number {
  const contests = contestsOf(electionInput({ nodes: nodes2, ...spec, ...(dataPlaneOf === undefined ? {} : { dataPlaneOf }) }));
  return contests.filter((c) => c.candidates.some((x) => x.node === 'n1')).length;
}
