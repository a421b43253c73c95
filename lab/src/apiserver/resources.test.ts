import { CrdError, resourceTypeFromCrd } from './resources.js';
import type { JsonObject } from './json.js';

function crd(over: JsonObject = {}, spec: JsonObject = {}): JsonObject {
  return {
    metadata: { name: 'widgets.lab.headland.io' },
    spec: {
      group: 'lab.headland.io',
      scope: 'Cluster',
      names: { plural: 'widgets', kind: 'Widget', shortNames: ['wd'] },
      versions: [
        { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
        { name: 'v1', served: true, storage: true, subresources: { status: {} }, schema: { openAPIV3Schema: { type: 'object' } } },
      ],
      ...spec,
    },
    ...over,
  };
}

test('a CRD becomes a resource type with the storage version first', () => {
  const t = resourceTypeFromCrd(crd());
  expect(t).toMatchObject({ group: 'lab.headland.io', versions: ['v1', 'v1beta1'], plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList', namespaced: false, shortNames: ['wd'], hasStatus: true, crd: 'widgets.lab.headland.io' });
  expect(t.patchMeta).toBeUndefined();
});

test.each([
  ['no spec', { spec: null }, {}, 'spec: Required value'],
  ['name not plural.group', { metadata: { name: 'x' } }, {}, 'metadata.name: Invalid value: "x"'],
  ['bad scope', {}, { scope: 'Galaxy' }, 'spec.scope: Unsupported value: "Galaxy"'],
  ['no versions', {}, { versions: [] }, 'spec.versions: Required value'],
  ['two storage versions', {}, { versions: [{ name: 'a', storage: true, schema: { openAPIV3Schema: {} } }, { name: 'b', storage: true, schema: { openAPIV3Schema: {} } }] }, 'exactly one version marked as storage'],
  ['no schema', {}, { versions: [{ name: 'a', storage: true, served: true }] }, 'spec.versions[0].schema.openAPIV3Schema: Required value'],
  ['no kind', {}, { names: { plural: 'widgets' } }, 'spec.names.kind: Required value'],
  ['bad plural', { metadata: { name: 'Wid.lab.headland.io' } }, { names: { plural: 'Wid', kind: 'W' } }, 'spec.names.plural'],
] as [string, JsonObject, JsonObject, string][])('refused: %s', (_n, over, spec, message) => {
  expect(() => resourceTypeFromCrd(crd(over, spec))).toThrow(CrdError);
  expect(() => resourceTypeFromCrd(crd(over, spec))).toThrow(message);
});
