// The lab lock against a real flock(1) on a lock file of the test's own: held means another
// taker cannot have it, released means it can; a taker that waits too long gets a typed error.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabLockError, holdLabLock } from './_speaker-lock.js';

const dir = mkdtempSync(join(tmpdir(), 'hl-bench-lock-'));
const file = join(dir, 'lock');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Whether another process can take the lock right now (flock -n). */
const free = (): boolean => {
  try {
    execFileSync('flock', ['-n', file, 'true']);
    return true;
  } catch {
    return false;
  }
};

test('held, another taker is refused; released, it is free again', async () => {
  const lock = await holdLabLock(5, file, {});
  expect(free()).toBe(false);
  await lock.release();
  expect(free()).toBe(true);
});

test('a second taker waits out its time and gets a LabLockError', async () => {
  const first = await holdLabLock(5, file, {});
  try {
    await expect(holdLabLock(0, file, {})).rejects.toThrow(LabLockError);
  } finally {
    await first.release();
  }
});

test('HEADLAND_K8S_LAB_LOCK=held takes nothing', async () => {
  const lock = await holdLabLock(5, file, { HEADLAND_K8S_LAB_LOCK: 'held' });
  expect(free()).toBe(true);
  await lock.release();
});
