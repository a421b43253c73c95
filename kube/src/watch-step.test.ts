import { Backoff } from './backoff.js';
import { HttpError } from './errors.js';
import { afterWatch, type Step, type WatchEnd } from './watch-step.js';

const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

test.each<[string, WatchEnd, Step]>([
  ['410 in the stream relists at once', { kind: 'gone' }, { relist: true, waitMs: 0, report: false }],
  ['410 on the watch request relists at once', { kind: 'failed', err: Object.assign(new Error('Gone'), { statusCode: 410 }) }, { relist: true, waitMs: 0, report: false }],
  ['a close after events re-watches at once', { kind: 'closed', events: 3, lastedMs: 5 }, { relist: false, waitMs: 0, report: false }],
  ['a long quiet watch re-watches at once', { kind: 'closed', events: 0, lastedMs: 60_000 }, { relist: false, waitMs: 0, report: false }],
  ['an instant empty close backs off quietly', { kind: 'closed', events: 0, lastedMs: 10 }, { relist: false, waitMs: 100, report: false }],
  ['a refused connection backs off and is reported', { kind: 'failed', err: refused }, { relist: false, waitMs: 100, report: true }],
  ['a 500 backs off and is reported', { kind: 'failed', err: new HttpError(500, 'GET', '/api/v1/services', undefined, 'rest: boom') }, { relist: false, waitMs: 100, report: true }],
])('%s', (_what, end, step) => {
  expect(afterWatch(end, new Backoff(100, 1000), 1000)).toEqual(step);
});

test('repeated failures grow the wait up to the cap', () => {
  const b = new Backoff(100, 400);
  const waits = [1, 2, 3, 4].map(() => afterWatch({ kind: 'failed', err: refused }, b, 1000).waitMs);
  expect(waits).toEqual([100, 200, 400, 400]);
});
