// Runs benchmarks under bench/: `npm run bench` runs all, `npm run bench -- NAME` one.
// Each benchmark is bench/dist/NAME.js (built from bench/src/NAME.ts) and prints JSON lines.
import { readdirSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const dir = new URL('../bench/dist/', import.meta.url).pathname;
const available = existsSync(dir)
  ? readdirSync(dir).filter((f) => f.endsWith('.js') && !f.includes('.test.') && !f.startsWith('_')).map((f) => f.slice(0, -3))
  : [];
const wanted = process.argv.slice(2);
if (available.length === 0) {
  console.log(JSON.stringify({ bench: 'none', note: 'no benchmarks built yet; run `npm run build` first, or they arrive with issues 4 and 5' }));
  process.exit(wanted.length > 0 ? 1 : 0);
}
for (const name of wanted) {
  if (!available.includes(name)) {
    console.error(`bench: no benchmark named ${name}; have: ${available.join(', ')}`);
    process.exit(2);
  }
}
let failed = false;
for (const name of wanted.length > 0 ? wanted : available) {
  const r = spawnSync(process.execPath, ['--expose-gc', dir + name + '.js'], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
