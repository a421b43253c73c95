// Writes the rendered CRDs into a directory and removes generated files of kinds that are gone,
// so the directory always equals renderCRDs(). Only files named like generated ones are touched.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GROUP } from '../kinds/index.js';
import { renderCRDs } from './crd.js';

export class GenError extends Error {
  override readonly name = 'GenError';
  constructor(detail: string) {
    super(`gen: ${detail}`);
  }
}

export interface WriteResult {
  written: string[];
  unchanged: string[];
  removed: string[];
}

const GENERATED_NAME = new RegExp(`^${GROUP.replace(/\./g, '\\.')}_[a-z0-9]+\\.yaml$`);

export function writeCRDs(dir: string, files: Map<string, string> = renderCRDs()): WriteResult {
  const result: WriteResult = { written: [], unchanged: [], removed: [] };
  try {
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir)) {
      if (GENERATED_NAME.test(name) && !files.has(name)) {
        rmSync(join(dir, name));
        result.removed.push(name);
      }
    }
    for (const [name, text] of files) {
      const path = join(dir, name);
      // Leave identical files alone so their mtime (and make-like tools) see no change.
      if (readIfExists(path) === text) {
        result.unchanged.push(name);
        continue;
      }
      writeFileSync(path, text);
      result.written.push(name);
    }
  } catch (err: unknown) {
    if (err instanceof GenError) throw err;
    throw new GenError(`cannot write CRDs to ${JSON.stringify(dir)}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return result;
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err: unknown) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
