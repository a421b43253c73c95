#!/usr/bin/env node
// headland-apiserver: the in-memory Kubernetes API server for tests and the demo. Wires
// flags, CRDs from a directory, the HTTP listener and the kubeconfig; exits on SIGTERM.

import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { httpsServerUrl, writeTlsKubeconfig } from './auth/index.js';
import { ApiError } from './errors.js';
import { readCrds } from './crds-dir.js';
import { parseFlags } from './flags.js';
import { writeKubeconfig } from './kubeconfig.js';
import { createSecurity } from './security.js';
import { ApiServer } from './server.js';
import { ServiceAllocator, ServiceAllocatorConfigError } from './service-alloc/index.js';

function log(line: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ time: new Date().toISOString(), component: 'headland-apiserver', ...line }) + '\n');
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  try {
    new ServiceAllocator({ serviceClusterIPRanges: flags.serviceClusterIPRanges, nodePortRange: flags.nodePortRange });
  } catch (e) {
    if (e instanceof ServiceAllocatorConfigError) throw new Error(`main: ${e.message}`);
    throw e;
  }
  const security = await createSecurity({ listenHost: flags.host, authorization: flags.authorizationMode, plainHttp: flags.plainHttp, ...(flags.certDir === undefined ? {} : { certDir: flags.certDir }) });
  const server = new ApiServer({
    historySize: flags.historySize,
    bookmarkIntervalMs: flags.bookmarkIntervalMs,
    log,
    security,
    serviceClusterIPRanges: flags.serviceClusterIPRanges,
    nodePortRange: flags.nodePortRange,
    endpointSliceController: flags.endpointSliceController,
    ...(flags.podLogDir === undefined ? {} : { podLogDir: flags.podLogDir }),
  });
  if (flags.crdsDir !== undefined) {
    for (const crd of await readCrds(flags.crdsDir)) {
      try {
        server.applyCrd(crd);
      } catch (e) {
        const name = JSON.stringify((crd['metadata'] as Record<string, unknown> | undefined)?.['name'] ?? null);
        throw new Error(`main: CRD ${name} from ${flags.crdsDir} rejected: ${e instanceof ApiError || e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  const addr = await server.listen(flags.host, flags.port);
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  // The CA beside the kubeconfig: for clients configured by hand, and pods' kube-root-ca.crt.
  const caFile = join(dirname(flags.kubeconfigOut), 'ca.crt');
  await writeFile(caFile, security.ca.certPem, { mode: 0o644 });
  let url: string;
  if (flags.plainHttp) {
    url = `http://${host}:${addr.port}`;
    await writeKubeconfig(flags.kubeconfigOut, url, security.adminToken);
  } else {
    url = httpsServerUrl(addr.address, addr.port);
    await writeTlsKubeconfig(flags.kubeconfigOut, { server: url, caPem: security.ca.certPem, token: security.adminToken });
  }
  log({ level: 'info', msg: 'listening', address: `${host}:${addr.port}`, url, kubeconfig: flags.kubeconfigOut, ca: caFile, authorization: flags.authorizationMode, tls: !flags.plainHttp });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log({ level: 'info', msg: 'stopping', signal });
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((e: unknown) => {
  log({ level: 'error', msg: e instanceof Error ? e.message : String(e) });
  process.exit(2);
});
