import { ApiError } from './errors.js';
import { decodeBody } from './http-io.js';

test.each([
  ['{"a":1}', 'application/json', { a: 1 }],
  ['{"a":1}', 'application/merge-patch+json', { a: 1 }],
  ['a: 1\nb: [x]\n', 'application/yaml', { a: 1, b: ['x'] }],
])('%s as %s', (text, media, expected) => {
  expect(decodeBody(text, media)).toEqual(expected);
});

test.each([
  ['{"a":', 'application/json', 400, 'not valid JSON'],
  ['a: [', 'application/yaml', 400, 'not valid YAML'],
  ['  ', 'application/json', 400, 'empty'],
  ['k8s\0', 'application/vnd.kubernetes.protobuf', 415, 'unknown format (application/vnd.kubernetes.protobuf)'],
])('%j as %s is refused', (text, media, code, message) => {
  try {
    decodeBody(text, media);
    throw new Error('accepted');
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).code).toBe(code);
    expect((e as ApiError).message).toContain(message);
  }
});
