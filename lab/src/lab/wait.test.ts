import { WaitTimeoutError } from './errors.js';
import { waitFor } from './wait.js';

/** A clock that only moves when the code under test sleeps. */
function fakeClock() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms), elapsed: () => t };
}

describe('waitFor', () => {
  test('returns the first accepted value', async () => {
    const clock = fakeClock();
    let n = 0;
    const v = await waitFor(() => ++n, (x) => x >= 3, { timeoutMs: 10_000, intervalMs: 100, ...clock });
    expect(v).toBe(3);
    expect(clock.elapsed()).toBe(200);
  });

  test('a throwing probe counts as not yet', async () => {
    const clock = fakeClock();
    let n = 0;
    const v = await waitFor(() => {
      if (++n < 2) throw new Error('not listening');
      return 'up';
    }, (x) => x === 'up', { timeoutMs: 1000, ...clock });
    expect(v).toBe('up');
  });

  test.each([
    ['a value', () => ({ state: 'Active' }), /last saw \{"state":"Active"\}/],
    ['an error', () => { throw new Error('connection refused'); }, /last saw error connection refused/],
  ])('on timeout the error reports the last %s seen', async (_what, probe, message) => {
    const clock = fakeClock();
    const p = waitFor(probe as () => unknown, () => false, { timeoutMs: 1000, intervalMs: 300, what: 'BGP up', ...clock });
    await expect(p).rejects.toThrow(WaitTimeoutError);
    await expect(waitFor(probe as () => unknown, () => false, { timeoutMs: 1000, what: 'BGP up', ...fakeClock() })).rejects.toThrow(message);
    expect(clock.elapsed()).toBe(1000);
  });

  test('the timeout message starts with the module and names what was awaited', async () => {
    await expect(waitFor(() => 1, () => false, { timeoutMs: 0, what: 'sessions', ...fakeClock() })).rejects.toThrow(/^lab\/wait: timed out after 0 ms waiting for sessions/);
  });
});
