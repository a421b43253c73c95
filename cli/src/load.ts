// Reads YAML files into a buildConfig snapshot: the documents (and List items) of each file go
// through the api's snapshotFromObjects; problems are named with the file and document.
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

export { emptySnapshot };

/** Reads the documents of one YAML text (named `file` in messages) into `into`. */
export function loadYaml(file: string, text: string, into: Loaded): void {
  const docs = parseAllDocuments(text, { prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const objects: unknown[] = [];
  const origins: string[] = [];
  list.forEach((doc, i) => {
    const where = list.length > 1 ? `${file}: document ${i + 1}` : file;
    if (doc.errors.length > 0) {
      for (const e of doc.errors) into.problems.push({ where, message: `YAML: ${(e.message.split('\n')[0] ?? '').replace(/:$/, '')}` });
      return;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return; // an empty document between separators
    const items = isList(value) ? value.items : [value];
    for (const item of items) {
      objects.push(item);
      origins.push(where);
    }
  });
  const sorted = snapshotFromObjects(objects);
  for (const key of Object.keys(into.snapshot) as (keyof Snapshot)[]) (into.snapshot[key] as unknown[]).push(...sorted.snapshot[key]);
  for (const p of sorted.problems) into.problems.push({ where: origins[p.index] ?? file, message: p.message });
  into.ignored += sorted.others.length;
}

function isList(v: unknown): v is { items: unknown[] } {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'List' && Array.isArray((v as { items?: unknown }).items);
}
