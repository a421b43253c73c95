import type { NodeInfo } from './model.js';
import type { PlannedRule } from './plan.js';
import { DEFAULT_TABLE, renderDelete, renderRuleset, SNAT_MARK } from './render.js';

const node: NodeInfo = { name: 'n1', ips: ['198.18.0.11'] };

const f = (address: string, protocol: 'TCP' | 'UDP' | 'SCTP', port: number, service = 'default/web', portName = 'http') =>
  ({ service, portName, family: address.includes(':') ? 6 : 4, address, protocol, port }) as const;

/** Reads a rendered script back into "frontend -> verdict" lines, the way nft would act on it. */
function readBack(text: string): string[] {
  const chains = new Map<string, string[]>();
  let current: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const open = /^chain (\S+) \{$/.exec(line);
    if (open !== null) chains.set((current = open[1]!), []);
    else if (line === '}') current = undefined;
    else if (current !== undefined) chains.get(current)!.push(line);
  }
  const out: string[] = [];
  const frontend = (line: string) => /^(ip6?) daddr (\S+) (\w+) dport (\d+)/.exec(line)!.slice(2, 5).join(' ');
  for (const line of chains.get('nat_prerouting')!.slice(1)) {
    const svc = /goto (svc_\d+)/.exec(line)![1]!;
    const body = chains.get(svc)!;
    const snat = body.includes(`meta mark set meta mark | ${SNAT_MARK}`);
    const vmap = /numgen random mod (\d+) vmap \{ (.*) \}/.exec(body.at(-1)!)!;
    const arms = vmap[2]!.split(', ').map((arm) => /^(\d+) : goto (\S+)$/.exec(arm)!);
    expect(arms.map((a) => Number(a[1]))).toEqual([...Array(Number(vmap[1])).keys()]);
    const targets = arms.map((a) => / to (\S+)$/.exec(chains.get(a[2]!)![0]!)![1]);
    out.push(`${frontend(line)} -> ${targets.join(' ')}${snat ? ' snat' : ''}`);
  }
  for (const line of chains.get('filter_prerouting')!.slice(1)) out.push(`${frontend(line)} ${/ (drop|reject) /.exec(line)![1]}`);
  return out;
}

test.each<[string, PlannedRule[], string[]]>([
  ['nothing planned: an empty table', [], []],
  [
    'DNAT with SNAT over two backends',
    [{ frontend: f('203.0.113.10', 'TCP', 80), verdict: { kind: 'dnat', backends: [{ address: '198.18.1.2', port: 8080 }, { address: '198.18.2.2', port: 8080 }], snat: true, terminatingFallback: false } }],
    ['203.0.113.10 tcp 80 -> 198.18.1.2:8080 198.18.2.2:8080 snat'],
  ],
  [
    'IPv6 and UDP without SNAT',
    [{ frontend: f('2001:db8::10', 'UDP', 53), verdict: { kind: 'dnat', backends: [{ address: '2001:db8:1::2', port: 5353 }], snat: false, terminatingFallback: false } }],
    ['2001:db8::10 udp 53 -> [2001:db8:1::2]:5353'],
  ],
  [
    'drop and reject go to the filter chain',
    [
      { frontend: f('203.0.113.10', 'TCP', 80), verdict: { kind: 'drop' } },
      { frontend: f('2001:db8::10', 'SCTP', 9), verdict: { kind: 'reject' } },
      { frontend: f('203.0.113.11', 'TCP', 80), verdict: { kind: 'dnat', backends: [{ address: '198.18.1.2', port: 80 }], snat: false, terminatingFallback: false } },
    ],
    ['203.0.113.11 tcp 80 -> 198.18.1.2:80', '203.0.113.10 tcp 80 drop', '2001:db8::10 sctp 9 reject'],
  ],
])('%s', (_name, rules, expected) => {
  expect(readBack(renderRuleset(rules, node))).toEqual(expected);
});

test('the script adds, deletes and re-creates its table so nothing stale survives', () => {
  const lines = renderRuleset([], node, 'kp_test').split('\n');
  expect(lines.slice(0, 3)).toEqual(['table inet kp_test', 'delete table inet kp_test', 'table inet kp_test {']);
  expect(renderDelete('kp_test')).toBe('table inet kp_test\ndelete table inet kp_test\n');
  expect(renderDelete()).toContain(`delete table inet ${DEFAULT_TABLE}`);
});

test.each<[string, NodeInfo, string[]]>([
  ['IPv4 node address: SNAT to it, masquerade for IPv6', node, ['meta nfproto ipv4 snat ip to 198.18.0.11', 'meta nfproto ipv6 masquerade']],
  ['dual-stack node', { name: 'n1', ips: ['2001:db8:ff::11', '198.18.0.11'] }, ['meta nfproto ipv4 snat ip to 198.18.0.11', 'meta nfproto ipv6 snat ip6 to 2001:db8:ff::11']],
  ['no node address: masquerade both', { name: 'n1', ips: [] }, ['meta nfproto ipv4 masquerade', 'meta nfproto ipv6 masquerade']],
])('SNAT target: %s', (_name, info, expected) => {
  const text = renderRuleset([], info);
  const snat = text.split('\n').filter((l) => l.includes(`== ${SNAT_MARK}`)).map((l) => l.trim().replace(`meta mark & ${SNAT_MARK} == ${SNAT_MARK} `, ''));
  expect(snat).toEqual(expected);
});

const dnat = (address: string, port: number): PlannedRule => ({ frontend: f('203.0.113.10', 'TCP', 80), verdict: { kind: 'dnat', backends: [{ address, port }], snat: false, terminatingFallback: false } });

test.each<[string, () => string, string]>([
  ['bad table name', () => renderRuleset([], node, 'kube-proxy'), 'kubeproxy/render: table name "kube-proxy"'],
  ['frontend address of the wrong family', () => renderRuleset([{ frontend: { ...f('203.0.113.10', 'TCP', 80), family: 6 }, verdict: { kind: 'drop' } }], node), 'kubeproxy/render: default/web load-balancer IP "203.0.113.10" is not an IPv6 address'],
  ['frontend port out of range', () => renderRuleset([{ frontend: f('203.0.113.10', 'TCP', 0), verdict: { kind: 'drop' } }], node), 'kubeproxy/render: default/web port 0 is not a port'],
  ['endpoint of the wrong family', () => renderRuleset([dnat('2001:db8::2', 80)], node), 'kubeproxy/render: default/web endpoint "2001:db8::2" is not an IPv4 address'],
  ['endpoint address that is not one', () => renderRuleset([dnat('198.18.1.2; flush ruleset', 80)], node), 'kubeproxy/render: default/web endpoint "198.18.1.2; flush ruleset"'],
  ['endpoint port out of range', () => renderRuleset([dnat('198.18.1.2', 70000)], node), 'kubeproxy/render: default/web endpoint port 70000 is not a port'],
  ['a quote in a name', () => renderRuleset([{ frontend: f('203.0.113.10', 'TCP', 80, 'default/we"b'), verdict: { kind: 'drop' } }], node), 'kubeproxy/render: comment "default/we"b'],
  ['a node name that would break the comment', () => renderRuleset([], { name: 'n1"; flush ruleset; "', ips: [] }), 'kubeproxy/render: comment'],
])('refuses %s', (_name, render, message) => {
  expect(render).toThrow(message);
});
