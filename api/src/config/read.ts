// The first step of buildConfig for each kind: take objects of any shape, check identity
// (metadata) and the kind's schema, fill defaults, and hand on only the well-formed ones.
import type { KindInfo } from '../kinds/common.js';
import { DEFAULT_NAMESPACE } from '../kinds/common.js';
import { applyDefaults, validateSchema } from '../schema/validate.js';
import { compareRefs, formatRef, type IssueLog, type ObjectIssues, type ObjectRef } from './issues.js';
import { dnsLabelProblem, dnsSubdomainProblem, labelKeyProblem, labelValueProblem } from './names.js';

export interface ReadObject<Spec> {
  readonly ref: ObjectRef;
  readonly labels: Readonly<Record<string, string>>;
  /** Defaulted and schema-valid. */
  readonly spec: Spec;
  /** Where later steps add this object's issues. */
  readonly issues: ObjectIssues;
}

export interface ReadOptions {
  /**
   * Other objects name this kind without a namespace (pools, peers, BFD profiles), so one name
   * in two namespaces would be ambiguous: the later one is rejected.
   */
  readonly namedWithoutNamespace?: boolean;
}

/** The schema-valid objects of one kind, sorted by namespace/name; the rest are rejected in `log`. */
export function readObjects<Spec>(kind: KindInfo<Spec, unknown>, items: readonly unknown[], log: IssueLog, options: ReadOptions = {}): ReadObject<Spec>[] {
  const identified = (Array.isArray(items) ? items : []).map((item, index) => identify(kind.kind, item, index));
  // Stable: of two objects with one namespace/name, the first given stays first.
  identified.sort((a, b) => compareRefs(a.ref, b.ref));

  const seen = new Map<string, ObjectRef>();
  const seenNames = new Map<string, ObjectRef>();
  const out: ReadObject<Spec>[] = [];
  for (const { ref, item, problems } of identified) {
    const issues = log.open(ref);
    for (const [field, message] of problems) issues.invalid(field, message);
    const key = formatRef(ref);
    if (seen.has(key)) {
      issues.invalid('metadata.name', `${kind.kind} ${key} is defined twice`);
      continue;
    }
    seen.set(key, ref);
    const sameName = seenNames.get(ref.name);
    if (options.namedWithoutNamespace === true && sameName !== undefined) {
      issues.invalid('metadata.name', `name ${JSON.stringify(ref.name)} is already used by ${kind.kind} ${formatRef(sameName)}; ${kind.kind} objects are referred to by name alone`);
      continue;
    }
    seenNames.set(ref.name, ref);
    if (issues.rejected || !isRecord(item)) continue;

    const spec: unknown = item['spec'];
    if (!isRecord(spec)) {
      issues.invalid('spec', spec === undefined ? 'Required value' : 'must be an object');
      continue;
    }
    // Defaults first, as the API server does, so a null in place of a defaulted field is fine.
    const defaulted = applyDefaults(kind.spec.json, spec);
    for (const violation of validateSchema(kind.spec.json, defaulted, 'spec')) issues.invalid(violation.path, violation.message);
    if (issues.rejected) continue;
    out.push({ ref, labels: readLabels(item), spec: defaulted as Spec, issues });
  }
  return out;
}

interface Identified {
  readonly ref: ObjectRef;
  readonly item: unknown;
  /** [field, message] pairs found while reading metadata. */
  readonly problems: readonly (readonly [string, string])[];
}

function identify(kind: string, item: unknown, index: number): Identified {
  const problems: [string, string][] = [];
  // An object without a usable name is still reported, under a stand-in that says where it was.
  const standIn = `(item ${index})`;
  if (!isRecord(item)) {
    problems.push(['(object)', `a ${kind} must be an object, not ${item === null ? 'null' : Array.isArray(item) ? 'a list' : typeof item}`]);
    return { ref: { kind, namespace: DEFAULT_NAMESPACE, name: standIn }, item, problems };
  }
  const metadata = item['metadata'];
  if (!isRecord(metadata)) {
    problems.push(['metadata', metadata === undefined ? 'Required value' : 'must be an object']);
    return { ref: { kind, namespace: DEFAULT_NAMESPACE, name: standIn }, item, problems };
  }
  let name = standIn;
  const rawName = metadata['name'];
  if (typeof rawName !== 'string' || rawName === '') {
    problems.push(['metadata.name', 'Required value']);
  } else {
    name = rawName;
    const problem = dnsSubdomainProblem(rawName);
    if (problem !== undefined) problems.push(['metadata.name', `${JSON.stringify(rawName)} ${problem}`]);
  }
  let namespace = DEFAULT_NAMESPACE;
  const rawNamespace = metadata['namespace'];
  if (rawNamespace !== undefined && rawNamespace !== null && rawNamespace !== '') {
    if (typeof rawNamespace !== 'string') {
      problems.push(['metadata.namespace', 'must be a string']);
    } else {
      namespace = rawNamespace;
      const problem = dnsLabelProblem(rawNamespace);
      if (problem !== undefined) problems.push(['metadata.namespace', `${JSON.stringify(rawNamespace)} ${problem}`]);
    }
  }
  const labels = metadata['labels'];
  if (labels !== undefined && labels !== null) {
    if (!isRecord(labels)) {
      problems.push(['metadata.labels', 'must be a map of strings']);
    } else {
      for (const [key, value] of Object.entries(labels)) {
        const field = `metadata.labels[${JSON.stringify(key)}]`;
        const keyProblem = labelKeyProblem(key);
        if (keyProblem !== undefined) problems.push([field, `label key ${keyProblem}`]);
        const valueProblem = typeof value === 'string' ? labelValueProblem(value) : 'must be a string';
        if (valueProblem !== undefined) problems.push([field, `label value ${valueProblem}`]);
      }
    }
  }
  return { ref: { kind, namespace, name }, item, problems };
}

function readLabels(item: Record<string, unknown>): Record<string, string> {
  const metadata = item['metadata'];
  const labels = isRecord(metadata) ? metadata['labels'] : undefined;
  return isRecord(labels) ? (labels as Record<string, string>) : {};
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
