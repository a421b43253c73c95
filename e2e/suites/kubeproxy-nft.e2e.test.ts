// The stand-in's rulesets against the real nft and kernel. NEEDS ROOT (it makes one network
// namespace, hlkp-nft-PID, and deletes it after); without root the suite is skipped.
// Checks that every kind of rule loads, that a reload replaces the table whole, and removal.
import { execFileSync } from 'node:child_process';
import { type EndpointSlice, type NodeInfo, type Service, runNft, buildRuleset, renderDelete } from '@headland/lab/kubeproxy';

const isRoot = process.getuid?.() === 0;
const describeRoot = isRoot ? describe : describe.skip;
if (!isRoot) console.warn('kubeproxy-nft.e2e: skipped, it needs root (ip netns add, nft)');

const ns = `hlkp-nft-${process.pid}`;
const node: NodeInfo = { name: 'n1', ips: ['198.18.0.11', '2001:db8:ff::11'] };

const svc = (name: string, over: Partial<Service>): Service => ({ namespace: 'default', name, type: 'LoadBalancer', externalTrafficPolicy: 'Cluster', ports: [{ name: 'http', protocol: 'TCP', port: 80 }], loadBalancerIPs: [], ...over });
const slice = (name: string, service: string, addressType: 'IPv4' | 'IPv6', endpoints: EndpointSlice['endpoints'], ports: EndpointSlice['ports'] = [{ name: 'http', protocol: 'TCP', port: 8080 }]): EndpointSlice => ({ namespace: 'default', name, serviceName: service, addressType, ports, endpoints });

/** One of each: Cluster dual-stack, Local, Local with none here (drop), none at all (reject), UDP, SCTP. */
const everything = {
  services: [
    svc('dual', { loadBalancerIPs: ['203.0.113.10', '2001:db8::10'] }),
    svc('local', { externalTrafficPolicy: 'Local', loadBalancerIPs: ['203.0.113.11'] }),
    svc('elsewhere', { externalTrafficPolicy: 'Local', loadBalancerIPs: ['203.0.113.12'] }),
    svc('empty', { loadBalancerIPs: ['203.0.113.13', '2001:db8::13'] }),
    svc('dns', { loadBalancerIPs: ['203.0.113.14'], ports: [{ name: 'dns', protocol: 'UDP', port: 53 }, { name: 'sig', protocol: 'SCTP', port: 9 }] }),
  ],
  slices: [
    slice('dual-4', 'dual', 'IPv4', [{ address: '198.18.101.2', nodeName: 'n1' }, { address: '198.18.102.2', nodeName: 'n2' }]),
    slice('dual-6', 'dual', 'IPv6', [{ address: '2001:db8:101::2', nodeName: 'n1' }]),
    slice('local', 'local', 'IPv4', [{ address: '198.18.101.3', nodeName: 'n1' }, { address: '198.18.102.3', nodeName: 'n2' }]),
    slice('elsewhere', 'elsewhere', 'IPv4', [{ address: '198.18.102.4', nodeName: 'n2' }]),
    slice('dns', 'dns', 'IPv4', [{ address: '198.18.101.5', nodeName: 'n1', ready: false, serving: true, terminating: true }], [{ name: 'dns', protocol: 'UDP', port: 5353 }, { name: 'sig', protocol: 'SCTP', port: 9999 }]),
  ],
};

const listTable = async () => runNft(ns, ['list', 'table', 'inet', 'headland_kubeproxy']);
const tables = async () => runNft(ns, ['list', 'tables']);

describeRoot('kube-proxy rulesets in a real kernel (root)', () => {
  beforeAll(() => execFileSync('ip', ['netns', 'add', ns]));
  afterAll(() => execFileSync('ip', ['netns', 'del', ns]));

  test('a ruleset with every kind of rule loads, and nft holds what was planned', async () => {
    const { text, rules } = buildRuleset(everything.services, everything.slices, node);
    await runNft(ns, ['-f', '-'], text);
    const listed = await listTable();
    for (const r of rules) {
      const f = r.frontend;
      const line = listed.split('\n').find((l) => l.includes(`daddr ${f.address} ${f.protocol.toLowerCase()} dport ${f.port}`));
      expect(line).toBeDefined();
      expect(line).toContain(r.verdict.kind === 'dnat' ? 'goto svc_' : r.verdict.kind);
      if (r.verdict.kind === 'dnat') for (const b of r.verdict.backends) expect(listed).toContain(f.family === 4 ? `${b.address}:${b.port}` : `[${b.address}]:${b.port}`);
    }
    expect(rules.map((r) => r.verdict.kind).sort()).toEqual(['dnat', 'dnat', 'dnat', 'dnat', 'dnat', 'drop', 'reject', 'reject']);
    expect(listed).toContain('snat ip to 198.18.0.11');
    expect(listed).toContain('snat ip6 to 2001:db8:ff::11');
  });

  test('loading again replaces the table whole: nothing of the old rules lingers', async () => {
    await runNft(ns, ['-f', '-'], buildRuleset(everything.services, everything.slices, node).text);
    const smaller = buildRuleset([svc('local', { externalTrafficPolicy: 'Local', loadBalancerIPs: ['203.0.113.11'] })], everything.slices, node);
    await runNft(ns, ['-f', '-'], smaller.text);
    const listed = await listTable();
    expect(listed).toContain('198.18.101.3:8080');
    for (const gone of ['203.0.113.10', '2001:db8::10', '203.0.113.12', '203.0.113.13', '203.0.113.14', '198.18.102.3']) expect(listed).not.toContain(gone);
  });

  test('removal deletes the table, and removing an absent table is not an error', async () => {
    await runNft(ns, ['-f', '-'], buildRuleset([], [], node).text);
    expect(await tables()).toContain('headland_kubeproxy');
    await runNft(ns, ['-f', '-'], renderDelete());
    expect(await tables()).not.toContain('headland_kubeproxy');
    await runNft(ns, ['-f', '-'], renderDelete());
  });

  test('nft refusing a script is a KubeProxyError carrying nft\'s message', async () => {
    await expect(runNft(ns, ['-f', '-'], 'table inet x { chain c { bogus } }\n')).rejects.toThrow(/^kubeproxy\/nft: nft -f - in hlkp-nft-\d+ failed: .*syntax error/s);
  });
});
