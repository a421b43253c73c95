// The prober's checks as the announcement policy reads them (DataPlaneView) and as metrics count
// them: the only place the two shapes meet.
import type { DataPlaneAnswer, DataPlaneView } from '../policy/types.js';
import type { DataPlaneFigures } from '../metrics.js';
import type { DataPlaneProber } from './prober.js';
import type { ProxyCheck, ServiceCheck } from './types.js';

export function answerOf(check: ServiceCheck | ProxyCheck | undefined): DataPlaneAnswer | undefined {
  if (check === undefined) return undefined;
  const weight = (check as ServiceCheck).weight;
  return { ok: check.status === 'ok', detail: check.detail, ...(weight === undefined ? {} : { weight }) };
}

export function proberView(prober: Pick<DataPlaneProber, 'service' | 'proxy'>): DataPlaneView {
  return { service: (key) => answerOf(prober.service(key)), proxy: () => answerOf(prober.proxy()) };
}

/** Counts by check and status over the current targets. */
export function proberFigures(prober: Pick<DataPlaneProber, 'service' | 'proxy' | 'figures'>, services: Iterable<string>): DataPlaneFigures {
  const counts = new Map<string, number>();
  const add = (check: 'service' | 'proxy', status: string) => counts.set(`${check} ${status}`, (counts.get(`${check} ${status}`) ?? 0) + 1);
  for (const key of services) add('service', prober.service(key)?.status ?? 'unchecked');
  const proxy = prober.proxy();
  if (proxy !== undefined) add('proxy', proxy.status);
  const checks = [...counts].map(([k, count]) => {
    const [check, status] = k.split(' ') as ['service' | 'proxy', string];
    return { check, status, count };
  });
  return { checks, requests: prober.figures().requests };
}
