#!/usr/bin/env node
// The kube-proxy stand-in as a program: one per lab node, programming that node's nftables
// from Services and EndpointSlices; removes its table and exits 0 on SIGTERM.

import { KubeProxyError } from './errors.js';
import { parseKubeProxyFlags } from './flags.js';
import { jsonLineLogger, startKubeProxy, type Logger } from './proxy.js';
import { writeStateFile } from './state-file.js';

/** A failed write is logged, not fatal: the rules are in. */
function writeState(path: string, text: string, log: Logger): void {
  try {
    writeStateFile(path, text);
  } catch (err) {
    log({ level: 'error', msg: 'cannot write the state file', path, error: (err as Error).message });
  }
}

async function main(): Promise<void> {
  const flags = parseKubeProxyFlags(process.argv.slice(2));
  const log = jsonLineLogger(flags.nodeName);
  const proxy = await startKubeProxy({
    kubeconfig: flags.kubeconfig,
    nodeName: flags.nodeName,
    nodeIPs: flags.nodeIPs,
    log,
    ...(flags.netns === undefined ? {} : { netns: flags.netns }),
    ...(flags.table === undefined ? {} : { table: flags.table }),
    ...(flags.debounceMs === undefined ? {} : { debounceMs: flags.debounceMs }),
    ...(flags.stateFile === undefined ? {} : { onApplied: (ruleset) => writeState(flags.stateFile!, ruleset.text, log) }),
    // kube-proxy's health servers live in the namespace this program runs in (the node's, in the lab).
    health: { healthzBindAddress: flags.healthzBindAddress },
    healthTimeoutMs: flags.healthTimeoutMs,
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log({ level: 'info', msg: 'stopping', signal });
    proxy.stop().then(
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
  const msg = err instanceof KubeProxyError || err instanceof Error ? err.message : String(err);
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), component: 'headland-kubeproxy', level: 'error', msg })}\n`);
  process.exit(2);
});
