// A Pod's status from what the stand-in knows of its containers, pure: phase, conditions
// (transition times kept while a condition holds), IPs and containerStatuses.

import type { ContainerStatus, Pod, PodCondition, PodStatus } from './model.js';

export interface ContainerView {
  readonly name: string;
  readonly image: string;
  readonly imageID: string;
  readonly id?: string;
  readonly restartCount: number;
  readonly running: boolean;
  readonly startedAt?: string;
  readonly ready: boolean;
  /** Set while the container is not running: why (ErrImagePull, CrashLoopBackOff, CreateContainerConfigError...). */
  readonly waiting?: { readonly reason: string; readonly message?: string };
  readonly terminated?: { readonly exitCode: number; readonly reason: string; readonly startedAt?: string; readonly finishedAt?: string };
  readonly lastTerminated?: { readonly exitCode: number; readonly reason: string; readonly startedAt?: string; readonly finishedAt?: string };
}

export function containerStatus(v: ContainerView): ContainerStatus {
  const state: Record<string, Record<string, unknown>> = v.running
    ? { running: { startedAt: v.startedAt } }
    : v.terminated !== undefined && v.waiting === undefined
      ? { terminated: { ...v.terminated } }
      : { waiting: { reason: v.waiting?.reason ?? 'ContainerCreating', ...(v.waiting?.message === undefined ? {} : { message: v.waiting.message }) } };
  return {
    name: v.name,
    image: v.image,
    imageID: v.imageID,
    ...(v.id === undefined ? {} : { containerID: `podman://${v.id}` }),
    ready: v.running && v.ready,
    started: v.running,
    restartCount: v.restartCount,
    state,
    lastState: v.lastTerminated === undefined ? {} : { terminated: { ...v.lastTerminated } },
  };
}

function condition(type: string, ok: boolean, prev: readonly PodCondition[] | undefined, now: string, reason?: string): PodCondition {
  const status = ok ? 'True' : 'False';
  const old = prev?.find((c) => c.type === type);
  return { type, status, lastTransitionTime: old?.status === status && old.lastTransitionTime !== undefined ? old.lastTransitionTime : now, ...(ok || reason === undefined ? {} : { reason }) };
}

export function podStatus(pod: Pod, views: readonly ContainerView[], hostIP: string, podIPs: readonly string[], startTime: string, now: string): PodStatus {
  const statuses = views.map(containerStatus);
  const everStarted = views.some((v) => v.running || v.restartCount > 0 || v.terminated !== undefined);
  const allReady = statuses.length > 0 && statuses.every((s) => s.ready);
  const prev = pod.status?.conditions;
  return {
    phase: everStarted ? 'Running' : 'Pending',
    conditions: [
      condition('PodScheduled', true, prev, now),
      condition('Initialized', true, prev, now),
      condition('ContainersReady', allReady, prev, now, 'ContainersNotReady'),
      condition('Ready', allReady, prev, now, 'ContainersNotReady'),
    ],
    hostIP,
    hostIPs: [{ ip: hostIP }],
    podIP: podIPs[0]!,
    podIPs: podIPs.map((ip) => ({ ip })),
    startTime,
    containerStatuses: statuses,
  };
}
