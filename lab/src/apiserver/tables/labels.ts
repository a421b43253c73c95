// Label maps and LabelSelectors written the way apimachinery's String() methods write them,
// which is what the SELECTOR and NODE SELECTOR cells show.

import { isObject, type Json } from '../json.js';

const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** labels.FormatLabels: `k=v` pairs sorted as whole strings, `<none>` when empty. */
export function formatLabels(map: Json | undefined): string {
  if (!isObject(map)) return '<none>';
  const pairs = Object.entries(map).map(([k, v]) => `${k}=${typeof v === 'string' ? v : ''}`);
  return pairs.length === 0 ? '<none>' : pairs.sort(byBytes).join(',');
}

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function validKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const [prefix, name] = slash === -1 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
  if (prefix !== undefined && (prefix.length > 253 || !SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && NAME.test(name);
}

const validValue = (v: string): boolean => v === '' || (v.length <= 63 && NAME.test(v));

interface Requirement {
  key: string;
  text: string;
}

const OPERATORS: Readonly<Record<string, 'in' | 'notin' | 'exists' | 'notexists'>> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: 'notexists' };

/** labels.NewRequirement's checks and Requirement.String(), or undefined where it errs. */
function requirement(key: string, op: 'eq' | 'in' | 'notin' | 'exists' | 'notexists', values: string[]): Requirement | undefined {
  if (!validKey(key) || !values.every(validValue)) return undefined;
  if ((op === 'in' || op === 'notin') && values.length === 0) return undefined;
  if ((op === 'exists' || op === 'notexists') && values.length !== 0) return undefined;
  if (op === 'eq' && values.length !== 1) return undefined;
  if (op === 'exists') return { key, text: key };
  if (op === 'notexists') return { key, text: `!${key}` };
  const joined = values.length === 1 ? (values[0] as string) : [...values].sort(byBytes).join(',');
  if (op === 'eq') return { key, text: `${key}=${joined}` };
  return { key, text: `${key} ${op} (${joined})` };
}

/**
 * metav1.LabelSelectorAsSelector(...).String(): '' for a missing or empty selector,
 * undefined when the selector is invalid.
 */
export function selectorString(sel: Json | undefined): string | undefined {
  if (!isObject(sel)) return '';
  const reqs: Requirement[] = [];
  const matchLabels = isObject(sel['matchLabels']) ? sel['matchLabels'] : {};
  for (const [k, v] of Object.entries(matchLabels)) {
    const r = requirement(k, 'eq', [typeof v === 'string' ? v : '']);
    if (r === undefined) return undefined;
    reqs.push(r);
  }
  for (const expr of Array.isArray(sel['matchExpressions']) ? sel['matchExpressions'] : []) {
    const e = isObject(expr) ? expr : {};
    const op = OPERATORS[typeof e['operator'] === 'string' ? e['operator'] : ''];
    if (op === undefined) return undefined;
    const values = Array.isArray(e['values']) ? e['values'].map((v) => (typeof v === 'string' ? v : '')) : [];
    const r = requirement(typeof e['key'] === 'string' ? e['key'] : '', op, values);
    if (r === undefined) return undefined;
    reqs.push(r);
  }
  return reqs
    .sort((a, b) => byBytes(a.key, b.key))
    .map((r) => r.text)
    .join(',');
}

/** metav1.FormatLabelSelector: `<none>` when it selects by nothing, `<error>` when invalid. */
export function formatLabelSelector(sel: Json | undefined): string {
  const text = selectorString(sel);
  if (text === undefined) return '<error>';
  return text === '' ? '<none>' : text;
}
