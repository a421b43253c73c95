// Command-line flags of the kubelet stand-in, parsed without side effects so every bad flag
// is a KubeletError naming it (the program prints it and exits 2).

import { parseArgs } from 'node:util';
import { KubeletError } from './errors.js';
import { parsePodCidrs } from './pod-network.js';

export interface KubeletFlags {
  readonly kubeconfig: string;
  readonly nodeName: string;
  readonly netns: string;
  readonly nodeIPs: readonly string[];
  readonly podCidrs: readonly string[];
  readonly stateDir?: string;
  readonly podLogDir?: string;
  readonly ulimits?: readonly string[];
  readonly allowPrivileged: boolean;
  readonly cleanupOnExit: boolean;
  readonly restartBackoffMs?: number;
  readonly nodeLabels: Readonly<Record<string, string>>;
}

export const USAGE = 'usage: kubelet --kubeconfig PATH --node-name NAME --netns NS --node-ip IP [--pod-cidr CIDR]... [--state-dir DIR] [--pod-log-dir DIR] [--ulimit NAME=SOFT:HARD]... [--node-label K=V]... [--allow-privileged] [--cleanup-on-exit] [--restart-backoff-ms N]';

export function parseKubeletFlags(argv: readonly string[]): KubeletFlags {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        kubeconfig: { type: 'string' },
        'node-name': { type: 'string' },
        netns: { type: 'string' },
        'node-ip': { type: 'string', multiple: true },
        'pod-cidr': { type: 'string', multiple: true },
        'state-dir': { type: 'string' },
        'pod-log-dir': { type: 'string' },
        ulimit: { type: 'string', multiple: true },
        'node-label': { type: 'string', multiple: true },
        'allow-privileged': { type: 'boolean' },
        'cleanup-on-exit': { type: 'boolean' },
        'restart-backoff-ms': { type: 'string' },
      },
    }));
  } catch (err) {
    throw new KubeletError('kubelet/flags', `${(err as Error).message}; ${USAGE}`);
  }
  const need = (name: string): string => {
    const v = values[name];
    if (typeof v !== 'string' || v === '') throw new KubeletError('kubelet/flags', `--${name} is required; ${USAGE}`);
    return v;
  };
  const nodeIPs = (values['node-ip'] as string[] | undefined) ?? [];
  if (nodeIPs.length === 0) throw new KubeletError('kubelet/flags', `--node-ip is required; ${USAGE}`);
  const nodeLabels: Record<string, string> = {};
  for (const l of (values['node-label'] as string[] | undefined) ?? []) {
    const at = l.indexOf('=');
    if (at <= 0) throw new KubeletError('kubelet/flags', `--node-label "${l}" is not KEY=VALUE`);
    nodeLabels[l.slice(0, at)] = l.slice(at + 1);
  }
  const flags: { -readonly [K in keyof KubeletFlags]: KubeletFlags[K] } = {
    kubeconfig: need('kubeconfig'),
    nodeName: need('node-name'),
    netns: need('netns'),
    nodeIPs,
    podCidrs: (values['pod-cidr'] as string[] | undefined) ?? [],
    allowPrivileged: values['allow-privileged'] === true,
    cleanupOnExit: values['cleanup-on-exit'] === true,
    nodeLabels,
  };
  parsePodCidrs(flags.podCidrs);
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(flags.netns)) throw new KubeletError('kubelet/flags', `--netns "${flags.netns}" is not a network namespace name`);
  if (values['state-dir'] !== undefined) flags.stateDir = need('state-dir');
  if (values['pod-log-dir'] !== undefined) flags.podLogDir = need('pod-log-dir');
  if (values['ulimit'] !== undefined) flags.ulimits = values['ulimit'] as string[];
  if (values['restart-backoff-ms'] !== undefined) {
    const text = need('restart-backoff-ms');
    if (!/^\d+$/.test(text)) throw new KubeletError('kubelet/flags', `--restart-backoff-ms "${text}" is not a whole number`);
    flags.restartBackoffMs = Number(text);
  }
  return flags;
}
