// manifests/monitoring/ held to what it promises: the plain rules file and the PrometheusRule
// carry the same groups; promtool (Debian's prometheus package) accepts the rules, passes their
// unit tests, and parses every dashboard query; the unit tests make every alert fire and not fire;
// the kustomize Component renders the PodMonitors, the PrometheusRule and the dashboard ConfigMap.
// The promtool checks are skipped with a message where promtool is not installed.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { KUBECTL } from '../programs/apiserver.js';
import { REPO_ROOT } from '../programs/program.js';
import { DASHBOARD_FILE, MONITORING_DIR, RULES_FILE, RULES_TEST_FILE, dashboardQueries, plainRuleGroups, prometheusRuleGroups } from './artifacts.js';

const run = promisify(execFile);
const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p));
if (PROMTOOL === undefined) console.warn('monitoring rules.test: promtool checks skipped, promtool is not installed (Debian package prometheus; scripts/setup.sh installs it)');
const withPromtool = PROMTOOL === undefined ? describe.skip : describe;

/** The alerts the issue asks for, by what they watch. */
const REQUIRED_ALERTS = [
  'HeadlandAddressPoolAlmostFull', // pool usage >= 90 %
  'HeadlandAddressPoolExhausted',
  'HeadlandBGPSessionDown', // for 1 m
  'HeadlandSpeakerNotReady',
  'HeadlandConfigurationInvalid',
  'HeadlandServiceNotAnnounced', // a Service with endpoints that no node announces
  'HeadlandL2IPWithoutOwner',
];

const groups = plainRuleGroups();
const alerts = groups.flatMap((g) => g.rules).filter((r) => r.alert !== undefined);
const dashboard = JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as { uid?: string; title?: string; panels: Panel[]; templating: { list: { name: string; type: string }[] } };
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos?: { h: number; w: number; x: number; y: number };
  targets?: { expr?: string; refId?: string; datasource?: { uid?: string } }[];
}

async function promtool(args: readonly string[], cwd: string): Promise<string> {
  try {
    const { stdout, stderr } = await run(PROMTOOL!, args, { cwd });
    return `${stdout}${stderr}`;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`promtool ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  }
}

describe('the rules', () => {
  test('the PrometheusRule carries exactly the groups of rules/headland.rules.yaml', () => {
    // Edit both files; this is the check that they say the same.
    expect(prometheusRuleGroups()).toEqual(groups);
  });

  test('the alerts the issue asks for are there, each with a severity, a summary and a description', () => {
    expect(alerts.map((a) => a.alert)).toEqual(expect.arrayContaining(REQUIRED_ALERTS));
    for (const a of alerts) {
      expect([a.alert, ['warning', 'critical'].includes(a.labels?.['severity'] ?? '')]).toEqual([a.alert, true]);
      expect([a.alert, typeof a.annotations?.['summary'], typeof a.annotations?.['description']]).toEqual([a.alert, 'string', 'string']);
    }
    expect(alerts.find((a) => a.alert === 'HeadlandBGPSessionDown')?.for).toBe('1m');
  });

  test("promtool's unit tests make every alert fire somewhere and stay quiet somewhere", () => {
    const tests = (parse(readFileSync(RULES_TEST_FILE, 'utf8')) as { tests: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[] }).tests;
    const checks = tests.flatMap((t) => t.alert_rule_test ?? []);
    for (const a of alerts) {
      const mine = checks.filter((c) => c.alertname === a.alert);
      expect([a.alert, mine.some((c) => (c.exp_alerts ?? []).length > 0), mine.some((c) => (c.exp_alerts ?? []).length === 0)]).toEqual([a.alert, true, true]);
    }
  });
});

withPromtool('promtool', () => {
  test('check rules accepts the rules file', async () => {
    expect(await promtool(['check', 'rules', RULES_FILE], MONITORING_DIR)).toMatch(new RegExp(`SUCCESS: ${alerts.length} rules found`));
  });

  test('test rules: every alert fires on its condition and clears', async () => {
    expect(await promtool(['test', 'rules', RULES_TEST_FILE], dirname(RULES_TEST_FILE))).toMatch(/SUCCESS/);
  }, 30_000);

  test('every dashboard query is valid PromQL (as recording rules promtool checks)', async () => {
    const queries = dashboardQueries(dashboard);
    expect(queries.length).toBeGreaterThan(10);
    const dir = mkdtempSync(join(tmpdir(), 'hl-dashboard-'));
    try {
      const file = join(dir, 'dashboard.rules.yaml');
      writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules: queries.map((q, i) => ({ record: `dashboard:query_${i}`, expr: q.expr })) }] }));
      expect(await promtool(['check', 'rules', file], dir)).toMatch(new RegExp(`SUCCESS: ${queries.length} rules found`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the dashboard', () => {
  const panels = dashboard.panels.filter((p) => p.type !== 'row');

  test('has a uid, a data source variable and a node variable', () => {
    expect(dashboard.uid).toBe('headland');
    expect(dashboard.templating.list.map((v) => `${v.name}:${v.type}`)).toEqual(['datasource:datasource', 'node:query']);
  });

  test('every panel has a unique id, a place and queries on the chosen data source', () => {
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    for (const p of panels) {
      expect([p.title, p.gridPos !== undefined, (p.targets ?? []).length > 0]).toEqual([p.title, true, true]);
      for (const t of p.targets ?? []) expect([p.title, typeof t.expr, t.datasource?.uid]).toEqual([p.title, 'string', '${datasource}']);
    }
  });

  test('shows what the issue asks for: sessions, announcements per node, pool usage, failovers, policy evaluation time', () => {
    const all = dashboardQueries(dashboard).map((q) => q.expr).join('\n');
    for (const metric of ['headland_speaker_bgp_session_up', 'headland_speaker_announced_prefixes', 'headland_speaker_l2_owned_ips', 'headland_controller_pool_addresses_in_use', 'headland_speaker_l2_ownership_changes_total', 'headland_speaker_policy_evaluation_seconds_bucket']) {
      expect([metric, all.includes(metric)]).toEqual([metric, true]);
    }
  });
});

(KUBECTL === undefined ? describe.skip : describe)('the kustomize Component', () => {
  test('an overlay with manifests/ and the component renders the PodMonitors, the PrometheusRule and the dashboard ConfigMap', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hl-overlay-'));
    try {
      // kustomize takes only relative paths to other kustomizations.
      writeFileSync(join(dir, 'kustomization.yaml'), stringify({ resources: [relative(dir, join(REPO_ROOT, 'manifests'))], components: [relative(dir, MONITORING_DIR)] }));
      const { stdout } = await run(KUBECTL!, ['kustomize', dir], { maxBuffer: 16 * 1024 * 1024 });
      const docs = parseAllDocuments(stdout).map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; data?: Record<string, string>; spec?: { groups?: unknown } });
      const added = docs.filter((d) => ['PodMonitor', 'PrometheusRule'].includes(d.kind) || (d.kind === 'ConfigMap' && d.metadata.name === 'headland-dashboard'));
      expect(added.map((d) => `${d.kind}/${d.metadata.namespace}/${d.metadata.name}`).sort()).toEqual([
        'ConfigMap/headland-system/headland-dashboard',
        'PodMonitor/headland-system/headland-controller',
        'PodMonitor/headland-system/headland-speaker',
        'PrometheusRule/headland-system/headland',
      ]);
      const configMap = added.find((d) => d.kind === 'ConfigMap')!;
      expect(configMap.metadata.labels?.['grafana_dashboard']).toBe('1');
      expect(configMap.data?.['headland.json']).toBe(readFileSync(DASHBOARD_FILE, 'utf8'));
      expect(added.find((d) => d.kind === 'PrometheusRule')?.spec?.groups).toEqual(groups);
      // The base still renders what it did without the component.
      expect(docs.filter((d) => d.kind === 'DaemonSet').map((d) => d.metadata.name)).toEqual(['headland-speaker']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

