// `headland-speaker prestop`: the Pod's preStop hook, no shell needed. Reads this Node, decides
// (decide.ts), and on a staying node sends the speaker SIGUSR2 and waits (bounded) for it to exit
// after its graceful stop; on a leaving node does nothing, so the SIGTERM that follows withdraws.
// Always exits 0: a failed hook must not hold the Pod's termination up.
import { readFileSync, readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createLogger, loadKubeConfig, requestJson } from '@headland/kube';
import { decidePrestop, findSpeakerPid, type NodeRead } from './decide.js';

export const PRESTOP_USAGE = 'usage: headland-speaker prestop [--kubeconfig PATH] [--node-name NAME (or $NODE_NAME)] [--wait-seconds 20]';

function processes(): Array<{ pid: number; argv: string[] }> {
  const out: Array<{ pid: number; argv: string[] }> = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
      out.push({ pid: Number(name), argv });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function runPrestop(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const log = createLogger({ name: 'headland-speaker-prestop', level: 'info' });
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: { kubeconfig: { type: 'string' }, 'node-name': { type: 'string' }, 'wait-seconds': { type: 'string' } },
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}; ${PRESTOP_USAGE}\n`);
    return 2;
  }
  const nodeName = values['node-name'] ?? env['NODE_NAME'];
  const waitSeconds = Number(values['wait-seconds'] ?? '20');
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0) {
    process.stderr.write(`--wait-seconds "${values['wait-seconds']}" is not a number of seconds; ${PRESTOP_USAGE}\n`);
    return 2;
  }
  let read: NodeRead;
  if (nodeName === undefined || nodeName === '') {
    read = { error: 'no --node-name and NODE_NAME is unset' };
  } else {
    try {
      const kc = loadKubeConfig(values.kubeconfig);
      read = { node: await requestJson(kc, 'GET', `/api/v1/nodes/${encodeURIComponent(nodeName)}`, { timeoutMs: 5000 }) };
    } catch (err) {
      read = { error: (err as Error).message };
    }
  }
  const decision = decidePrestop(read);
  if (decision.action === 'withdraw') {
    log.info({ node: nodeName ?? null, decision: decision.action, reason: decision.reason }, 'prestop: leaving the speaker to withdraw on SIGTERM');
    return 0;
  }
  const pid = findSpeakerPid(processes(), process.pid);
  if (pid === undefined) {
    log.warn({ node: nodeName, decision: 'withdraw', reason: `${decision.reason}, but no headland-speaker process was found to signal` }, 'prestop: nothing to signal');
    return 0;
  }
  process.kill(pid, 'SIGUSR2');
  log.info({ node: nodeName, decision: decision.action, reason: decision.reason, pid }, 'prestop: sent SIGUSR2 for a graceful restart; waiting for the speaker to exit');
  const started = Date.now();
  while (alive(pid) && Date.now() - started < waitSeconds * 1000) await new Promise((r) => setTimeout(r, 50));
  const exited = !alive(pid);
  log.info({ node: nodeName, pid, exited, ms: Date.now() - started }, exited ? 'prestop: the speaker stopped for a graceful restart' : 'prestop: the speaker is still running; the SIGTERM that follows stops it');
  return 0;
}
