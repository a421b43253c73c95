// The webhook's decision, pure: an admission request and the Headland objects the informers hold
// in, allowed or denied out, denials worded with exactly the lines `headland validate` prints.
//
// What is denied, and why (the table in decide.test.ts is the full list):
// - CREATE/UPDATE: buildConfig runs twice, over the cluster's objects with the old version of
//   the incoming one (before) and with the new one in its place (after). Denied: every Invalid
//   issue of the incoming object, and every issue of another object that `after` has and
//   `before` had not (a change may not break or hold back something that worked). Problems other
//   objects already had are not the request's fault and never deny it; an issue counts as the
//   same when object, field and severity match (its wording may name a different rival).
//   Missing references of the incoming object are allowed with a warning: they are transient
//   (`kubectl apply -f dir/` creates objects in file order) and buildConfig skips or holds back
//   the object until the reference appears.
// - UPDATE that changes neither spec nor labels (finalizers, annotations): allowed, so an object
//   that was already broken can still be labelled, annotated or have its finalizers removed.
// - DELETE of a BFDProfile or Community: denied while another object still refers to it (the
//   delete would give it a new missing-reference issue), naming each referrer and field.
// - Objects outside the controller's namespace are ignored by Headland: allowed with a warning.
import { ALL_KINDS, GROUP, SEVERITY, buildConfig, formatIssue, formatRef, snapshotFromObjects, type ConfigIssue, type ObjectRef } from '@headland/api';
import { controllerCanJudge } from '../reconcile/config-status.js';
import { isRecord, str } from '../reconcile/objects.js';
import { OPERATION, type AdmissionRequest, type AdmissionResponse } from './review.js';

export const OUTCOME = {
  /** Not one of Headland's six kinds (or not a write): nothing to check. */
  NotChecked: 'NotChecked',
  /** In a namespace Headland does not read. */
  OtherNamespace: 'OtherNamespace',
  /** An UPDATE that leaves everything buildConfig reads as it was. */
  Unchanged: 'Unchanged',
  Valid: 'Valid',
  /** The incoming object is invalid. */
  Invalid: 'Invalid',
  /** The change would give other objects new issues. */
  BreaksOthers: 'BreaksOthers',
  /** A DELETE of an object others still refer to. */
  InUse: 'InUse',
  /** The request carries no object to judge. */
  Malformed: 'Malformed',
} as const;
export type Outcome = (typeof OUTCOME)[keyof typeof OUTCOME];

export interface DecisionInput {
  /** The namespace Headland reads its objects in (the controller's --namespace). */
  readonly namespace: string;
  /** The Headland objects in the cluster, as the informers hold them (apiVersion and kind set). */
  readonly objects: readonly unknown[];
}

export interface Decision {
  readonly allowed: boolean;
  readonly outcome: Outcome;
  /** Why it is denied: `KIND NAMESPACE/NAME: FIELD: what is wrong` lines, as `headland validate` prints them. */
  readonly lines: readonly string[];
  /** The full denial message (lines, after a summary line for InUse). */
  readonly message: string;
  readonly warnings: readonly string[];
}

/** Kinds whose DELETE is refused while something refers to them. */
export const DELETE_PROTECTED: ReadonlySet<string> = new Set(['BFDProfile', 'Community']);

const KINDS: ReadonlySet<string> = new Set(ALL_KINDS.map((k) => k.kind));

const refKey = (r: ObjectRef): string => `${r.kind}/${r.namespace}/${r.name}`;
/** Same object, same field, same severity: the same problem, whatever rival its text names. */
const issueKey = (i: ConfigIssue): string => `${refKey(i.ref)}|${i.field}|${i.severity}`;

function allow(outcome: Outcome, warnings: readonly string[] = []): Decision {
  return { allowed: true, outcome, lines: [], message: '', warnings };
}

function deny(outcome: Outcome, lines: readonly string[], warnings: readonly string[], summary?: string): Decision {
  return { allowed: false, outcome, lines, message: [...(summary === undefined ? [] : [summary]), ...lines].join('\n'), warnings };
}

/** The issues buildConfig finds in `objects` that the controller can judge (it holds no Secrets). */
function issuesOf(objects: readonly unknown[]): ConfigIssue[] {
  return buildConfig(snapshotFromObjects(objects).snapshot).issues.filter(controllerCanJudge);
}

/** JSON with object keys sorted, so equal values compare equal whatever order the API server wrote. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (isRecord(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** What buildConfig reads of an object besides its identity. */
const configInput = (obj: unknown): string => stableJson({ spec: isRecord(obj) ? obj['spec'] : undefined, labels: isRecord(obj) && isRecord(obj['metadata']) ? obj['metadata']['labels'] : undefined });

/** The object as buildConfig should see it: apiVersion and kind from the request if it lacks them. */
function typed(obj: Record<string, unknown>, request: AdmissionRequest): Record<string, unknown> {
  return { ...obj, apiVersion: `${request.kind.group}/${request.kind.version}`, kind: request.kind.kind };
}

export function decide(request: AdmissionRequest, input: DecisionInput): Decision {
  const { kind } = request.kind;
  if (request.kind.group !== GROUP || !KINDS.has(kind) || request.operation === OPERATION.Connect) return allow(OUTCOME.NotChecked);
  const subject = request.operation === OPERATION.Delete ? request.oldObject : request.object;
  const namespace = request.namespace || (str(subject, 'metadata', 'namespace') ?? '');
  const name = request.name || (str(subject, 'metadata', 'name') ?? '');
  const ref: ObjectRef = { kind, namespace, name };
  if (namespace !== input.namespace) {
    // The webhook configuration's namespaceSelector keeps these away; this is the fallback.
    return allow(OUTCOME.OtherNamespace, [`${kind} ${formatRef(ref)}: metadata.namespace: Headland reads ${kind} objects only in namespace ${input.namespace}; this one is ignored`]);
  }
  const self = refKey(ref);
  const isSelf = (o: unknown): boolean => str(o, 'kind') === kind && (str(o, 'metadata', 'namespace') ?? '') === namespace && str(o, 'metadata', 'name') === name;
  const others = input.objects.filter((o) => !isSelf(o));
  // The informer's copy of the object may be behind; the request's oldObject is what is stored.
  const stored = isRecord(request.oldObject) ? typed(request.oldObject, request) : input.objects.find(isSelf);

  if (request.operation === OPERATION.Delete) {
    if (stored === undefined) return allow(OUTCOME.NotChecked);
    const before = new Set(issuesOf([...others, stored]).map(issueKey));
    const caused = issuesOf(others).filter((i) => !before.has(issueKey(i)));
    if (caused.length === 0) return allow(OUTCOME.Valid);
    const lines = caused.map(formatIssue);
    if (!DELETE_PROTECTED.has(kind)) return allow(OUTCOME.Valid, lines);
    const referrers = caused.map((i) => `${i.ref.kind} ${formatRef(i.ref)} (${i.field})`);
    return deny(OUTCOME.InUse, lines, [], `${kind} ${formatRef(ref)} is still referenced by ${[...new Set(referrers)].join(', ')}; change or delete those first`);
  }

  if (!isRecord(request.object)) return deny(OUTCOME.Malformed, [`${kind} ${formatRef(ref)}: (object): the admission request carries no object`], []);
  const incoming = typed(request.object, request);
  if (request.operation === OPERATION.Update && stored !== undefined && configInput(stored) === configInput(incoming)) return allow(OUTCOME.Unchanged);

  const before = new Set(issuesOf(stored === undefined || request.operation === OPERATION.Create ? others : [...others, stored]).map(issueKey));
  const after = issuesOf([...others, incoming]);
  const own = (i: ConfigIssue): boolean => refKey(i.ref) === self;
  const denied = after.filter((i) => (own(i) ? i.severity === SEVERITY.Invalid : !before.has(issueKey(i))));
  const warnings = after.filter((i) => own(i) && i.severity === SEVERITY.MissingReference).map(formatIssue);
  if (denied.length === 0) return allow(OUTCOME.Valid, warnings);
  return deny(denied.some(own) ? OUTCOME.Invalid : OUTCOME.BreaksOthers, denied.map(formatIssue), warnings);
}

/** The AdmissionResponse for a decision: a denial is 403 Forbidden, as controller-runtime's. */
export function admissionResponse(uid: string, decision: Decision): AdmissionResponse {
  const warnings = decision.warnings.length > 0 ? { warnings: decision.warnings } : {};
  if (decision.allowed) return { uid, allowed: true, ...warnings };
  return { uid, allowed: false, status: { code: 403, reason: 'Forbidden', message: decision.message }, ...warnings };
}
