// The shapes `headland convert` works with: where a MetalLB object came from, the Headland objects
// made of it, and the report entries that say what did not carry over unchanged.

/** How much an entry matters; `error` and `invalid` make the command exit 1. */
export const LEVEL = {
  /** The input could not be read or converted (malformed, unknown kind or field). */
  Error: 'error',
  /** A converted object that Headland's validation (buildConfig) rejects. */
  Invalid: 'invalid',
  /** A converted object names something not in the input (a pool, a peer, a Secret). */
  Missing: 'missing',
  /** A MetalLB field with no Headland equivalent: left out. */
  Dropped: 'dropped',
  /** Carried over, but Headland reads it differently, or the value was adjusted. */
  Changed: 'changed',
  /** Worth knowing; nothing is lost. */
  Note: 'note',
} as const;
export type Level = (typeof LEVEL)[keyof typeof LEVEL];

/** Levels that make the conversion fail. */
export const FAILING_LEVELS: ReadonlySet<Level> = new Set([LEVEL.Error, LEVEL.Invalid]);

/** Where a MetalLB object was: "FILE: document N" and "KIND NAMESPACE/NAME" (or "" when unknown). */
export interface Source {
  readonly where: string;
  readonly object: string;
}

export interface ReportEntry {
  readonly level: Level;
  /** "FILE: document N"; absent for entries about the whole conversion. */
  readonly where?: string;
  /** The MetalLB object, "KIND NAMESPACE/NAME". */
  readonly object?: string;
  /** The MetalLB field, "spec.vrf" or "data.config.peers[0].hold-time". */
  readonly field?: string;
  readonly message: string;
}

/** A Kubernetes object as plain data (a Headland custom resource, or a Secret carried over). */
export type KubeObject = Record<string, unknown> & { apiVersion: string; kind: string; metadata: ObjectMetadata };

export interface ObjectMetadata {
  name: string;
  namespace: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface ConvertedObject {
  readonly object: KubeObject;
  readonly source: Source;
  /** The part of the source it was made of, when not all of it ("data.config.peers[0]"). */
  readonly field?: string;
}

export interface ConvertOptions {
  /** Namespace of every object written (Headland reads its kinds in one namespace). */
  readonly namespace: string;
}

export interface ConvertResult {
  readonly objects: readonly ConvertedObject[];
  readonly report: readonly ReportEntry[];
}

/** The Headland spec fields of a kind, any value: the key names are checked, the values are not. */
export type SpecFields<Spec> = { -readonly [K in keyof Spec]?: unknown };
