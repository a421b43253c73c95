import { ApiError } from '../errors.js';
import { negotiate, parseAccept, type ServedMediaType } from './accept.js';

const KUBECTL_GET = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const BUILTIN: ServedMediaType[] = [
  { mediaType: 'application/json', stream: true },
  { mediaType: 'application/yaml', stream: false },
  { mediaType: 'application/vnd.kubernetes.protobuf', stream: true },
];
const CUSTOM: ServedMediaType[] = [
  { mediaType: 'application/json', stream: true },
  { mediaType: 'application/yaml', stream: false },
  { mediaType: 'application/vnd.kubernetes.protobuf', stream: true, standard: false },
];

describe('parseAccept (goautoneg)', () => {
  test.each([
    ['application/json', [['application', 'json', 1]]],
    ['  application/json ;  q=0.5 ', [['application', 'json', 0.5]]],
    ['*', [['*', '*', 1]]],
    ['text', []],
    ['application/', []],
    ['a/b/c', []],
    ['*/*;q=0.1, application/json', [['application', 'json', 1], ['*', '*', 0.1]]],
    ['*/*, application/json', [['application', 'json', 1], ['*', '*', 1]]],
    ['application/*, application/json', [['application', 'json', 1], ['application', '*', 1]]],
    ['application/yaml;q=0.2,application/json;q=0.9', [['application', 'json', 0.9], ['application', 'yaml', 0.2]]],
    ['application/json;q=x', [['application', 'json', 0]]],
  ])('%s', (header, want) => {
    expect(parseAccept(header).map((c) => [c.type, c.subType, Math.round(c.q * 1000) / 1000])).toEqual(want);
  });

  test('parameters keep their order-free values, trimmed of spaces, and q is not a parameter', () => {
    expect(parseAccept('application/json; g=meta.k8s.io ;as=Table; v=v1;q=0.9;bad;x=1=2')[0]?.params).toEqual({ g: 'meta.k8s.io', as: 'Table', v: 'v1' });
  });
});

describe('negotiate', () => {
  test.each([
    ['kubectl get', KUBECTL_GET, BUILTIN, 'application/json', { kind: 'Table', version: 'v1' }],
    ['parameters in any order, with spaces', 'application/json ; g=meta.k8s.io ; v=v1beta1 ; as=Table', BUILTIN, 'application/json', { kind: 'Table', version: 'v1beta1' }],
    ['q-values reorder the clauses', 'application/json;q=0.5,application/json;as=Table;g=meta.k8s.io;v=v1;q=0.9', BUILTIN, 'application/json', { kind: 'Table', version: 'v1' }],
    ['a Table in YAML', 'application/yaml;as=Table;g=meta.k8s.io;v=v1', BUILTIN, 'application/yaml', { kind: 'Table', version: 'v1' }],
    ['no Table in protobuf: the next clause wins', 'application/vnd.kubernetes.protobuf;as=Table;g=meta.k8s.io;v=v1,application/json', BUILTIN, 'application/json', undefined],
    ['an unknown group is skipped', 'application/json;as=Table;g=example.com;v=v1,application/json', BUILTIN, 'application/json', undefined],
    ['a missing version is skipped', 'application/json;as=Table;g=meta.k8s.io,application/yaml', BUILTIN, 'application/yaml', undefined],
    ['an unknown kind is skipped', 'application/json;as=Thing;g=meta.k8s.io;v=v1,application/json', BUILTIN, 'application/json', undefined],
    ['metadata only', 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1', BUILTIN, 'application/json', { kind: 'PartialObjectMetadataList', version: 'v1' }],
    ['metadata only, as protobuf', 'application/vnd.kubernetes.protobuf;as=PartialObjectMetadata;g=meta.k8s.io;v=v1beta1', BUILTIN, 'application/vnd.kubernetes.protobuf', { kind: 'PartialObjectMetadata', version: 'v1beta1' }],
    ['client-go typed clients', 'application/vnd.kubernetes.protobuf, */*', BUILTIN, 'application/vnd.kubernetes.protobuf', undefined],
    ['custom resources are not plain protobuf', 'application/vnd.kubernetes.protobuf, */*', CUSTOM, 'application/json', undefined],
    ['custom resources metadata may be protobuf', 'application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1', CUSTOM, 'application/vnd.kubernetes.protobuf', { kind: 'PartialObjectMetadataList', version: 'v1' }],
    ['a wildcard takes the first served type', '*/*', BUILTIN, 'application/json', undefined],
    ['a wildcard can convert', '*/*;as=Table;g=meta.k8s.io;v=v1', BUILTIN, 'application/json', { kind: 'Table', version: 'v1' }],
    ['application/* takes the first application type', 'text/html,application/*', BUILTIN, 'application/json', undefined],
    ['no header', undefined, BUILTIN, 'application/json', undefined],
    ['an empty header', '', BUILTIN, 'application/json', undefined],
    ['only a wrong server version', 'application/json;sv=v2,application/yaml;sv=v1', BUILTIN, 'application/yaml', undefined],
    ['types are case sensitive', 'Application/JSON,application/yaml', BUILTIN, 'application/yaml', undefined],
  ])('%s', (_, header, served, mediaType, conversion) => {
    expect(negotiate(header, { served })).toEqual({ mediaType, conversion, pretty: false });
  });

  test('pretty=1 is reported', () => {
    expect(negotiate('application/json;pretty=1').pretty).toBe(true);
  });

  test.each([
    ['text/html', {}, 'only the following media types are accepted: application/json'],
    ['application/vnd.kubernetes.protobuf;as=Table;g=meta.k8s.io;v=v1', { served: BUILTIN }, 'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf'],
    ['application/json;stream=chunks', {}, 'only the following media types are accepted: application/json'],
    ['application/yaml', { served: BUILTIN, watch: true }, 'only the following media types are accepted: application/json;stream=watch, application/vnd.kubernetes.protobuf;stream=watch'],
  ])('%s is not acceptable', (header, opts, message) => {
    let caught: unknown;
    try {
      negotiate(header, opts);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ApiError);
    expect(caught).toMatchObject({ code: 406, reason: 'NotAcceptable', message });
  });

  test('a watch may ask for a Table', () => {
    expect(negotiate(KUBECTL_GET, { served: BUILTIN, watch: true })).toEqual({ mediaType: 'application/json', conversion: { kind: 'Table', version: 'v1' }, pretty: false });
  });
});
