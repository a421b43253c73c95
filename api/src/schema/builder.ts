// Builds OpenAPI v3 structural schemas (what a CRD holds) together with their TypeScript types,
// so the CRD YAML and the types are one source: `Infer<typeof S>` is the type of what S accepts.

/** The subset of Kubernetes' JSONSchemaProps that Headland's CRDs use. */
export interface JSONSchemaProps {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, JSONSchemaProps>;
  required?: string[];
  items?: JSONSchemaProps;
  additionalProperties?: JSONSchemaProps;
  enum?: readonly (string | number)[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  'x-kubernetes-int-or-string'?: true;
  'x-kubernetes-preserve-unknown-fields'?: true;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
}

/** A schema that carries, at the type level only, the type of the values it accepts. */
export interface Schema<T> {
  readonly json: JSONSchemaProps;
  /** Phantom: never set at run time; lets `Infer` read T back. */
  readonly __type?: T;
}

/** A property that may be left out of its object (not in `required`). */
export interface OptionalSchema<T> extends Schema<T> {
  readonly optional: true;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

type Common = { description?: string };
type Shape = Record<string, Schema<unknown>>;
type RequiredKeys<P extends Shape> = { [K in keyof P]: P[K] extends OptionalSchema<unknown> ? never : K }[keyof P];
type OptionalKeys<P extends Shape> = { [K in keyof P]: P[K] extends OptionalSchema<unknown> ? K : never }[keyof P];
type Flatten<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOf<P extends Shape> = Flatten<
  { -readonly [K in RequiredKeys<P>]: Infer<P[K]> } & { -readonly [K in OptionalKeys<P>]?: Infer<P[K]> }
>;

function make<T>(json: JSONSchemaProps): Schema<T> {
  return { json };
}

export function string(opts: Common & Pick<JSONSchemaProps, 'format' | 'pattern' | 'minLength' | 'maxLength'> & { default?: string } = {}): Schema<string> {
  return make({ type: 'string', ...opts });
}

export function enumOf<const V extends readonly string[]>(values: V, opts: Common & { default?: V[number] } = {}): Schema<V[number]> {
  return make({ type: 'string', enum: values, ...opts });
}

export function integer(opts: Common & Pick<JSONSchemaProps, 'minimum' | 'maximum' | 'format'> & { default?: number } = {}): Schema<number> {
  return make({ type: 'integer', ...opts });
}

export function boolean(opts: Common & { default?: boolean } = {}): Schema<boolean> {
  return make({ type: 'boolean', ...opts });
}

/** Kubernetes durations ("90s", "1m30s") are strings; validation happens in buildConfig. */
export function duration(opts: Common = {}): Schema<string> {
  return make({ type: 'string', format: 'duration', ...opts });
}

export function array<T>(items: Schema<T>, opts: Common & Pick<JSONSchemaProps, 'minItems' | 'maxItems' | 'x-kubernetes-list-type'> = {}): Schema<T[]> {
  return make({ type: 'array', items: items.json, ...opts });
}

/** A map with string keys, like `matchLabels`. */
export function stringMap(opts: Common = {}): Schema<Record<string, string>> {
  return make({ type: 'object', additionalProperties: { type: 'string' }, ...opts });
}

export function object<P extends Shape>(props: P, opts: Common = {}): Schema<ObjectOf<P>> {
  const properties: Record<string, JSONSchemaProps> = {};
  const required: string[] = [];
  for (const [name, schema] of Object.entries(props)) {
    properties[name] = schema.json;
    if (!('optional' in schema)) required.push(name);
  }
  return make({ type: 'object', ...opts, properties, ...(required.length > 0 ? { required } : {}) });
}

/** Marks a property as one that may be left out. */
export function optional<T>(schema: Schema<T>): OptionalSchema<T> {
  return { json: schema.json, optional: true };
}

/** The Kubernetes LabelSelector (matchLabels and matchExpressions). */
export const labelSelector = object(
  {
    matchLabels: optional(stringMap({ description: 'Labels that must all be present with these values.' })),
    matchExpressions: optional(
      array(
        object({
          key: string({ description: 'The label key the requirement applies to.' }),
          operator: enumOf(['In', 'NotIn', 'Exists', 'DoesNotExist'] as const, {
            description: 'How the key relates to the values.',
          }),
          values: optional(array(string(), { description: 'For In and NotIn, at least one value; for Exists and DoesNotExist, none.' })),
        }),
      ),
    ),
  },
  { description: 'A Kubernetes label selector; an empty selector matches everything.' },
);
export type LabelSelector = Infer<typeof labelSelector>;
