// The result of a traffic run: per-pod connection counts, the client addresses each pod saw,
// and failures by reason. Built from outcomes in the client script, parsed back by the helper.

import { hostOf, type EchoReply } from '../echo/reply.js';
import { TrafficError } from './options.js';

/** A failed connection's reason and when it ran (wall-clock ms, the machine's clock). */
export interface FailedConnection {
  readonly reason: string;
  readonly startedAt: number;
  readonly endedAt: number;
}

export type Outcome =
  | { readonly ok: true; readonly reply: EchoReply }
  | { readonly ok: false; readonly reason: string; readonly startedAt?: number; readonly endedAt?: number };

/** At most this many failed connections are listed with their times (all are counted). */
export const MAX_LISTED_FAILURES = 200;

export interface TrafficSummary {
  readonly target: string;
  readonly count: number;
  readonly ok: number;
  readonly failed: number;
  /** Pod name -> connections it answered. */
  readonly perPod: Readonly<Record<string, number>>;
  /** Pod name -> distinct client IPs it saw (sorted): the client's own IP when it is preserved. */
  readonly clientsByPod: Readonly<Record<string, readonly string[]>>;
  /** Reason ("timeout", "ECONNREFUSED", "bad reply"...) -> how many. */
  readonly failures: Readonly<Record<string, number>>;
  /**
   * The first MAX_LISTED_FAILURES failed connections that carry their times, so a test can tell
   * a connection cut by a route change (in flight across it) from one failed in a steady state.
   */
  readonly failedConnections: readonly FailedConnection[];
  readonly durationMs: number;
}

export function summarize(target: string, outcomes: readonly Outcome[], durationMs: number): TrafficSummary {
  const perPod: Record<string, number> = {};
  const clients: Record<string, Set<string>> = {};
  const failures: Record<string, number> = {};
  const failedConnections: FailedConnection[] = [];
  let ok = 0;
  for (const o of outcomes) {
    if (o.ok) {
      ok++;
      perPod[o.reply.pod] = (perPod[o.reply.pod] ?? 0) + 1;
      (clients[o.reply.pod] ??= new Set()).add(hostOf(o.reply.client));
    } else {
      failures[o.reason] = (failures[o.reason] ?? 0) + 1;
      if (o.startedAt !== undefined && o.endedAt !== undefined && failedConnections.length < MAX_LISTED_FAILURES) {
        failedConnections.push({ reason: o.reason, startedAt: o.startedAt, endedAt: o.endedAt });
      }
    }
  }
  const clientsByPod = Object.fromEntries(Object.entries(clients).map(([pod, set]) => [pod, [...set].sort()]));
  return { target, count: outcomes.length, ok, failed: outcomes.length - ok, perPod, clientsByPod, failures, failedConnections, durationMs };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function counts(v: unknown, field: string): Record<string, number> {
  if (!isRecord(v)) throw new TrafficError('traffic/summary', `"${field}" must be an object`);
  for (const [k, n] of Object.entries(v)) {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new TrafficError('traffic/summary', `"${field}.${k}" must be a count, got ${JSON.stringify(n)}`);
  }
  return v as Record<string, number>;
}

function failedList(v: unknown, failed: number): FailedConnection[] {
  if (!Array.isArray(v)) throw new TrafficError('traffic/summary', '"failedConnections" must be a list');
  if (v.length > Math.min(failed, MAX_LISTED_FAILURES)) throw new TrafficError('traffic/summary', `"failedConnections" lists ${v.length} connections but ${failed} failed`);
  return v.map((f: unknown, i) => {
    const ok = isRecord(f) && typeof f['reason'] === 'string' && Number.isFinite(f['startedAt']) && Number.isFinite(f['endedAt']) && (f['endedAt'] as number) >= (f['startedAt'] as number);
    if (!ok) throw new TrafficError('traffic/summary', `"failedConnections[${i}]" must be {reason, startedAt, endedAt} with endedAt >= startedAt, got ${JSON.stringify(f)}`);
    return { reason: f['reason'] as string, startedAt: f['startedAt'] as number, endedAt: f['endedAt'] as number };
  });
}

/** Reads the client script's output: the last non-empty line must be the summary JSON. */
export function parseSummary(output: string): TrafficSummary {
  const line = output.trim().split('\n').at(-1) ?? '';
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    throw new TrafficError('traffic/summary', `output is not a JSON summary: ${JSON.stringify(output.slice(0, 200))}`);
  }
  if (!isRecord(v)) throw new TrafficError('traffic/summary', 'summary is not an object');
  if (typeof v['target'] !== 'string') throw new TrafficError('traffic/summary', '"target" must be a string');
  for (const field of ['count', 'ok', 'failed', 'durationMs']) {
    const n = v[field];
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) throw new TrafficError('traffic/summary', `"${field}" must be a non-negative number, got ${JSON.stringify(n)}`);
  }
  const perPod = counts(v['perPod'], 'perPod');
  const failures = counts(v['failures'], 'failures');
  const clientsByPod = v['clientsByPod'];
  if (!isRecord(clientsByPod)) throw new TrafficError('traffic/summary', '"clientsByPod" must be an object');
  for (const [pod, list] of Object.entries(clientsByPod)) {
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) throw new TrafficError('traffic/summary', `"clientsByPod.${pod}" must be a list of addresses`);
  }
  const failedConnections = failedList(v['failedConnections'], v['failed'] as number);
  const summary = { target: v['target'], count: v['count'] as number, ok: v['ok'] as number, failed: v['failed'] as number, perPod, clientsByPod: clientsByPod as Record<string, string[]>, failures, failedConnections, durationMs: v['durationMs'] as number };
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  if (summary.ok + summary.failed !== summary.count || sum(perPod) !== summary.ok || sum(failures) !== summary.failed) {
    throw new TrafficError('traffic/summary', `counts do not add up: count ${summary.count}, ok ${summary.ok} (pods ${sum(perPod)}), failed ${summary.failed} (reasons ${sum(failures)})`);
  }
  return summary;
}
