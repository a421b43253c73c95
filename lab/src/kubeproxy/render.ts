// Turns planned rules into one nftables script that replaces the stand-in's table atomically:
// "add, delete, add again" in one `nft -f` transaction, so no stale rule survives an update.

import { isIP } from 'node:net';
import { KubeProxyError } from './errors.js';
import type { NodeInfo } from './model.js';
import type { Family, PlannedRule } from './plan.js';

export const DEFAULT_TABLE = 'headland_kubeproxy';
/** Packet mark bit that asks postrouting to SNAT (kube-proxy uses 0x4000 for the same job). */
export const SNAT_MARK = '0x00004000';

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** What may appear inside a quoted comment: Kubernetes names and our own words, nothing that ends the quote. */
const COMMENT_TEXT = /^[A-Za-z0-9 ./:_-]{0,120}$/;

const l4 = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' } as const;
const ipKeyword = (family: Family) => (family === 4 ? 'ip' : 'ip6');

function checkTable(table: string): void {
  if (!TABLE_NAME.test(table)) throw new KubeProxyError('kubeproxy/render', `table name "${table}" is not an nftables identifier (letters, digits, "_")`);
}

function comment(text: string): string {
  if (!COMMENT_TEXT.test(text)) throw new KubeProxyError('kubeproxy/render', `comment "${text}" has characters nftables comments cannot carry`);
  return `comment "${text}"`;
}

function checkAddress(address: string, family: Family, what: string): void {
  if (isIP(address) !== family) throw new KubeProxyError('kubeproxy/render', `${what} "${address}" is not an IPv${family} address`);
}

function checkPort(port: number, what: string): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new KubeProxyError('kubeproxy/render', `${what} ${port} is not a port (1-65535)`);
}

const dnatTarget = (family: Family, address: string, port: number) => (family === 4 ? `${address}:${port}` : `[${address}]:${port}`);

/** The script that makes `table` hold exactly these rules (an empty plan leaves an empty table). */
export function renderRuleset(rules: readonly PlannedRule[], node: NodeInfo, table: string = DEFAULT_TABLE): string {
  checkTable(table);
  const dnatRules: string[] = [];
  const filterRules: string[] = [];
  const chains: string[] = [];
  for (const [i, { frontend: f, verdict }] of rules.entries()) {
    checkAddress(f.address, f.family, `${f.service} load-balancer IP`);
    checkPort(f.port, `${f.service} port`);
    const match = `${ipKeyword(f.family)} daddr ${f.address} ${l4[f.protocol]} dport ${f.port}`;
    const what = comment(`${f.service}${f.portName === '' ? '' : `:${f.portName}`} ${f.protocol.toLowerCase()}/${f.port}`);
    if (verdict.kind === 'drop') {
      filterRules.push(`${match} drop ${what}`);
      continue;
    }
    if (verdict.kind === 'reject') {
      filterRules.push(`${match} reject ${what}`);
      continue;
    }
    const svcChain = `svc_${i}`;
    dnatRules.push(`${match} goto ${svcChain} ${what}`);
    const body: string[] = [];
    if (verdict.snat) body.push(`meta mark set meta mark | ${SNAT_MARK}`);
    // numgen per connection: only a connection's first packet traverses nat chains.
    const arms = verdict.backends.map((_, j) => `${j} : goto ep_${i}_${j}`).join(', ');
    body.push(`numgen random mod ${verdict.backends.length} vmap { ${arms} }`);
    chains.push(chain(svcChain, body));
    for (const [j, b] of verdict.backends.entries()) {
      checkAddress(b.address, f.family, `${f.service} endpoint`);
      checkPort(b.port, `${f.service} endpoint port`);
      chains.push(chain(`ep_${i}_${j}`, [`meta l4proto ${l4[f.protocol]} dnat ${ipKeyword(f.family)} to ${dnatTarget(f.family, b.address, b.port)}`]));
    }
  }
  const snatRules: string[] = [];
  for (const family of [4, 6] as const) {
    const nodeIP = node.ips.find((a) => isIP(a) === family);
    const nfproto = family === 4 ? 'ipv4' : 'ipv6';
    // With no node address of this family, masquerade picks the outgoing interface's address.
    snatRules.push(`meta mark & ${SNAT_MARK} == ${SNAT_MARK} meta nfproto ${nfproto} ${nodeIP === undefined ? 'masquerade' : `snat ${ipKeyword(family)} to ${nodeIP}`}`);
  }
  return [
    `table inet ${table}`,
    `delete table inet ${table}`,
    `table inet ${table} {`,
    `  ${comment(`headland kube-proxy stand-in for node ${node.name}`)}`,
    chain('nat_prerouting', ['type nat hook prerouting priority dstnat; policy accept;', ...dnatRules]),
    chain('filter_prerouting', ['type filter hook prerouting priority dstnat - 10; policy accept;', ...filterRules]),
    chain('nat_postrouting', ['type nat hook postrouting priority srcnat; policy accept;', ...snatRules]),
    ...chains,
    '}',
    '',
  ].join('\n');
}

/** The script that removes `table` whether or not it exists. */
export function renderDelete(table: string = DEFAULT_TABLE): string {
  checkTable(table);
  return `table inet ${table}\ndelete table inet ${table}\n`;
}

const chain = (name: string, lines: readonly string[]) => [`  chain ${name} {`, ...lines.map((l) => `    ${l}`), '  }'].join('\n');
