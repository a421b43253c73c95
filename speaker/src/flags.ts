// Command-line flags of headland-speaker, parsed without side effects so every bad flag is a
// SpeakerError naming it (main prints it and exits 2).
import { isValidIP, parseIP } from '@headland/api';
import { parseArgs } from 'node:util';
import { SpeakerError } from './errors.js';

export interface SpeakerFlags {
  readonly kubeconfig: string | undefined;
  readonly nodeName: string;
  readonly namespace: string;
  readonly lbClass: string | undefined;
  readonly metricsAddr: string;
  readonly healthAddr: string;
  /** Undefined: the first BGPPeer's routerID, else the node's IPv4 address. */
  readonly routerId: string | undefined;
  /** Undefined: the node's status addresses. */
  readonly nodeIPs: readonly string[] | undefined;
  /** 0: do not listen (connect out only). */
  readonly listenPort: number;
  /** Where a graceful stop (SIGUSR2) leaves the note that the next start is a restart. */
  readonly restartStateFile: string | undefined;
  readonly logLevel: string;
  /** L2 mode: the membership UDP port (every speaker uses the same). */
  readonly membershipPort: number;
  /** L2 mode: the Secret (in --namespace) holding the membership key under "secretkey". */
  readonly membershipSecret: string;
  /** L2 mode: on stop, keep answering ARP/NDP this long after leaving membership (ms). */
  readonly handoverMs: number;
  /** Where kube-proxy's health servers answer on this node (its health check node ports and /healthz). */
  readonly kubeProxyHealthHost: string;
  /** kube-proxy's --healthz-bind-address port. */
  readonly kubeProxyHealthzPort: number;
}

export const USAGE =
  'usage: headland-speaker [--kubeconfig PATH] --node-name NAME (or $NODE_NAME) [--namespace headland-system] [--lb-class NAME] ' +
  '[--metrics-addr :7474] [--health-addr :7475] [--router-id IPv4] [--node-ip IP ...] [--listen-port 179 | 0] [--restart-state-file PATH] [--log-level info] ' +
  '[--membership-port 7946] [--membership-secret headland-memberlist] [--handover-ms 300] [--kube-proxy-health-host 127.0.0.1] [--kube-proxy-healthz-port 10256]';

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function parseSpeakerFlags(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): SpeakerFlags {
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        kubeconfig: { type: 'string' },
        'node-name': { type: 'string' },
        namespace: { type: 'string' },
        'lb-class': { type: 'string' },
        'metrics-addr': { type: 'string' },
        'health-addr': { type: 'string' },
        'router-id': { type: 'string' },
        'node-ip': { type: 'string', multiple: true },
        'listen-port': { type: 'string' },
        'restart-state-file': { type: 'string' },
        'log-level': { type: 'string' },
        'membership-port': { type: 'string' },
        'membership-secret': { type: 'string' },
        'handover-ms': { type: 'string' },
        'kube-proxy-health-host': { type: 'string' },
        'kube-proxy-healthz-port': { type: 'string' },
      },
    }));
  } catch (err) {
    throw new SpeakerError('speaker/flags', `${(err as Error).message}; ${USAGE}`);
  }
  const text = (name: string): string | undefined => {
    const v = values[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '') throw new SpeakerError('speaker/flags', `--${name} needs a value; ${USAGE}`);
    return v;
  };
  const nodeName = text('node-name') ?? env['NODE_NAME'];
  if (nodeName === undefined || nodeName === '') throw new SpeakerError('speaker/flags', `--node-name (or $NODE_NAME) is required; ${USAGE}`);
  if (nodeName.length > 253 || !NAME.test(nodeName)) throw new SpeakerError('speaker/flags', `--node-name "${nodeName}" is not a valid node name`);
  const namespace = text('namespace') ?? 'headland-system';
  if (!NAME.test(namespace)) throw new SpeakerError('speaker/flags', `--namespace "${namespace}" is not a valid namespace name`);
  const routerId = text('router-id');
  if (routerId !== undefined && (!isValidIP(routerId) || parseIP(routerId).family !== 4)) {
    throw new SpeakerError('speaker/flags', `--router-id "${routerId}" is not an IPv4 address (a BGP identifier is 32 bits)`);
  }
  const rawIPs = values['node-ip'];
  const nodeIPs = Array.isArray(rawIPs) ? rawIPs.map(String) : undefined;
  for (const ip of nodeIPs ?? []) if (!isValidIP(ip)) throw new SpeakerError('speaker/flags', `--node-ip "${ip}" is not an IP address`);
  const portText = text('listen-port') ?? '179';
  const listenPort = Number(portText);
  if (!/^\d+$/.test(portText) || listenPort > 65535) throw new SpeakerError('speaker/flags', `--listen-port "${portText}" is not a port number 0..65535`);
  const logLevel = text('log-level') ?? 'info';
  if (!LEVELS.includes(logLevel)) throw new SpeakerError('speaker/flags', `--log-level "${logLevel}" is not one of ${LEVELS.join(', ')}`);
  const number = (name: string, fallback: string, max: number, what: string): number => {
    const t = text(name) ?? fallback;
    const n = Number(t);
    if (!/^\d+$/.test(t) || n > max) throw new SpeakerError('speaker/flags', `--${name} "${t}" is not ${what}`);
    return n;
  };
  const membershipPort = number('membership-port', '7946', 65535, 'a port number 1..65535');
  if (membershipPort === 0) throw new SpeakerError('speaker/flags', '--membership-port "0" is not a port number 1..65535');
  const membershipSecret = text('membership-secret') ?? 'headland-memberlist';
  if (!NAME.test(membershipSecret)) throw new SpeakerError('speaker/flags', `--membership-secret "${membershipSecret}" is not a valid Secret name`);
  // The leave reaches every peer within a datagram's delay (sent twice, 20 ms apart), and they
  // re-elect and announce at once; 300 ms covers that, a busy event loop and a client's ARP in
  // flight, where the old 1500 ms had to outlast failure detection (~590 ms) with a margin.
  const handoverMs = number('handover-ms', '300', 60_000, 'a number of milliseconds 0..60000');
  // kube-proxy listens on every address by default; with nodePortAddresses set, give the node's IP.
  const kubeProxyHealthHost = text('kube-proxy-health-host') ?? '127.0.0.1';
  if (!isValidIP(kubeProxyHealthHost)) throw new SpeakerError('speaker/flags', `--kube-proxy-health-host "${kubeProxyHealthHost}" is not an IP address`);
  const kubeProxyHealthzPort = number('kube-proxy-healthz-port', '10256', 65535, 'a port number 1..65535');
  if (kubeProxyHealthzPort === 0) throw new SpeakerError('speaker/flags', '--kube-proxy-healthz-port "0" is not a port number 1..65535');
  return {
    kubeconfig: text('kubeconfig') ?? env['KUBECONFIG'],
    nodeName,
    namespace,
    lbClass: text('lb-class'),
    metricsAddr: text('metrics-addr') ?? ':7474',
    healthAddr: text('health-addr') ?? ':7475',
    routerId,
    nodeIPs: nodeIPs === undefined ? undefined : nodeIPs.map((ip) => ip.toLowerCase()),
    listenPort,
    restartStateFile: text('restart-state-file'),
    logLevel,
    membershipPort,
    membershipSecret,
    handoverMs,
    kubeProxyHealthHost,
    kubeProxyHealthzPort,
  };
}
