// The container image as users get it (root, buildah and podman from Debian): `npm run image`
// builds it from Debian packages and the npm registry's Node, each program runs in it with the
// manifests' security settings, and a second build of the same commit gives the same digest.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { figure } from '@headland/lab';
import { REPO_ROOT } from '@headland/lab/programs';

const isRoot = process.getuid?.() === 0;
const describeRoot = isRoot ? describe : describe.skip;
if (!isRoot) console.warn('image.e2e: skipped, it needs root (rootful podman and buildah)');

interface Check {
  readonly code: number | null;
  readonly lines: string[];
}

function check(args: readonly string[]): Promise<Check> {
  return new Promise((resolve) => {
    const child = spawn('bash', [join(REPO_ROOT, 'scripts/image/check.sh'), ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, lines: out.split('\n').filter((l) => l !== '') }));
  });
}

describeRoot('the Headland image (root)', () => {
  let result: Check;

  beforeAll(async () => {
    const started = Date.now();
    result = await check([]);
    figure(`image.e2e: build, checks and a second build took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 600_000);

  test('every check of scripts/image/check.sh passes: programs run read-only with only the manifests\' capabilities, no shell or package manager inside', () => {
    const failed = result.lines.filter((l) => l.startsWith('not ok'));
    expect(failed).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.lines.filter((l) => l.startsWith('ok - ')).length).toBeGreaterThanOrEqual(10);
  });

  test('two builds of one commit give the same digest; the compressed image stays within 60 MB', () => {
    const summary = JSON.parse(result.lines.at(-1) ?? '{}') as { ok?: boolean; reproducible?: boolean; digest?: string };
    expect(summary).toEqual(expect.objectContaining({ ok: true, reproducible: true, digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) }));
    const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const report = JSON.parse(readFileSync(join(REPO_ROOT, `build/image/headland-${version}.json`), 'utf8')) as Record<string, unknown>;
    figure(`image.e2e: ${JSON.stringify(report)}`);
    const compressed = Number(report['compressedBytes'] ?? report['compressed'] ?? NaN);
    expect(compressed).toBeLessThanOrEqual(60 * 1024 * 1024);
  });
});
