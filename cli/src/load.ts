// Reads YAML files into a buildConfig snapshot: the documents (and List items) of each file go
// through the api's snapshotFromObjects; problems are named with the file and document.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { emptySnapshot, snapshotFromObjects, type Snapshot } from '@headland/api';

export interface LoadProblem {
  /** Where: "FILE" or "FILE: document N" */
  where: string;
  message: string;
}

export interface Loaded {
  snapshot: Snapshot;
  problems: LoadProblem[];
  /** Documents of kinds buildConfig does not read (Deployments, Namespaces, ...). */
  ignored: number;
}

/** One object read from a file, with where it was: "FILE" or "FILE: document N". */
export interface SourceObject {
  where: string;
  value: unknown;
}

export { emptySnapshot };

/**
 * The objects of one YAML text (named `file` in messages): each non-empty document, or the items
 * of a List. A document with YAML errors gives problems instead of objects.
 */
export function readDocuments(file: string, text: string): { objects: SourceObject[]; problems: LoadProblem[] } {
  const docs = parseAllDocuments(text, { prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const objects: SourceObject[] = [];
  const problems: LoadProblem[] = [];
  list.forEach((doc, i) => {
    const where = list.length > 1 ? `${file}: document ${i + 1}` : file;
    if (doc.errors.length > 0) {
      for (const e of doc.errors) problems.push({ where, message: `YAML: ${(e.message.split('\n')[0] ?? '').replace(/:$/, '')}` });
      return;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return; // an empty document between separators
    const items = isList(value) ? value.items : [value];
    for (const item of items) objects.push({ where, value: item });
  });
  return { objects, problems };
}

/** Reads the documents of one YAML text (named `file` in messages) into `into`. */
export function loadYaml(file: string, text: string, into: Loaded): void {
  const { objects, problems } = readDocuments(file, text);
  into.problems.push(...problems);
  const sorted = snapshotFromObjects(objects.map((o) => o.value));
  for (const key of Object.keys(into.snapshot) as (keyof Snapshot)[]) (into.snapshot[key] as unknown[]).push(...sorted.snapshot[key]);
  for (const p of sorted.problems) into.problems.push({ where: objects[p.index]?.where ?? file, message: p.message });
  into.ignored += sorted.others.length;
}

function isList(v: unknown): v is { items: unknown[] } {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'List' && Array.isArray((v as { items?: unknown }).items);
}

/** Each file's text, or the Error reading it gave (the commands report it by name). */
export function readFiles(paths: readonly string[]): Map<string, string | Error> {
  const files = new Map<string, string | Error>();
  for (const f of paths) {
    try {
      files.set(f, readFileSync(f, 'utf8'));
    } catch (e) {
      files.set(f, e instanceof Error ? e : new Error(String(e)));
    }
  }
  return files;
}
