// The Kubernetes protobuf body: the `k8s\0` prefix, then a runtime.Unknown naming apiVersion/kind around
// the object's own bytes. Decoding yields the JSON object the JSON API would carry; encoding is the reverse.

import { isObject, type JsonObject } from '../json.js';
import { ProtobufError, ProtobufErrorReason } from './errors.js';
import { jsonToMessage, type WriteOptions } from './from-json.js';
import { messageForKind } from './kinds.js';
import { messageSpec } from './schema.js';
import { messageToJson } from './to-json.js';
import type { ReadOptions } from './wire-read.js';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';
export const PROTOBUF_MAGIC: Readonly<Uint8Array> = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

const UNKNOWN = 'k8s.io.apimachinery.pkg.runtime.Unknown';

export interface DecodedObject {
  apiVersion: string;
  kind: string;
  /** The object as JSON, `kind` and `apiVersion` included. */
  object: JsonObject;
}

export interface DecodeOptions extends ReadOptions {
  /** Stands in for an empty apiVersion or kind in the envelope, as the request URL does upstream. */
  defaults?: { apiVersion?: string; kind?: string };
}

function field(o: unknown, key: string): string {
  return isObject(o) && typeof o[key] === 'string' ? o[key] : '';
}

/** Reads the envelope only: names and raw bytes, without touching the object inside. */
export function readEnvelope(bytes: Uint8Array, opts: ReadOptions = {}): { apiVersion: string; kind: string; raw: Uint8Array } {
  if (bytes.length === 0) throw new ProtobufError(ProtobufErrorReason.Empty, 'empty data');
  if (bytes.length < PROTOBUF_MAGIC.length || PROTOBUF_MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new ProtobufError(ProtobufErrorReason.BadMagic, `provided data does not appear to be a protobuf message, expected prefix [${PROTOBUF_MAGIC.join(' ')}]`);
  }
  if (bytes.length === PROTOBUF_MAGIC.length) throw new ProtobufError(ProtobufErrorReason.Empty, 'empty body');
  const unknown = messageSpec(UNKNOWN);
  const env = messageToJson(unknown, bytes.subarray(PROTOBUF_MAGIC.length), '(envelope)', opts);
  const encoding = field(env, 'contentEncoding');
  if (encoding !== '') throw new ProtobufError(ProtobufErrorReason.UnsupportedEncoding, `content encoding ${JSON.stringify(encoding)} is not supported`, '(envelope)');
  const type = field(env, 'contentType');
  if (type !== '' && type !== PROTOBUF_MEDIA_TYPE) throw new ProtobufError(ProtobufErrorReason.UnsupportedEncoding, `content type ${JSON.stringify(type)} is not protobuf`, '(envelope)');
  const typeMeta = isObject(env) ? env['typeMeta'] : undefined;
  return { apiVersion: field(typeMeta, 'apiVersion'), kind: field(typeMeta, 'kind'), raw: Buffer.from(field(env, 'raw'), 'base64') };
}

/** Decodes a `application/vnd.kubernetes.protobuf` body into the JSON object it stands for. */
export function decodeK8sProtobuf(bytes: Uint8Array, opts: DecodeOptions = {}): DecodedObject {
  const env = readEnvelope(bytes, opts);
  const kind = env.kind !== '' ? env.kind : (opts.defaults?.kind ?? '');
  const apiVersion = env.apiVersion !== '' ? env.apiVersion : (opts.defaults?.apiVersion ?? '');
  if (kind === '') throw new ProtobufError(ProtobufErrorReason.MissingKind, "Object 'Kind' is missing in the protobuf envelope");
  if (apiVersion === '') throw new ProtobufError(ProtobufErrorReason.MissingKind, "Object 'apiVersion' is missing in the protobuf envelope");
  const spec = messageForKind(apiVersion, kind);
  if (spec === undefined) throw new ProtobufError(ProtobufErrorReason.UnknownKind, `no kind ${JSON.stringify(kind)} is registered for version ${JSON.stringify(apiVersion)}`);
  const body = messageToJson(spec, env.raw, '', opts);
  return { apiVersion, kind, object: { kind, apiVersion, ...(isObject(body) ? body : {}) } };
}

/** Encodes a JSON object of a kind `messageForKind` knows as a protobuf body, byte for byte as a Go client would. */
export function encodeK8sProtobuf(object: JsonObject, opts: WriteOptions = {}): Uint8Array {
  const apiVersion = object['apiVersion'];
  const kind = object['kind'];
  if (typeof kind !== 'string' || kind === '') throw new ProtobufError(ProtobufErrorReason.MissingKind, "Object 'Kind' is missing");
  if (typeof apiVersion !== 'string' || apiVersion === '') throw new ProtobufError(ProtobufErrorReason.MissingKind, "Object 'apiVersion' is missing");
  const spec = messageForKind(apiVersion, kind);
  if (spec === undefined) throw new ProtobufError(ProtobufErrorReason.UnknownKind, `no kind ${JSON.stringify(kind)} is registered for version ${JSON.stringify(apiVersion)}`);
  return wrapEnvelope(apiVersion, kind, jsonToMessage(spec, object, opts));
}

/** The body for a message's bytes already written: the prefix and a runtime.Unknown naming apiVersion/kind. */
export function wrapEnvelope(apiVersion: string, kind: string, raw: Uint8Array): Uint8Array {
  const envelope = jsonToMessage(messageSpec(UNKNOWN), {
    typeMeta: { apiVersion, kind },
    raw: Buffer.from(raw).toString('base64'),
    contentEncoding: '',
    contentType: '',
  });
  const out = new Uint8Array(PROTOBUF_MAGIC.length + envelope.length);
  out.set(PROTOBUF_MAGIC, 0);
  out.set(envelope, PROTOBUF_MAGIC.length);
  return out;
}
