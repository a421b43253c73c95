// httpGet probes from inside the node's network namespace: `ip netns exec NS` runs this same
// Node binary with a few lines that make the GET, so the host needs no curl.

import type { Container, HttpGetAction } from './model.js';
import type { Exec } from './podman.js';

/** The port number an httpGet names (a number, or a container port's name). */
export function probePort(c: Container, action: HttpGetAction): number | undefined {
  if (typeof action.port === 'number') return action.port;
  if (/^\d+$/.test(action.port)) return Number(action.port);
  return c.ports?.find((p) => p.name === action.port)?.containerPort;
}

const SCRIPT = `const [u,t,h]=process.argv.slice(1);fetch(u,{signal:AbortSignal.timeout(Number(t)),headers:JSON.parse(h)}).then(r=>{console.log(r.status);process.exit(0)},e=>{console.log(String(e.cause?.code??e.name));process.exit(0)})`;

/** argv that makes the GET inside `netns` and prints the status (or the error code). */
export function probeArgv(netns: string, url: string, timeoutMs: number, headers: Readonly<Record<string, string>> = {}): string[] {
  return ['ip', 'netns', 'exec', netns, process.execPath, '-e', SCRIPT, url, String(timeoutMs), JSON.stringify(headers)];
}

/** Success as the kubelet counts it: a status from 200 to 399. */
export async function httpProbe(exec: Exec, netns: string, host: string, c: Container, action: HttpGetAction, timeoutSeconds: number): Promise<{ ok: boolean; detail: string }> {
  const port = probePort(c, action);
  if (port === undefined) return { ok: false, detail: `no port ${String(action.port)}` };
  const h = action.host ?? host;
  const url = `http://${h.includes(':') ? `[${h}]` : h}:${port}${action.path ?? '/'}`;
  const headers = Object.fromEntries((action.httpHeaders ?? []).map((x) => [x.name, x.value]));
  const r = await exec(probeArgv(netns, url, timeoutSeconds * 1000, headers), timeoutSeconds * 1000 + 5_000);
  const out = r.stdout.trim();
  const status = Number(out);
  return { ok: Number.isInteger(status) && status >= 200 && status < 400, detail: `GET ${url}: ${out || r.stderr.trim()}` };
}
