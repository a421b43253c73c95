// The podman command lines of the image benchmark (image.ts), and the median it reports.
// Pure, so _image-podman.test.ts can table-test them.

/** The settings every run gets: the command line (runc, read-only root, no network, all
 * capabilities dropped but the speaker's three), on the vfs store the image build writes to. */
export const RUN_FLAGS = ['--rm', '--runtime', 'runc', '--read-only', '--network', 'none', '--cap-drop', 'ALL', '--cap-add', 'NET_RAW,NET_ADMIN,NET_BIND_SERVICE'] as const;

/** Above this podman's conmon (whose limits runc's init inherits) may not go without CAP_SYS_RESOURCE. */
export const ULIMIT_CAP = 16384;

/**
 * --ulimit flags for nofile and nproc at most ULIMIT_CAP and at most this shell's hard limits.
 * Root here lacks CAP_SYS_RESOURCE, so podman's defaults (1048576 open files, more processes than
 * conmon has) make runc fail with "error setting rlimit type 7: operation not permitted".
 * `override` (HEADLAND_PODMAN_ULIMITS) replaces them: "" for none, else space-separated flags.
 */
export function ulimitFlags(hardNofile: number | 'unlimited', hardNproc: number | 'unlimited', override?: string): string[] {
  if (override !== undefined) return override.split(/\s+/).filter((s) => s !== '');
  const clamp = (n: number | 'unlimited'): number => (n === 'unlimited' || n > ULIMIT_CAP ? ULIMIT_CAP : n);
  const nofile = clamp(hardNofile);
  const nproc = clamp(hardNproc);
  return ['--ulimit', `nofile=${nofile}:${nofile}`, '--ulimit', `nproc=${nproc}:${nproc}`];
}

/** The hard limits on open files and processes in /proc/self/limits text. */
export function hardLimits(limits: string): { nofile: number | 'unlimited'; nproc: number | 'unlimited' } {
  const hardOf = (name: string): number | 'unlimited' => {
    const line = limits.split('\n').find((l) => l.startsWith(name));
    const hard = line?.slice(name.length).trim().split(/\s+/)[1];
    if (hard === 'unlimited') return 'unlimited';
    const n = Number(hard);
    if (!Number.isInteger(n)) throw new Error(`bench/image: no hard limit for ${name} in /proc/self/limits`);
    return n;
  };
  return { nofile: hardOf('Max open files'), nproc: hardOf('Max processes') };
}

/** `podman --storage-driver vfs run FLAGS... [-v mounts] IMAGE ARGS...` as an argv (podman first); with
 * `create`, the same container created only (no --rm), to time its parts: create, start -a, rm. */
export function podmanRun(image: string, args: readonly string[], opts: { ulimits: readonly string[]; volumes?: readonly string[]; entrypoint?: string; create?: boolean }): string[] {
  const flags = opts.create ? RUN_FLAGS.filter((f) => f !== '--rm') : RUN_FLAGS;
  const argv = ['podman', '--storage-driver', 'vfs', opts.create ? 'create' : 'run', ...flags, ...opts.ulimits];
  for (const v of opts.volumes ?? []) argv.push('-v', v);
  if (opts.entrypoint !== undefined) argv.push('--entrypoint', opts.entrypoint);
  argv.push(image, ...args);
  return argv;
}

/** The median (mean of the middle two for an even count). */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error('bench/image: median of no samples');
  const s = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
