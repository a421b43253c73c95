// The k8s-lab lock (/run/headland-k8s-lab.lock): only one lab with k8s-node nodes may exist at a
// time, so the benchmark holds the lock while its lab is up. flock(1) takes it for a child that
// waits on our stdin: the lock goes when we release it or when this process dies, whichever first.
import { spawn } from 'node:child_process';

export const K8S_LAB_LOCK = '/run/headland-k8s-lab.lock';

export class LabLockError extends Error {
  override readonly name = 'LabLockError';
}

export interface HeldLock {
  release(): Promise<void>;
}

/**
 * Waits up to waitS seconds for the lock. HEADLAND_K8S_LAB_LOCK=held says the caller already
 * holds it (e.g. the whole run is under `flock`), and taking it again would wait forever.
 */
export async function holdLabLock(waitS = 1800, path = K8S_LAB_LOCK, env: Readonly<Record<string, string | undefined>> = process.env): Promise<HeldLock> {
  if (env['HEADLAND_K8S_LAB_LOCK'] === 'held') return { release: async () => undefined };
  const child = spawn('flock', ['-w', String(waitS), path, 'sh', '-c', 'echo locked; exec cat >/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const locked = new Promise<boolean>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('locked')) resolve(true);
    });
    child.once('error', () => resolve(false));
    void exited.then(() => resolve(false));
  });
  if (!(await locked)) {
    const code = await exited;
    throw new LabLockError(`bench/speaker-lock: could not take ${path} within ${waitS} s (flock exit ${code}${stderr.trim() === '' ? '' : `: ${stderr.trim()}`})`);
  }
  return {
    async release() {
      child.stdin.end();
      await exited;
    },
  };
}
