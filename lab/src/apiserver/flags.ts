// Command-line flags of headland-apiserver, parsed into a typed config or a FlagError that
// names the bad flag. Pure.

export class FlagError extends Error {
  override readonly name = 'FlagError';
  constructor(message: string) {
    super(`flags: ${message}`);
  }
}

export type AuthorizationMode = 'AlwaysAllow' | 'RBAC';

export interface ApiServerFlags {
  host: string;
  port: number;
  kubeconfigOut: string;
  crdsDir: string | undefined;
  historySize: number;
  bookmarkIntervalMs: number;
  /** Serve plain HTTP instead of HTTPS (suites that want no TLS). */
  plainHttp: boolean;
  authorizationMode: AuthorizationMode;
  /** Service CIDRs, one per family, IPv4 first as given. */
  serviceClusterIPRanges: string[];
  nodePortRange: { first: number; last: number };
  /** Where the CA, token key and admin token are kept across restarts; none: new ones each start. */
  certDir: string | undefined;
  /** The kubelet stand-ins' --pod-log-dir, for `kubectl logs`. */
  podLogDir: string | undefined;
  /** Run the EndpointSlice controller: slices for Services with selectors from their Pods. */
  endpointSliceController: boolean;
}

export const USAGE =
  'usage: headland-apiserver --listen HOST:PORT --kubeconfig-out PATH [--crds DIR] [--history-size N] [--bookmark-interval-ms N] ' +
  '[--plain-http] [--authorization-mode RBAC|AlwaysAllow] [--cert-dir DIR] [--pod-log-dir DIR] [--service-cluster-ip-range CIDR[,CIDR]] [--service-node-port-range FIRST-LAST] ' +
  '[--endpointslice-controller]';

/** Defaults inside the lab's own ranges (198.18.0.0/15, 2001:db8::/32). */
export const DEFAULT_SERVICE_RANGES = ['198.19.128.0/20', '2001:db8:5e::/112'];
export const DEFAULT_NODE_PORTS = { first: 30000, last: 32767 };

const BOOLEAN_FLAGS = ['--plain-http', '--endpointslice-controller'];

function cidrList(v: string): string[] {
  const parts = v.split(',').map((p) => p.trim());
  if (parts.length > 2 || parts.some((p) => !/^[0-9a-fA-F.:]+\/\d{1,3}$/.test(p))) {
    throw new FlagError(`--service-cluster-ip-range must be one CIDR or two (one per family) separated by a comma, got "${v}"`);
  }
  if (parts.length === 2 && parts[0]!.includes(':') === parts[1]!.includes(':')) throw new FlagError(`--service-cluster-ip-range: two CIDRs must be of different families, got "${v}"`);
  return parts;
}

function portRange(v: string): { first: number; last: number } {
  const m = /^(\d+)-(\d+)$/.exec(v);
  const first = Number(m?.[1]);
  const last = Number(m?.[2]);
  if (!m || first < 1 || last > 65535 || first > last) throw new FlagError(`--service-node-port-range must be FIRST-LAST within 1-65535, got "${v}"`);
  return { first, last };
}

function positiveInt(flag: string, v: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new FlagError(`${flag} must be a positive integer, got "${v}"`);
  return Number(v);
}

export function parseListen(v: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(v);
  if (!m) throw new FlagError(`--listen must be HOST:PORT (IPv6 as [ADDR]:PORT), got "${v}"`);
  const port = Number(m[3]);
  if (port > 65535) throw new FlagError(`--listen port ${port} is above 65535`);
  return { host: m[1] ?? m[2] ?? '', port };
}

export function parseFlags(argv: readonly string[]): ApiServerFlags {
  const values = new Map<string, string>();
  const known = ['--listen', '--kubeconfig-out', '--crds', '--history-size', '--bookmark-interval-ms', '--authorization-mode', '--service-cluster-ip-range', '--service-node-port-range', '--cert-dir', '--pod-log-dir', ...BOOLEAN_FLAGS];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    if (!known.includes(flag)) throw new FlagError(`unknown argument "${arg}"; ${USAGE}`);
    if (BOOLEAN_FLAGS.includes(flag)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : 'true';
      if (value !== 'true' && value !== 'false') throw new FlagError(`${flag} takes no value (or =true, =false), got "${value}"`);
      values.set(flag, value);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new FlagError(`${flag} needs a value`);
    values.set(flag, value);
  }
  const listen = values.get('--listen');
  if (listen === undefined) throw new FlagError(`--listen is required; ${USAGE}`);
  const kubeconfigOut = values.get('--kubeconfig-out');
  if (kubeconfigOut === undefined) throw new FlagError(`--kubeconfig-out is required; ${USAGE}`);
  const history = values.get('--history-size');
  const bookmark = values.get('--bookmark-interval-ms');
  const mode = values.get('--authorization-mode') ?? 'RBAC';
  if (mode !== 'RBAC' && mode !== 'AlwaysAllow') throw new FlagError(`--authorization-mode must be RBAC or AlwaysAllow, got "${mode}"`);
  const ranges = values.get('--service-cluster-ip-range');
  const ports = values.get('--service-node-port-range');
  return {
    ...parseListen(listen),
    kubeconfigOut,
    crdsDir: values.get('--crds'),
    historySize: history === undefined ? 10_000 : positiveInt('--history-size', history),
    bookmarkIntervalMs: bookmark === undefined ? 5_000 : positiveInt('--bookmark-interval-ms', bookmark),
    plainHttp: values.get('--plain-http') === 'true',
    authorizationMode: mode,
    serviceClusterIPRanges: ranges === undefined ? [...DEFAULT_SERVICE_RANGES] : cidrList(ranges),
    nodePortRange: ports === undefined ? { ...DEFAULT_NODE_PORTS } : portRange(ports),
    certDir: values.get('--cert-dir'),
    podLogDir: values.get('--pod-log-dir'),
    endpointSliceController: values.get('--endpointslice-controller') === 'true',
  };
}
