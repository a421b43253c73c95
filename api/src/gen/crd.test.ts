import { parse } from 'yaml';
import { ALL_KINDS, CRD_KINDS, type KindInfo } from '../kinds/index.js';
import { boolean, integer, object, optional, string, type JSONSchemaProps } from '../schema/builder.js';
import { validateSchema } from '../schema/validate.js';
import { canonicalSchema, crdFileName, crdFor, GEN_COMMAND, renderCRD, renderCRDs } from './crd.js';

const noStatusKind: KindInfo = {
  kind: 'Widget',
  plural: 'widgets',
  singular: 'widget',
  shortNames: [],
  scope: 'Cluster',
  description: 'A test kind without status.',
  spec: object({ size: integer({ minimum: 1 }), name: optional(string()) }),
  status: undefined,
  printerColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size', description: 'How big.' }],
};

/** Every schema node, with its path from the root, for structural checks. */
function* nodes(schema: JSONSchemaProps, path = ''): Generator<[string, JSONSchemaProps]> {
  yield [path, schema];
  for (const [name, child] of Object.entries(schema.properties ?? {})) yield* nodes(child, `${path}.${name}`);
  if (schema.items !== undefined) yield* nodes(schema.items, `${path}[]`);
  if (schema.additionalProperties !== undefined) yield* nodes(schema.additionalProperties, `${path}{}`);
}

describe('crdFor', () => {
  test.each(CRD_KINDS.map((k) => [k.kind, k] as const))('%s: names, scope and version', (_name, kind) => {
    const crd = crdFor(kind);
    expect(crd.metadata.name).toBe(`${kind.plural}.headland.io`);
    expect(crd.spec.group).toBe('headland.io');
    expect(crd.spec.scope).toBe(kind.scope);
    expect(crd.spec.names).toMatchObject({ kind: kind.kind, listKind: `${kind.kind}List`, plural: kind.plural, singular: kind.singular, categories: ['headland'] });
    expect(crd.spec.versions).toHaveLength(1);
    expect(crd.spec.versions[0]).toMatchObject({ name: 'v1beta1', served: true, storage: true, subresources: { status: {} } });
    const root = crd.spec.versions[0]?.schema.openAPIV3Schema;
    expect(root?.required).toEqual(['spec']);
    expect(Object.keys(root?.properties ?? {}).sort()).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    expect(root?.properties?.['metadata']).toEqual({ type: 'object' });
  });

  test('a kind without status gets no status subresource and no status schema', () => {
    const version = crdFor(noStatusKind).spec.versions[0];
    expect(version?.subresources).toBeUndefined();
    expect(version?.schema.openAPIV3Schema.properties?.['status']).toBeUndefined();
    expect(crdFor(noStatusKind).spec.scope).toBe('Cluster');
  });

  test('shortNames are left out when there are none, kept when there are', () => {
    expect(crdFor(noStatusKind).spec.names.shortNames).toBeUndefined();
    const pool = ALL_KINDS.find((k) => k.kind === 'IPAddressPool');
    expect(pool && crdFor(pool).spec.names.shortNames).toEqual(['ipool']);
  });

  test('printer columns carry over, optional fields only when set', () => {
    expect(crdFor(noStatusKind).spec.versions[0]?.additionalPrinterColumns).toEqual([{ name: 'Size', type: 'integer', jsonPath: '.spec.size', description: 'How big.' }]);
    const peer = ALL_KINDS.find((k) => k.kind === 'BGPPeer');
    const columns = peer ? crdFor(peer).spec.versions[0]?.additionalPrinterColumns : [];
    expect(columns?.find((c) => c.name === 'Age')).toEqual({ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' });
  });
});

// What the API server demands of a structural schema with defaults, checked here so a bad
// kind fails in a unit test rather than at `kubectl apply`.
describe.each(CRD_KINDS.map((k) => [k.kind, k] as const))('%s schema is structural', (_name, kind) => {
  const root = crdFor(kind).spec.versions[0]?.schema.openAPIV3Schema ?? {};
  const all = [...nodes(root)];

  test('every node has a type', () => {
    const untyped = all.filter(([, s]) => s.type === undefined && s['x-kubernetes-int-or-string'] !== true && s['x-kubernetes-preserve-unknown-fields'] !== true);
    expect(untyped.map(([p]) => p)).toEqual([]);
  });

  test('no node has both properties and additionalProperties', () => {
    expect(all.filter(([, s]) => s.properties !== undefined && s.additionalProperties !== undefined).map(([p]) => p)).toEqual([]);
  });

  test('every required name is a property', () => {
    const missing = all.flatMap(([p, s]) => (s.required ?? []).filter((r) => !(r in (s.properties ?? {}))).map((r) => `${p}.${r}`));
    expect(missing).toEqual([]);
  });

  test('every default passes its own schema (the API server refuses the CRD otherwise)', () => {
    const bad = all.flatMap(([p, s]) => (s.default === undefined ? [] : validateSchema(s, s.default, p)));
    expect(bad).toEqual([]);
  });

  test('every printer column points at a field of the schema', () => {
    const known = new Set(all.map(([p]) => p));
    known.add('.metadata.creationTimestamp');
    const dangling = kind.printerColumns.map((c) => c.jsonPath).filter((jp) => !known.has(jp));
    expect(dangling).toEqual([]);
  });
});

describe('canonicalSchema', () => {
  test('keyword and property order do not depend on how the schema was built', () => {
    const a: JSONSchemaProps = { type: 'object', required: ['b'], properties: { b: { maximum: 3, type: 'integer', minimum: 1 }, a: { type: 'string' } }, description: 'x' };
    const b: JSONSchemaProps = { description: 'x', properties: { a: { type: 'string' }, b: { type: 'integer', minimum: 1, maximum: 3 } }, type: 'object', required: ['b'] };
    expect(JSON.stringify(canonicalSchema(a))).toBe(JSON.stringify(canonicalSchema(b)));
    expect(Object.keys(canonicalSchema(a))).toEqual(['description', 'type', 'properties', 'required']);
    expect(Object.keys(canonicalSchema(a).properties ?? {})).toEqual(['a', 'b']);
  });

  test('does not change the schema it is given', () => {
    const schema = object({ z: boolean(), a: optional(string()) }).json;
    const before = JSON.stringify(schema);
    canonicalSchema(schema);
    expect(JSON.stringify(schema)).toBe(before);
  });

  test('a "__proto__" property name stays a property', () => {
    const schema = JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"}}}') as JSONSchemaProps;
    expect(Object.hasOwn(canonicalSchema(schema).properties ?? {}, '__proto__')).toBe(true);
  });
});

describe('renderCRDs', () => {
  test('one file per kind, named group_plural.yaml, in CRD_KINDS order', () => {
    expect([...renderCRDs().keys()]).toEqual(CRD_KINDS.map((k) => `headland.io_${k.plural}.yaml`));
    expect(crdFileName(noStatusKind)).toBe('headland.io_widgets.yaml');
  });

  test('each file says it is generated and by which command, then parses back to crdFor', () => {
    for (const kind of CRD_KINDS) {
      const text = renderCRDs().get(crdFileName(kind)) ?? '';
      expect(text.startsWith(`# Generated from the ${kind.kind} kind`)).toBe(true);
      expect(text.split('\n').slice(0, 3).join('\n')).toContain(`\`${GEN_COMMAND}\``);
      expect(parse(text)).toEqual(JSON.parse(JSON.stringify(crdFor(kind))));
    }
  });

  test('rendering is deterministic', () => {
    expect(renderCRD(noStatusKind)).toBe(renderCRD(noStatusKind));
    expect([...renderCRDs([noStatusKind]).values()]).toEqual([renderCRD(noStatusKind)]);
  });

  test('long descriptions stay on one line', () => {
    const long: KindInfo = { ...noStatusKind, description: 'word '.repeat(40).trim() };
    expect(renderCRD(long)).toContain(`description: ${'word '.repeat(40).trim()}\n`);
  });
});
