// The package-direction check, run over small throwaway workspaces so each rule is seen to bite.
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain ESM script without type declarations
import { checkDeps, allowed } from './check-deps.mjs';

type Files = Record<string, string>;
const rules = { low: [], mid: ['low'], top: ['low', 'mid'] };

function workspace(deps: Record<string, string[]>, files: Files, dirs: readonly string[] = Object.keys(rules)): string {
  const root = mkdtempSync(join(tmpdir(), 'check-deps-'));
  for (const dir of dirs) {
    mkdirSync(join(root, dir, 'src'), { recursive: true });
    const dependencies = Object.fromEntries((deps[dir] ?? []).map((d) => [`@x/${d}`, '0.1.0']));
    writeFileSync(join(root, dir, 'package.json'), JSON.stringify({ name: `@x/${dir}`, dependencies }));
  }
  for (const [path, text] of Object.entries(files)) writeFileSync(join(root, path), text);
  return root;
}

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

test.each<[string, Record<string, string[]>, Files, Record<string, string[]>, RegExp | null]>([
  ['imports in the allowed direction', { mid: ['low'] }, { 'mid/src/a.ts': "import { x } from '@x/low';\n" }, rules, null],
  ['an import against the direction', { low: ['mid'] }, { 'low/src/a.ts': "import { x } from '@x/mid';\n" }, rules, /low depends on mid: not allowed/],
  ['a dependency declared against the direction', { low: ['top'] }, {}, rules, /low depends on top/],
  ['an import not declared in package.json', {}, { 'top/src/a.ts': "export { y } from '@x/mid';\n" }, rules, /does not list it/],
  ['a relative import that climbs into another package', {}, { 'low/src/a.ts': "import '../../mid/src/b.js';\nimport { z } from '../../mid/src/b.js';\n" }, rules, /low depends on mid/],
  ['a dynamic import', {}, { 'low/src/a.ts': "const m = await import('@x/top');\n" }, rules, /low depends on top/],
  ['a cycle, even where the rules would allow each edge', { low: ['mid'], mid: ['low'] }, {}, { low: ['mid'], mid: ['low'], top: [] }, /cycle: (low -> mid -> low|mid -> low -> mid)/],
])('%s', (_name, deps, files, ruleSet, expected) => {
  const root = workspace(deps, files);
  roots.push(root);
  const problems: string[] = checkDeps(root, ruleSet);
  if (expected === null) expect(problems).toEqual([]);
  else expect(problems.join('\n')).toMatch(expected);
});

test('the real rules follow DESIGN.md: the base packages depend on nothing of ours', () => {
  expect(allowed.api).toEqual([]);
  expect(allowed.native).toEqual([]);
  expect(allowed.bgp).toEqual(['native']);
  expect(allowed.kube).toEqual([]);
  expect(allowed.controller).toEqual(['api', 'kube']);
  expect(allowed.speaker).toEqual(['api', 'bgp', 'native', 'kube']);
});

// The real rules over a throwaway copy of the real package names: the operators' CLI must never
// carry the test rig, and the rig and the suites sit where DESIGN.md puts them.
test.each<[string, Record<string, string[]>, Files, RegExp | null]>([
  ['cli imports lab', { cli: ['lab'] }, { 'cli/src/a.ts': "import { lab } from '@x/lab';\n" }, /cli depends on lab: not allowed/],
  ['cli imports a part of lab by subpath', { cli: ['lab'] }, { 'cli/src/a.ts': "import { startLab } from '@x/lab/lab';\n" }, /cli depends on lab: not allowed/],
  ['cli lists lab in package.json without importing it', { cli: ['lab'] }, {}, /cli depends on lab: not allowed/],
  ['cli imports e2e (a bare import, not listed)', {}, { 'cli/src/a.ts': "import '@x/e2e';\n" }, /cli depends on e2e: not allowed/],
  ['cli imports bench', { cli: ['bench'] }, { 'cli/src/a.ts': "export * from '@x/bench';\n" }, /cli depends on bench: not allowed/],
  ['cli imports bgp (it may reach the speaker only through its pure modules)', {}, { 'cli/src/a.ts': "import '@x/bgp';\n" }, /cli depends on bgp: not allowed/],
  ['cli climbs into lab by a relative path', {}, { 'cli/src/a.ts': "import '../../lab/src/demo/up.js';\n" }, /cli depends on lab: not allowed/],
  ['lab imports cli', { lab: ['cli'] }, { 'lab/src/a.ts': "import '@x/cli';\n" }, /lab depends on cli: not allowed/],
  ['speaker imports lab', { speaker: ['lab'] }, { 'speaker/src/a.ts': "import '@x/lab';\n" }, /speaker depends on lab: not allowed/],
  ['cli imports api, kube and a pure speaker module', { cli: ['api', 'kube', 'speaker'] }, { 'cli/src/a.ts': "import '@x/api';\nimport '@x/kube';\nimport '@x/speaker';\n" }, null],
  ['e2e imports lab and cli', { e2e: ['lab', 'cli'] }, { 'e2e/src/a.ts': "import '@x/lab/programs';\nimport '@x/cli';\n" }, null],
  ['bench imports lab', { bench: ['lab'] }, { 'bench/src/a.ts': "import '@x/lab/speaker-lab';\n" }, null],
])('real rules: %s', (_name, deps, files, expected) => {
  const root = workspace(deps, files, Object.keys(allowed));
  roots.push(root);
  const problems: string[] = checkDeps(root, allowed);
  if (expected === null) expect(problems).toEqual([]);
  else expect(problems.join('\n')).toMatch(expected);
});

test('this repository passes', () => {
  expect(checkDeps(new URL('..', import.meta.url).pathname)).toEqual([]);
});
