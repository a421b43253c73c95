// The stand-in's --state-file: the ruleset it last applied, replaced whole on every apply so a
// reader sees the old ruleset or the new one, never half of one (kubeproxy/lag.ts reads it).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

export function writeStateFile(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

/** The ruleset last applied; undefined before the first apply (no file yet). */
export function readStateFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
