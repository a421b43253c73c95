// The state file of a running lab: what was created, written before each thing is made,
// so `down` after a crash mid-build still finds it. Naming alone is the fallback (see naming.ts).

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { LabError } from './errors.js';
import { runDir, stateFile } from './naming.js';

export interface LabState {
  readonly name: string;
  readonly file: string;
  readonly createdAt: string;
  readonly namespaces: string[];
  readonly rootLinks: string[];
  readonly frrPathspaces: string[];
}

export function readState(lab: string): LabState | undefined {
  let text: string;
  try {
    text = readFileSync(stateFile(lab), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LabState>;
    return {
      name: String(parsed.name ?? lab),
      file: String(parsed.file ?? ''),
      createdAt: String(parsed.createdAt ?? ''),
      namespaces: strings(parsed.namespaces),
      rootLinks: strings(parsed.rootLinks),
      frrPathspaces: strings(parsed.frrPathspaces),
    };
  } catch (err) {
    // A torn write is no reason to refuse `down`: naming finds everything anyway.
    process.emitWarning(new LabError('lab/state', `${stateFile(lab)} is unreadable (${(err as Error).message}); using names only`));
    return undefined;
  }
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Appends to the state file as things are created; each write replaces the file atomically. */
export class StateRecorder {
  private readonly state: LabState;
  constructor(lab: string, file: string) {
    this.state = { name: lab, file, createdAt: new Date().toISOString(), namespaces: [], rootLinks: [], frrPathspaces: [] };
    mkdirSync(runDir(lab), { recursive: true });
    this.flush();
  }
  namespace(name: string): void {
    this.state.namespaces.push(name);
    this.flush();
  }
  rootLink(name: string): void {
    this.state.rootLinks.push(name);
    this.flush();
  }
  frrPathspace(name: string): void {
    this.state.frrPathspaces.push(name);
    this.flush();
  }
  private flush(): void {
    const path = stateFile(this.state.name);
    writeFileSync(`${path}.tmp`, `${JSON.stringify(this.state, null, 2)}\n`);
    renameSync(`${path}.tmp`, path);
  }
}
