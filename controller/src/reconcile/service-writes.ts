// The Service writes. The status patch names the resourceVersion the decision read, so a 409
// means someone else wrote first, and the answer is to re-read and decide again, not to force.
import { ALLOCATED_FROM_POOL_ANNOTATION } from '@headland/api';
import { statusCodeOf, type HttpClient } from '@headland/kube';
import { MERGE_PATCH, splitKey, str } from './objects.js';
import type { Desired } from './service-decision.js';
import { ingressMatches } from './service-status.js';

const MAX_ATTEMPTS = 5;

function pathOf(namespace: string, name: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(name)}`;
}

function servicePath(svc: unknown): string {
  return pathOf(str(svc, 'metadata', 'namespace') ?? '', str(svc, 'metadata', 'name') ?? '');
}

/**
 * Decides and writes until a write lands on the current version; 'gone' when the Service was
 * deleted meanwhile. Errors other than a conflict, or a conflict too many, are thrown.
 */
export async function writeUntilCurrent<T>(rest: HttpClient, key: string, cached: unknown, decide: (svc: unknown) => T, write: (svc: unknown, decision: T) => Promise<void>): Promise<'written' | 'gone'> {
  const { namespace, name } = splitKey(key);
  let svc = cached;
  for (let attempt = 1; ; attempt++) {
    if (svc === undefined) return 'gone';
    const decision = decide(svc);
    try {
      await write(svc, decision);
      return 'written';
    } catch (err) {
      const code = statusCodeOf(err);
      if (code === 404) return 'gone';
      if (code !== 409 || attempt >= MAX_ATTEMPTS) throw err;
      // Someone else wrote the Service since our cache saw it: decide again from the fresh copy.
      try {
        svc = await rest.request('GET', pathOf(namespace, name));
      } catch (e) {
        if (statusCodeOf(e) === 404) svc = undefined;
        else throw e;
      }
    }
  }
}

/** The status write: what traffic depends on, so it goes first. */
export async function writeStatus(rest: HttpClient, svc: unknown, desired: Desired): Promise<void> {
  if (!desired.touchIngress || ingressMatches(svc, desired.ingress)) return;
  const ingress = desired.ingress.length > 0 ? desired.ingress : null;
  // resourceVersion makes the patch conditional: a 409 if the Service changed meanwhile.
  await rest.request('PATCH', `${servicePath(svc)}/status`, { contentType: MERGE_PATCH, discardAnswer: true, body: { metadata: { resourceVersion: str(svc, 'metadata', 'resourceVersion') }, status: { loadBalancer: { ingress } } } });
}

/** The pool annotation, undefined removing it; a Service deleted meanwhile needs none. */
export async function writePoolAnnotation(rest: HttpClient, svc: unknown, pool: string | undefined): Promise<void> {
  try {
    await rest.request('PATCH', servicePath(svc), { contentType: MERGE_PATCH, discardAnswer: true, body: { metadata: { annotations: { [ALLOCATED_FROM_POOL_ANNOTATION]: pool ?? null } } } });
  } catch (err) {
    if (statusCodeOf(err) !== 404) throw err;
  }
}
