// Command-line flags of the kube-proxy stand-in, parsed without side effects so every bad
// flag is a KubeProxyError naming it (the program prints it and exits 2).

import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { KubeProxyError } from './errors.js';
import { DEFAULT_HEALTH_TIMEOUT_MS, PROXY_HEALTHZ_PORT } from './health.js';
import type { BindAddress } from './health-server.js';

export interface KubeProxyFlags {
  readonly kubeconfig: string;
  readonly nodeName: string;
  readonly nodeIPs: readonly string[];
  readonly netns?: string;
  readonly table?: string;
  readonly debounceMs?: number;
  /** Where the ruleset last applied is written after every apply (tests read it to know the data plane caught up). */
  readonly stateFile?: string;
  /** kube-proxy's --healthz-bind-address for /healthz and /livez; null when given as "" (off). */
  readonly healthzBindAddress: BindAddress | null;
  /** How long a queued update may wait for its apply before /healthz says 503 (kube-proxy: 2 × sync period). */
  readonly healthTimeoutMs: number;
}

export const DEFAULT_HEALTHZ_BIND_ADDRESS = `0.0.0.0:${PROXY_HEALTHZ_PORT}`;
const MAX_HEALTH_TIMEOUT_MS = 86_400_000;

export const USAGE =
  'usage: kubeproxy --kubeconfig PATH --node-name NAME --node-ip IP [--node-ip IP6] [--netns NS] [--table NAME] [--debounce-ms N] [--state-file PATH] [--healthz-bind-address IP[:PORT] | ""] [--health-timeout-ms N]';

/**
 * kube-proxy's IPPortVar plus AppendPortIfNeeded: "IP", "IPv4:PORT" or "[IPv6]:PORT" (no host
 * names, no ":PORT"); a bare IP gets port 10256.
 */
export function parseHealthzBindAddress(text: string): BindAddress {
  // Go's ParseIP: a bare IPv6 address is an IP, so it gets the default port too.
  const bad = (why: string) => new KubeProxyError('kubeproxy/flags', `--healthz-bind-address "${text}" ${why} (want IP, IPv4:PORT or [IPv6]:PORT, or "" to turn it off)`);
  if (isIP(text) !== 0) return { host: text, port: PROXY_HEALTHZ_PORT };
  const m = /^(?:\[([^\]]*)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  if (m === null) throw bad('is not an IP address with a port');
  const host = m[1] ?? m[2] ?? '';
  // Go's SplitHostPort takes any IP in brackets, an IPv6 one only in brackets.
  if (m[1] !== undefined ? isIP(host) === 0 : isIP(host) !== 4) throw bad(`has "${host}", which is not ${m[1] !== undefined ? 'an IP' : 'an IPv4'} address`);
  const port = Number(m[3]);
  if (port > 65535) throw bad(`has port ${port}, above 65535`);
  return { host, port };
}

export function parseKubeProxyFlags(argv: readonly string[]): KubeProxyFlags {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        kubeconfig: { type: 'string' },
        'node-name': { type: 'string' },
        'node-ip': { type: 'string', multiple: true },
        netns: { type: 'string' },
        table: { type: 'string' },
        'debounce-ms': { type: 'string' },
        'state-file': { type: 'string' },
        'healthz-bind-address': { type: 'string' },
        'health-timeout-ms': { type: 'string' },
      },
    }));
  } catch (err) {
    throw new KubeProxyError('kubeproxy/flags', `${(err as Error).message}; ${USAGE}`);
  }
  const need = (name: string): string => {
    const v = values[name];
    if (typeof v !== 'string' || v === '') throw new KubeProxyError('kubeproxy/flags', `--${name} is required; ${USAGE}`);
    return v;
  };
  const kubeconfig = need('kubeconfig');
  const nodeName = need('node-name');
  const nodeIPs = (values['node-ip'] as string[] | undefined) ?? [];
  if (nodeIPs.length === 0) throw new KubeProxyError('kubeproxy/flags', `--node-ip is required; ${USAGE}`);
  const healthzText = values['healthz-bind-address'];
  const healthzBindAddress = typeof healthzText === 'string' ? (healthzText.trim() === '' ? null : parseHealthzBindAddress(healthzText)) : parseHealthzBindAddress(DEFAULT_HEALTHZ_BIND_ADDRESS);
  let healthTimeoutMs = DEFAULT_HEALTH_TIMEOUT_MS;
  if (values['health-timeout-ms'] !== undefined) {
    const text = need('health-timeout-ms');
    healthTimeoutMs = Number(text);
    if (!/^\d+$/.test(text) || healthTimeoutMs < 1 || healthTimeoutMs > MAX_HEALTH_TIMEOUT_MS) throw new KubeProxyError('kubeproxy/flags', `--health-timeout-ms "${text}" is not a whole number of milliseconds from 1 to ${MAX_HEALTH_TIMEOUT_MS}`);
  }
  const flags: { -readonly [K in keyof KubeProxyFlags]: KubeProxyFlags[K] } = { kubeconfig, nodeName, nodeIPs, healthzBindAddress, healthTimeoutMs };
  if (values['netns'] !== undefined) flags.netns = need('netns');
  if (values['table'] !== undefined) flags.table = need('table');
  if (values['state-file'] !== undefined) flags.stateFile = need('state-file');
  if (values['debounce-ms'] !== undefined) {
    const text = need('debounce-ms');
    const ms = Number(text);
    if (!/^\d+$/.test(text) || ms > 60_000) throw new KubeProxyError('kubeproxy/flags', `--debounce-ms "${text}" is not a whole number of milliseconds up to 60000`);
    flags.debounceMs = ms;
  }
  return flags;
}
