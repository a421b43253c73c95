#!/usr/bin/env node
// headland-speaker: announces the Service IPs its node should carry. Thin on purpose: flags,
// logger, kubeconfig, /metrics and /healthz, signals; run.ts does the work.
// SIGTERM: withdraw everything, Cease, exit 0. SIGUSR2: a graceful restart (RFC 4724): peers that
// agreed graceful restart keep our routes until the next run is up, and a note tells it so.
// `headland-speaker prestop` (prestop/): the preStop hook choosing between the two.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createLogger, loadKubeConfig, onShutdown, serveEndpoints } from '@headland/kube';
import { encodeRestartNote, isRestart } from './bgp/restart.js';
import { SpeakerError } from './errors.js';
import { USAGE, parseSpeakerFlags } from './flags.js';
import { SpeakerMetrics } from './metrics.js';
import { speakerResponder } from './l2/responder-adapter.js';
import { runSpeaker } from './run.js';
import { runPrestop } from './prestop/run.js';

function readNote(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  try {
    const text = readFileSync(path, 'utf8');
    rmSync(path, { force: true });
    return text;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  // `headland-speaker prestop`: the Pod's preStop hook (graceful restart on a staying node).
  if (process.argv[2] === 'prestop') {
    process.exitCode = await runPrestop(process.argv.slice(3), process.env);
    return;
  }
  if (process.argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let flags;
  try {
    flags = parseSpeakerFlags(process.argv.slice(2), process.env);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const log = createLogger({ name: 'headland-speaker', level: flags.logLevel });
  const kc = loadKubeConfig(flags.kubeconfig);
  const restart = isRestart(readNote(flags.restartStateFile), Date.now());
  if (flags.restartStateFile !== undefined) log.info({ restarted: restart.restarted }, restart.reason);
  const metrics = new SpeakerMetrics();
  // Sockets open only when L2 mode first owns an IP, so a BGP-only speaker never needs CAP_NET_RAW for them.
  const l2Responder = speakerResponder(log.child({ component: 'l2-responder' }));
  const speaker = await runSpeaker({ kc, flags, log, metrics, restarted: restart.restarted, l2Responder });
  metrics.ready = () => speaker.ready();
  const endpoints = await serveEndpoints({
    metricsAddr: flags.metricsAddr,
    healthAddr: flags.healthAddr,
    registry: metrics.registry,
    healthz: () => ({ ok: true }),
    readyz: () => (speaker.ready() ? { ok: true } : { ok: false, detail: 'informers not synced or first flush not done' }),
    log,
  });
  log.info({ node: flags.nodeName, metricsPort: endpoints.metricsPort, healthPort: endpoints.healthPort, lbClass: flags.lbClass ?? null }, 'started');

  let graceful = false;
  process.once('SIGUSR2', () => {
    graceful = true;
    process.kill(process.pid, 'SIGTERM');
  });
  onShutdown(
    async () => {
      const retainedBy = await speaker.stop(graceful);
      if (graceful && flags.restartStateFile !== undefined) writeFileSync(flags.restartStateFile, encodeRestartNote(Date.now()));
      log.info({ graceful, retainedBy }, graceful ? 'stopped for a restart; routes kept by peers with graceful restart' : 'withdrew every route and sent Cease');
      await endpoints.close();
      // Let the last UPDATE and NOTIFICATION leave the sockets before the process goes.
      await new Promise((r) => setTimeout(r, 200));
    },
    { log, timeoutMs: 10_000 },
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof SpeakerError ? err.message : String((err as Error)?.stack ?? err)}\n`);
  process.exit(1);
});
