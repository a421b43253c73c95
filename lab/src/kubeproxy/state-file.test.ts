import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStateFile, writeStateFile } from './state-file.js';

test('a state file reads back what was last written, undefined before, and leaves no temporary file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'state-file-'));
  try {
    const path = join(dir, 'node1.nft');
    expect(readStateFile(path)).toBeUndefined();
    writeStateFile(path, 'table inet a {}\n');
    writeStateFile(path, 'table inet b {}\n');
    expect(readStateFile(path)).toBe('table inet b {}\n');
    expect(readdirSync(dir)).toEqual(['node1.nft']);
    // Anything but "not there yet" is an error, not a lagging node.
    expect(() => readStateFile(dir)).toThrow(/EISDIR/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
