// `headland-lab up FILE | down NAME|--all | exec NAME NODE[/POD] -- CMD...`: drives the
// network-namespace lab runner (needs root); output is for people.
import { spawn } from 'node:child_process';
import type { Argv, CommandModule } from 'yargs';
import { lab } from '../index.js';

interface Args {
  action: string;
  target?: string;
  node?: string;
  cmd?: (string | number)[];
  all: boolean;
}

/** The command to run for `lab exec`: words after NODE, including those after `--`. */
export function execCommand(args: { cmd?: readonly (string | number)[]; _: readonly (string | number)[] }): string[] {
  // yargs leaves words after "--" in `_`, after the command word "exec" itself.
  const afterDashes = args._.slice(args._.indexOf('exec') + 1);
  return [...(args.cmd ?? []), ...afterDashes].map(String);
}

export function formatDown(reports: readonly lab.DownReport[]): string[] {
  if (reports.length === 0) return ['no lab leftovers found'];
  return reports.map((r) => {
    const what = `${r.namespaces.length} namespaces, ${r.links.length} root links, ${r.killed.length} processes`;
    return r.problems.length === 0 ? `lab ${r.lab}: removed ${what}` : `lab ${r.lab}: removed ${what}; NOT removed: ${r.problems.join('; ')}`;
  });
}

export function formatUp(l: lab.Lab): string[] {
  const lines = [`lab ${l.name} is up`];
  for (const note of l.topology?.notes ?? []) lines.push(`note: ${note}`);
  for (const node of l.topology?.nodes ?? []) {
    lines.push(`  ${node.name} (${node.kind}): ip netns exec ${l.namespace(node.name)} ...${node.mgmtIPv4 === undefined ? '' : `  mgmt ${node.mgmtIPv4}`}`);
    for (const pod of node.pods) lines.push(`    ${node.name}/${pod.name}: ${pod.addresses.join(', ')}`);
  }
  lines.push(`run commands with: headland-lab exec ${l.name} NODE -- CMD; remove with: headland-lab down ${l.name}`);
  return lines;
}

async function handle(args: Args & { _: (string | number)[] }): Promise<number> {
  switch (args.action) {
    case 'up': {
      if (args.target === undefined) throw new lab.LabError('lab/cli', 'lab up needs a topology FILE');
      const started = await lab.startLab(args.target);
      for (const line of formatUp(started)) console.log(line);
      return 0;
    }
    case 'down': {
      if (args.all === (args.target !== undefined)) throw new lab.LabError('lab/cli', 'lab down needs a lab NAME or --all (not both)');
      const reports = args.all ? await lab.downAll() : [await lab.downLab(args.target!)];
      for (const line of formatDown(reports)) console.log(line);
      return reports.some((r) => r.problems.length > 0) ? 1 : 0;
    }
    case 'exec': {
      const cmd = execCommand(args);
      if (args.target === undefined || args.node === undefined || cmd.length === 0) throw new lab.LabError('lab/cli', 'usage: lab exec NAME NODE[/POD] -- CMD...');
      const running = await lab.attachLab(args.target);
      const ns = running.namespace(args.node);
      const child = spawn('ip', ['netns', 'exec', ns, ...cmd], { stdio: 'inherit' });
      return new Promise((resolve) => {
        child.on('error', (err) => {
          console.error(`cli/lab: ${err.message}`);
          resolve(127);
        });
        child.on('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
      });
    }
    default:
      throw new lab.LabError('lab/cli', `unknown action "${args.action}" (up, down, exec)`);
  }
}

function command(action: 'up' | 'down' | 'exec', spec: string, describe: string, builder: (y: Argv) => Argv): CommandModule<object, Args> {
  return {
    command: spec,
    describe,
    builder: (y: Argv) => builder(y) as unknown as Argv<Args>,
    handler: async (args) => {
      try {
        process.exitCode = await handle({ ...(args as Args & { _: (string | number)[] }), action });
      } catch (err) {
        console.error(err instanceof Error ? err.message : String(err));
        process.exitCode = 2;
      }
    },
  };
}

/** `up FILE`, `down NAME|--all`, `exec NAME NODE[/POD] -- CMD...`: the lab's own commands. */
export const labCommands: readonly CommandModule<object, Args>[] = [
  command('up', 'up <target>', 'Build a lab from a containerlab topology FILE (root only)', (y) => y.positional('target', { type: 'string', describe: 'topology file (*.clab.yml)' })),
  command('down', 'down [target]', 'Remove a lab NAME, or every lab\'s leftovers with --all', (y) =>
    y.positional('target', { type: 'string', describe: 'lab name' }).option('all', { type: 'boolean', default: false, describe: 'remove every lab\'s leftovers' }),
  ),
  command('exec', 'exec <target> <node> [cmd..]', 'Run CMD in a lab NODE or NODE/POD namespace', (y) =>
    y
      .positional('target', { type: 'string', describe: 'lab name' })
      .positional('node', { type: 'string', describe: 'node or node/pod' })
      .positional('cmd', { type: 'string', array: true, describe: 'command to run' })
      .parserConfiguration({ 'unknown-options-as-args': true }),
  ),
];
