// manifests/monitoring/ as the checks read it: the rule groups (plain file and PrometheusRule), the
// dashboard's queries, the labels a scrape adds; a /metrics text as families with their labels;
// and which names a query reads that the programs do not export.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../programs/program.js';
import { promqlUses } from './promql.js';

export const MONITORING_DIR = join(REPO_ROOT, 'manifests', 'monitoring');
export const RULES_FILE = join(MONITORING_DIR, 'rules', 'headland.rules.yaml');
export const RULES_TEST_FILE = join(MONITORING_DIR, 'rules', 'headland.rules.test.yaml');
export const DASHBOARD_FILE = join(MONITORING_DIR, 'dashboard.json');

export interface Rule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}
export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly Rule[];
}

/** One PromQL query and where it is written, for messages. */
export interface Query {
  readonly where: string;
  readonly expr: string;
}

const docsOf = (file: string): Record<string, unknown>[] => parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as Record<string, unknown>);

export function plainRuleGroups(): RuleGroup[] {
  return (parse(readFileSync(RULES_FILE, 'utf8')) as { groups: RuleGroup[] }).groups;
}

export function prometheusRuleGroups(): RuleGroup[] {
  const rule = docsOf(join(MONITORING_DIR, 'prometheusrule.yaml')).find((d) => d['kind'] === 'PrometheusRule');
  return ((rule?.['spec'] as { groups?: RuleGroup[] } | undefined)?.groups ?? []);
}

export function ruleQueries(groups: readonly RuleGroup[]): Query[] {
  return groups.flatMap((g) => g.rules.map((r) => ({ where: `rule ${r.alert ?? r.record}`, expr: r.expr })));
}

/** What Grafana puts for its built-in variables; a dashboard's own variables are regexes over label values. */
const GRAFANA_VARIABLES: Readonly<Record<string, string>> = { __rate_interval: '5m', __interval: '1m', __range: '1h' };

/** A dashboard query as Prometheus gets it: Grafana's interval variables as durations, `$node` and the like as ".*". */
export function withGrafanaVariables(expr: string): string {
  return expr.replace(/\$\{?(\w+)\}?/g, (_all, name: string) => GRAFANA_VARIABLES[name] ?? '.*');
}

interface Panel {
  readonly title?: string;
  readonly targets?: readonly { readonly expr?: string }[];
  readonly panels?: readonly Panel[];
}

/** Every panel's queries and the template variables' label_values() metrics, variables replaced. */
export function dashboardQueries(dashboard: unknown): Query[] {
  const d = dashboard as { panels?: Panel[]; templating?: { list?: { name: string; query?: unknown }[] } };
  const out: Query[] = [];
  const visit = (panels: readonly Panel[] | undefined): void => {
    for (const p of panels ?? []) {
      for (const t of p.targets ?? []) if (t.expr !== undefined) out.push({ where: `panel "${p.title ?? '?'}"`, expr: withGrafanaVariables(t.expr) });
      visit(p.panels);
    }
  };
  visit(d.panels);
  for (const v of d.templating?.list ?? []) {
    const q = typeof v.query === 'string' ? v.query : (v.query as { query?: string } | undefined)?.query;
    const m = /^label_values\((.+),\s*(\w+)\)$/.exec(q ?? '');
    // label_values(selector, label): the selector is a query, the label must be on its series.
    if (m !== null) out.push({ where: `variable $${v.name}`, expr: `max by (${m[2]}) (${withGrafanaVariables(m[1]!)})` });
  }
  return out;
}

/** The labels a scrape through podmonitors.yaml adds to every series: instance, job and the relabelings' targets. */
export function scrapeLabels(): string[] {
  const targets = docsOf(join(MONITORING_DIR, 'podmonitors.yaml')).flatMap((pm) =>
    ((pm['spec'] as { podMetricsEndpoints?: { relabelings?: { targetLabel?: string }[] }[] } | undefined)?.podMetricsEndpoints ?? []).flatMap((e) => (e.relabelings ?? []).map((r) => r.targetLabel)),
  );
  return [...new Set(['instance', 'job', ...targets.filter((t): t is string => t !== undefined && !t.startsWith('__'))])].sort();
}

/** A metric family in a /metrics text: its type and the label names its samples carry. */
export interface Family {
  readonly type: string;
  readonly labels: Set<string>;
  samples: number;
}

const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];

/** Families by name from Prometheus's text format (what prom-client writes). */
export function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const family = (name: string, type = 'untyped'): Family => {
    let f = families.get(name);
    if (f === undefined) {
      f = { type, labels: new Set(), samples: 0 };
      families.set(name, f);
    }
    return f;
  };
  for (const line of text.split('\n')) {
    const typed = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (typed !== null) {
      family(typed[1]!, typed[2]!);
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const sample = /^([A-Za-z_:][A-Za-z0-9_:]*)(\{(.*)\})? \S+/.exec(line);
    if (sample === null) throw new Error(`monitoring: not a sample line: ${line}`);
    const name = sample[1]!;
    const base = HISTOGRAM_SUFFIXES.map((s) => (name.endsWith(s) ? name.slice(0, -s.length) : undefined)).find((b) => b !== undefined && families.get(b)?.type === 'histogram');
    const f = family(base ?? name);
    f.samples++;
    // A histogram's le is on its buckets only (familyOf adds it for _bucket).
    for (const m of (sample[3] ?? '').matchAll(/([A-Za-z_][A-Za-z0-9_]*)="(?:[^"\\]|\\.)*"/g)) if (base === undefined || m[1] !== 'le') f.labels.add(m[1]!);
  }
  return families;
}

/** The family a series name belongs to (a histogram's _bucket, _sum and _count are its own). */
function familyOf(families: ReadonlyMap<string, Family>, name: string): { family: Family; bucket: boolean } | undefined {
  const own = families.get(name);
  if (own !== undefined) return { family: own, bucket: false };
  for (const s of HISTOGRAM_SUFFIXES) {
    const f = name.endsWith(s) ? families.get(name.slice(0, -s.length)) : undefined;
    if (f?.type === 'histogram') return { family: f, bucket: s === '_bucket' };
  }
  return undefined;
}

/** Series Prometheus makes itself, with the labels it gives them. */
const PROMETHEUS_SERIES: Readonly<Record<string, readonly string[]>> = { up: [] };

/**
 * What the queries read that the scrape does not have: metric names no family exports, label
 * names (in selectors or grouping) that none of the query's series carry. A metric whose family
 * has no sample cannot show its labels, which is a problem too: the check would prove nothing.
 */
export function missingInScrape(queries: readonly Query[], families: ReadonlyMap<string, Family>, targetLabels: readonly string[]): string[] {
  const problems: string[] = [];
  for (const q of queries) {
    const uses = promqlUses(q.expr);
    const available = new Set(targetLabels);
    for (const use of uses.metrics) {
      if (use.metric === '') {
        problems.push(`${q.where}: a selector without a metric name`);
        continue;
      }
      const own = new Set<string>(targetLabels);
      const prometheus = PROMETHEUS_SERIES[use.metric];
      const found = prometheus === undefined ? familyOf(families, use.metric) : undefined;
      if (prometheus !== undefined) for (const l of prometheus) own.add(l);
      else if (found === undefined) {
        problems.push(`${q.where}: ${use.metric} is not exported`);
        continue;
      } else if (found.family.samples === 0) {
        problems.push(`${q.where}: ${use.metric} has no sample in the scrape, so its labels cannot be checked`);
        continue;
      } else {
        for (const l of found.family.labels) own.add(l);
        if (found.bucket) own.add('le');
      }
      for (const l of use.labels) if (!own.has(l)) problems.push(`${q.where}: ${use.metric} has no label ${l}`);
      for (const l of own) available.add(l);
    }
    for (const l of uses.grouping) if (!available.has(l)) problems.push(`${q.where}: no series in it has the label ${l}`);
  }
  return problems;
}
