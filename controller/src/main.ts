#!/usr/bin/env node
// headland-controller: assigns LoadBalancer IPs from Headland's pools. Thin on purpose: flags,
// logger, kubeconfig, the /metrics and /healthz endpoints and signals; run.ts does the work.
import { createLogger, loadKubeConfig, onShutdown, serveEndpoints } from '@headland/kube';
import { ControllerError } from './errors.js';
import { USAGE, parseControllerFlags } from './flags.js';
import { ControllerMetrics } from './metrics.js';
import { runController } from './run.js';

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
  const endpoints = await serveEndpoints({
    metricsAddr: flags.metricsAddr,
    healthAddr: flags.healthAddr,
    registry: metrics.registry,
    healthz: () => ({ ok: true }),
    readyz: () => (controller.synced() ? { ok: true, detail: controller.isLeader() ? 'leader' : 'standby' } : { ok: false, detail: 'informers not synced' }),
    log,
  });
  log.info({ metricsPort: endpoints.metricsPort, healthPort: endpoints.healthPort, identity: flags.identity, lbClass: flags.lbClass ?? null }, 'started');
  onShutdown(
    async () => {
      await controller.stop();
      await endpoints.close();
    },
    { log, timeoutMs: 10_000 },
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof ControllerError ? err.message : String((err as Error)?.stack ?? err)}\n`);
  process.exit(1);
});
