// `headland validate -f FILE...`: runs buildConfig over YAML files and prints each problem as
// `KIND NAMESPACE/NAME: FIELD: what is wrong`; exit 1 when anything is invalid.
import type { CommandModule } from 'yargs';
import { buildConfig, formatIssue, type Config } from '@headland/api';
import { emptySnapshot, loadYaml, type Loaded, readFiles } from '../load.js';

export interface ValidateResult {
  lines: string[];
  exitCode: 0 | 1 | 2;
  /** The same for tools (-o json): each problem, and how many valid objects of each kind. */
  report: { valid: boolean; problems: { where: string; field?: string; severity: string; message: string }[]; objects: Record<string, number> };
}

interface Args {
  file: string[];
  'allow-missing': boolean;
  output: 'text' | 'json';
}

/** Pure over file contents so tests need no disk: `files` maps a name to its text, or an Error. */
export function validateFiles(files: ReadonlyMap<string, string | Error>, allowMissing: boolean): ValidateResult {
  const loaded: Loaded = { snapshot: emptySnapshot(), problems: [], ignored: 0 };
  const lines: string[] = [];
  const problems: ValidateResult['report']['problems'] = [];
  for (const [name, text] of files) {
    if (text instanceof Error) {
      lines.push(`${name}: cannot read: ${text.message}`);
      return { lines, exitCode: 2, report: { valid: false, problems: [{ where: name, severity: 'Unreadable', message: `cannot read: ${text.message}` }], objects: {} } };
    }
    loadYaml(name, text, loaded);
  }
  for (const p of loaded.problems) {
    lines.push(`${p.where}: ${p.message}`);
    problems.push({ where: p.where, severity: 'Unreadable', message: p.message });
  }

  const config: Config = buildConfig(loaded.snapshot);
  let invalid = loaded.problems.length;
  for (const issue of config.issues) {
    const transient = issue.severity === 'MissingReference';
    lines.push(formatIssue(issue) + (transient ? ' (not in the given files)' : ''));
    problems.push({ where: `${issue.ref.kind} ${issue.ref.namespace}/${issue.ref.name}`, field: issue.field, severity: issue.severity, message: issue.message });
    if (!transient || !allowMissing) invalid += 1;
  }
  const counts = [
    [config.pools.size, 'IPAddressPool'],
    [config.peers.size, 'BGPPeer'],
    [config.bgpAdvertisements.length, 'BGPAdvertisement'],
    [config.l2Advertisements.length, 'L2Advertisement'],
    [config.bfdProfiles.size, 'BFDProfile'],
  ] as const;
  const summary = counts.filter(([n]) => n > 0).map(([n, k]) => `${n} ${k}`).join(', ') || 'no Headland objects';
  lines.push(invalid === 0 ? `valid: ${summary}` : `invalid: ${invalid} problem${invalid === 1 ? '' : 's'}; valid: ${summary}`);
  return { lines, exitCode: invalid === 0 ? 0 : 1, report: { valid: invalid === 0, problems, objects: Object.fromEntries(counts.map(([n, k]) => [k, n])) } };
}

export const validateCommand: CommandModule<object, Args> = {
  command: 'validate',
  describe: 'Check Headland objects in YAML files the way the controller and speakers will read them',
  builder: (y) =>
    y
      .option('file', { alias: 'f', type: 'string', array: true, demandOption: true, describe: 'YAML file (several documents allowed); repeat for more' })
      .option('allow-missing', { type: 'boolean', default: false, describe: 'Treat references to objects not in the files (pools, peers, Secrets) as warnings' })
      .option('output', { alias: 'o', choices: ['text', 'json'] as const, default: 'text' as const, describe: 'text for people, json for tools' }),
  handler: (args) => {
    const files = readFiles(args.file);
    const { lines, exitCode, report } = validateFiles(files, args['allow-missing']);
    if (args.output === 'json') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else for (const l of lines) (exitCode === 0 ? console.log : console.error)(l);
    process.exitCode = exitCode;
  },
};
