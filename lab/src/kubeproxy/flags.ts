// Command-line flags of the kube-proxy stand-in, parsed without side effects so every bad
// flag is a KubeProxyError naming it (the program prints it and exits 2).

import { parseArgs } from 'node:util';
import { KubeProxyError } from './errors.js';

export interface KubeProxyFlags {
  readonly kubeconfig: string;
  readonly nodeName: string;
  readonly nodeIPs: readonly string[];
  readonly netns?: string;
  readonly table?: string;
  readonly debounceMs?: number;
  /** Where the ruleset last applied is written after every apply (tests read it to know the data plane caught up). */
  readonly stateFile?: string;
}

export const USAGE = 'usage: kubeproxy --kubeconfig PATH --node-name NAME --node-ip IP [--node-ip IP6] [--netns NS] [--table NAME] [--debounce-ms N] [--state-file PATH]';

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
  const flags: { -readonly [K in keyof KubeProxyFlags]: KubeProxyFlags[K] } = { kubeconfig, nodeName, nodeIPs };
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
