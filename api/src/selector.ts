// Kubernetes label selectors: checked and compiled once (parseSelector), then matched against
// label maps (matches, matchesAny), with a conservative test for selectors that never overlap.
import { labelKeyProblem, labelValueProblem } from './config/names.js';
import type { LabelSelector } from './schema/builder.js';

export const SELECTOR_OPERATOR = {
  In: 'In',
  NotIn: 'NotIn',
  Exists: 'Exists',
  DoesNotExist: 'DoesNotExist',
} as const;
export type SelectorOperator = (typeof SELECTOR_OPERATOR)[keyof typeof SELECTOR_OPERATOR];

export interface Requirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  /** Empty for Exists and DoesNotExist. */
  readonly values: ReadonlySet<string>;
}

/** A compiled selector: all requirements must hold. No requirements matches everything. */
export interface Selector {
  readonly requirements: readonly Requirement[];
}

export interface SelectorProblem {
  readonly path: string;
  readonly message: string;
}

export type SelectorResult =
  | { readonly ok: true; readonly selector: Selector }
  | { readonly ok: false; readonly problems: readonly SelectorProblem[] };

export const MATCH_EVERYTHING: Selector = { requirements: [] };

const OPERATORS: ReadonlySet<string> = new Set(Object.values(SELECTOR_OPERATOR));

/**
 * Checks a LabelSelector (which may come straight from a user's YAML, so any shape) and
 * compiles it; `path` names the field in problems, e.g. `spec.nodeSelectors[0]`.
 */
export function parseSelector(sel: LabelSelector | undefined, path: string): SelectorResult {
  const problems: SelectorProblem[] = [];
  const problem = (where: string, message: string) => problems.push({ path: where, message: `selector: ${message}` });
  const requirements: Requirement[] = [];
  const input: unknown = sel ?? {};
  if (!isRecord(input)) {
    problem(path, `a label selector must be an object, not ${describe(input)}`);
    return { ok: false, problems };
  }
  for (const field of Object.keys(input)) {
    if (field !== 'matchLabels' && field !== 'matchExpressions') problem(`${path}.${field}`, `unknown field ${JSON.stringify(field)}`);
  }

  const { matchLabels, matchExpressions } = input;
  if (matchLabels !== undefined) {
    if (!isRecord(matchLabels)) {
      problem(`${path}.matchLabels`, `must be a map of strings, not ${describe(matchLabels)}`);
    } else {
      for (const [key, value] of Object.entries(matchLabels)) {
        const where = `${path}.matchLabels[${JSON.stringify(key)}]`;
        const keyProblem = labelKeyProblem(key);
        if (keyProblem !== undefined) problem(where, `label key ${JSON.stringify(key)} ${keyProblem}`);
        if (typeof value !== 'string') {
          problem(where, `value must be a string, not ${describe(value)}`);
          continue;
        }
        const valueProblem = labelValueProblem(value);
        if (valueProblem !== undefined) problem(where, `label value ${JSON.stringify(value)} ${valueProblem}`);
        requirements.push({ key, operator: SELECTOR_OPERATOR.In, values: new Set([value]) });
      }
    }
  }

  if (matchExpressions !== undefined) {
    if (!Array.isArray(matchExpressions)) {
      problem(`${path}.matchExpressions`, `must be a list, not ${describe(matchExpressions)}`);
    } else {
      matchExpressions.forEach((expression: unknown, i) => {
        const where = `${path}.matchExpressions[${i}]`;
        const requirement = parseRequirement(expression, where, problem);
        if (requirement !== undefined) requirements.push(requirement);
      });
    }
  }

  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, selector: { requirements } };
}

function parseRequirement(expression: unknown, where: string, problem: (path: string, message: string) => void): Requirement | undefined {
  if (!isRecord(expression)) {
    problem(where, `an expression must be an object, not ${describe(expression)}`);
    return undefined;
  }
  const { key, operator, values } = expression;
  let ok = true;
  if (typeof key !== 'string') {
    problem(`${where}.key`, `must be a string, not ${describe(key)}`);
    ok = false;
  } else {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem !== undefined) {
      problem(`${where}.key`, `label key ${JSON.stringify(key)} ${keyProblem}`);
      ok = false;
    }
  }
  if (typeof operator !== 'string' || !OPERATORS.has(operator)) {
    problem(`${where}.operator`, `unknown operator ${describe(operator)}; expected one of ${[...OPERATORS].join(', ')}`);
    return undefined;
  }
  const op = operator as SelectorOperator;
  const list: unknown[] = values === undefined || values === null ? [] : Array.isArray(values) ? values : [values];
  if (values !== undefined && values !== null && !Array.isArray(values)) {
    problem(`${where}.values`, `must be a list of strings, not ${describe(values)}`);
    return undefined;
  }
  const needsValues = op === SELECTOR_OPERATOR.In || op === SELECTOR_OPERATOR.NotIn;
  if (needsValues && list.length === 0) {
    problem(`${where}.values`, `operator ${op} needs at least one value`);
    ok = false;
  }
  if (!needsValues && list.length > 0) {
    problem(`${where}.values`, `operator ${op} takes no values, got ${list.length}`);
    ok = false;
  }
  list.forEach((value, j) => {
    if (typeof value !== 'string') {
      problem(`${where}.values[${j}]`, `must be a string, not ${describe(value)}`);
      ok = false;
      return;
    }
    const valueProblem = labelValueProblem(value);
    if (valueProblem !== undefined) {
      problem(`${where}.values[${j}]`, `label value ${JSON.stringify(value)} ${valueProblem}`);
      ok = false;
    }
  });
  if (!ok || typeof key !== 'string') return undefined;
  return { key, operator: op, values: new Set(list as string[]) };
}

export function matches(selector: Selector, labels: Readonly<Record<string, string>> | undefined): boolean {
  const present = labels ?? {};
  return selector.requirements.every((r) => requirementHolds(r, present));
}

/** Whether any selector matches; an empty list (or none) matches everything. */
export function matchesAny(selectors: readonly Selector[] | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (selectors === undefined || selectors.length === 0) return true;
  return selectors.some((s) => matches(s, labels));
}

function requirementHolds(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key];
  switch (r.operator) {
    case SELECTOR_OPERATOR.In:
      return has && value !== undefined && r.values.has(value);
    case SELECTOR_OPERATOR.NotIn:
      // As in Kubernetes: a missing key is "not in" any set.
      return !has || value === undefined || !r.values.has(value);
    case SELECTOR_OPERATOR.Exists:
      return has;
    case SELECTOR_OPERATOR.DoesNotExist:
      return !has;
  }
}

/**
 * True only when no label map can match both selectors: some key is required In disjoint
 * value sets, or required present by one and absent by the other. False means "may overlap".
 */
export function selectorsDisjoint(a: Selector, b: Selector): boolean {
  for (const ra of a.requirements) {
    for (const rb of b.requirements) {
      if (ra.key === rb.key && requirementsExclude(ra, rb)) return true;
    }
  }
  return false;
}

/** True only when no label map can match a selector of each list; an empty list matches all. */
export function selectorListsDisjoint(a: readonly Selector[], b: readonly Selector[]): boolean {
  const left = a.length === 0 ? [MATCH_EVERYTHING] : a;
  const right = b.length === 0 ? [MATCH_EVERYTHING] : b;
  return left.every((sa) => right.every((sb) => selectorsDisjoint(sa, sb)));
}

function requirementsExclude(a: Requirement, b: Requirement): boolean {
  const needsKey = (r: Requirement) => r.operator === SELECTOR_OPERATOR.In || r.operator === SELECTOR_OPERATOR.Exists;
  if (a.operator === SELECTOR_OPERATOR.DoesNotExist) return needsKey(b);
  if (b.operator === SELECTOR_OPERATOR.DoesNotExist) return needsKey(a);
  if (a.operator === SELECTOR_OPERATOR.In && b.operator === SELECTOR_OPERATOR.In) return ![...a.values].some((v) => b.values.has(v));
  if (a.operator === SELECTOR_OPERATOR.In && b.operator === SELECTOR_OPERATOR.NotIn) return [...a.values].every((v) => b.values.has(v));
  if (a.operator === SELECTOR_OPERATOR.NotIn && b.operator === SELECTOR_OPERATOR.In) return [...b.values].every((v) => a.values.has(v));
  return false;
}

/** A canonical text of a selector: equal for selectors that say the same thing in any order. */
export function selectorKey(selector: Selector): string {
  const parts = selector.requirements.map((r) => `${r.key} ${r.operator} (${[...r.values].sort().join(',')})`);
  return [...new Set(parts)].sort().join('; ');
}

/** A canonical text of a selector list, order and duplicates ignored; "" means everything. */
export function selectorListKey(selectors: readonly Selector[]): string {
  const keys = new Set(selectors.map(selectorKey));
  // One selector that matches everything makes the whole list match everything.
  if (keys.has('')) return '';
  return [...keys].sort().map((k) => `{${k}}`).join(' | ');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
