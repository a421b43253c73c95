// podman as the stand-in drives it: image checks, run, state of this node's containers,
// preStop exec, stop with a grace period, and removal; every call has a timeout.

import { execFile } from 'node:child_process';

export interface Exec {
  (argv: readonly string[], timeoutMs?: number): Promise<{ code: number; stdout: string; stderr: string }>;
}

export const execArgv: Exec = (argv, timeoutMs = 60_000) =>
  new Promise((resolve) => {
    const [file, ...args] = argv;
    execFile(file!, args, { timeout: timeoutMs, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: unknown }) | null;
      resolve({ code: e === null ? 0 : typeof e.code === 'number' ? e.code : 127, stdout, stderr: stderr || (e?.message ?? '') });
    });
  });

/** A container of this node as `podman ps -a --format json` lists it. */
export interface PodmanContainer {
  readonly id: string;
  readonly name: string;
  readonly state: string;
  readonly exitCode: number;
  readonly startedAt: number;
  readonly exitedAt: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly imageID: string;
}

/**
 * The storage every Headland tool gives podman and buildah: containers-storage with the vfs
 * driver, which works on any filesystem (overlay is not always available). Always explicit,
 * because podman records the driver of its first run in its database and afterwards follows that
 * record only when no driver is named: named everywhere, the image `npm run image` builds is the
 * one the kubelet stand-in runs, whichever tool touched podman first.
 */
export const PODMAN_STORAGE: readonly string[] = ['--storage-driver', 'vfs'];

/** podman's global flags for the kubelet stand-in: runc (crun cannot set rlimits without CAP_SYS_RESOURCE) and the shared storage. */
export const PODMAN_GLOBAL: readonly string[] = ['--runtime', 'runc', ...PODMAN_STORAGE];

/** A clear word for podman's refusal when its database was made with another storage driver. */
export function explainPodmanError(stderr: string): string {
  const text = stderr.trim();
  if (/database configuration mismatch|does not match our storage graph driver/.test(text)) {
    return `${text} (podman's database was made with another storage driver; Headland's tools use ${PODMAN_STORAGE.join(' ')}: run 'podman system reset' to start podman's storage afresh, which removes its images and containers)`;
  }
  return text;
}

export class Podman {
  constructor(
    readonly global: readonly string[],
    private readonly exec: Exec = execArgv,
  ) {}

  private async run(args: readonly string[], timeoutMs?: number): Promise<string> {
    const r = await this.exec(['podman', ...this.global, ...args], timeoutMs);
    if (r.code !== 0) throw new Error(`podman ${args.slice(0, 3).join(' ')}: ${explainPodmanError(r.stderr).slice(0, 700)}`);
    return r.stdout;
  }

  /** The image's id and configured user, or undefined when podman does not have it. */
  async image(ref: string): Promise<{ id: string; user: string } | undefined> {
    const r = await this.exec(['podman', ...this.global, 'image', 'inspect', '--format', '{{.Id}} {{.Config.User}}', ref]);
    if (r.code !== 0) {
      const why = explainPodmanError(r.stderr);
      // Not a missing image: podman cannot open its storage at all.
      if (why !== r.stderr.trim()) throw new Error(`podman image inspect: ${why}`);
      return undefined;
    }
    const [id = '', user = ''] = r.stdout.trim().split(' ');
    return { id, user };
  }

  async list(labelFilter: string): Promise<PodmanContainer[]> {
    const out = await this.run(['ps', '-a', '--filter', `label=${labelFilter}`, '--format', 'json']);
    const rows = JSON.parse(out || '[]') as { Id: string; Names: string[]; State: string; ExitCode: number; StartedAt: number; ExitedAt: number; Labels: Record<string, string> | null; ImageID: string }[];
    return rows.map((r) => ({ id: r.Id, name: r.Names[0] ?? '', state: r.State, exitCode: r.ExitCode, startedAt: r.StartedAt, exitedAt: r.ExitedAt, labels: r.Labels ?? {}, imageID: r.ImageID }));
  }

  async runContainer(argv: readonly string[]): Promise<string> {
    const r = await this.exec(argv);
    if (r.code !== 0) throw new Error(r.stderr.trim().slice(0, 1000));
    return r.stdout.trim();
  }

  /** Runs the preStop command; resolves with its exit code (a failure is logged by the caller, not fatal). */
  async execIn(id: string, command: readonly string[], timeoutMs: number): Promise<{ code: number; stderr: string }> {
    return this.exec(['podman', ...this.global, 'exec', id, ...command], timeoutMs);
  }

  /** SIGTERM, then SIGKILL after graceSeconds (podman stop -t). */
  async stop(id: string, graceSeconds: number): Promise<void> {
    await this.run(['stop', '-t', String(graceSeconds), id], (graceSeconds + 30) * 1000).catch(() => this.run(['kill', id]).catch(() => undefined));
  }

  async remove(id: string): Promise<void> {
    await this.run(['rm', '-f', '-t', '0', id]).catch(() => undefined);
  }
}
