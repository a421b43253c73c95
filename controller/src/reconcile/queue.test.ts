import { WorkQueue } from './queue.js';

test('a key waits once however often it is added, in first-added order', async () => {
  const q = new WorkQueue();
  for (const k of ['a', 'b', 'a', 'c', 'b']) q.add(k);
  expect(q.length).toBe(3);
  const got = [await q.get(), await q.get(), await q.get()];
  expect(got).toEqual(['a', 'b', 'c']);
});

test('a key added while being worked on runs again after done, and not twice at once', async () => {
  const q = new WorkQueue();
  q.add('a');
  const k = await q.get();
  q.add('a');
  q.add('a');
  expect(q.length).toBe(0); // not handed to a second worker
  q.done(k!);
  expect(q.length).toBe(1);
  expect(await q.get()).toBe('a');
  q.done('a');
  expect(q.idle()).toBe(true);
});

test('a waiting worker gets the next key added', async () => {
  const q = new WorkQueue();
  const waiting = q.get();
  q.add('x');
  expect(await waiting).toBe('x');
});

test('shutDown wakes workers with undefined and drops later adds', async () => {
  const q = new WorkQueue();
  const waiting = q.get();
  q.shutDown();
  expect(await waiting).toBeUndefined();
  q.add('late');
  expect(await q.get()).toBeUndefined();
});

test('many keys keep their order across internal compaction', async () => {
  const q = new WorkQueue();
  for (let i = 0; i < 5000; i++) q.add(`k${i}`);
  for (let i = 0; i < 5000; i++) {
    const k = await q.get();
    expect(k).toBe(`k${i}`);
    q.done(k!);
    if (i === 2000) q.add('k1'); // re-added after its turn: goes to the back
  }
  expect(await q.get()).toBe('k1');
});
