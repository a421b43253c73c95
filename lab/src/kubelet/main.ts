#!/usr/bin/env node
// The kubelet stand-in as a program: one per lab k8s-node, running that node's Pods with
// podman + runc in the node's namespace; on SIGTERM stops watching (and with --cleanup-on-exit removes its containers).

import { parseKubeletFlags } from './flags.js';
import { jsonLineLogger, startKubelet } from './kubelet.js';

async function main(): Promise<void> {
  const flags = parseKubeletFlags(process.argv.slice(2));
  const log = jsonLineLogger(flags.nodeName);
  const kubelet = await startKubelet({
    kubeconfig: flags.kubeconfig,
    nodeName: flags.nodeName,
    netns: flags.netns,
    nodeIPs: flags.nodeIPs,
    podCidrs: flags.podCidrs,
    allowPrivileged: flags.allowPrivileged,
    nodeLabels: flags.nodeLabels,
    log,
    ...(flags.stateDir === undefined ? {} : { stateDir: flags.stateDir }),
    ...(flags.podLogDir === undefined ? {} : { podLogDir: flags.podLogDir }),
    ...(flags.ulimits === undefined ? {} : { ulimits: flags.ulimits }),
    ...(flags.restartBackoffMs === undefined ? {} : { restartBackoffMs: flags.restartBackoffMs }),
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log({ level: 'info', msg: 'stopping', signal });
    kubelet.stop({ removeContainers: flags.cleanupOnExit }).then(
      () => process.exit(0),
      (err: unknown) => {
        log({ level: 'error', msg: 'stop failed', error: (err as Error).message });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), component: 'headland-kubelet', level: 'error', msg: err instanceof Error ? err.message : String(err) })}\n`);
  process.exit(2);
});
