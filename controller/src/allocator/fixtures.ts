// Test fixtures: pools built by the api's real buildConfig from specs as a user writes them,
// and requests built by serviceRequest from Service JSON, so tests go through the real parsers.
import { API_VERSION, buildConfig, emptySnapshot, formatIP, parseIP, type IPAddress, type Pool } from '@headland/api';
import { serviceRequest, type ServiceRequest } from '../service/request.js';
import { Allocator, type AllocationResult } from './allocator.js';

/** Pools by name from their specs; throws when buildConfig rejects one (a broken test, not a case). */
export function poolsFrom(specs: Record<string, Record<string, unknown>>): Pool[] {
  const ipAddressPools = Object.entries(specs).map(([name, spec]) => ({
    apiVersion: API_VERSION,
    kind: 'IPAddressPool',
    metadata: { name, namespace: 'headland-system' },
    spec,
  }));
  const config = buildConfig({ ...emptySnapshot(), ipAddressPools } as never);
  if (config.rejected.length > 0) throw new Error(`fixtures: pools rejected: ${JSON.stringify(config.issues)}`);
  return [...config.pools.values()];
}

export interface ServiceShape {
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  spec?: Record<string, unknown>;
  namespaceLabels?: Record<string, string>;
}

export function serviceJSON(name: string, shape: ServiceShape = {}): unknown {
  return {
    metadata: { name, namespace: shape.namespace ?? 'default', labels: shape.labels ?? {}, annotations: shape.annotations ?? {} },
    spec: { type: 'LoadBalancer', ports: [{ port: 80, protocol: 'TCP' }], ...shape.spec },
  };
}

/** A request for Service `name` (namespace "default" unless given); throws if the shape is invalid. */
export function request(name: string, shape: ServiceShape = {}): ServiceRequest {
  const result = serviceRequest(serviceJSON(name, shape), shape.namespaceLabels ?? {});
  if (!result.ok) throw new Error(`fixtures: ${result.error.message}`);
  return result.request;
}

export const ips = (...texts: string[]): IPAddress[] => texts.map((t) => parseIP(t));

/** An outcome as one line a table can hold: "pool ip,ip" (with " (kept)" when unchanged) or "!Reason". */
export function outcome(result: AllocationResult): string {
  if (!result.ok) return `!${result.error.reason}`;
  return `${result.assignment.pool} ${result.assignment.ips.map(formatIP).join(',')}${result.changed ? '' : ' (kept)'}`;
}

export type Step =
  | readonly ['allocate', string, ServiceShape?]
  | readonly ['claim', string, string[], ServiceShape?]
  | readonly ['release', string]
  | readonly ['holders', string]
  | readonly ['setPools', Record<string, Record<string, unknown>>];

/** Runs one step of a sequential table against shared state and says what came of it. */
export function runStep(allocator: Allocator, step: Step): string {
  switch (step[0]) {
    case 'allocate':
      return outcome(allocator.allocate(request(step[1], step[2])));
    case 'claim':
      return outcome(allocator.claim(request(step[1], step[3]), ips(...step[2])));
    case 'release': {
      // A bare name is a service of the default namespace, as in request().
      const key = step[1].includes('/') ? step[1] : `default/${step[1]}`;
      allocator.release(key);
      return allocator.assignmentOf(key) === undefined ? 'released' : 'still held';
    }
    case 'holders':
      return allocator.holders(parseIP(step[1])).join(',');
    case 'setPools': {
      const { stranded } = allocator.setPools(poolsFrom(step[1]));
      return `stranded ${stranded.map((s) => s.key).join(',')}`;
    }
  }
}

export type Row = readonly [name: string, step: Step, expected: string];

/** A sequential table: every row runs, in order, against one allocator made from `pools`. */
export function story(pools: Record<string, Record<string, unknown>>, rows: readonly Row[]): Allocator {
  const allocator = new Allocator(poolsFrom(pools));
  test.each(rows)('%s', (_name, step, expected) => {
    expect(runStep(allocator, step)).toBe(expected);
  });
  return allocator;
}
