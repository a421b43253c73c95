// A running lab as tests and the CLI see it: up from a topology file, exec and spawn inside
// its nodes and pods ("node" or "node/pod"), and down.

import { existsSync, readFileSync } from 'node:fs';
import { checkFree } from './build.js';
import { build } from './buildAll.js';
import { LabError } from './errors.js';
import { labNameProblem, nodeNamespace, podNamespace, runDir } from './naming.js';
import { parseTopology } from './parse.js';
import { spawnInNamespace, stopProcesses } from './processes.js';
import { inNamespace, run, tryRun, type RunOptions, type RunResult } from './sh.js';
import { downLab, listNamespaces, type DownReport } from './teardown.js';
import type { Topology } from './topology.js';

export type Command = string | readonly string[];

export interface Spawned {
  readonly pid: number;
  readonly logFile: string;
  stop(): Promise<void>;
}

export interface Lab {
  readonly name: string;
  /** The topology when the lab was started here; undefined when attached by name. */
  readonly topology: Topology | undefined;
  /** The namespace of "node" or "node/pod". */
  namespace(target: string): string;
  /** Runs cmd (argv, or a string for sh -c) in target; rejects with CommandError on failure. */
  exec(target: string, cmd: Command, opts?: RunOptions): Promise<string>;
  tryExec(target: string, cmd: Command, opts?: RunOptions): Promise<RunResult>;
  /** Starts a long-running process in target; `down` kills it. */
  spawn(target: string, cmd: Command, opts?: { env?: Readonly<Record<string, string>> }): Promise<Spawned>;
  down(): Promise<DownReport>;
}

const argvOf = (cmd: Command): string[] => (typeof cmd === 'string' ? ['sh', '-c', cmd] : [...cmd]);

/** Reads, validates and starts a topology file; on any failure whatever was made is removed. */
export async function startLab(file: string): Promise<Lab> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LabError('lab/lab', `cannot read topology ${file}: ${(err as Error).message}`);
  }
  const topology = parseTopology(text, file);
  if (process.getuid?.() !== 0) throw new LabError('lab/lab', 'building a lab needs root (network namespaces, veths, bridges)');
  // Before the try: a lab that is already up must not be torn down by this failed start.
  await checkFree(topology);
  try {
    await build(topology);
  } catch (err) {
    await downLab(topology.name);
    throw err;
  }
  return handle(topology.name, topology);
}

/** A handle on a lab that is already up (from `lab up` in another process). */
export async function attachLab(name: string): Promise<Lab> {
  const problem = labNameProblem(name);
  if (problem !== undefined) throw new LabError('lab/lab', problem);
  const prefix = nodeNamespace(name, '');
  if (!(await listNamespaces()).some((ns) => ns.startsWith(prefix))) throw new LabError('lab/lab', `lab ${name} is not up (no namespace ${prefix}*)`);
  return handle(name, undefined);
}

function handle(name: string, topology: Topology | undefined): Lab {
  let spawnCount = 0;
  const namespace = (target: string): string => {
    const [node, pod, extra] = target.split('/');
    if (node === undefined || node === '' || pod === '' || extra !== undefined) throw new LabError('lab/lab', `"${target}" is not "node" or "node/pod"`);
    const ns = pod === undefined ? nodeNamespace(name, node) : podNamespace(name, node, pod);
    if (!existsSync(`/run/netns/${ns}`)) throw new LabError('lab/lab', `lab ${name} has no node "${target}" (no namespace ${ns})`);
    return ns;
  };
  return {
    name,
    topology,
    namespace,
    exec: (target, cmd, opts) => run(inNamespace(namespace(target), argvOf(cmd)), opts),
    tryExec: (target, cmd, opts) => tryRun(inNamespace(namespace(target), argvOf(cmd)), opts),
    async spawn(target, cmd, opts) {
      const ns = namespace(target);
      const n = ++spawnCount;
      const base = `${runDir(name)}/spawned-${process.pid}-${n}`;
      const pid = spawnInNamespace(ns, argvOf(cmd), { logFile: `${base}.log`, pidFile: `${base}.pid`, ...(opts?.env === undefined ? {} : { env: opts.env }) });
      return { pid, logFile: `${base}.log`, stop: async () => void (await stopProcesses([pid])) };
    },
    down: () => downLab(name),
  };
}

