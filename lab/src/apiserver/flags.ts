// Command-line flags of headland-apiserver, parsed into a typed config or a FlagError that
// names the bad flag. Pure.

export class FlagError extends Error {
  override readonly name = 'FlagError';
  constructor(message: string) {
    super(`flags: ${message}`);
  }
}

export interface ApiServerFlags {
  host: string;
  port: number;
  kubeconfigOut: string;
  crdsDir: string | undefined;
  historySize: number;
  bookmarkIntervalMs: number;
}

export const USAGE = 'usage: headland-apiserver --listen HOST:PORT --kubeconfig-out PATH [--crds DIR] [--history-size N] [--bookmark-interval-ms N]';

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
  const known = ['--listen', '--kubeconfig-out', '--crds', '--history-size', '--bookmark-interval-ms'];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    if (!known.includes(flag)) throw new FlagError(`unknown argument "${arg}"; ${USAGE}`);
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
  return {
    ...parseListen(listen),
    kubeconfigOut,
    crdsDir: values.get('--crds'),
    historySize: history === undefined ? 10_000 : positiveInt('--history-size', history),
    bookmarkIntervalMs: bookmark === undefined ? 5_000 : positiveInt('--bookmark-interval-ms', bookmark),
  };
}
