// The one error type of the L2 codecs: which module, which field was wrong and why. The
// responder turns its `reason` into a drop counter, so every reason is a fixed name.

export const WIRE_ERROR_REASONS = [
  'truncated',
  'hardware-type',
  'protocol-type',
  'address-length',
  'ip-version',
  'next-header',
  'payload-length',
  'icmp-type',
  'icmp-code',
  'checksum',
  'option',
  'value',
] as const;
export type WireErrorReason = (typeof WIRE_ERROR_REASONS)[number];

export class L2WireError extends Error {
  override name = 'L2WireError';
  constructor(
    readonly module: string,
    readonly reason: WireErrorReason,
    detail: string,
  ) {
    super(`${module}: ${reason}: ${detail}`);
  }
}

/** Throws a truncated-input error unless `need` bytes are there from `offset`. */
export function need(module: string, bytes: Uint8Array, offset: number, want: number, what: string): void {
  if (!Number.isInteger(offset) || offset < 0 || offset + want > bytes.length) {
    throw new L2WireError(module, 'truncated', `${what} needs ${want} bytes at offset ${offset}, have ${Math.max(0, bytes.length - offset)}`);
  }
}

/** A fixed-layout codec: pure decode `(bytes, offset) => [value, next]`, encode into a fresh or given buffer. */
export interface Codec<T> {
  decode(bytes: Uint8Array, offset?: number): [T, number];
  encode(value: T, into?: Uint8Array, offset?: number): Uint8Array;
  encodingLength(value: T): number;
}

/** The buffer an encoder writes to: `into` at `offset` when it has room, else a new one of `length`. */
export function target(module: string, length: number, into: Uint8Array | undefined, offset: number): Uint8Array {
  if (into === undefined) return new Uint8Array(length);
  if (!Number.isInteger(offset) || offset < 0 || offset + length > into.length) {
    throw new L2WireError(module, 'truncated', `encoding needs ${length} bytes at offset ${offset} of a ${into.length}-byte buffer`);
  }
  return into;
}
