// The whole `up`: network, then each router's daemon, then the nodes' exec commands,
// in that order so an exec line can talk to a router that is already running.

import { buildNetwork } from './build.js';
import { LabError } from './errors.js';
import { nodeNamespace } from './naming.js';
import { startRouter } from './routers.js';
import { inNamespace, tryRun } from './sh.js';
import { StateRecorder } from './state.js';
import type { Topology } from './topology.js';

export async function build(topo: Topology): Promise<void> {
  const rec = new StateRecorder(topo.name, topo.file);
  await buildNetwork(topo, rec);
  await Promise.all(topo.nodes.map((node) => startRouter(topo.name, node, rec)));
  for (const node of topo.nodes) {
    for (const line of node.exec) {
      const r = await tryRun(inNamespace(nodeNamespace(topo.name, node.name), ['sh', '-c', line]), { env: node.env });
      if (r.code !== 0) throw new LabError('lab/build', `node "${node.name}": exec "${line}" failed with code ${r.code}: ${(r.stderr || r.stdout).trim()}`);
    }
  }
}
