// The alerts suite's Prometheus: Debian's prometheus on a free loopback port, scraping Headland's
// controller and speakers every second with the labels manifests/monitoring/podmonitors.yaml gives
// (job, node), evaluating a copy of manifests/monitoring/rules/headland.rules.yaml whose `for:`
// are cut short; and ALERTS read back over the HTTP API.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { waitFor } from '@headland/lab/lab';
import { startProgram, type Program } from '@headland/lab/programs';

export const PROMETHEUS = ['/usr/bin/prometheus', '/usr/local/bin/prometheus'].find((p) => existsSync(p));
const RULES = new URL('../../../manifests/monitoring/rules/headland.rules.yaml', import.meta.url);

export interface Sample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** The rules file with every `for:` set to forOverride (the file as it is without one). */
export function rulesCopy(forOverride: string | undefined): string {
  const doc = parse(readFileSync(RULES, 'utf8')) as { groups: { rules: { for?: string }[] }[] };
  for (const group of doc.groups) for (const rule of group.rules) if (rule.for !== undefined && forOverride !== undefined) rule.for = forOverride;
  return stringify(doc);
}

export interface ScrapeTargets {
  /** host:port of each controller replica's /metrics. */
  readonly controller: readonly string[];
  /** Node name -> host:port of its speaker's /metrics. */
  readonly speakers: Readonly<Record<string, string>>;
  /** Every rule's `for:` in Prometheus's copy of the rules, e.g. "2s". */
  readonly forOverride?: string;
}

export class Prometheus {
  private constructor(
    readonly program: Program,
    readonly url: string,
  ) {}

  /** prometheus with a 1 s scrape and evaluation of the controller and the speakers, ready. */
  static async start(dir: string, targets: ScrapeTargets): Promise<Prometheus> {
    const rules = join(dir, 'headland.rules.yaml');
    writeFileSync(rules, rulesCopy(targets.forOverride));
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      stringify({
        global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
        rule_files: [rules],
        // The labels manifests/monitoring/podmonitors.yaml gives: job and node.
        scrape_configs: [
          { job_name: 'headland-controller', static_configs: [{ targets: [...targets.controller] }] },
          { job_name: 'headland-speaker', static_configs: Object.entries(targets.speakers).map(([node, target]) => ({ targets: [target], labels: { node } })) },
        ],
      }),
    );
    // No --web.listen-address 127.0.0.1:0 in Prometheus: a port that was free a moment ago.
    const url = `http://127.0.0.1:${await freePort()}`;
    const program = startProgram(
      [PROMETHEUS!, `--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=${url.slice('http://'.length)}`, '--log.format=json', '--log.level=warn'],
      { name: 'prometheus' },
    );
    const p = new Prometheus(program, url);
    await waitFor(
      async () => {
        if (program.proc.exitCode !== null) throw new Error(`prometheus exited: ${program.text.slice(-5).join('\n')} ${JSON.stringify(program.logs.slice(-5))}`);
        return (await fetch(`${url}/-/ready`).catch(() => undefined))?.status;
      },
      (status) => status === 200,
      { timeoutMs: 20_000, intervalMs: 200, what: 'prometheus ready' },
    );
    return p;
  }

  async query(promql: string): Promise<Sample[]> {
    const res = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as { status: string; error?: string; data?: { result: Sample[] } };
    if (body.status !== 'success') throw new Error(`prometheus: ${promql}: ${body.error ?? res.status}`);
    return body.data?.result ?? [];
  }

  /** The labels of each firing alert of that name whose labels include `labels`. */
  async firing(alertname: string, labels: Readonly<Record<string, string>> = {}): Promise<Record<string, string>[]> {
    const found = await this.query(`ALERTS{alertstate="firing",alertname="${alertname}"}`);
    return found.map((s) => s.metric).filter((m) => Object.entries(labels).every(([k, v]) => m[k] === v));
  }

  /** Waits until the alert fires (with those labels); returns the ms it took. */
  async waitFiring(alertname: string, labels: Readonly<Record<string, string>> = {}, timeoutMs = 30_000): Promise<number> {
    const started = Date.now();
    await waitFor(() => this.firing(alertname, labels), (list) => list.length > 0, { timeoutMs, intervalMs: 250, what: `${alertname} ${JSON.stringify(labels)} firing` });
    return Date.now() - started;
  }

  async waitCleared(alertname: string, labels: Readonly<Record<string, string>> = {}, timeoutMs = 30_000): Promise<number> {
    const started = Date.now();
    await waitFor(() => this.firing(alertname, labels), (list) => list.length === 0, { timeoutMs, intervalMs: 250, what: `${alertname} ${JSON.stringify(labels)} cleared` });
    return Date.now() - started;
  }

  async stop(): Promise<void> {
    await this.program.stop('SIGTERM', 10_000);
  }
}
