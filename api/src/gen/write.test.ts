import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderCRDs } from './crd.js';
import { GenError, writeCRDs } from './write.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'headland-gen-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('writeCRDs', () => {
  test('writes every rendered file, creating the directory', () => {
    const out = join(dir, 'crds');
    const result = writeCRDs(out);
    const files = renderCRDs();
    expect(result).toEqual({ written: [...files.keys()], unchanged: [], removed: [] });
    for (const [name, text] of files) expect(readFileSync(join(out, name), 'utf8')).toBe(text);
  });

  test('a second run changes nothing', () => {
    writeCRDs(dir);
    expect(writeCRDs(dir)).toEqual({ written: [], unchanged: [...renderCRDs().keys()], removed: [] });
  });

  test('rewrites a hand-edited file', () => {
    const files = new Map([['headland.io_widgets.yaml', 'kind: A\n']]);
    writeFileSync(join(dir, 'headland.io_widgets.yaml'), 'kind: edited\n');
    expect(writeCRDs(dir, files).written).toEqual(['headland.io_widgets.yaml']);
    expect(readFileSync(join(dir, 'headland.io_widgets.yaml'), 'utf8')).toBe('kind: A\n');
  });

  test('removes generated files of kinds that are gone, leaves other files alone', () => {
    writeFileSync(join(dir, 'headland.io_oldkinds.yaml'), 'x');
    writeFileSync(join(dir, 'README.md'), 'keep');
    writeFileSync(join(dir, 'other.io_things.yaml'), 'keep');
    const result = writeCRDs(dir, new Map([['headland.io_widgets.yaml', 'kind: A\n']]));
    expect(result.removed).toEqual(['headland.io_oldkinds.yaml']);
    expect(readdirSync(dir).sort()).toEqual(['README.md', 'headland.io_widgets.yaml', 'other.io_things.yaml']);
  });

  test('a path that cannot be a directory is a GenError naming it', () => {
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, '');
    const run = (): unknown => writeCRDs(join(file, 'crds'));
    expect(run).toThrow(GenError);
    expect(run).toThrow(`gen: cannot write CRDs to ${JSON.stringify(join(file, 'crds'))}`);
    expect(existsSync(join(file, 'crds'))).toBe(false);
  });
});
