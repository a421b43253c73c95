// Removes a lab: stops its processes, deletes its namespaces, root links and run directories.
// Works from the state file and from naming alone, so a crashed lab is removed just the same.

import { readdirSync, rmSync } from 'node:fs';
import { LabError } from './errors.js';
import { FRR_RUN_ROOT, isLabLink, labNameProblem, labOfNamespace, linkPrefix, namespacePrefix, runDir, RUN_ROOT } from './naming.js';
import { cmdlineOf, namespacePids, netnsInodeOfName, netnsInodeOfPid, pidFilePids, stopProcesses } from './processes.js';
import { tryRun } from './sh.js';
import { readState } from './state.js';

export interface DownReport {
  readonly lab: string;
  readonly killed: readonly number[];
  readonly namespaces: readonly string[];
  readonly links: readonly string[];
  readonly dirs: readonly string[];
  /** Things that could not be removed; empty when the lab is fully gone. */
  readonly problems: readonly string[];
}

export async function listNamespaces(): Promise<string[]> {
  try {
    return readdirSync('/run/netns');
  } catch {
    return [];
  }
}

export async function listRootLinks(): Promise<string[]> {
  const r = await tryRun(['ip', '-j', 'link', 'show']);
  if (r.code !== 0) throw new LabError('lab/teardown', `ip link show failed: ${r.stderr.trim()}`);
  return (JSON.parse(r.stdout) as { ifname?: string }[]).map((l) => l.ifname ?? '').filter((n) => n !== '');
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export async function downLab(lab: string): Promise<DownReport> {
  const problem = labNameProblem(lab);
  if (problem !== undefined) throw new LabError('lab/teardown', problem);
  const state = readState(lab);
  const nsPrefix = namespacePrefix(lab);
  const lPrefix = linkPrefix(lab);
  const namespaces = [...new Set([...(state?.namespaces ?? []), ...(await listNamespaces()).filter((n) => n.startsWith(nsPrefix))])];

  // Pid files may be stale and their pids reused: only kill a pid that is inside one of this
  // lab's namespaces or whose command line names the lab.
  const inodes = new Set(namespaces.map(netnsInodeOfName).filter((i): i is number => i !== undefined));
  const fromFiles = pidFilePids(runDir(lab)).filter((pid) => {
    const ino = netnsInodeOfPid(pid);
    if (ino === undefined) return false;
    const cmd = cmdlineOf(pid);
    return inodes.has(ino) || cmd.includes(runDir(lab) + '/') || cmd.includes(nsPrefix);
  });
  const fromNamespaces = (await Promise.all(namespaces.map(namespacePids))).flat();
  const killed = await stopProcesses([...fromFiles, ...fromNamespaces]);

  const problems: string[] = [];
  for (const ns of namespaces) {
    const r = await tryRun(['ip', 'netns', 'delete', ns]);
    if (r.code !== 0 && (await listNamespaces()).includes(ns)) problems.push(`namespace ${ns}: ${r.stderr.trim()}`);
  }
  const links = [...new Set([...(state?.rootLinks ?? []), ...(await listRootLinks()).filter((l) => l.startsWith(lPrefix))])];
  for (const link of links) {
    const r = await tryRun(['ip', 'link', 'delete', link]);
    // Deleting one end of a veth takes the other with it, so "cannot find" is fine.
    if (r.code !== 0 && (await listRootLinks()).includes(link)) problems.push(`link ${link}: ${r.stderr.trim()}`);
  }
  const dirs = [
    ...new Set([...(state?.frrPathspaces ?? []), ...listDir(FRR_RUN_ROOT).filter((d) => d.startsWith(nsPrefix))].map((d) => `${FRR_RUN_ROOT}/${d}`)),
    runDir(lab),
  ];
  for (const dir of dirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch (err) {
      problems.push(`dir ${dir}: ${(err as Error).message}`);
    }
  }
  return { lab, killed, namespaces, links, dirs, problems };
}

/** Every lab this machine has leftovers of, found by run dirs, namespaces, FRR pathspaces. */
export async function listLabs(): Promise<string[]> {
  const names = new Set<string>();
  for (const d of listDir(RUN_ROOT)) if (labNameProblem(d) === undefined) names.add(d);
  for (const ns of await listNamespaces()) {
    const lab = labOfNamespace(ns);
    if (lab !== undefined) names.add(lab);
  }
  for (const d of listDir(FRR_RUN_ROOT)) {
    const lab = labOfNamespace(d);
    if (lab !== undefined) names.add(lab);
  }
  return [...names].sort();
}

export async function downAll(): Promise<DownReport[]> {
  const reports: DownReport[] = [];
  for (const lab of await listLabs()) reports.push(await downLab(lab));
  // Root links whose lab name is unknown (the tag is a hash) still carry the lab link pattern.
  const orphans = (await listRootLinks()).filter(isLabLink);
  const problems: string[] = [];
  for (const link of orphans) {
    const r = await tryRun(['ip', 'link', 'delete', link]);
    if (r.code !== 0 && (await listRootLinks()).includes(link)) problems.push(`link ${link}: ${r.stderr.trim()}`);
  }
  if (orphans.length > 0) reports.push({ lab: '(unknown)', killed: [], namespaces: [], links: orphans, dirs: [], problems });
  return reports;
}
