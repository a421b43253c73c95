// What buildConfig tells the user: issues that name the object and field, and which objects
// are held back from the config because of them.

export const SEVERITY = {
  /** The value is wrong: the object is rejected until it is fixed. */
  Invalid: 'Invalid',
  /** The object names something that is not there (yet); it may appear later. */
  MissingReference: 'MissingReference',
} as const;
export type Severity = (typeof SEVERITY)[keyof typeof SEVERITY];

/** What a missing reference does to the object that holds it. */
export const REFERENCE_EFFECT = {
  /** Going on without the referenced object would announce something unsafe or wrong. */
  HoldBack: 'HoldBack',
  /** Going on only narrows what is announced: keep the object, skip the reference. */
  Skip: 'Skip',
} as const;
export type ReferenceEffect = (typeof REFERENCE_EFFECT)[keyof typeof REFERENCE_EFFECT];

export interface ObjectRef {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export interface ConfigIssue {
  readonly ref: ObjectRef;
  /** The field path, like "spec.addresses[1]"; "metadata.name" for the object's identity. */
  readonly field: string;
  readonly message: string;
  readonly severity: Severity;
}

export interface RejectedObject {
  readonly ref: ObjectRef;
  readonly issues: readonly ConfigIssue[];
}

/** `KIND NAMESPACE/NAME: FIELD: what is wrong`, one line per issue (what the CLI prints). */
export function formatIssue(issue: ConfigIssue): string {
  const { kind, namespace, name } = issue.ref;
  return `${kind} ${namespace}/${name}: ${issue.field}: ${issue.message}`;
}

export function formatRef(ref: ObjectRef): string {
  return `${ref.namespace}/${ref.name}`;
}

/** Orders objects by namespace, then name, the order in which "the later one" is decided. */
export function compareRefs(a: ObjectRef, b: ObjectRef): number {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return 0;
}

/** The issues of one object, and whether they keep it out of the config. */
export class ObjectIssues {
  readonly ref: ObjectRef;
  readonly #issues: ConfigIssue[] = [];
  #heldBack = false;

  constructor(ref: ObjectRef) {
    this.ref = ref;
  }

  invalid(field: string, message: string): void {
    this.#issues.push({ ref: this.ref, field, message, severity: SEVERITY.Invalid });
    this.#heldBack = true;
  }

  missing(field: string, message: string, effect: ReferenceEffect): void {
    this.#issues.push({ ref: this.ref, field, message, severity: SEVERITY.MissingReference });
    if (effect === REFERENCE_EFFECT.HoldBack) this.#heldBack = true;
  }

  get rejected(): boolean {
    return this.#heldBack;
  }

  get issues(): readonly ConfigIssue[] {
    return this.#issues;
  }
}

/** Every object's issues, in the order the objects were judged. */
export class IssueLog {
  readonly #objects: ObjectIssues[] = [];

  open(ref: ObjectRef): ObjectIssues {
    const issues = new ObjectIssues(ref);
    this.#objects.push(issues);
    return issues;
  }

  get issues(): ConfigIssue[] {
    return this.#objects.flatMap((o) => o.issues);
  }

  get rejected(): RejectedObject[] {
    return this.#objects.filter((o) => o.rejected).map((o) => ({ ref: o.ref, issues: o.issues }));
  }
}
