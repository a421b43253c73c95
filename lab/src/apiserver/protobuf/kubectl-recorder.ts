// Captures what real kubectl sends: our ApiServer answers discovery behind a proxy that keeps every protobuf
// body, and kubectl's own JSON for the same object comes from --dry-run=client, or from printing an echo of it.

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureObject, isObject, type Json, type JsonObject } from '../json.js';
import { kubeconfigYaml } from '../kubeconfig.js';
import { ApiServer } from '../server.js';
import { PROTOBUF_MEDIA_TYPE, readEnvelope, wrapEnvelope } from './envelope.js';

/**
 * Where kubectl's own JSON for the object it sent comes from:
 * - `dry-run`: the same command with `--dry-run=client -o json` prints it.
 * - `echo`: for commands without --dry-run that print the server's answer with `-o json` (create token, auth whoami):
 *   the proxy answers the POST with the very object kubectl sent, its bytes followed by `appendHex` (fields the command
 *   insists on in the answer, such as a token: protobuf merges them in), and kubectl prints what Go decoded from it;
 *   `reset` then puts each appended value back to what kubectl had sent.
 * - `by-hand`: kubectl prints no object (auth can-i); the fixture's JSON is written by hand from the Go struct tags.
 */
export type KubectlJson = 'dry-run' | 'by-hand' | { echo: { appendHex: string; reset: readonly { path: readonly string[]; value: Json }[] } };

export interface KubectlCase {
  /** File stem of the fixture. */
  name: string;
  /** kubectl arguments, without kubeconfig or output flags. */
  args: readonly string[];
  /** `dry-run` when left out. */
  json?: KubectlJson;
}

export interface Recorded {
  name: string;
  /** The protobuf bodies kubectl sent, in order (one for each create). */
  bodies: Buffer[];
  /** kubectl's JSON for the same object (see KubectlJson); undefined for `by-hand`. */
  json: JsonObject | undefined;
}

export class RecorderError extends Error {
  override readonly name = 'RecorderError';
  constructor(message: string) {
    super(`kubectl-recorder: ${message}`);
  }
}

function run(kubectl: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(kubectl, [...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const REFUSAL = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'recorded', reason: 'UnsupportedMediaType', code: 415 });

/** What the proxy does with a protobuf body: keep it in `into`, then refuse it (415) or, with `echo` set, answer it with itself plus those bytes. */
interface ProxyState {
  into: Buffer[];
  /** Bodies other than protobuf, for the error when kubectl sent none. */
  others: string[];
  echo: Buffer | undefined;
}

function answerProtobuf(res: ServerResponse, body: Buffer, echo: Buffer | undefined): void {
  if (echo === undefined) {
    res.writeHead(415, { 'content-type': 'application/json' });
    res.end(REFUSAL);
    return;
  }
  const env = readEnvelope(body);
  res.writeHead(201, { 'content-type': PROTOBUF_MEDIA_TYPE });
  res.end(wrapEnvelope(env.apiVersion, env.kind, Buffer.concat([env.raw, echo])));
}

/** Handles protobuf bodies as `state` says; passes everything else to the API server at `upstream`. */
function recordingProxy(upstream: AddressInfo, state: ProxyState): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    void readAll(req).then((body) => {
      if ((req.headers['content-type'] ?? '').startsWith(PROTOBUF_MEDIA_TYPE)) {
        state.into.push(body);
        answerProtobuf(res, body, state.echo);
        return;
      }
      if (body.length > 0) state.others.push(`${req.method ?? ''} ${req.url ?? ''} ${req.headers['content-type'] ?? ''} ${body.toString('utf8')}`);
      const out = request({ host: upstream.address, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      out.on('error', (e) => res.destroy(e));
      out.end(body);
    });
  });
}

function listen(server: Server): Promise<AddressInfo> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address() as AddressInfo)));
}

/** Runs each case against a fresh server; `kubectl` is the binary to run. */
export async function recordKubectl(cases: readonly KubectlCase[], kubectl = 'kubectl'): Promise<Recorded[]> {
  const dir = await mkdtemp(join(tmpdir(), 'headland-kubectl-recorder-'));
  const out: Recorded[] = [];
  try {
    for (const c of cases) {
      const api = new ApiServer();
      const state: ProxyState = { into: [], others: [], echo: undefined };
      const apiAddr = await api.listen('127.0.0.1', 0);
      const proxy = recordingProxy(apiAddr, state);
      try {
        const addr = await listen(proxy);
        const kubeconfig = join(dir, `${c.name}.kubeconfig`);
        await writeFile(kubeconfig, kubeconfigYaml(`http://127.0.0.1:${addr.port}`));
        out.push(await recordOne(c, kubectl, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache')], state));
      } finally {
        await new Promise<void>((resolve) => {
          proxy.close(() => resolve());
          proxy.closeAllConnections();
        });
        await api.close();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return out;
}

function printedObject(c: KubectlCase, how: string, stdout: string): JsonObject {
  const printed: unknown = JSON.parse(stdout);
  if (!isObject(printed)) throw new RecorderError(`${c.name}: ${how} printed no object`);
  return printed;
}

async function recordOne(c: KubectlCase, kubectl: string, common: string[], state: ProxyState): Promise<Recorded> {
  const sent = await run(kubectl, [...common, ...c.args]);
  const bodies = [...state.into];
  if (bodies.length === 0) {
    const sentInstead = state.others.length > 0 ? `; it sent ${state.others.join(' | ')}` : '';
    throw new RecorderError(`${c.name}: kubectl sent no protobuf body (exit ${sent.code}): ${sent.stderr.trim()}${sentInstead}`);
  }
  const how = c.json ?? 'dry-run';
  if (how === 'by-hand') return { name: c.name, bodies, json: undefined };
  if (how === 'dry-run') {
    const dry = await run(kubectl, [...common, ...c.args, '--dry-run=client', '-o', 'json']);
    if (dry.code !== 0) throw new RecorderError(`${c.name}: --dry-run=client failed: ${dry.stderr.trim()}`);
    return { name: c.name, bodies, json: printedObject(c, '--dry-run=client', dry.stdout) };
  }
  state.into.length = 0;
  state.echo = Buffer.from(how.echo.appendHex, 'hex');
  const echoed = await run(kubectl, [...common, ...c.args, '-o', 'json']);
  if (echoed.code !== 0) throw new RecorderError(`${c.name}: -o json on an echo failed: ${echoed.stderr.trim()}`);
  const again = state.into.map((b) => b.toString('hex'));
  if (again.join() !== bodies.map((b) => b.toString('hex')).join()) throw new RecorderError(`${c.name}: with -o json kubectl sent other bodies: ${again.join(' ')}`);
  const json = printedObject(c, 'the echo', echoed.stdout);
  for (const { path, value } of how.echo.reset) {
    const key = path[path.length - 1];
    if (key === undefined) throw new RecorderError(`${c.name}: an empty reset path`);
    ensureObject(json, path.slice(0, -1))[key] = value;
  }
  return { name: c.name, bodies, json };
}
