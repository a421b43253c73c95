// Leader election's pure core, with client-go's rules: take a Lease that is missing, empty or
// expired, renew our own, leave a live one alone. Expiry is judged by when *we* last saw the
// record change (local clock), never by the holder's renewTime, so clock skew cannot steal it.

export interface LeaseRecord {
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions: number;
}

/** A record and the local time at which we first saw it in exactly this state. */
export interface Observation {
  record: LeaseRecord;
  observedAtMs: number;
}

export type LeaseDecision =
  | { action: 'create'; record: LeaseRecord }
  /** `acquired`: the holder changes to us; otherwise we renew what we hold. */
  | { action: 'update'; record: LeaseRecord; acquired: boolean }
  | { action: 'wait'; holder: string; expiresAtMs: number };

/** Kubernetes MicroTime: RFC 3339 with exactly six fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

export function sameRecord(a: LeaseRecord, b: LeaseRecord): boolean {
  return (
    a.holderIdentity === b.holderIdentity &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.acquireTime === b.acquireTime &&
    a.renewTime === b.renewTime &&
    a.leaseTransitions === b.leaseTransitions
  );
}

export function observe(prev: Observation | undefined, record: LeaseRecord, nowMs: number): Observation {
  return prev !== undefined && sameRecord(prev.record, record) ? prev : { record, observedAtMs: nowMs };
}

/** The record in a Lease's spec; absent fields read as Kubernetes defaults. */
export function recordFromSpec(spec: unknown): LeaseRecord {
  const s = typeof spec === 'object' && spec !== null ? (spec as Record<string, unknown>) : {};
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const int = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);
  const acquireTime = text(s['acquireTime']);
  const renewTime = text(s['renewTime']);
  return {
    holderIdentity: text(s['holderIdentity']) ?? '',
    leaseDurationSeconds: int(s['leaseDurationSeconds']),
    ...(acquireTime === undefined ? {} : { acquireTime }),
    ...(renewTime === undefined ? {} : { renewTime }),
    leaseTransitions: int(s['leaseTransitions']),
  };
}

export function leaseSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * `observed` undefined: there is no Lease yet. `leaseDurationMs` is ours, used for the record we
 * write and for a record that states no duration; a holder's own stated duration wins otherwise.
 */
export function decide(observed: Observation | undefined, identity: string, leaseDurationMs: number, nowMs: number): LeaseDecision {
  const now = microTime(nowMs);
  const duration = leaseSeconds(leaseDurationMs);
  if (observed === undefined) {
    return { action: 'create', record: { holderIdentity: identity, leaseDurationSeconds: duration, acquireTime: now, renewTime: now, leaseTransitions: 0 } };
  }
  const old = observed.record;
  if (old.holderIdentity === identity) {
    return {
      action: 'update',
      acquired: false,
      record: { holderIdentity: identity, leaseDurationSeconds: duration, ...(old.acquireTime === undefined ? { acquireTime: now } : { acquireTime: old.acquireTime }), renewTime: now, leaseTransitions: old.leaseTransitions },
    };
  }
  if (old.holderIdentity !== '') {
    const heldMs = (old.leaseDurationSeconds > 0 ? old.leaseDurationSeconds * 1000 : leaseDurationMs);
    const expiresAtMs = observed.observedAtMs + heldMs;
    if (nowMs < expiresAtMs) return { action: 'wait', holder: old.holderIdentity, expiresAtMs };
  }
  return { action: 'update', acquired: true, record: { holderIdentity: identity, leaseDurationSeconds: duration, acquireTime: now, renewTime: now, leaseTransitions: old.leaseTransitions + 1 } };
}

/** What release writes: nobody holds it, so a standby takes it on its next try instead of waiting out the lease. */
export function releasedRecord(old: LeaseRecord, nowMs: number): LeaseRecord {
  const now = microTime(nowMs);
  return { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: old.leaseTransitions };
}
