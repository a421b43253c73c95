// Sums jest --json result files into the one closing line CI reads: "N passed, N failed".
// A suite that failed to run at all (syntax error, missing module) counts as one failure.
// Before that line, each failure gets a short line of its own (file, test, the first lines of
// the reason), so the end of a long CI log says what failed without scrolling back to jest's
// report.
import { readFileSync, existsSync } from 'node:fs';
import { relative } from 'node:path';

const MESSAGE_LINES = 4;

/** The first lines of a jest failure message, colour codes and jest's stack frames dropped. */
export function reasonOf(message) {
  return String(message ?? '')
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('at '))
    .slice(0, MESSAGE_LINES)
    .join(' | ');
}

/** Totals and one line per failure from jest JSON results (already parsed). */
export function summarise(results) {
  let passed = 0;
  let failed = 0;
  const lines = [];
  for (const r of results) {
    if (r.missing !== undefined) {
      lines.push(`count-results: ${r.missing} is missing: its test run did not finish`);
      failed += 1;
      continue;
    }
    passed += r.numPassedTests ?? 0;
    failed += r.numFailedTests ?? 0;
    failed += r.numRuntimeErrorTestSuites ?? 0;
    for (const suite of r.testResults ?? []) {
      const file = relative(process.cwd(), suite.name ?? '');
      const failedTests = (suite.assertionResults ?? []).filter((a) => a.status === 'failed');
      for (const a of failedTests) lines.push(`FAILED ${file} › ${a.fullName}: ${reasonOf(a.failureMessages?.[0])}`);
      if (suite.status === 'failed' && failedTests.length === 0) lines.push(`FAILED ${file} (did not run): ${reasonOf(suite.message)}`);
    }
  }
  return { passed, failed, lines };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = process.argv.slice(2).map((file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { missing: file }));
  const { passed, failed, lines } = summarise(results);
  for (const line of lines) console.log(line);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}
