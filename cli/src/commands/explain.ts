// `headland explain service NS/NAME` and `headland explain ip ADDRESS`: why an IP is (not)
// announced from each node, with traffic shares and warnings.
import type { CommandModule } from 'yargs';
import { clusterAccess, readCluster } from '../cluster/read.js';
import { modelOf } from '../cluster/snapshot.js';
import { explainServiceReport, servicesWithIP, type ServiceReport } from '../explain/explain.js';
import { renderServiceReport } from '../explain/render.js';
import { clusterOptions, emit, fail, type ClusterArgs } from './cluster-args.js';

interface Args extends ClusterArgs {
  what: string;
  target: string;
}

export const explainCommand: CommandModule<object, Args> = {
  command: 'explain <what> <target>',
  describe: 'Why a Service\'s IP is or is not announced from each node: "explain service NS/NAME" or "explain ip ADDRESS"',
  builder: (y) =>
    clusterOptions(
      y
        .positional('what', { choices: ['service', 'svc', 'ip'] as const, demandOption: true, describe: 'service or ip' })
        .positional('target', { type: 'string', demandOption: true, describe: 'NAMESPACE/NAME (or NAME in default), or an IP address' }),
    ) as never,
  handler: async (args) => {
    try {
      const model = modelOf(await readCluster(clusterAccess(args.kubeconfig), args.namespace));
      const keys = args.what === 'ip' ? servicesWithIP(model, args.target) : [args.target.includes('/') ? args.target : `default/${args.target}`];
      if (keys.length === 0) throw new Error(`no Service has ${args.target} in status.loadBalancer.ingress`);
      const opts = args['lb-class'] === undefined ? {} : { lbClass: args['lb-class'] };
      const reports: ServiceReport[] = keys.map((k) => {
        const r = explainServiceReport(model, k, opts);
        if (r === undefined) throw new Error(`Service ${k} not found`);
        return r;
      });
      emit(args.output, args.what === 'ip' ? reports : reports[0], (colour) => reports.flatMap((r, i) => [...(i > 0 ? [''] : []), ...renderServiceReport(r, colour)]));
    } catch (err) {
      fail(err);
    }
  },
};
