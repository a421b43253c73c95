// `npm run demo [-- down]`: the whole lab with Headland in it (see README "Set up"). A thin
// wrapper over `headland-lab demo`, so the same thing runs with or without npm; needs root.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const labCli = new URL('../lab/dist/main.js', import.meta.url).pathname;
if (!existsSync(labCli)) {
  console.error('demo: headland-lab is not built; run `bash scripts/setup.sh` (or `npm run build`) first');
  process.exit(1);
}
if (process.getuid?.() !== 0) {
  console.error('demo: run it as root: the lab builds network namespaces and starts FRR');
  process.exit(1);
}
const args = process.argv.slice(2);
if (args.some((a) => a !== 'up' && a !== 'down') || args.length > 1) {
  console.error('demo: usage: npm run demo [-- up|down]');
  process.exit(2);
}
const child = spawn(process.execPath, [labCli, 'demo', ...args], { stdio: 'inherit' });
// Ctrl-C reaches headland-lab too (same process group); it takes a half-built demo down before it exits.
process.on('SIGINT', () => undefined);
child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
