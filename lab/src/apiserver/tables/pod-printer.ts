// The Pod row of `kubectl get pods`: READY counts, the STATUS reason derived from container
// states (init containers, sidecars, termination), RESTARTS with the last restart's age.

import type { Json, JsonObject } from '../json.js';
import { humanDuration, since, timestamp } from './duration.js';
import { AGE_COLUMN, column, createdOf, int, list, meta, NAME_COLUMN, nameOf, obj, str, type Printer, type PrintedRow } from './printer.js';

/** A sidecar: an init container that keeps running (restartPolicy Always). */
const isSidecar = (c: JsonObject | undefined): boolean => c !== undefined && c['restartPolicy'] === 'Always';

const hasCondition = (status: JsonObject, type: string): boolean => list(status['conditions']).some((c) => obj(c)['type'] === type && obj(c)['status'] === 'True');

/** When a container last ended, if it has restarted. */
const finishedAt = (cs: JsonObject): number | undefined => timestamp(obj(obj(cs['lastState'])['terminated'])['finishedAt']);

function later(a: number | undefined, b: number | undefined): number | undefined {
  if (b === undefined) return a;
  return a === undefined || a < b ? b : a;
}

/** `Signal:9`, `ExitCode:1` or the runtime's reason for a terminated container. */
function terminatedReason(t: JsonObject, prefix: string): string {
  if (str(t['reason']) !== '') return prefix + str(t['reason']);
  return int(t['signal']) !== 0 ? `${prefix}Signal:${int(t['signal'])}` : `${prefix}ExitCode:${int(t['exitCode'])}`;
}

interface Progress {
  reason: string;
  ready: number;
  restarts: number;
  lastRestart: number | undefined;
}

/** Walks init container statuses up to the first one still in the way, noting restarts and the reason it gives. */
function initContainers(spec: JsonObject, status: JsonObject, p: Progress): { initializing: boolean; sidecarRestarts: number; sidecarLastRestart: number | undefined } {
  const byName = new Map(list(spec['initContainers']).map((c) => [str(obj(c)['name']), obj(c)] as const));
  const total = list(spec['initContainers']).length;
  let sidecarRestarts = 0;
  let sidecarLastRestart: number | undefined;
  const statuses = list(status['initContainerStatuses']).map(obj);
  for (const [i, cs] of statuses.entries()) {
    const sidecar = isSidecar(byName.get(str(cs['name'])));
    p.restarts += int(cs['restartCount']);
    p.lastRestart = later(p.lastRestart, finishedAt(cs));
    if (sidecar) {
      sidecarRestarts += int(cs['restartCount']);
      sidecarLastRestart = later(sidecarLastRestart, finishedAt(cs));
    }
    const state = obj(cs['state']);
    const terminated = state['terminated'];
    const waiting = obj(state['waiting']);
    if (terminated !== undefined && terminated !== null && int(obj(terminated)['exitCode']) === 0) continue;
    if (sidecar && cs['started'] === true) {
      if (cs['ready'] === true) p.ready++;
      continue;
    }
    if (terminated !== undefined && terminated !== null) p.reason = terminatedReason(obj(terminated), 'Init:');
    else if (str(waiting['reason']) !== '' && waiting['reason'] !== 'PodInitializing') p.reason = `Init:${str(waiting['reason'])}`;
    else p.reason = `Init:${i}/${total}`;
    return { initializing: true, sidecarRestarts, sidecarLastRestart };
  }
  return { initializing: false, sidecarRestarts, sidecarLastRestart };
}

/** Containers are read last to first, so the first container's state has the final say. */
function containers(status: JsonObject, p: Progress): void {
  let hasRunning = false;
  for (const cs of list(status['containerStatuses']).map(obj).reverse()) {
    p.restarts += int(cs['restartCount']);
    p.lastRestart = later(p.lastRestart, finishedAt(cs));
    const state = obj(cs['state']);
    const waiting = obj(state['waiting']);
    const terminated = state['terminated'];
    if (str(waiting['reason']) !== '') p.reason = str(waiting['reason']);
    else if (terminated !== undefined && terminated !== null) p.reason = terminatedReason(obj(terminated), '');
    else if (cs['ready'] === true && state['running'] !== undefined && state['running'] !== null) {
      hasRunning = true;
      p.ready++;
    }
  }
  if (p.reason === 'Completed' && hasRunning) p.reason = hasCondition(status, 'Ready') ? 'Running' : 'NotReady';
}

function readinessGates(spec: JsonObject, status: JsonObject): string {
  const gates = list(spec['readinessGates']).map((g) => str(obj(g)['conditionType']));
  if (gates.length === 0) return '<none>';
  const conditions = list(status['conditions']).map(obj);
  const met = gates.filter((type) => conditions.find((c) => c['type'] === type)?.['status'] === 'True').length;
  return `${met}/${gates.length}`;
}

function printPod(pod: JsonObject, now: Date): PrintedRow {
  const spec = obj(pod['spec']);
  const status = obj(pod['status']);
  const phase = str(status['phase']);
  const p: Progress = { reason: str(status['reason']) || phase, ready: 0, restarts: 0, lastRestart: undefined };
  if (list(status['conditions']).some((c) => obj(c)['type'] === 'PodScheduled' && obj(c)['reason'] === 'SchedulingGated')) p.reason = 'SchedulingGated';
  const total = list(spec['containers']).length + list(spec['initContainers']).filter((c) => isSidecar(obj(c))).length;
  const init = initContainers(spec, status, p);
  if (!init.initializing || hasCondition(status, 'Initialized')) {
    p.restarts = init.sidecarRestarts;
    p.lastRestart = init.sidecarLastRestart;
    containers(status, p);
  }
  const deleting = meta(pod)['deletionTimestamp'] !== undefined && meta(pod)['deletionTimestamp'] !== null;
  if (deleting && status['reason'] === 'NodeLost') p.reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') p.reason = 'Terminating';
  const restarts = p.restarts !== 0 && p.lastRestart !== undefined ? `${p.restarts} (${humanDuration(now.getTime() - p.lastRestart)} ago)` : String(p.restarts);
  // Converting v1 to the internal Pod makes podIP the first of podIPs when the two disagree.
  const podIP = str(status['podIP']) || str(obj(list(status['podIPs'])[0])['ip']);
  const orNone = (v: Json | undefined): string => str(v) || '<none>';
  const row: PrintedRow = {
    cells: [
      nameOf(pod),
      `${p.ready}/${total}`,
      p.reason,
      restarts,
      since(createdOf(pod), now),
      podIP || '<none>',
      orNone(spec['nodeName']),
      orNone(status['nominatedNodeName']),
      readinessGates(spec, status),
    ],
  };
  if (phase === 'Succeeded') row.conditions = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
  if (phase === 'Failed') row.conditions = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
  return row;
}

export const podPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'string', 'Ready containers out of all the pod runs.'),
    column('Status', 'string', 'What the pod is doing, from its phase and its containers.'),
    column('Restarts', 'string', 'Container restarts, and how long ago the last one was.'),
    AGE_COLUMN,
    column('IP', 'string', 'The first IP of the pod.', { priority: 1 }),
    column('Node', 'string', 'The node the pod is bound to.', { priority: 1 }),
    column('Nominated Node', 'string', 'The node preemption made room on for the pod.', { priority: 1 }),
    column('Readiness Gates', 'string', 'Readiness gates met, out of those the pod declares.', { priority: 1 }),
  ],
  print: printPod,
};
