// Reads every CustomResourceDefinition from the YAML files of a directory (multi-document
// files allowed, other kinds skipped), naming the file of any document that cannot be read.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { isObject, type JsonObject } from './json.js';

export class CrdDirError extends Error {
  override readonly name = 'CrdDirError';
  constructor(message: string) {
    super(`crds-dir: ${message}`);
  }
}

export async function readCrds(dir: string): Promise<JsonObject[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (e) {
    throw new CrdDirError(`cannot read directory ${dir}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const crds: JsonObject[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const docs = parseAllDocuments(await readFile(path, 'utf8'));
    for (const doc of Array.isArray(docs) ? docs : [docs]) {
      if (doc.errors.length > 0) throw new CrdDirError(`${path}: ${doc.errors[0]?.message.split('\n')[0] ?? 'bad YAML'}`);
      const value: unknown = doc.toJS();
      if (isObject(value) && value['kind'] === 'CustomResourceDefinition') crds.push(value);
    }
  }
  return crds;
}
