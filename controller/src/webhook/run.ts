// Runs the validating webhook on every replica (not only the leader): first the certificate from
// its Secret, then, once the informers have listed, the HTTPS server; then the caBundle of the
// ValidatingWebhookConfiguration. Readiness says yes only when all three are done, so a restarted
// Pod gets webhook traffic only once it can answer it, and says no as soon as stop() is called
// while the server still answers for the drain time: the Pod leaves the Service's endpoints
// before its socket closes (MetalLB's "failed calling webhook ... context deadline exceeded" after
// a restart came from a Pod that was Ready before its webhook served).
import { Backoff, type Logger } from '@headland/kube';
import type { ControllerMetrics } from '../metrics.js';
import { CA_BUNDLE, CertKeeper, type CaBundleState, type Rest } from './cert-keeper.js';
import { servingNotAfter, type WebhookTls } from './certs.js';
import { OUTCOME } from './decide.js';
import { answerReview } from './handler.js';
import { WEBHOOK_CONFIGURATION, webhookHosts } from './names.js';
import { WebhookServer, type ReviewAnswerer } from './server.js';

export interface WebhookOptions {
  readonly rest: Rest;
  /** Where Headland's objects, the Secret and the Service live (the controller's --namespace). */
  readonly namespace: string;
  /** --webhook-addr. */
  readonly addr: string;
  /**
   * --webhook-drain: how long the server keeps answering after stop() made the replica unready
   * (none when the ValidatingWebhookConfiguration is not installed).
   */
  readonly drainMs: number;
  /** The Headland objects the informers hold (apiVersion and kind set). */
  readonly objects: () => readonly unknown[];
  /** Resolves once every informer has listed: deciding on a partial view would be wrong. */
  readonly synced: Promise<unknown>;
  readonly log: Logger;
  readonly metrics: ControllerMetrics;
  /** How often the Secret and the caBundle are checked when all is well (default 60 s). */
  readonly checkIntervalMs?: number;
  /** ... and when the configuration is missing or a check failed (default 5 s). */
  readonly retryIntervalMs?: number;
  readonly now?: () => Date;
}

export interface RunningWebhook {
  /** Resolves with the port once serving; rejects if the address cannot be listened on. */
  readonly listening: Promise<number>;
  /** For /readyz. */
  ready(): { ok: boolean; detail: string };
  /** Unready at once; keeps answering for drainMs, then closes. */
  stop(): Promise<void>;
}

export function startWebhook(o: WebhookOptions): RunningWebhook {
  const { log, metrics } = o;
  const keeper = new CertKeeper({ rest: o.rest, namespace: o.namespace, hosts: webhookHosts(o.namespace), log, ...(o.now === undefined ? {} : { now: o.now }) });
  let tls: WebhookTls | undefined;
  let server: WebhookServer | undefined;
  let caBundle: CaBundleState | undefined;
  let lastError: string | undefined;
  let stoppingAt: number | undefined;
  let stopped: Promise<void> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const wakeUps = new Set<() => void>();
  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(t);
        wakeUps.delete(done);
        resolve();
      };
      const t = setTimeout(done, ms);
      wakeUps.add(done);
    });

  const use = (next: WebhookTls): void => {
    if (server !== undefined && tls !== undefined && next.cert !== tls.cert) {
      server.setCertificate(next);
      log.info({ notAfter: servingNotAfter(next).toISOString() }, 'webhook: serving the renewed certificate');
    }
    tls = next;
    metrics.webhookCertificateExpiry.set(servingNotAfter(next).getTime() / 1000);
  };

  const failed = (what: string, err: unknown): void => {
    const message = `${what}: ${String(err)}`;
    // Logged once per distinct failure, not on every retry.
    if (message !== lastError) log.warn({ err: String(err) }, `webhook: ${what}; retrying`);
    lastError = message;
  };

  const answer: ReviewAnswerer = (body) => {
    const end = metrics.webhookDuration.startTimer();
    const a = answerReview(body, { namespace: o.namespace, objects: o.objects() });
    end();
    if (a.status === 400) {
      metrics.webhookRequests.inc({ kind: '', operation: '', outcome: OUTCOME.Malformed });
      log.warn({ error: a.error }, 'webhook: a request that is not an AdmissionReview');
      return a;
    }
    const { request: r, decision: d } = a;
    metrics.webhookRequests.inc({ kind: r.kind.kind, operation: r.operation, outcome: d.outcome });
    const fields = { kind: r.kind.kind, object: `${r.namespace}/${r.name}`, operation: r.operation, outcome: d.outcome, dryRun: r.dryRun };
    if (!d.allowed) log.info({ ...fields, problems: d.lines }, 'webhook: denied');
    else log.debug({ ...fields, warnings: d.warnings }, 'webhook: allowed');
    return { status: 200, body: a.body };
  };

  const check = async (): Promise<void> => {
    use((await keeper.ensureSecret()).tls);
    caBundle = await keeper.ensureCaBundle(tls!.caBundle);
    lastError = undefined;
  };

  const schedule = (): void => {
    if (stoppingAt !== undefined) return;
    const settled = lastError === undefined && (caBundle === CA_BUNDLE.InSync || caBundle === CA_BUNDLE.Patched);
    timer = setTimeout(() => {
      timer = undefined;
      check()
        .catch((err: unknown) => failed('checking the certificate Secret and the caBundle failed', err))
        .finally(schedule);
    }, settled ? (o.checkIntervalMs ?? 60_000) : (o.retryIntervalMs ?? 5_000));
  };

  const listening = (async (): Promise<number> => {
    const backoff = new Backoff(500, 30_000);
    while (tls === undefined) {
      if (stoppingAt !== undefined) throw new Error('webhook: stopped before it had a certificate');
      try {
        use((await keeper.ensureSecret()).tls);
      } catch (err) {
        failed(`no certificate: cannot read or write Secret ${o.namespace}/${keeper.secretName}`, err);
        await delay(backoff.next());
      }
    }
    await o.synced;
    if (stoppingAt !== undefined) throw new Error('webhook: stopped before it served');
    server = await WebhookServer.listen({ addr: o.addr, tls, answer, log });
    if (stoppingAt !== undefined) {
      await server.close();
      throw new Error('webhook: stopped before it served');
    }
    log.info({ port: server.port, addr: o.addr }, 'webhook: serving');
    try {
      caBundle = await keeper.ensureCaBundle(tls.caBundle);
      lastError = undefined;
    } catch (err) {
      failed(`cannot read or patch ValidatingWebhookConfiguration ${WEBHOOK_CONFIGURATION}`, err);
    }
    schedule();
    return server.port;
  })();
  // main decides what a failure to listen means; the promise is never left unobserved.
  listening.catch(() => undefined);

  return {
    listening,
    ready() {
      if (stoppingAt !== undefined) return { ok: false, detail: 'webhook: shutting down' };
      const why = lastError === undefined ? '' : ` (${lastError})`;
      if (tls === undefined) return { ok: false, detail: `webhook: no certificate yet${why}` };
      if (server === undefined) return { ok: false, detail: 'webhook: waiting for the informers to list before serving' };
      // A transient failure after this was known keeps the last state: readiness flapping on
      // every replica at once during an API server hiccup would empty the webhook's endpoints.
      if (caBundle === undefined) return { ok: false, detail: `webhook: the caBundle of ValidatingWebhookConfiguration ${WEBHOOK_CONFIGURATION} is not checked yet${why}` };
      return { ok: true, detail: `webhook: serving on port ${server.port}${caBundle === CA_BUNDLE.NotInstalled ? ` (ValidatingWebhookConfiguration ${WEBHOOK_CONFIGURATION} is not installed)` : ''}` };
    },
    stop() {
      stopped ??= (async () => {
        const at = Date.now();
        stoppingAt = at;
        if (timer !== undefined) clearTimeout(timer);
        for (const wake of [...wakeUps]) wake();
        if (server === undefined) return;
        // With no ValidatingWebhookConfiguration nobody sends us reviews: nothing to drain (labs, tests).
        const drainMs = caBundle === CA_BUNDLE.NotInstalled ? 0 : o.drainMs;
        log.info({ drainMs }, 'webhook: unready; still answering while the endpoints forget this replica');
        const left = at + drainMs - Date.now();
        if (left > 0) await new Promise((r) => setTimeout(r, left));
        await server.close();
        log.info('webhook: closed');
      })();
      return stopped;
    },
  };
}
