// headland-apiserver as a child process with Headland's CRDs loaded, and kubectl against it:
// the API server of the controller and speaker suites, the benchmarks and the demo.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { REPO_ROOT, distPath, startProgram, type Program } from './program.js';

const run = promisify(execFile);

export interface RunningApiServer {
  readonly program: Program;
  readonly url: string;
  readonly kubeconfig: string;
  stop(): Promise<void>;
}

/** What a plain client needs from a kubeconfig the lab wrote: the server, its CA (PEM; none for plain HTTP) and the bearer token. */
export interface KubeconfigAccess {
  readonly server: string;
  readonly caPem: string | undefined;
  readonly token: string | undefined;
}

/** Reads the first cluster and user of a kubeconfig (headland-apiserver's --kubeconfig-out). */
export function kubeconfigAccess(path: string): KubeconfigAccess {
  const doc = parse(readFileSync(path, 'utf8')) as { clusters?: { cluster?: { server?: string; 'certificate-authority-data'?: string } }[]; users?: { user?: { token?: string } }[] } | null;
  const cluster = doc?.clusters?.[0]?.cluster;
  if (typeof cluster?.server !== 'string') throw new Error(`programs: ${path} names no server`);
  const ca = cluster['certificate-authority-data'];
  return { server: cluster.server, caPem: ca === undefined ? undefined : Buffer.from(ca, 'base64').toString('utf8'), token: doc?.users?.[0]?.user?.token };
}

/** `plainHttp`: HTTP without authentication or authorization checks (AlwaysAllow), for benchmarks that talk plain REST. */
export async function startApiServer(dir: string, opts: { crds?: string; listen?: string; historySize?: number; podLogDir?: string; plainHttp?: boolean; args?: readonly string[] } = {}): Promise<RunningApiServer> {
  const kubeconfig = join(dir, 'kubeconfig');
  const argv = [process.execPath, distPath('lab', 'apiserver/main.js'), '--listen', opts.listen ?? '127.0.0.1:0', '--kubeconfig-out', kubeconfig, '--crds', opts.crds ?? join(REPO_ROOT, 'manifests/crds')];
  if (opts.historySize !== undefined) argv.push('--history-size', String(opts.historySize));
  if (opts.podLogDir !== undefined) argv.push('--pod-log-dir', opts.podLogDir);
  if (opts.plainHttp === true) argv.push('--plain-http', '--authorization-mode', 'AlwaysAllow');
  argv.push(...(opts.args ?? []));
  const program = startProgram(argv, { name: 'headland-apiserver' });
  const listening = await program.waitForLog((l) => l['msg'] === 'listening', 15_000, 'listening line');
  return {
    program,
    url: String(listening['url']),
    kubeconfig,
    async stop() {
      await program.stop('SIGTERM', 5_000);
    },
  };
}

export const KUBECTL = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p));

/** Runs kubectl against the kubeconfig; stdin for `apply -f -`. Rejects with kubectl's stderr. */
export async function kubectl(kubeconfig: string, args: readonly string[], stdin?: string): Promise<string> {
  if (KUBECTL === undefined) throw new Error('programs: kubectl is not installed (scripts/setup.sh installs it)');
  const p = run(KUBECTL, ['--kubeconfig', kubeconfig, ...args], { maxBuffer: 64 * 1024 * 1024 });
  if (stdin !== undefined) {
    p.child.stdin?.end(stdin);
  }
  try {
    const { stdout } = await p;
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`kubectl ${args.join(' ')}: ${e.stderr?.trim() || e.message}`);
  }
}
