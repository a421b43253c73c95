// Starts the routing daemon of each router node inside its namespace (FRR, BIRD, GoBGP,
// ExaBGP), each with its own sockets and pid files under the lab's run dir, and waits until it answers.

import { chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { LabError } from './errors.js';
import { birdSocket, frrPathspace, FRR_RUN_ROOT, gobgpTarget, nodeNamespace, nodeRunDir } from './naming.js';
import { spawnInNamespace } from './processes.js';
import { inNamespace, run, tryRun } from './sh.js';
import type { StateRecorder } from './state.js';
import type { LabNode } from './topology.js';
import { waitFor } from './wait.js';

const FRR_DAEMON_DIR = '/usr/lib/frr';
/** staticd too: `ip route` lines in a config (and hand-set routes in tests) need it; bfdd for `bfd` blocks and `neighbor ... bfd`. */
const FRR_DAEMONS = ['zebra', 'staticd', 'bgpd', 'bfdd'] as const;
const READY_TIMEOUT_MS = 15_000;

export function frrVtysh(lab: string, node: string, ...commands: string[]): string[] {
  return ['vtysh', '-N', frrPathspace(lab, node), ...commands.flatMap((c) => ['-c', c])];
}

export function birdc(lab: string, node: string, ...words: string[]): string[] {
  return ['birdc', '-s', birdSocket(lab, node), ...words];
}

export function gobgpCli(lab: string, node: string, ...words: string[]): string[] {
  return ['gobgp', '--target', gobgpTarget(lab, node), ...words];
}

/** ExaBGP's API FIFO; `process api { run /run/headland-lab/LAB/NODE/exabgp-api; }` reads it (see README). */
export function exabgpApiPipe(lab: string, node: string): string {
  return `${nodeRunDir(lab, node)}/exabgp.api`;
}

const API_WRITE_TIMEOUT_S = 5;

/** One API command per line, so a command must be one non-empty line. */
export function exabgpApiText(commands: readonly string[]): string {
  if (commands.length === 0) throw new LabError('lab/routers', 'ExaBGP API: no command given');
  for (const c of commands) {
    if (c.trim() === '' || /[\r\n]/.test(c)) throw new LabError('lab/routers', `ExaBGP API: ${JSON.stringify(c)} is not one non-empty line`);
  }
  return commands.map((c) => `${c}\n`).join('');
}

/**
 * Writes API commands (`announce route ...`, `withdraw route ...`) to an ExaBGP node's FIFO.
 * Opening a FIFO blocks while nothing reads it (ExaBGP gone), so the write runs under timeout.
 */
export async function exabgpApi(lab: string, node: string, ...commands: string[]): Promise<void> {
  const text = exabgpApiText(commands);
  const pipe = exabgpApiPipe(lab, node);
  if (!existsSync(pipe)) throw new LabError('lab/routers', `node "${node}" of lab ${lab} has no ExaBGP API FIFO ${pipe}`);
  const r = await tryRun(['timeout', String(API_WRITE_TIMEOUT_S), 'dd', `of=${pipe}`, 'status=none'], { input: text });
  if (r.code === 124) throw new LabError('lab/routers', `node "${node}": nothing read the ExaBGP API FIFO for ${API_WRITE_TIMEOUT_S} s (is ExaBGP running? see exabgp.log)`);
  if (r.code !== 0) throw new LabError('lab/routers', `node "${node}": writing the ExaBGP API FIFO failed: ${r.stderr.trim()}`);
}

export async function startRouter(lab: string, node: LabNode, rec: StateRecorder): Promise<void> {
  const config = node.startupConfig;
  if (config === undefined) return;
  if (!existsSync(config)) throw new LabError('lab/routers', `node "${node.name}": startup-config ${config} does not exist`);
  switch (node.kind) {
    case 'frr':
      return startFrr(lab, node.name, config, rec);
    case 'bird':
      return startBird(lab, node.name, config);
    case 'gobgp':
      return startGobgp(lab, node.name, config);
    case 'exabgp':
      return startExabgp(lab, node);
    default:
      return;
  }
}

/** FRR drops to user frr; without that user (FRR not packaged here) run it as root. */
async function frrUser(): Promise<{ user: string; uid: number; gid: number }> {
  const uid = await tryRun(['id', '-u', 'frr']);
  const gid = await tryRun(['id', '-g', 'frr']);
  if (uid.code !== 0 || gid.code !== 0) return { user: 'root', uid: 0, gid: 0 };
  return { user: 'frr', uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

async function startFrr(lab: string, node: string, config: string, rec: StateRecorder): Promise<void> {
  const ns = nodeNamespace(lab, node);
  const pathspace = frrPathspace(lab, node);
  const dir = nodeRunDir(lab, node);
  const owner = await frrUser();
  rec.frrPathspace(pathspace);
  mkdirSync(`${FRR_RUN_ROOT}/${pathspace}`, { recursive: true });
  chownSync(FRR_RUN_ROOT, owner.uid, owner.gid);
  chownSync(`${FRR_RUN_ROOT}/${pathspace}`, owner.uid, owner.gid);
  chownSync(dir, owner.uid, owner.gid);
  for (const daemon of FRR_DAEMONS) {
    // Empty config at start; the whole startup-config goes in through vtysh below, which hands
    // each daemon its own lines. -P 0: no TCP vty, only the pathspace's unix sockets.
    await run(inNamespace(ns, [
      `${FRR_DAEMON_DIR}/${daemon}`, '-d', '-N', pathspace, '-f', '/dev/null', '-P', '0',
      '-i', `${dir}/${daemon}.pid`, '--log', `file:${dir}/${daemon}.log`, '-u', owner.user, '-g', owner.user,
    ]));
  }
  await waitFor(
    () => tryRun(frrVtysh(lab, node, 'show daemons')),
    (r) => r.code === 0 && FRR_DAEMONS.every((d) => r.stdout.includes(d)),
    { timeoutMs: READY_TIMEOUT_MS, what: `FRR on ${node} to answer vtysh` },
  );
  const applied = await tryRun(['vtysh', '-N', pathspace, '-f', config]);
  if (applied.code !== 0) throw new LabError('lab/routers', `node "${node}": vtysh rejected ${config}: ${(applied.stdout + applied.stderr).trim().slice(0, 800)}`);
}

async function startBird(lab: string, node: string, config: string): Promise<void> {
  const ns = nodeNamespace(lab, node);
  const dir = nodeRunDir(lab, node);
  await run(inNamespace(ns, ['bird', '-c', config, '-s', birdSocket(lab, node), '-P', `${dir}/bird.pid`]));
  await waitFor(() => tryRun(birdc(lab, node, 'show', 'status')), (r) => r.code === 0 && /Daemon is up and running/.test(r.stdout), {
    timeoutMs: READY_TIMEOUT_MS,
    what: `BIRD on ${node} to answer birdc`,
  });
}

async function startGobgp(lab: string, node: string, config: string): Promise<void> {
  const ns = nodeNamespace(lab, node);
  const dir = nodeRunDir(lab, node);
  const type = /\.ya?ml$/.test(config) ? 'yaml' : /\.json$/.test(config) ? 'json' : 'toml';
  spawnInNamespace(ns, ['gobgpd', '-f', config, '-t', type, '--api-hosts', gobgpTarget(lab, node), '--pprof-disable', '-p'], {
    logFile: `${dir}/gobgpd.log`,
    pidFile: `${dir}/gobgpd.pid`,
  });
  await waitFor(() => tryRun(gobgpCli(lab, node, 'global', '-j')), (r) => r.code === 0, {
    timeoutMs: READY_TIMEOUT_MS,
    what: `GoBGP on ${node} to answer gobgp (log ${dir}/gobgpd.log)`,
  });
}

/**
 * The API process ExaBGP runs: copies the FIFO (in $HL_EXABGP_API) to its stdout, which ExaBGP
 * reads as commands. Opened read-write, the FIFO never reports EOF between writers. ExaBGP
 * writes an answer ("done") per command to the process's stdin; that pipe must keep a reader
 * that drains it, or ExaBGP gets EPIPE after a few KiB of answers and drops the BGP session.
 * A background job's stdin is /dev/null, hence the copy of it on fd 3.
 */
export const EXABGP_API_READER = `#!/bin/sh
exec 3<&0
cat <&3 >/dev/null &
exec cat <>"$HL_EXABGP_API" 3<&-
`;

async function startExabgp(lab: string, node: LabNode): Promise<void> {
  const ns = nodeNamespace(lab, node.name);
  const dir = nodeRunDir(lab, node.name);
  const pipe = exabgpApiPipe(lab, node.name);
  await run(['mkfifo', '-m', '600', pipe]);
  // ExaBGP's `run` takes no shell quoting, so the reader of the FIFO is a script of its own.
  writeFileSync(`${dir}/exabgp-api`, EXABGP_API_READER, { mode: 0o755 });
  // Everything through the environment, so no /etc/exabgp is needed and nothing is shared.
  const env = {
    'exabgp.daemon.daemonize': 'false',
    'exabgp.daemon.user': 'root',
    'exabgp.daemon.drop': 'false',
    'exabgp.log.destination': 'stdout',
    'exabgp.api.cli': 'false',
    HL_EXABGP_API: pipe,
    ...node.env,
  };
  const pid = spawnInNamespace(ns, ['exabgp', node.startupConfig!], { logFile: `${dir}/exabgp.log`, pidFile: `${dir}/exabgp.pid`, env });
  // ExaBGP has no query command; it is up when it has loaded the config and still runs.
  await waitFor(() => tryRun(['grep', '-c', 'loaded new configuration successfully', `${dir}/exabgp.log`]), (r) => r.code === 0, {
    timeoutMs: READY_TIMEOUT_MS,
    what: `ExaBGP on ${node.name} (pid ${pid}) to load its config (log ${dir}/exabgp.log)`,
  });
}
