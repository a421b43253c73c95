// `npm run demo` as it stands: validates the shipped examples and a broken file with the real
// `headland validate`, so a new user sees what is accepted and how a rejection reads.
// The whole-lab demo (API server, controller, speakers, FRR, a client) replaces this with issue 6.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const cli = new URL('../cli/dist/main.js', import.meta.url).pathname;
if (!existsSync(cli)) {
  console.error('demo: the CLI is not built; run `bash scripts/setup.sh` (or `npm run build`) first');
  process.exit(1);
}

const step = (title, args, expectedExit) => {
  console.log(`\n== ${title}\n$ headland ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  process.stdout.write(r.stdout + r.stderr);
  console.log(`(exit ${r.status})`);
  if (r.status !== expectedExit) {
    console.error(`demo: expected exit ${expectedExit}`);
    process.exit(1);
  }
};

step('The shipped examples are valid', ['validate', '-f', 'manifests/examples/bgp.yaml', '-f', 'manifests/examples/l2.yaml'], 0);
step('Two pools that overlap are rejected, with the reason', ['validate', '-f', 'cli/testdata/overlapping-pools.yaml'], 1);
console.log(
  '\nThis is what the demo shows today. The lab demo — API server, controller, speakers on three\n' +
    'nodes, an FRR router and a client, with weighted traffic reaching pods — comes with the speaker.',
);
