// `headland status`: pools, speakers, sessions and invalid objects, from the cluster.
import type { CommandModule } from 'yargs';
import { clusterAccess, readCluster } from '../cluster/read.js';
import { modelOf } from '../cluster/snapshot.js';
import { renderStatus } from '../status/render.js';
import { statusReport } from '../status/status.js';
import { clusterOptions, emit, fail, type ClusterArgs } from './cluster-args.js';

export const statusCommand: CommandModule<object, ClusterArgs> = {
  command: 'status',
  describe: 'Pools, speakers per node, BGP sessions and invalid objects, on one screen',
  builder: (y) => clusterOptions(y),
  handler: async (args) => {
    try {
      const report = statusReport(modelOf(await readCluster(clusterAccess(args.kubeconfig), args.namespace)));
      emit(args.output, report, (colour) => renderStatus(report, colour));
    } catch (err) {
      fail(err);
    }
  },
};
