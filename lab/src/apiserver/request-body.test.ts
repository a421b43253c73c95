import { acceptsOnlyProtobuf } from './request-body.js';

test.each<[string | undefined, boolean]>([
  [undefined, false],
  ['', false],
  ['application/json', false],
  ['application/vnd.kubernetes.protobuf', true],
  ['application/vnd.kubernetes.protobuf;q=0.9', true],
  ['application/vnd.kubernetes.protobuf, application/json', false],
  ['application/vnd.kubernetes.protobuf,*/*', false],
  ['application/json;as=Table;g=meta.k8s.io;v=v1, application/json', false],
  ['application/yaml', false],
  ['application/vnd.kubernetes.protobuf, application/apply-patch+yaml', true],
])('Accept %j: protobuf only %s', (accept, only) => {
  expect(acceptsOnlyProtobuf(accept)).toBe(only);
});
