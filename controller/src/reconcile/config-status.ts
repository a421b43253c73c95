// What each Headland object's Valid condition should say, from buildConfig's issues: pure, so
// the writer only compares and patches. The controller builds its config without Secrets (it
// may not read them), so a BGPPeer's missing password Secret is the speaker's to report.
import { SEVERITY, type Config, type ConfigIssue, type Condition } from '@headland/api';
import { field, isRecord, str } from './objects.js';

export const VALID = 'Valid';

export const VALID_REASON = {
  Accepted: 'Accepted',
  AcceptedWithWarnings: 'AcceptedWithWarnings',
  Invalid: 'Invalid',
  MissingReference: 'MissingReference',
} as const;

export interface ObjectVerdict {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly status: 'True' | 'False';
  readonly reason: (typeof VALID_REASON)[keyof typeof VALID_REASON];
  readonly message: string;
  /** The issues behind a False or a warning, for Events and the log. */
  readonly issues: readonly ConfigIssue[];
}

const refKey = (kind: string, namespace: string, name: string): string => `${kind}/${namespace}/${name}`;

/** Issues the controller cannot judge: it holds no Secrets, by design (see manifests/rbac). */
export function controllerCanJudge(issue: ConfigIssue): boolean {
  return !(issue.ref.kind === 'BGPPeer' && issue.severity === SEVERITY.MissingReference && issue.field.startsWith('spec.passwordSecret'));
}

/** One verdict per object given (kind, namespace, name), in the order given. */
export function verdicts(config: Config, objects: readonly { kind: string; namespace: string; name: string }[]): ObjectVerdict[] {
  const issuesByRef = new Map<string, ConfigIssue[]>();
  for (const issue of config.issues) {
    if (!controllerCanJudge(issue)) continue;
    const k = refKey(issue.ref.kind, issue.ref.namespace, issue.ref.name);
    const list = issuesByRef.get(k);
    if (list === undefined) issuesByRef.set(k, [issue]);
    else list.push(issue);
  }
  const rejected = new Set<string>();
  for (const r of config.rejected) {
    // Rejected only because of a Secret the controller cannot see: not the controller's call.
    if (r.issues.some(controllerCanJudge)) rejected.add(refKey(r.ref.kind, r.ref.namespace, r.ref.name));
  }
  return objects.map(({ kind, namespace, name }) => {
    const k = refKey(kind, namespace, name);
    const issues = issuesByRef.get(k) ?? [];
    const message = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
    if (rejected.has(k)) {
      const invalid = issues.some((i) => i.severity === SEVERITY.Invalid);
      return { kind, namespace, name, status: 'False', reason: invalid ? VALID_REASON.Invalid : VALID_REASON.MissingReference, message, issues };
    }
    if (issues.length > 0) return { kind, namespace, name, status: 'True', reason: VALID_REASON.AcceptedWithWarnings, message, issues };
    return { kind, namespace, name, status: 'True', reason: VALID_REASON.Accepted, message: 'the object is valid', issues };
  });
}

/**
 * The object's conditions with Valid set from the verdict; the other conditions are kept, and
 * lastTransitionTime moves only when the status does (metav1.Condition's rule).
 */
export function withValidCondition(obj: unknown, verdict: ObjectVerdict, now: string): Condition[] {
  const existing = field(obj, 'status', 'conditions');
  const list = Array.isArray(existing) ? existing.filter(isRecord) : [];
  const old = list.find((c) => c['type'] === VALID);
  const generation = field(obj, 'metadata', 'generation');
  const next: Condition = {
    type: VALID,
    status: verdict.status,
    reason: verdict.reason,
    message: verdict.message.slice(0, 32768),
    lastTransitionTime: old !== undefined && old['status'] === verdict.status && typeof old['lastTransitionTime'] === 'string' ? old['lastTransitionTime'] : now,
    ...(typeof generation === 'number' ? { observedGeneration: generation } : {}),
  };
  const others = list.filter((c) => c['type'] !== VALID) as unknown as Condition[];
  return [...others, next];
}

/** Whether the conditions as written already equal these (ignoring key order). */
export function sameConditions(obj: unknown, conditions: readonly Condition[]): boolean {
  const existing = field(obj, 'status', 'conditions');
  if (!Array.isArray(existing) || existing.length !== conditions.length) return false;
  return conditions.every((c, i) => {
    const e = existing[i];
    return isRecord(e) && e['type'] === c.type && e['status'] === c.status && e['reason'] === c.reason && e['message'] === c.message &&
      e['lastTransitionTime'] === c.lastTransitionTime && e['observedGeneration'] === c.observedGeneration;
  });
}

export function objectId(obj: unknown): { kind: string; namespace: string; name: string } | undefined {
  const kind = str(obj, 'kind');
  const name = str(obj, 'metadata', 'name');
  if (kind === undefined || name === undefined) return undefined;
  return { kind, namespace: str(obj, 'metadata', 'namespace') ?? '', name };
}
