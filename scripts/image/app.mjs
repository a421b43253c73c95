#!/usr/bin/env node
// The image's app part, shared by `npm run image` (scripts/image/build.mjs, which writes it into
// a layer tarball) and the Containerfile (which runs `node scripts/image/app.mjs /out` in its
// build stage and copies /out into the final stage), so both lay out the same files:
//
//   /opt/headland/{api,bgp,native,kube,controller,speaker,cli}/  package.json and dist/*.js (the
//       addon at native/build/Release/headland_native.node), as in the repository
//   /opt/headland/node_modules/...  the production dependencies `npm ls --omit=dev` lists for
//       those workspaces (the workspace links as symlinks), without types, maps, tests or docs
//   /usr/local/bin/{headland-controller,headland-speaker,headland} -> /opt/headland/.../main.js,
//       whose first line is #!/usr/bin/node (the image has no /usr/bin/env)
//
// Usage: node scripts/image/app.mjs OUTDIR   (writes that tree under OUTDIR; needs `npm run build`)
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, realpathSync, symlinkSync, writeFileSync, copyFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { APP_ROOT, PROGRAMS, RUNTIME_WORKSPACES, keepDependencyFile, keepWorkspaceFile, normalMode, normalizeEntries, withNodeShebang } from './layout.mjs';

/** @typedef {import('./layout.mjs').Entry} Entry */

/**
 * Entries for a tree on disk: files and symlinks under `dir` (and, with keepModes, directories),
 * placed where `place(rel)` says, or left out when it says null.
 * @param {string} dir
 * @param {(rel: string) => string | null} place
 * @param {{ keepModes?: boolean }} [opts] keep the files' own modes (Debian packages) instead of 0644/0755
 * @returns {Entry[]}
 */
export function tree(dir, place, opts = {}) {
  /** @type {Entry[]} */
  const entries = [];
  const walk = (/** @type {string} */ rel) => {
    const abs = rel === '' ? dir : join(dir, rel);
    for (const name of readdirSync(abs).sort()) {
      const r = rel === '' ? name : `${rel}/${name}`;
      const st = lstatSync(join(dir, r));
      const at = place(r);
      if (st.isDirectory()) {
        if (at !== null && opts.keepModes) entries.push({ path: at, type: 'dir', mode: st.mode & 0o7777 });
        walk(r);
      } else if (at === null) {
        continue;
      } else if (st.isSymbolicLink()) {
        entries.push({ path: at, type: 'symlink', mode: 0o777, target: readlinkSync(join(dir, r)) });
      } else if (st.isFile()) {
        entries.push({ path: at, type: 'file', mode: opts.keepModes ? st.mode & 0o7777 : normalMode(st.mode, false), source: join(dir, r) });
      } else {
        throw new Error(`${join(dir, r)}: not a file, directory or symlink`);
      }
    }
  };
  walk('');
  return entries;
}

/**
 * The app's entries for the repository at `root` (built: dist/ and the addon present).
 * @param {string} root
 * @returns {{ entries: Entry[], dependencies: number }}
 */
export function appEntries(root) {
  const ls = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable', ...RUNTIME_WORKSPACES.flatMap((w) => ['-w', w])], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (ls.status !== 0) throw new Error(`npm ls --omit=dev failed (is npm install done?):\n${ls.stderr}`);
  const listed = ls.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && resolve(l) !== resolve(root))
    .sort();
  /** @type {Entry[]} */
  const entries = [];
  const workspaces = new Set();
  let dependencies = 0;
  for (const abs of listed) {
    const rel = relative(root, abs);
    if (rel.startsWith('..')) throw new Error(`npm ls listed ${abs}, outside the repository`);
    if (lstatSync(abs).isSymbolicLink()) {
      const ws = relative(root, realpathSync(abs));
      if (!RUNTIME_WORKSPACES.includes(ws)) throw new Error(`npm ls --omit=dev lists workspace ${ws} (${rel}), which is not a runtime package`);
      entries.push({ path: `${APP_ROOT}/${rel}`, type: 'symlink', mode: 0o777, target: readlinkSync(abs) });
      workspaces.add(ws);
      continue;
    }
    // @types/* hold declarations only; @kubernetes/client-node lists some as dependencies.
    if (/(^|\/)node_modules\/@types\/[^/]+$/.test(rel)) continue;
    dependencies += 1;
    entries.push(...tree(abs, (r) => (keepDependencyFile(r) ? `${APP_ROOT}/${rel}/${r}` : null)));
  }
  const mains = new Set(Object.values(PROGRAMS));
  for (const ws of RUNTIME_WORKSPACES) {
    if (!workspaces.has(ws)) throw new Error(`npm ls --omit=dev did not list the workspace ${ws}`);
    for (const e of tree(join(root, ws), (r) => (keepWorkspaceFile(r) ? `${APP_ROOT}/${ws}/${r}` : null))) {
      if (mains.has(e.path.slice(APP_ROOT.length + 1))) {
        entries.push({ path: e.path, type: 'file', mode: 0o755, data: withNodeShebang(readFileSync(/** @type {string} */ (e.source))) });
      } else {
        entries.push(e);
      }
    }
  }
  if (!entries.some((e) => e.path === `${APP_ROOT}/native/build/Release/headland_native.node`)) {
    throw new Error('native/build/Release/headland_native.node is not built (npm rebuild -w @headland/native)');
  }
  for (const [name, file] of Object.entries(PROGRAMS)) {
    if (!entries.some((e) => e.path === `${APP_ROOT}/${file}`)) throw new Error(`${file} is not built (npm run build)`);
    entries.push({ path: `usr/local/bin/${name}`, type: 'symlink', mode: 0o777, target: `/${APP_ROOT}/${file}` });
  }
  return { entries, dependencies };
}

/**
 * Writes entries as files, directories and symlinks under `out` (for the Containerfile).
 * @param {Entry[]} entries
 * @param {string} out
 */
export function materialize(entries, out) {
  for (const e of normalizeEntries(entries)) {
    const at = join(out, e.path);
    if (e.type === 'dir') {
      mkdirSync(at, { recursive: true });
      chmodSync(at, e.mode);
    } else if (e.type === 'symlink') {
      mkdirSync(dirname(at), { recursive: true });
      symlinkSync(/** @type {string} */ (e.target), at);
    } else {
      mkdirSync(dirname(at), { recursive: true });
      if (e.data) writeFileSync(at, e.data);
      else copyFileSync(/** @type {string} */ (e.source), at);
      chmodSync(at, e.mode);
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = process.argv[2];
  if (!out) {
    process.stderr.write('usage: node scripts/image/app.mjs OUTDIR\n');
    process.exit(2);
  }
  if (existsSync(out) && readdirSync(out).length > 0) {
    process.stderr.write(`app: ${out} is not empty\n`);
    process.exit(2);
  }
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const { entries, dependencies } = appEntries(root);
  materialize(entries, out);
  process.stdout.write(`app: ${entries.length} entries (${dependencies} npm packages) under ${out}\n`);
}
