// Bounds-checked big-endian reads and writes shared by every codec file, and hex helpers
// for fixtures. A read past the end is a codec bug (callers check lengths first), so it
// throws RangeError, which the fuzz test treats as a failure.

export function u8(bytes: Uint8Array, offset: number): number {
  const value = bytes[offset];
  if (value === undefined) throw new RangeError(`bytes: read of octet ${offset} past ${bytes.length}`);
  return value;
}

export function u16(bytes: Uint8Array, offset: number): number {
  return (u8(bytes, offset) << 8) | u8(bytes, offset + 1);
}

export function u32(bytes: Uint8Array, offset: number): number {
  return u16(bytes, offset) * 0x10000 + u16(bytes, offset + 2);
}

function checkWrite(bytes: Uint8Array, offset: number, size: number): void {
  if (offset < 0 || offset + size > bytes.length) {
    throw new RangeError(`bytes: write of ${size} octets at ${offset} past ${bytes.length}`);
  }
}

export function put8(bytes: Uint8Array, offset: number, value: number): number {
  checkWrite(bytes, offset, 1);
  bytes[offset] = value & 0xff;
  return offset + 1;
}

export function put16(bytes: Uint8Array, offset: number, value: number): number {
  checkWrite(bytes, offset, 2);
  bytes[offset] = (value >>> 8) & 0xff;
  bytes[offset + 1] = value & 0xff;
  return offset + 2;
}

export function put32(bytes: Uint8Array, offset: number, value: number): number {
  checkWrite(bytes, offset, 4);
  bytes[offset] = (value >>> 24) & 0xff;
  bytes[offset + 1] = (value >>> 16) & 0xff;
  bytes[offset + 2] = (value >>> 8) & 0xff;
  bytes[offset + 3] = value & 0xff;
  return offset + 4;
}

export function putBytes(bytes: Uint8Array, offset: number, source: Uint8Array): number {
  checkWrite(bytes, offset, source.length);
  bytes.set(source, offset);
  return offset + source.length;
}

/** Whether a number fits an unsigned field of `bits` bits. */
export function isUint(value: number, bits: 8 | 16 | 32): boolean {
  return Number.isInteger(value) && value >= 0 && value < 2 ** bits;
}

/** Parses hex, ignoring whitespace and `#`/`//` comments, so fixtures can be annotated. */
export function hex(text: string): Uint8Array {
  const digits = text
    .split('\n')
    .map((line) => line.replace(/(#|\/\/).*$/, ''))
    .join('')
    .replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw new RangeError(`bytes: not hex: ${digits.slice(0, 40)}`);
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}
