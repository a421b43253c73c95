import { describe, expect, test } from '@jest/globals';
import { buildConfig, emptySnapshot, type Snapshot } from '@headland/api';
import { nodeFromJSON } from '../model/node.js';
import { serviceFromJSON } from '../model/service.js';
import { sliceFromJSON } from '../model/endpointslice.js';
import { PolicyEngine } from './engine.js';
import { node, service, testConfig } from './fixtures.js';
import type { SliceInfo } from '../model/types.js';

const CONFIG = testConfig({ pools: { p: ['203.0.113.0/24'] }, peers: [{ name: 'r1' }], ads: [{ name: 'a', pools: ['p'] }] });
const local = (i: number) => service({ key: `ns/s${i}`, policy: 'Local', ips: [`203.0.113.${i}`] });
const readyOn = (key: string, serviceKey: string, nodes: string[]): SliceInfo => ({
  key, serviceKey, family: 4, endpoints: nodes.map((nodeName) => ({ nodeName, ready: true, serving: true, terminating: false })),
});

describe('PolicyEngine: a change re-evaluates only what it touches', () => {
  // One engine through every row, as a speaker sees changes arrive.
  const engine = new PolicyEngine({ nodeName: 'n1', lbClass: undefined }, CONFIG);
  const rows: { step: string; act: () => void; evaluated: number; changed: Record<string, number | undefined | 'withdrawn'> }[] = [
    {
      step: 'start: 3 services, 2 with pods here',
      act: () => {
        engine.upsertNode(node('n1'));
        for (const i of [1, 2, 3]) engine.upsertService(local(i));
        engine.applySlice(readyOn('ns/s1-a', 'ns/s1', ['n1']));
        engine.applySlice(readyOn('ns/s2-a', 'ns/s2', ['n1', 'n2']));
        engine.applySlice(readyOn('ns/s3-a', 'ns/s3', ['n2']));
      },
      evaluated: 3,
      changed: { '203.0.113.1/32': 125_000, '203.0.113.2/32': 125_000 },
    },
    { step: 'nothing changed', act: () => {}, evaluated: 0, changed: {} },
    { step: 'a second pod of s1 here: only s1 evaluated, its weight doubles', act: () => engine.applySlice(readyOn('ns/s1-a', 'ns/s1', ['n1', 'n1'])), evaluated: 1, changed: { '203.0.113.1/32': 250_000 } },
    { step: 'a pod of s3 elsewhere: evaluated, nothing to send', act: () => engine.applySlice(readyOn('ns/s3-a', 'ns/s3', ['n2', 'n3'])), evaluated: 1, changed: {} },
    { step: 'another node changes: nothing to do', act: () => engine.upsertNode(node('n2', { zone: 'b' })), evaluated: 0, changed: {} },
    { step: 'this node reported unchanged: nothing to do', act: () => engine.upsertNode(node('n1')), evaluated: 0, changed: {} },
    { step: 'this node excluded: every service, both withdrawn', act: () => engine.upsertNode(node('n1', { 'node.kubernetes.io/exclude-from-external-load-balancers': '' })), evaluated: 3, changed: { '203.0.113.1/32': 'withdrawn', '203.0.113.2/32': 'withdrawn' } },
    { step: 'label removed: back', act: () => engine.upsertNode(node('n1')), evaluated: 3, changed: { '203.0.113.1/32': 250_000, '203.0.113.2/32': 125_000 } },
    { step: 's2 deleted', act: () => engine.deleteService('ns/s2'), evaluated: 1, changed: { '203.0.113.2/32': 'withdrawn' } },
    { step: 'its slice deleted after it', act: () => engine.deleteSlice('ns/s2-a'), evaluated: 1, changed: {} },
    { step: 'the same config object again: nothing to do', act: () => engine.setConfig(CONFIG), evaluated: 0, changed: {} },
  ];
  test.each(rows)('$step', ({ act, evaluated, changed }) => {
    act();
    const delta = engine.flush();
    expect(delta.evaluated).toBe(evaluated);
    const seen = Object.fromEntries([...delta.changed].map(([prefix, list]) => [prefix, list.length === 0 ? 'withdrawn' : list[0]?.linkBandwidth]));
    expect(seen).toEqual(changed);
  });

  test('explanations come from the cache', () => {
    expect(engine.explainService('ns/s3')?.verdict.reason).toBe('NoLocalEndpoint');
    expect(engine.explainService('ns/s2')).toBeUndefined();
    expect(engine.explainNode()).toMatchObject({ eligible: true, peers: ['r1'] });
  });
});

describe('from Kubernetes JSON and custom resources to announcements', () => {
  test('objects as the API server sends them, through buildConfig and the converters', () => {
    const meta = (name: string) => ({ name, namespace: 'headland-system' });
    const snapshot: Snapshot = {
      ...emptySnapshot(),
      ipAddressPools: [{ apiVersion: 'headland.io/v1beta1', kind: 'IPAddressPool', metadata: meta('lab'), spec: { addresses: ['203.0.113.0/24'] } }],
      bgpPeers: [{ apiVersion: 'headland.io/v1beta1', kind: 'BGPPeer', metadata: meta('frr'), spec: { myASN: 64512, peerASN: 64512, peerAddress: '198.18.0.1' } }],
      bgpAdvertisements: [{ apiVersion: 'headland.io/v1beta1', kind: 'BGPAdvertisement', metadata: meta('all'), spec: { ipAddressPools: ['lab'], localPref: 150, communities: ['65000:7'] } }],
    } as never;
    const config = buildConfig(snapshot);
    expect(config.issues).toEqual([]);

    const engine = new PolicyEngine({ nodeName: 'node-b', lbClass: undefined }, config);
    for (const n of ['node-a', 'node-b']) engine.upsertNode(nodeFromJSON({ metadata: { name: n } }).value ?? node('never'));
    const svc = serviceFromJSON({
      metadata: { namespace: 'default', name: 'web', annotations: { 'headland.io/ip-allocated-from-pool': 'lab' } },
      spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local' },
      status: { loadBalancer: { ingress: [{ ip: '203.0.113.5' }] } },
    });
    if (svc.value !== undefined) engine.upsertService(svc.value);
    const slice = sliceFromJSON({
      metadata: { namespace: 'default', name: 'web-x1', labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4',
      endpoints: [
        { addresses: ['198.18.10.1'], nodeName: 'node-a', conditions: { ready: true } },
        { addresses: ['198.18.10.2'], nodeName: 'node-b', conditions: { ready: true } },
        { addresses: ['198.18.10.3'], nodeName: 'node-b', conditions: { ready: true } },
        { addresses: ['198.18.10.4'], nodeName: 'node-b', conditions: { ready: false, serving: true, terminating: true } },
      ],
    });
    if (slice.value !== undefined) engine.applySlice(slice.value);
    engine.flush();
    expect(engine.announcements()).toEqual([
      { prefix: '203.0.113.5/32', family: 4, peers: ['frr'], localPref: 150, communities: [{ type: 'standard', asn: 65000, value: 7 }], linkBandwidth: 250_000, services: ['default/web'] },
    ]);
  });
});
