// `headland convert -f FILE... [-o yaml|json] [-n NAMESPACE]`: MetalLB configuration to Headland
// objects. YAML goes to stdout and the report to stderr, one line per entry; with -o json, stdout
// holds {objects, report}. Exit 1 when anything could not be converted or fails validation.
import type { CommandModule } from 'yargs';
import { Document } from 'yaml';
import { DEFAULT_NAMESPACE } from '@headland/api';
import { convertObjects } from '../convert/convert.js';
import { formatEntry, summarize } from '../convert/report.js';
import { FAILING_LEVELS, LEVEL, type ConvertedObject, type ReportEntry } from '../convert/types.js';
import { readDocuments, type SourceObject, readFiles } from '../load.js';

export const OUTPUT_FORMAT = { YAML: 'yaml', JSON: 'json' } as const;
export type OutputFormat = (typeof OUTPUT_FORMAT)[keyof typeof OUTPUT_FORMAT];

export interface ConvertFilesOptions {
  readonly output: OutputFormat;
  readonly namespace: string;
}

export interface ConvertFilesResult {
  readonly stdout: string;
  readonly stderr: readonly string[];
  readonly exitCode: 0 | 1 | 2;
}

/** Pure over file contents so tests need no disk: `files` maps a name to its text, or an Error. */
export function convertFiles(files: ReadonlyMap<string, string | Error>, options: ConvertFilesOptions): ConvertFilesResult {
  const inputs: SourceObject[] = [];
  const readProblems: ReportEntry[] = [];
  for (const [name, text] of files) {
    if (text instanceof Error) return { stdout: '', stderr: [`${name}: cannot read: ${text.message}`], exitCode: 2 };
    const { objects, problems } = readDocuments(name, text);
    inputs.push(...objects);
    for (const p of problems) readProblems.push({ level: LEVEL.Error, where: p.where, message: p.message });
  }
  const result = convertObjects(inputs, { namespace: options.namespace });
  const report = [...readProblems, ...result.report];
  const exitCode = report.some((e) => FAILING_LEVELS.has(e.level)) ? 1 : 0;
  const summary = summarize(result.objects.length, report);
  if (options.output === OUTPUT_FORMAT.JSON) {
    const json = { objects: result.objects.map((o) => o.object), report };
    return { stdout: `${JSON.stringify(json, null, 2)}\n`, stderr: [summary], exitCode };
  }
  return { stdout: renderYaml(result.objects), stderr: [...report.map(formatEntry), summary], exitCode };
}

/** The objects as YAML documents, each under a comment naming the MetalLB object it came from. */
export function renderYaml(objects: readonly ConvertedObject[]): string {
  const header = '# Headland objects converted from MetalLB by `headland convert` (its report went to stderr).\n';
  const docs = objects.map(({ object, source, field }) => {
    // YAML 1.1 quoting, so Go's YAML readers (kubectl) never take "1234:1" for a base-60 number.
    const doc = new Document(object, { version: '1.1' });
    const from = [source.where, source.object, field ?? ''].filter((p) => p !== '').join(': ');
    if (from !== '') doc.commentBefore = ` from ${from}`;
    return doc.toString({ lineWidth: 0 });
  });
  return header + docs.join('---\n');
}

interface Args {
  file: string[];
  output: OutputFormat;
  namespace: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export const convertCommand: CommandModule<object, Args> = {
  command: 'convert',
  describe: 'Convert MetalLB configuration (metallb.io objects, or the v0.12 ConfigMap) to Headland objects',
  builder: (y) =>
    y
      .option('file', { alias: 'f', type: 'string', array: true, demandOption: true, describe: 'YAML file of MetalLB objects (several documents, Lists; /dev/stdin for a pipe); repeat for more' })
      .option('output', { alias: 'o', choices: Object.values(OUTPUT_FORMAT), default: OUTPUT_FORMAT.YAML, describe: 'yaml: objects on stdout, report on stderr; json: {objects, report} on stdout' })
      .option('namespace', { alias: 'n', type: 'string', default: DEFAULT_NAMESPACE, describe: 'Namespace of every object written (where Headland runs)' })
      .check((a) => {
        if (!DNS_LABEL.test(a.namespace)) throw new Error(`--namespace ${JSON.stringify(a.namespace)} is not a valid namespace name`);
        return true;
      }),
  handler: (args) => {
    const files = readFiles(args.file);
    const { stdout, stderr, exitCode } = convertFiles(files, { output: args.output, namespace: args.namespace });
    process.stdout.write(stdout);
    for (const line of stderr) console.error(line);
    process.exitCode = exitCode;
  },
};
