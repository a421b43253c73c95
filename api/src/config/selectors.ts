// Compiles a selector list field of a spec, reporting each problem on the object as Invalid.
import type { LabelSelector } from '../schema/builder.js';
import { parseSelector, type Selector } from '../selector.js';
import type { ObjectIssues } from './issues.js';

/** The compiled selectors of `field` (e.g. "spec.nodeSelectors"); problems go to `issues`. */
export function compileSelectors(selectors: readonly LabelSelector[] | undefined, field: string, issues: ObjectIssues): Selector[] {
  const out: Selector[] = [];
  (selectors ?? []).forEach((sel, i) => {
    const result = parseSelector(sel, `${field}[${i}]`);
    if (result.ok) out.push(result.selector);
    else for (const p of result.problems) issues.invalid(p.path, p.message);
  });
  return out;
}
