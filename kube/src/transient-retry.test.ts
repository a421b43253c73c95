import { isTransient, retryTransient } from './transient-retry.js';

test.each([
  [{ code: 'ECONNRESET' }, true],
  [new Error('socket hang up'), true],
  [{ statusCode: 503 }, true],
  [{ statusCode: 429 }, true],
  [{ statusCode: 500 }, true],
  [{ statusCode: 409 }, false],
  [{ statusCode: 403 }, false],
  [{ statusCode: 422 }, false],
])('isTransient(%j) = %s', (err, transient) => {
  expect(isTransient(err)).toBe(transient);
});

function failing(errors: unknown[]): { write: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    write: async () => {
      const err = errors[calls++];
      if (err !== undefined) throw err;
      return 'written';
    },
    calls: () => calls,
  };
}

test.each<{ name: string; errors: unknown[]; attempts: number; result: string | RegExp; calls: number; waits: number[] }>([
  { name: 'first try works', errors: [], attempts: 5, result: 'written', calls: 1, waits: [] },
  { name: 'two server errors, then it works', errors: [{ statusCode: 503 }, { code: 'ECONNRESET' }], attempts: 5, result: 'written', calls: 3, waits: [100, 200] },
  { name: 'a refusal is final at once', errors: [Object.assign(new Error('forbidden'), { statusCode: 403 })], attempts: 5, result: /forbidden/, calls: 1, waits: [] },
  { name: 'out of attempts: the last error', errors: [{ statusCode: 500 }, { statusCode: 502 }, Object.assign(new Error('still down'), { statusCode: 503 })], attempts: 3, result: /still down/, calls: 3, waits: [100, 200] },
])('$name', async ({ errors, attempts, result, calls, waits }) => {
  const f = failing(errors);
  const slept: number[] = [];
  const run = retryTransient(f.write, { attempts, firstDelayMs: 100, sleep: async (ms) => void slept.push(ms) });
  if (typeof result === 'string') await expect(run).resolves.toBe(result);
  else await expect(run).rejects.toThrow(result);
  expect(f.calls()).toBe(calls);
  expect(slept).toEqual(waits);
});
