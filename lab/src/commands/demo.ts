// `headland-lab demo [up|down]` (what `npm run demo` runs): the whole lab with Headland in it, the
// findings in plain words, everything left running; `down` stops it all. Needs root.
import { relative } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { programs } from '../index.js';
import { down } from '../demo/down.js';
import { KUBECONFIG, LAB, LOG_DIR, WORKLOADS_FILE } from '../demo/layout.js';
import { usageLines } from '../demo/report.js';
import { StepFailed, stepRunner } from '../demo/steps.js';
import { demoState, reportLines, up, type DemoState } from '../demo/up.js';

interface Args {
  action: string;
}

/** How the user runs things from here: through npm when npm started us, paths relative to the repo. */
export function invocation(env: Readonly<Record<string, string | undefined>>, cwd: string, repoRoot: string): { down: string; labCli: string } {
  const viaNpm = env['npm_lifecycle_event'] === 'demo';
  const labPath = relative(cwd, `${repoRoot}/lab/dist/main.js`);
  return { down: viaNpm ? 'npm run demo -- down' : 'headland-lab demo down', labCli: `node ${labPath.startsWith('..') ? `${repoRoot}/lab/dist/main.js` : labPath}` };
}

const print = (lines: readonly string[]): void => {
  for (const l of lines) process.stdout.write(`${l}\n`);
};

function usage(state: DemoState): string[] {
  const how = invocation(process.env, process.cwd(), programs.REPO_ROOT);
  return usageLines({
    kubeconfig: state.kubeconfig,
    // The Local service's IP: there the client sees its own address come back.
    exampleIP: (state.services.find((s) => s.policy === 'Local') ?? state.services[0])?.ips[0],
    labCli: how.labCli,
    lab: LAB,
    routerNamespace: `hl-${LAB}_tor`,
    workloadsFile: relative(process.cwd(), WORKLOADS_FILE) || WORKLOADS_FILE,
    logDir: LOG_DIR,
    downCommand: how.down,
  });
}

async function runUp(): Promise<number> {
  const how = invocation(process.env, process.cwd(), programs.REPO_ROOT);
  const now = await demoState();
  if (now.kind === 'up') {
    print([`The demo is already up (since ${now.state.startedAt}); nothing was changed. Services: ${now.state.services.map((s) => `${s.key} ${s.ips.join(', ')}`).join('; ')}.`, ...usage(now.state)]);
    return 0;
  }
  if (now.kind === 'leftovers') {
    print([`demo: an earlier demo left ${now.what.join(', ')} behind; take it down first with: ${how.down}`]);
    return 1;
  }
  let interrupted = false;
  const steps = stepRunner((t) => process.stdout.write(t), { cancelled: () => interrupted });
  print(['Headland demo: an FRR router, 3 nodes with pods and a client in network namespaces; the API server, controller, speakers; two Services.']);
  const started = Date.now();
  // Ctrl-C mid-way must not leave half a lab: the next step fails and the failure path takes it down.
  const onInt = (): void => {
    interrupted = true;
  };
  process.on('SIGINT', onInt);
  try {
    const result = await up(steps);
    print([...reportLines(result.reports), '', `Up in ${((Date.now() - started) / 1000).toFixed(0)} s.`, ...usage(result.state)]);
    return 0;
  } catch (err) {
    const where = err instanceof StepFailed ? `step "${err.step}" failed: ${err.cause instanceof Error ? err.cause.message : String(err.cause)}` : String(err instanceof Error ? err.message : err);
    print([`demo: ${where}`, `demo: logs are in ${LOG_DIR}/ (one file per process; the router's under lab/). Taking down what was started:`]);
    await down(steps).catch((e: unknown) => print([`demo: taking it down failed too: ${e instanceof Error ? e.message : String(e)}; run ${how.down}`]));
    return 1;
  } finally {
    process.off('SIGINT', onInt);
  }
}

async function runDown(): Promise<number> {
  const now = await demoState();
  print([now.kind === 'none' ? 'No demo is up; clearing any leftovers.' : 'Taking the demo down.']);
  try {
    await down(stepRunner((t) => process.stdout.write(t)));
  } catch (err) {
    print([`demo: ${err instanceof StepFailed ? `step "${err.step}" failed: ${err.cause instanceof Error ? err.cause.message : String(err.cause)}` : String(err)}`, `demo: logs are in ${LOG_DIR}/`]);
    return 1;
  }
  print([`Done. Logs stay in ${LOG_DIR}/; ${KUBECONFIG} is gone.`]);
  return 0;
}

export const demoCommand: CommandModule<object, Args> = {
  command: 'demo [action]',
  describe: 'Run the whole lab with Headland in it and show what it does (root only); `demo down` removes it',
  builder: (y: Argv) => y.positional('action', { type: 'string', choices: ['up', 'down'], default: 'up', describe: 'up (default) or down' }) as unknown as Argv<Args>,
  handler: async (args) => {
    try {
      process.exitCode = args.action === 'down' ? await runDown() : await runUp();
    } catch (err) {
      console.error(err instanceof Error ? err.message : String(err));
      process.exitCode = 2;
    }
  },
};
