// What `headland-speaker prestop` (the Pod's preStop hook) does, decided from the Node alone:
//   the node stays (schedulable, not being deleted, no autoscaler scale-down taint): this stop is a
//     DaemonSet rollout or a restart, so ask the speaker for a graceful restart (SIGUSR2): peers that
//     agreed graceful restart keep its routes until the next Pod on this node is up: no flap.
//   the node leaves (cordoned or drained, being deleted, chosen by the cluster autoscaler), or the
//     Node could not be read: do nothing, so the SIGTERM that follows withdraws every route first.
// Pure: the side effects (API read, signal, wait) are in run.ts.

export type PrestopAction = 'graceful-restart' | 'withdraw';

export interface PrestopDecision {
  readonly action: PrestopAction;
  readonly reason: string;
}

/** The taint the cluster autoscaler puts on a node it is about to remove. */
export const AUTOSCALER_TAINT = 'ToBeDeletedByClusterAutoscaler';

/** The Node as read from the API, or why it could not be read. */
export type NodeRead = { readonly node: unknown } | { readonly error: string };

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function decidePrestop(read: NodeRead): PrestopDecision {
  if ('error' in read) return { action: 'withdraw', reason: `the Node could not be read (${read.error}); withdrawing is the safe default` };
  const node = record(read.node);
  if (node === undefined) return { action: 'withdraw', reason: 'the Node read is not an object; withdrawing is the safe default' };
  const metadata = record(node['metadata']) ?? {};
  const spec = record(node['spec']) ?? {};
  const ts = metadata['deletionTimestamp'];
  if (typeof ts === 'string' && ts !== '') return { action: 'withdraw', reason: `the Node is being deleted (deletionTimestamp ${ts})` };
  if (spec['unschedulable'] === true) return { action: 'withdraw', reason: 'the Node is cordoned or drained (spec.unschedulable)' };
  const taints = Array.isArray(spec['taints']) ? spec['taints'] : [];
  if (taints.some((t) => record(t)?.['key'] === AUTOSCALER_TAINT)) {
    return { action: 'withdraw', reason: `the cluster autoscaler is removing the Node (taint ${AUTOSCALER_TAINT})` };
  }
  return { action: 'graceful-restart', reason: 'the Node stays (schedulable, not being deleted): a rollout or a restart' };
}

/**
 * The speaker's PID among the container's processes, from each one's argv: PID 1 when it is the
 * speaker (the usual case: the container's command), else the lowest other PID running
 * headland-speaker that is not a `prestop` itself. Undefined when none.
 */
export function findSpeakerPid(procs: ReadonlyArray<{ readonly pid: number; readonly argv: readonly string[] }>, self: number): number | undefined {
  const isSpeaker = (argv: readonly string[]): boolean =>
    argv.some((a) => /(^|\/)headland-speaker$/.test(a) || /speaker\/dist\/main\.js$/.test(a)) && !argv.includes('prestop');
  const candidates = procs.filter((p) => p.pid !== self && isSpeaker(p.argv)).map((p) => p.pid).sort((a, b) => a - b);
  return candidates[0];
}
