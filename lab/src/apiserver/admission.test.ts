import { admit, parseFieldValidation, type AdmitContext, type FieldValidation } from './admission.js';
import { ApiError } from './errors.js';
import type { JsonObject } from './json.js';
import { BUILTIN_TYPES, resourceTypeFromCrd } from './resources.js';

const widgetCrd: JsonObject = {
  metadata: { name: 'widgets.lab.headland.io' },
  spec: {
    group: 'lab.headland.io',
    scope: 'Namespaced',
    names: { plural: 'widgets', kind: 'Widget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { n: { type: 'integer', default: 1 } } } } } },
      },
    ],
  },
};
const widgets = resourceTypeFromCrd(widgetCrd);
const builtin = (plural: string, group = '') => BUILTIN_TYPES.find((t) => t.plural === plural && t.group === group)!;

function ctx(fv: FieldValidation): AdmitContext {
  return { fieldValidation: fv, warnings: [] };
}

test.each([
  ['Strict refuses unknown fields', 'Strict', 400, []],
  ['Warn prunes and warns', 'Warn', undefined, ['unknown field "spec.colour"']],
  ['Ignore prunes silently', 'Ignore', undefined, []],
] as [string, FieldValidation, number | undefined, string[]][])('%s', (_n, fv, code, warnings) => {
  const c = ctx(fv);
  const obj = { metadata: { name: 'w' }, spec: { colour: 'red' } };
  if (code !== undefined) {
    expect(() => admit(widgets, obj, c)).toThrow(ApiError);
    expect(() => admit(widgets, obj, c)).toThrow('strict decoding error: unknown field "spec.colour"');
    return;
  }
  expect(admit(widgets, obj, c)['spec']).toEqual({ n: 1 });
  expect(c.warnings).toEqual(warnings);
});

test('schema violations are 422 naming the field', () => {
  try {
    admit(widgets, { metadata: { name: 'w' }, spec: { n: 'x' } }, ctx('Strict'));
    throw new Error('not refused');
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).code).toBe(422);
    expect((e as ApiError).message).toBe('Widget.lab.headland.io "w" is invalid: spec.n: Invalid value: "x": must be an integer');
    expect((e as ApiError).details?.causes).toEqual([{ reason: 'FieldValueInvalid', message: 'Invalid value: "x": must be an integer', field: 'spec.n' }]);
  }
});

test('Service defaults', () => {
  const out = admit(builtin('services'), { metadata: { name: 's' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } }, ctx('Strict'));
  expect(out['spec']).toEqual({ type: 'LoadBalancer', sessionAffinity: 'None', externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true, ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] });
});

test('an ExternalName Service gets no traffic policies and no node port switch', () => {
  const out = admit(builtin('services'), { metadata: { name: 's' }, spec: { type: 'ExternalName', externalName: 'db.example' } }, ctx('Strict'));
  expect(out['spec']).toEqual({ type: 'ExternalName', externalName: 'db.example', sessionAffinity: 'None' });
});

test('EndpointSlice port protocol defaults to TCP', () => {
  const out = admit(builtin('endpointslices', 'discovery.k8s.io'), { metadata: { name: 'e' }, ports: [{ port: 80 }] }, ctx('Strict'));
  expect(out['ports']).toEqual([{ port: 80, protocol: 'TCP' }]);
});

test('a CRD is given an Established status', () => {
  const out = admit(builtin('customresourcedefinitions', 'apiextensions.k8s.io'), widgetCrd, ctx('Strict'));
  const status = out['status'] as JsonObject;
  expect((status['conditions'] as JsonObject[]).map((c) => `${String(c['type'])}=${String(c['status'])}`)).toEqual(['NamesAccepted=True', 'Established=True']);
  expect(status['storedVersions']).toEqual(['v1']);
});

test('a malformed CRD is 422 naming the field', () => {
  expect(() => admit(builtin('customresourcedefinitions', 'apiextensions.k8s.io'), { metadata: { name: 'x' }, spec: { group: 'g' } }, ctx('Strict'))).toThrow('spec.names: Required value');
});

test.each([
  [null, 'Warn'],
  ['Strict', 'Strict'],
  ['Ignore', 'Ignore'],
])('fieldValidation %s', (v, expected) => {
  expect(parseFieldValidation(v)).toBe(expected);
});

test('an unknown fieldValidation is 400', () => {
  expect(() => parseFieldValidation('Loud')).toThrow('fieldValidation must be one of');
});

test('a Namespace is labelled with its own name, whatever the client wrote there', () => {
  const out = admit(builtin('namespaces'), { metadata: { name: 'shop', labels: { team: 'a', 'kubernetes.io/metadata.name': 'other' } } }, ctx('Strict'));
  expect((out['metadata'] as JsonObject)['labels']).toEqual({ team: 'a', 'kubernetes.io/metadata.name': 'shop' });
  expect((admit(builtin('namespaces'), { metadata: { name: 'bare' } }, ctx('Strict'))['metadata'] as JsonObject)['labels']).toEqual({ 'kubernetes.io/metadata.name': 'bare' });
});
