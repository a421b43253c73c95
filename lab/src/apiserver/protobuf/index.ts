// Kubernetes protobuf for the built-in kinds, for the request path: decode a body kubectl's typed
// clients send, encode an object for a client that accepts protobuf. Everything else here is internal.

export { decodeK8sProtobuf, encodeK8sProtobuf, readEnvelope, PROTOBUF_MAGIC, PROTOBUF_MEDIA_TYPE, type DecodedObject, type DecodeOptions } from './envelope.js';
export { ProtobufError, ProtobufErrorReason } from './errors.js';
export { messageForKind, protobufKinds } from './kinds.js';
export type { WriteOptions } from './from-json.js';
export type { ReadOptions } from './wire-read.js';
