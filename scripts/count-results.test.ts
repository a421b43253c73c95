// The CI summary: totals from jest JSON results, and one readable line per failure.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain ESM script without type declarations
import { summarise, reasonOf } from './count-results.mjs';

const failure = '\u001b[1mexpect(received).toEqual(expected)\u001b[22m\n\nExpected: []\nReceived: ["gap"]\n\n    at Object.<anonymous> (e2e/suites/x.e2e.test.ts:1:1)\n    at more';

describe('count-results', () => {
  test.each([
    ['colour codes, blank lines and stack frames dropped', failure, 'expect(received).toEqual(expected) | Expected: [] | Received: ["gap"]'],
    ['no message', undefined, ''],
    ['only the first four lines', 'a\nb\nc\nd\ne', 'a | b | c | d'],
  ])('reasonOf: %s', (_what, message, want) => {
    expect(reasonOf(message)).toBe(want);
  });

  test.each([
    ['all passed', [{ numPassedTests: 3, numFailedTests: 0, testResults: [] }], { passed: 3, failed: 0, lines: [] }],
    [
      'a failed test is named with its file and reason',
      [{ numPassedTests: 1, numFailedTests: 1, testResults: [{ name: join(process.cwd(), 'e2e/suites/x.e2e.test.ts'), status: 'failed', assertionResults: [{ status: 'passed', fullName: 'ok' }, { status: 'failed', fullName: 'suite restarts', failureMessages: [failure] }] }] }],
      { passed: 1, failed: 1, lines: ['FAILED e2e/suites/x.e2e.test.ts › suite restarts: expect(received).toEqual(expected) | Expected: [] | Received: ["gap"]'] },
    ],
    [
      'a suite that did not run counts once, with its message',
      [{ numPassedTests: 0, numFailedTests: 0, numRuntimeErrorTestSuites: 1, testResults: [{ name: join(process.cwd(), 'a/src/y.test.ts'), status: 'failed', message: 'Cannot find module ./z.js', assertionResults: [] }] }],
      { passed: 0, failed: 1, lines: ['FAILED a/src/y.test.ts (did not run): Cannot find module ./z.js'] },
    ],
    ['a missing result file is a failure', [{ missing: '/tmp/e2e.json' }], { passed: 0, failed: 1, lines: ['count-results: /tmp/e2e.json is missing: its test run did not finish'] }],
  ])('summarise: %s', (_what, results, want) => {
    expect(summarise(results)).toEqual(want);
  });

  test('the script prints the failure lines, then the closing line, and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'count-results-'));
    try {
      const file = join(dir, 'r.json');
      writeFileSync(file, JSON.stringify({ numPassedTests: 2, numFailedTests: 1, testResults: [{ name: join(process.cwd(), 'b.test.ts'), status: 'failed', assertionResults: [{ status: 'failed', fullName: 't', failureMessages: ['boom'] }] }] }));
      const r = spawnSync(process.execPath, [join(process.cwd(), 'scripts/count-results.mjs'), file, join(dir, 'absent.json')], { encoding: 'utf8' });
      expect(r.stdout.trim().split('\n')).toEqual(['FAILED b.test.ts › t: boom', `count-results: ${join(dir, 'absent.json')} is missing: its test run did not finish`, '2 passed, 2 failed']);
      expect(r.status).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
