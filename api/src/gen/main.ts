// `node api/dist/gen/main.js <dir>` (what `npm run gen` runs): writes every kind's CRD to <dir>.
// Thin on purpose; the work is in crd.ts (rendering) and write.ts (files).
import { writeCRDs } from './write.js';

const dir = process.argv[2];
if (dir === undefined || dir === '') {
  process.stderr.write('gen: usage: node api/dist/gen/main.js <output directory>\n');
  process.exit(2);
}
try {
  const { written, unchanged, removed } = writeCRDs(dir);
  for (const name of written) process.stdout.write(`wrote ${dir}/${name}\n`);
  for (const name of removed) process.stdout.write(`removed ${dir}/${name}\n`);
  process.stdout.write(`${written.length} written, ${unchanged.length} unchanged, ${removed.length} removed\n`);
} catch (err: unknown) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
