// Turns each kind's description (api/src/kinds) into its apiextensions.k8s.io/v1 CRD and YAML,
// so the manifests under manifests/crds/ are generated from the same schemas the code checks.
import { stringify } from 'yaml';
import { CRD_KINDS, GROUP, VERSION, type KindInfo, type PrinterColumn } from '../kinds/index.js';
import type { JSONSchemaProps } from '../schema/builder.js';

/** The command that regenerates the files; named in their header and in stale-file errors. */
export const GEN_COMMAND = 'npm run gen';

export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string };
  spec: {
    group: string;
    names: { kind: string; listKind: string; plural: string; singular: string; shortNames?: string[]; categories: string[] };
    scope: 'Namespaced' | 'Cluster';
    versions: CRDVersion[];
  };
}

export interface CRDVersion {
  name: string;
  served: boolean;
  storage: boolean;
  subresources?: { status: Record<string, never> };
  additionalPrinterColumns: PrinterColumn[];
  schema: { openAPIV3Schema: JSONSchemaProps };
}

// The keyword order of every schema node in the YAML, so a reordered builder call or a new
// option does not reshuffle the generated files. Unlisted keys follow, alphabetically.
const KEYWORD_ORDER: readonly (keyof JSONSchemaProps)[] = [
  'description',
  'type',
  'format',
  'enum',
  'default',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'items',
  'additionalProperties',
  'properties',
  'required',
];

/** A copy of the schema with keywords in KEYWORD_ORDER and properties sorted by name, as controller-gen writes them. */
export function canonicalSchema(schema: JSONSchemaProps): JSONSchemaProps {
  const rank = (key: string): number => {
    const i = (KEYWORD_ORDER as readonly string[]).indexOf(key);
    return i === -1 ? KEYWORD_ORDER.length : i;
  };
  const keys = Object.keys(schema).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value: unknown = schema[key as keyof JSONSchemaProps];
    if (value === undefined) continue;
    if (key === 'properties') {
      const props = value as Record<string, JSONSchemaProps>;
      out[key] = Object.fromEntries(
        Object.keys(props)
          .sort()
          .map((name) => [name, canonicalSchema(props[name] as JSONSchemaProps)]),
      );
    } else if (key === 'items' || key === 'additionalProperties') {
      out[key] = canonicalSchema(value as JSONSchemaProps);
    } else if (Array.isArray(value)) {
      out[key] = [...(value as unknown[])];
    } else {
      out[key] = value;
    }
  }
  return out as JSONSchemaProps;
}

/** The whole object's schema: the kind's spec (required) and status under the usual envelope. */
export function rootSchema(kind: KindInfo): JSONSchemaProps {
  const properties: Record<string, JSONSchemaProps> = {
    apiVersion: {
      type: 'string',
      description: 'The versioned schema of this object; servers convert recognised schemas to the latest internal value.',
    },
    kind: { type: 'string', description: 'The REST resource this object represents, in CamelCase.' },
    metadata: { type: 'object' },
    spec: kind.spec.json,
  };
  if (kind.status !== undefined) properties['status'] = kind.status.json;
  return canonicalSchema({ type: 'object', description: kind.description, properties, required: ['spec'] });
}

export function crdFor(kind: KindInfo): CustomResourceDefinition {
  const version: CRDVersion = {
    name: VERSION,
    served: true,
    storage: true,
    ...(kind.status !== undefined ? { subresources: { status: {} } } : {}),
    additionalPrinterColumns: kind.printerColumns.map(printerColumn),
    schema: { openAPIV3Schema: rootSchema(kind) },
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${kind.plural}.${GROUP}` },
    spec: {
      group: GROUP,
      names: {
        kind: kind.kind,
        listKind: `${kind.kind}List`,
        plural: kind.plural,
        singular: kind.singular,
        ...(kind.shortNames.length > 0 ? { shortNames: [...kind.shortNames] } : {}),
        categories: ['headland'],
      },
      scope: kind.scope,
      versions: [version],
    },
  };
}

// Fixed field order, and no undefined keys (the YAML would print them as null).
function printerColumn(column: PrinterColumn): PrinterColumn {
  return {
    name: column.name,
    type: column.type,
    jsonPath: column.jsonPath,
    ...(column.description !== undefined ? { description: column.description } : {}),
    ...(column.priority !== undefined ? { priority: column.priority } : {}),
  };
}

/** The file a kind's CRD is written to, named as controller-gen names them. */
export function crdFileName(kind: KindInfo): string {
  return `${GROUP}_${kind.plural}.yaml`;
}

export function renderCRD(kind: KindInfo): string {
  const header = [
    `# Generated from the ${kind.kind} kind in api/src/kinds/ by \`${GEN_COMMAND}\` (api/src/gen/crd.ts).`,
    '# Do not edit: change the kind in api/src/ and run the command again.',
  ].join('\n');
  // lineWidth 0: descriptions stay on one line, so a changed word is a one-line diff.
  return `${header}\n${stringify(crdFor(kind), { lineWidth: 0 })}`;
}

/** Every kind's CRD as YAML, by file name, in CRD_KINDS order. */
export function renderCRDs(kinds: readonly KindInfo[] = CRD_KINDS): Map<string, string> {
  return new Map(kinds.map((kind) => [crdFileName(kind), renderCRD(kind)]));
}
