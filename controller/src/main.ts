#!/usr/bin/env node
// headland-controller: assigns LoadBalancer IPs from Headland's pools and serves the validating
// webhook. Thin on purpose: flags, logger, kubeconfig, the /metrics and /healthz endpoints and
// signals; run.ts and webhook/run.ts do the work.
import { HttpClient, createLogger, loadKubeConfig, onShutdown, serveEndpoints } from '@headland/kube';
import { ControllerError } from './errors.js';
import { USAGE, parseControllerFlags } from './flags.js';
import { ControllerMetrics } from './metrics.js';
import { runController } from './run.js';
import { startWebhook } from './webhook/index.js';

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let flags;
  try {
    flags = parseControllerFlags(process.argv.slice(2), process.env);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const log = createLogger({ name: 'headland-controller', level: flags.logLevel });
  const kc = loadKubeConfig(flags.kubeconfig);
  const metrics = new ControllerMetrics();
  const controller = await runController({
    kc,
    flags,
    log,
    metrics,
    onLostLease: () => {
      // Another replica may be writing now; restarting is the one safe way back.
      log.error('lost the Lease while leading; exiting so the Pod restarts');
      process.exit(1);
    },
  });
  // Every replica serves the webhook, the standby too: it has the same informers.
  const webhookRest = await HttpClient.create(kc, 2);
  const webhook = startWebhook({
    rest: webhookRest,
    namespace: flags.namespace,
    addr: flags.webhookAddr,
    drainMs: flags.webhookDrainMs,
    objects: () => controller.headlandObjects(),
    synced: controller.whenSynced,
    log: log.child({ component: 'webhook' }),
    metrics,
  });
  let stopping = false;
  // Like the metrics and health addresses: a webhook address that cannot be listened on is fatal.
  webhook.listening.catch((err: unknown) => {
    if (stopping) return;
    log.error({ err: String(err), addr: flags.webhookAddr }, 'webhook: cannot serve; exiting');
    process.exit(1);
  });
  const endpoints = await serveEndpoints({
    metricsAddr: flags.metricsAddr,
    healthAddr: flags.healthAddr,
    registry: metrics.registry,
    healthz: () => ({ ok: true }),
    readyz: () => {
      if (!controller.synced()) return { ok: false, detail: 'informers not synced' };
      const hook = webhook.ready();
      return hook.ok ? { ok: true, detail: `${controller.isLeader() ? 'leader' : 'standby'}; ${hook.detail}` } : hook;
    },
    log,
  });
  log.info({ metricsPort: endpoints.metricsPort, healthPort: endpoints.healthPort, webhookAddr: flags.webhookAddr, identity: flags.identity, lbClass: flags.lbClass ?? null }, 'started');
  onShutdown(
    async () => {
      stopping = true;
      // Unready at once (the Pod leaves the webhook Service's endpoints) while the webhook still
      // answers; meanwhile the Lease is released so a standby takes over without waiting.
      const webhookClosed = webhook.stop();
      await controller.release();
      await webhookClosed;
      await controller.stop();
      webhookRest.close();
      await endpoints.close();
    },
    { log, timeoutMs: 10_000 + flags.webhookDrainMs },
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof ControllerError ? err.message : String((err as Error)?.stack ?? err)}\n`);
  process.exit(1);
});
