// The one error this folder throws, with a reason the request path can map to an HTTP answer
// (UnknownKind and UnsupportedEncoding mean 415; the rest mean a bad body) and the field path where it went wrong.

export const ProtobufErrorReason = {
  /** The body does not start with the 4-byte `k8s\0` prefix. */
  BadMagic: 'BadMagic',
  /** Nothing after the prefix, or nothing at all. */
  Empty: 'Empty',
  /** A length or varint runs past the end of its message. */
  Truncated: 'Truncated',
  /** Bytes that are no protobuf: a bad tag, an overlong varint, a group. */
  Malformed: 'Malformed',
  /** A known field arrived with a wire type its declared type cannot have. */
  WrongWireType: 'WrongWireType',
  /** A field number (or JSON key) our declarations do not have: refused rather than silently dropped. */
  UnknownField: 'UnknownField',
  /** The envelope's apiVersion/kind has no message here. */
  UnknownKind: 'UnknownKind',
  /** The envelope's kind or apiVersion is empty and no default was given. */
  MissingKind: 'MissingKind',
  /** The envelope says its raw bytes are compressed or not protobuf. */
  UnsupportedEncoding: 'UnsupportedEncoding',
  /** A value that cannot stand for its field: a bad time, a bad quantity, a JSON type mismatch. */
  InvalidValue: 'InvalidValue',
} as const;
export type ProtobufErrorReason = (typeof ProtobufErrorReason)[keyof typeof ProtobufErrorReason];

export class ProtobufError extends Error {
  override readonly name = 'ProtobufError';
  constructor(
    readonly reason: ProtobufErrorReason,
    readonly detail: string,
    /** Where in the object, JSON style (`spec.ports[0].targetPort`); empty at the top. */
    readonly path = '',
  ) {
    super(`protobuf: ${path === '' ? '' : `${path}: `}${detail}`);
  }
}
