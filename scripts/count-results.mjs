// Sums jest --json result files into the one closing line CI reads: "N passed, N failed".
// A suite that failed to run at all (syntax error, missing module) counts as one failure.
import { readFileSync, existsSync } from 'node:fs';

let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    console.error(`count-results: ${file} is missing: its test run did not finish`);
    failed += 1;
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  failed += r.numRuntimeErrorTestSuites ?? 0;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
