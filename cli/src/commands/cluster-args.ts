// Flags every command that reads the cluster takes, and its output choice.
import type { Argv } from 'yargs';
import { stringify } from 'yaml';

export interface ClusterArgs {
  kubeconfig?: string;
  namespace: string;
  'lb-class'?: string;
  output: 'text' | 'json' | 'yaml';
}

export function clusterOptions<T>(y: Argv<T>): Argv<T & ClusterArgs> {
  return y
    .option('kubeconfig', { type: 'string', describe: 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config, in-cluster)' })
    .option('namespace', { alias: 'n', type: 'string', default: 'headland-system', describe: "Headland's namespace" })
    .option('lb-class', { type: 'string', describe: "the speakers' --lb-class, if they run with one" })
    .option('output', { alias: 'o', choices: ['text', 'json', 'yaml'] as const, default: 'text' as const, describe: 'output format' }) as unknown as Argv<T & ClusterArgs>;
}

/** Writes a report as asked: JSON/YAML for tools, text lines (coloured on a TTY) for people. */
export function emit(output: ClusterArgs['output'], value: unknown, text: (colour: boolean) => string[]): void {
  if (output === 'json') process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  else if (output === 'yaml') process.stdout.write(stringify(value));
  else process.stdout.write(`${text(process.stdout.isTTY === true && process.env['NO_COLOR'] === undefined).join('\n')}\n`);
}

/** A failure as one line naming what went wrong (no stack), exit 2. */
export function fail(err: unknown): never {
  process.stderr.write(`headland: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}
