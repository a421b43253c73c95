import fc from 'fast-check';
import protobuf from 'protobufjs';
import { decodeK8sProtobuf, encodeK8sProtobuf, readEnvelope, type DecodeOptions } from './envelope.js';
import { ProtobufError, type ProtobufErrorReason } from './errors.js';
import { readFixture } from './kubectl-cases.js';

const MAGIC = '6b387300';

/** A body around `rawHex` with the given envelope fields (field numbers of runtime.Unknown and TypeMeta). */
function body(apiVersion: string, kind: string, rawHex: string, contentEncoding = '', contentType = ''): Buffer {
  const w = protobuf.Writer.create();
  w.uint32(0x0a).fork().uint32(0x0a).string(apiVersion).uint32(0x12).string(kind).ldelim();
  w.uint32(0x12).bytes(Buffer.from(rawHex, 'hex'));
  w.uint32(0x1a).string(contentEncoding).uint32(0x22).string(contentType);
  return Buffer.concat([Buffer.from(MAGIC, 'hex'), w.finish()]);
}

function failure(run: () => unknown): { reason: ProtobufErrorReason; message: string } | 'no error' {
  try {
    run();
    return 'no error';
  } catch (e) {
    if (!(e instanceof ProtobufError)) throw e;
    return { reason: e.reason, message: e.message };
  }
}

const hex = (h: string): Buffer => Buffer.from(h, 'hex');

/** Hex of one field: a varint, or length-delimited bytes (given as hex) or text. */
function varint(no: number, v: number): string {
  return Buffer.from(protobuf.Writer.create().uint32(no << 3).int64(v).finish()).toString('hex');
}
function ld(no: number, innerHex: string): string {
  return Buffer.from(protobuf.Writer.create().uint32((no << 3) | 2).bytes(Buffer.from(innerHex, 'hex')).finish()).toString('hex');
}
function text(no: number, s: string): string {
  return ld(no, Buffer.from(s, 'utf8').toString('hex'));
}

// [what, body, options, reason, start of the message]
const DECODE: [string, Buffer, DecodeOptions, ProtobufErrorReason, string][] = [
  ['no bytes', hex(''), {}, 'Empty', 'protobuf: empty data'],
  ['JSON instead of protobuf', Buffer.from('{"kind":"Namespace"}'), {}, 'BadMagic', 'protobuf: provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]'],
  ['three bytes of the prefix', hex('6b3873'), {}, 'BadMagic', 'protobuf: provided data does not appear'],
  ['the prefix alone', hex(MAGIC), {}, 'Empty', 'protobuf: empty body'],
  ['an envelope cut inside typeMeta', hex(`${MAGIC}0a0f0a0276`), {}, 'Truncated', 'protobuf: (envelope): k8s.io.apimachinery.pkg.runtime.Unknown ends in the middle'],
  ['an envelope length running past the end', hex(`${MAGIC}12ff01`), {}, 'Truncated', 'protobuf: (envelope)'],
  ['a varint longer than ten bytes', body('v1', 'Namespace', ld(1, `38${'ff'.repeat(10)}01`)), {}, 'Malformed', 'protobuf: metadata: k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta: invalid varint'],
  ['field number 0', hex(`${MAGIC}0200`), {}, 'Malformed', 'protobuf: (envelope): field number 0 is not allowed'],
  ['a group (wire type 3)', hex(`${MAGIC}0b`), {}, 'Malformed', 'protobuf: (envelope): wire type 3 of field 1'],
  ['an unknown field in the envelope', hex(`${MAGIC}2a00`), {}, 'UnknownField', 'protobuf: (envelope): k8s.io.apimachinery.pkg.runtime.Unknown has no field 5'],
  ['an unknown kind', body('apps/v1', 'Foo', ''), {}, 'UnknownKind', 'protobuf: no kind "Foo" is registered for version "apps/v1"'],
  ['a custom resource', body('headland.io/v1alpha1', 'IPAddressPool', ''), {}, 'UnknownKind', 'protobuf: no kind "IPAddressPool" is registered for version "headland.io/v1alpha1"'],
  ['a compressed body', body('v1', 'Namespace', '', 'gzip'), {}, 'UnsupportedEncoding', 'protobuf: (envelope): content encoding "gzip" is not supported'],
  ['a JSON body in the envelope', body('v1', 'Namespace', '', '', 'application/json'), {}, 'UnsupportedEncoding', 'protobuf: (envelope): content type "application/json" is not protobuf'],
  ['no kind and no default', body('v1', '', ''), {}, 'MissingKind', "protobuf: Object 'Kind' is missing"],
  ['no apiVersion and no default', body('', 'Namespace', ''), { defaults: { kind: 'Namespace' } }, 'MissingKind', "protobuf: Object 'apiVersion' is missing"],
  ['metadata sent as a varint', body('v1', 'Namespace', '0801'), {}, 'WrongWireType', 'protobuf: k8s.io.api.core.v1.Namespace field 1 (metadata) arrived with wire type 0, expected 2'],
  ['a name sent as a varint', body('v1', 'Namespace', ld(1, varint(1, 1))), {}, 'WrongWireType', 'protobuf: metadata: k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta field 1 (name) arrived with wire type 0, expected 2'],
  ['replicas sent as bytes', body('apps/v1', 'Deployment', ld(2, ld(1, '01'))), {}, 'WrongWireType', 'protobuf: spec: k8s.io.api.apps.v1.DeploymentSpec field 1 (replicas) arrived with wire type 2'],
  ['a fixed64 where a string belongs', body('v1', 'Secret', '190000000000000000'), {}, 'WrongWireType', 'protobuf: k8s.io.api.core.v1.Secret field 3 (type) arrived with wire type 1'],
  ['a field we do not declare (PodSpec.ephemeralContainers)', body('v1', 'Pod', ld(2, ld(34, ''))), {}, 'UnknownField', 'protobuf: spec: k8s.io.api.core.v1.PodSpec has no field 34'],
  ['an object cut in the middle', body('v1', 'Namespace', ld(1, '0a0464')), {}, 'Truncated', 'protobuf: metadata: k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta ends in the middle'],
  ['a map entry with a third field', body('v1', 'ConfigMap', ld(2, text(3, 'keys'))), {}, 'Malformed', 'protobuf: data: map entry has field 3'],
  ['an IntOrString of type 7', body('v1', 'Service', ld(2, ld(1, ld(4, varint(1, 7))))), {}, 'InvalidValue', 'protobuf: spec.ports[0].targetPort: IntOrString has impossible type 7'],
  ['a quantity that is no quantity', body('v1', 'Pod', ld(2, ld(2, ld(8, ld(1, text(1, 'cpu') + ld(2, text(1, 'x'))))))), {}, 'InvalidValue', 'protobuf: spec.containers[0].resources.limits["cpu"]: quantity "x"'],
  ['a time past year 9999', body('v1', 'Namespace', ld(1, ld(8, varint(1, 300_000_000_000)))), {}, 'InvalidValue', 'protobuf: metadata.creationTimestamp: time of'],
  ['managedFields whose fieldsV1 is not JSON', body('v1', 'Namespace', ld(1, ld(17, ld(7, text(1, '{'))))), {}, 'InvalidValue', 'protobuf: metadata.managedFields[0].fieldsV1: fieldsV1 does not hold JSON'],
];

test.each(DECODE)('%s', (_what, bytes, opts, reason, message) => {
  const got = failure(() => decodeK8sProtobuf(bytes, opts));
  expect(got).toMatchObject({ reason });
  expect(got === 'no error' ? got : got.message.slice(0, message.length)).toBe(message);
});

// [what, body, options, decoded fields]
const ACCEPTED: [string, Buffer, DecodeOptions, object][] = [
  ['the URL stands in for an empty kind and apiVersion', body('', '', ld(1, text(1, 'x'))), { defaults: { apiVersion: 'v1', kind: 'Namespace' } }, { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'x' } }],
  ['the envelope wins over the defaults', body('v1', 'ConfigMap', ''), { defaults: { apiVersion: 'v1', kind: 'Secret' } }, { kind: 'ConfigMap' }],
  ['the protobuf content type is accepted', body('v1', 'Namespace', '', '', 'application/vnd.kubernetes.protobuf'), {}, { kind: 'Namespace' }],
  ['unknown fields can be skipped on request', body('v1', 'Pod', ld(2, ld(34, ''))), { unknownFields: 'skip' }, { kind: 'Pod', spec: { containers: null } }],
  ['a message field sent twice is merged', body('v1', 'Namespace', ld(1, text(1, 'x')) + ld(1, text(2, 'y'))), {}, { metadata: { name: 'x', generateName: 'y' } }],
  ['a scalar sent twice keeps the last', body('v1', 'Namespace', ld(1, text(1, 'a') + text(1, 'b'))), {}, { metadata: { name: 'b' } }],
  ['packed repeated varints are read', body('v1', 'Pod', ld(2, ld(14, ld(4, '0102')))), {}, { spec: { securityContext: { supplementalGroups: [1, 2] } } }],
];

test.each(ACCEPTED)('%s', (_what, bytes, opts, want) => {
  expect(decodeK8sProtobuf(bytes, opts).object).toMatchObject(want);
});

const deployment = readFixture('deployment').body;

/** Length of the envelope's raw field (tag, length, bytes) in the deployment fixture. */
function rawFieldLength(): number {
  return ld(2, Buffer.from(readEnvelope(deployment).raw).toString('hex')).length / 2;
}

test('every truncation of a real body fails with a ProtobufError, except cuts between the envelope\'s fields', () => {
  const outcomes = new Set<string>();
  for (let n = 0; n < deployment.length; n++) {
    const got = failure(() => decodeK8sProtobuf(deployment.subarray(0, n)));
    outcomes.add(got === 'no error' ? `decoded at ${deployment.length - n} bytes short` : got.reason);
  }
  // Protobuf fields are all optional: a cut before raw is an empty Deployment, and the last four bytes
  // (empty contentEncoding and contentType) carry nothing. Every other cut lands inside a field.
  const beforeRaw = rawFieldLength() + 4;
  expect([...outcomes].sort()).toEqual(['BadMagic', 'Empty', 'Truncated', `decoded at ${beforeRaw} bytes short`, 'decoded at 2 bytes short', 'decoded at 4 bytes short'].sort());
});

test('random bytes after the prefix give a ProtobufError or an object, never another exception', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (tail) => {
      const got = failure(() => decodeK8sProtobuf(Buffer.concat([Buffer.from(MAGIC, 'hex'), tail])));
      return got === 'no error' || typeof got.reason === 'string';
    }),
    { numRuns: 2000, seed: 1 },
  );
});

test('a real body with one byte changed gives a ProtobufError or an object, never another exception', () => {
  fc.assert(
    fc.property(fc.nat(deployment.length - 1), fc.integer({ min: 0, max: 255 }), (at, value) => {
      const copy = Buffer.from(deployment);
      copy[at] = value;
      const got = failure(() => decodeK8sProtobuf(copy));
      return got === 'no error' || typeof got.reason === 'string';
    }),
    { numRuns: 3000, seed: 2 },
  );
});

// [what, object, options, reason, start of the message]
const ENCODE: [string, object, { unknownFields?: 'skip' }, ProtobufErrorReason, string][] = [
  ['no kind', { apiVersion: 'v1', metadata: {} }, {}, 'MissingKind', "protobuf: Object 'Kind' is missing"],
  ['no apiVersion', { kind: 'Namespace' }, {}, 'MissingKind', "protobuf: Object 'apiVersion' is missing"],
  ['a kind without protobuf', { kind: 'IPAddressPool', apiVersion: 'headland.io/v1alpha1' }, {}, 'UnknownKind', 'protobuf: no kind "IPAddressPool" is registered for version "headland.io/v1alpha1"'],
  ['a top-level key the kind lacks', { kind: 'Namespace', apiVersion: 'v1', data: {} }, {}, 'UnknownField', 'protobuf: k8s.io.api.core.v1.Namespace has no field "data"'],
  ['a nested key we do not declare', { kind: 'Pod', apiVersion: 'v1', spec: { ephemeralContainers: [] } }, {}, 'UnknownField', 'protobuf: spec: k8s.io.api.core.v1.PodSpec has no field "ephemeralContainers"'],
  ['a port given as a string', { kind: 'Service', apiVersion: 'v1', spec: { ports: [{ port: '80' }] } }, {}, 'InvalidValue', 'protobuf: spec.ports[0].port: expected a 32-bit integer, got "80"'],
  ['a port past 32 bits', { kind: 'Service', apiVersion: 'v1', spec: { ports: [{ port: 2 ** 31 }] } }, {}, 'InvalidValue', 'protobuf: spec.ports[0].port: expected a 32-bit integer'],
  ['secret data that is not base64', { kind: 'Secret', apiVersion: 'v1', data: { k: 'not base64!' } }, {}, 'InvalidValue', 'protobuf: data["k"]: expected base64 text'],
  ['a time that is not RFC 3339', { kind: 'Namespace', apiVersion: 'v1', metadata: { creationTimestamp: 'yesterday' } }, {}, 'InvalidValue', 'protobuf: metadata.creationTimestamp: "yesterday" is not an RFC 3339 time'],
  ['the 30th of February', { kind: 'Namespace', apiVersion: 'v1', metadata: { creationTimestamp: '2025-02-30T00:00:00Z' } }, {}, 'InvalidValue', 'protobuf: metadata.creationTimestamp: "2025-02-30T00:00:00Z" is not a valid date'],
  ['labels as a list', { kind: 'Namespace', apiVersion: 'v1', metadata: { labels: ['a'] } }, {}, 'InvalidValue', 'protobuf: metadata.labels: expected an object'],
  ['ports as an object', { kind: 'Service', apiVersion: 'v1', spec: { ports: {} } }, {}, 'InvalidValue', 'protobuf: spec.ports: expected a list'],
  ['a quantity that is no quantity', { kind: 'Pod', apiVersion: 'v1', spec: { containers: [{ name: 'c', resources: { limits: { cpu: 'lots' } } }] } }, {}, 'InvalidValue', 'protobuf: spec.containers[0].resources.limits["cpu"]: "lots" is not a quantity'],
  ['a targetPort that is neither', { kind: 'Service', apiVersion: 'v1', spec: { ports: [{ port: 1, targetPort: true }] } }, {}, 'InvalidValue', 'protobuf: spec.ports[0].targetPort: true is neither'],
];

test.each(ENCODE)('encode: %s', (_what, object, opts, reason, message) => {
  const got = failure(() => encodeK8sProtobuf(object as never, opts));
  expect(got).toMatchObject({ reason });
  expect(got === 'no error' ? got : got.message.slice(0, message.length)).toBe(message);
});

test('encode: unknown keys can be left out on request', () => {
  const bytes = encodeK8sProtobuf({ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'p' }, spec: { ephemeralContainers: [] } }, { unknownFields: 'skip' });
  expect(decodeK8sProtobuf(bytes).object).toEqual({ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'p', creationTimestamp: null }, spec: { containers: null }, status: {} });
});
