// metav1.LabelSelector objects (matchLabels, matchExpressions) as the requirement lists selectors.ts
// matches, with the empty selector matching everything as LabelSelectorAsSelector treats it.

import { isObject, type Json } from '../json.js';
import { matchesLabels, type LabelRequirement, type LabelSelector } from '../selectors.js';

export type Labels = Readonly<Record<string, string>>;

export type SelectorConversion = { ok: true; selector: LabelSelector } | { ok: false; error: string };

function goStrings(values: readonly string[]): string {
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}

function strings(v: Json | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * A webhook's namespaceSelector or objectSelector as requirements. An absent selector counts as `{}`:
 * the API defaults both to the empty selector on write, so a stored webhook never has none.
 */
export function toLabelSelector(raw: Json | undefined): SelectorConversion {
  if (raw === undefined || raw === null) return { ok: true, selector: [] };
  if (!isObject(raw)) return { ok: false, error: 'a label selector must be an object' };
  const reqs: LabelRequirement[] = [];
  const matchLabels = raw['matchLabels'];
  if (isObject(matchLabels)) {
    for (const [key, value] of Object.entries(matchLabels)) reqs.push({ key, op: 'in', values: [typeof value === 'string' ? value : String(value)] });
  }
  const exprs = raw['matchExpressions'];
  for (const expr of Array.isArray(exprs) ? exprs : []) {
    if (!isObject(expr)) return { ok: false, error: 'a matchExpressions entry must be an object' };
    const key = typeof expr['key'] === 'string' ? expr['key'] : '';
    const values = strings(expr['values']);
    const operator = expr['operator'];
    switch (operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) return { ok: false, error: `values: Invalid value: ${goStrings(values)}: for 'in', 'notin' operators, values set can't be empty` };
        reqs.push({ key, op: operator === 'In' ? 'in' : 'notin', values });
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length !== 0) return { ok: false, error: `values: Invalid value: ${goStrings(values)}: values set must be empty for exists and does not exist` };
        reqs.push({ key, op: operator === 'Exists' ? 'exists' : 'notexists' });
        break;
      default:
        return { ok: false, error: `${JSON.stringify(typeof operator === 'string' ? operator : '')} is not a valid label selector operator` };
    }
  }
  return { ok: true, selector: reqs };
}

/** The labels of an object (none when it has no metadata.labels), for selector matching. */
export function labelsOf(obj: Json | undefined): Labels {
  if (!isObject(obj) || !isObject(obj['metadata'])) return {};
  const labels = obj['metadata']['labels'];
  if (!isObject(labels)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (typeof v === 'string') out[k] = v;
  return out;
}

export function selects(selector: LabelSelector, labels: Labels): boolean {
  return matchesLabels(selector, labels);
}
