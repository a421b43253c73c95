// Holds the package graph to the direction DESIGN.md gives: api, bgp and native depend on
// nothing of ours; kube (Kubernetes plumbing) neither; controller on api, kube; speaker on api, bgp,
// native, kube; lab (the test rig) on the programs it runs; cli (the operators' tool) on api, kube
// and pure parts of controller/speaker, never on lab, e2e or bench; e2e and bench on top.
// Both package.json dependencies and the import statements in src/ are checked, and cycles fail.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';


/** Which workspace packages each package may depend on. */
export const allowed = {
  api: [],
  bgp: ['native'],
  native: [],
  // Kubernetes plumbing (informers, leases, events, health): no Headland logic, so nothing of ours.
  kube: [],
  controller: ['api', 'kube'],
  speaker: ['api', 'bgp', 'native', 'kube'],
  // The test rig: API server, netns labs, kube-proxy stand-in, the demo; it runs the programs.
  lab: ['api', 'kube', 'controller', 'speaker', 'bgp', 'native'],
  // Installed by operators: it must not carry the test rig. Pure controller/speaker modules are
  // allowed so an answer (explain, status) is computed by the code the programs run.
  cli: ['api', 'kube', 'controller', 'speaker'],
  e2e: ['api', 'kube', 'controller', 'speaker', 'bgp', 'native', 'lab', 'cli'],
  bench: ['api', 'kube', 'controller', 'speaker', 'bgp', 'native', 'lab', 'cli'],
};

/** Returns the problems found in the packages under `root` (empty when all is well). */
export function checkDeps(root, rules = allowed) {
  const dirs = Object.keys(rules);
  const nameToDir = new Map();
  for (const dir of dirs) {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    nameToDir.set(pkg.name, dir);
  }

  function* sourceFiles(dir) {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir)) {
      const p = join(dir, entry);
      if (entry === 'node_modules' || entry === 'dist') continue;
      if (statSync(p).isDirectory()) yield* sourceFiles(p);
      else if (/\.(ts|mts|js|mjs)$/.test(entry)) yield p;
    }
  }

  // `import x from 'm'`, `export * from 'm'`, `import('m')`, and a bare `import 'm'`.
  const importRe = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[\s;])import\s*['"]([^'"]+)['"]/g;

  const problems = [];
  const edges = new Map(dirs.map((d) => [d, new Set()]));
  for (const dir of dirs) {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    const declared = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies };
    for (const name of Object.keys(declared)) {
      const target = nameToDir.get(name);
      if (target) edges.get(dir).add(target);
    }
    for (const file of sourceFiles(join(root, dir))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(importRe)) {
        const spec = m[1] ?? m[2] ?? m[3];
        const pkgName = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        let target = nameToDir.get(pkgName);
        if (!target && spec.startsWith('.')) {
          // A relative import that climbs into another package is a dependency too.
          const abs = join(file, '..', spec);
          const top = relative(root, abs).split('/')[0];
          if (top !== dir && dirs.includes(top)) target = top;
        }
        if (!target || target === dir) continue;
        edges.get(dir).add(target);
        if (!(pkgName in declared) && nameToDir.has(pkgName)) {
          problems.push(`${relative(root, file)}: imports ${pkgName} but ${dir}/package.json does not list it`);
        }
      }
    }
  }

  for (const [from, tos] of edges) {
    for (const to of tos) {
      if (!rules[from].includes(to)) problems.push(`${from} depends on ${to}: not allowed (DESIGN.md: ${from} may use ${rules[from].join(', ') || 'nothing of ours'})`);
    }
  }

  // Cycle check over the actual edges, so a future change to `allowed` cannot introduce one.
  const state = new Map();
  const visit = (node, path) => {
    if (state.get(node) === 'done') return;
    if (state.get(node) === 'active') {
      problems.push(`cycle: ${[...path.slice(path.indexOf(node)), node].join(' -> ')}`);
      return;
    }
    state.set(node, 'active');
    for (const next of edges.get(node)) visit(next, [...path, node]);
    state.set(node, 'done');
  };
  for (const d of dirs) visit(d, []);

  return problems;
}

const isMain = process.argv[1] && new URL(import.meta.url).pathname === process.argv[1];
if (isMain) {
  const root = new URL('..', import.meta.url).pathname;
  const problems = checkDeps(root);
  if (problems.length > 0) {
    for (const p of problems) console.error(`check-deps: ${p}`);
    process.exit(1);
  }
  console.log(`check-deps: ${Object.keys(allowed).length} packages, imports follow DESIGN.md, no cycles`);
}
