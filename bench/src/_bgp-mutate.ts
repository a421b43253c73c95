// Mutations for the BGP fuzz benchmark: structure-aware edits of valid messages (header and
// UPDATE length fields, attribute flags/type/length, NLRI prefix lengths, OPEN parameter
// lengths), plus bit flips, truncation, splicing and random bodies. Pure: all chance comes from `random`.

export const MUTATIONS = [
  'bit-flip',
  'byte-set',
  'truncate',
  'append',
  'header-length',
  'header-type',
  'update-lengths',
  'attribute-flags',
  'attribute-length',
  'attribute-type',
  'attribute-duplicate',
  'nlri-length',
  'open-lengths',
  'splice',
  'random',
] as const;
export type Mutation = (typeof MUTATIONS)[number];

const HEADER = 19;
/** Values that sit on boundaries of lengths and flags. */
const INTERESTING = [0, 1, 2, 3, 4, 7, 8, 0x0f, 0x10, 0x1f, 0x20, 0x21, 0x40, 0x7f, 0x80, 0x81, 0xc0, 0xe0, 0xf0, 0xfe, 0xff];
const INTERESTING16 = [0, 1, 2, 3, 18, 19, 20, 23, 29, 0xff, 0x100, 4095, 4096, 4097, 0x7fff, 0x8000, 0xfffe, 0xffff];

export interface AttributeSpan {
  readonly flagsAt: number;
  readonly typeAt: number;
  readonly lengthAt: number;
  readonly extended: boolean;
  readonly valueAt: number;
  readonly end: number;
}

export interface UpdateLayout {
  readonly withdrawnLengthAt: number;
  readonly attributesLengthAt: number;
  readonly attributes: readonly AttributeSpan[];
  /** Where the NLRI field starts (to the end of the message). */
  readonly nlriAt: number;
}

const u16 = (b: Uint8Array, at: number): number => ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
const put16 = (b: Uint8Array, at: number, v: number): void => {
  if (at + 1 < b.length) {
    b[at] = (v >>> 8) & 0xff;
    b[at + 1] = v & 0xff;
  }
};

/** Where the fields of an UPDATE are, as far as they can be followed; undefined if not an UPDATE. */
export function updateLayout(b: Uint8Array): UpdateLayout | undefined {
  if (b.length < HEADER + 4 || b[18] !== 2) return undefined;
  const withdrawnLengthAt = HEADER;
  const attributesLengthAt = withdrawnLengthAt + 2 + u16(b, withdrawnLengthAt);
  if (attributesLengthAt + 2 > b.length) return undefined;
  const start = attributesLengthAt + 2;
  const stop = Math.min(b.length, start + u16(b, attributesLengthAt));
  const attributes: AttributeSpan[] = [];
  let at = start;
  while (at + 3 <= stop) {
    const extended = ((b[at] ?? 0) & 0x10) !== 0;
    const valueAt = at + (extended ? 4 : 3);
    if (valueAt > stop) break;
    const length = extended ? u16(b, at + 2) : (b[at + 2] ?? 0);
    const end = valueAt + length;
    if (end > stop) break;
    attributes.push({ flagsAt: at, typeAt: at + 1, lengthAt: at + 2, extended, valueAt, end });
    at = end;
  }
  return { withdrawnLengthAt, attributesLengthAt, attributes, nlriAt: stop };
}

export interface Mutated {
  readonly mutation: Mutation;
  readonly bytes: Uint8Array;
}

/** One mutation of `seed` (never modified); `donors` are other messages to splice from. */
export function mutate(seed: Uint8Array, donors: readonly Uint8Array[], random: () => number): Mutated {
  const pick = (n: number): number => Math.floor(random() * n);
  let b = seed.slice();
  const layout = updateLayout(b);
  // Only kinds that have their field in this seed, so every count means an edit was made.
  const applicable = MUTATIONS.filter((m) => {
    if (m.startsWith('attribute-')) return layout !== undefined && layout.attributes.length > 0;
    if (m === 'update-lengths' || m === 'nlri-length') return layout !== undefined;
    if (m === 'open-lengths') return b[18] === 1 && b.length > 28;
    return true;
  });
  const mutation = applicable[pick(applicable.length)]!;
  const anywhere = (): number => (random() < 0.9 && b.length > HEADER ? HEADER + pick(b.length - HEADER) : pick(b.length));
  const attribute = layout && layout.attributes.length > 0 ? layout.attributes[pick(layout.attributes.length)] : undefined;
  let fixHeader = random() < 0.8;
  switch (mutation) {
    case 'bit-flip':
      for (let i = 1 + pick(4); i > 0; i--) {
        const at = anywhere();
        if (at < b.length) b[at]! ^= 1 << pick(8);
      }
      break;
    case 'byte-set':
      for (let i = 1 + pick(3); i > 0; i--) {
        const at = anywhere();
        if (at < b.length) b[at] = random() < 0.7 ? INTERESTING[pick(INTERESTING.length)]! : pick(256);
      }
      break;
    case 'truncate':
      b = b.subarray(0, pick(b.length + 1)).slice();
      break;
    case 'append': {
      const extra = Uint8Array.from({ length: 1 + pick(40) }, () => pick(256));
      b = Uint8Array.of(...b, ...extra);
      break;
    }
    case 'header-length':
      put16(b, 16, random() < 0.5 ? INTERESTING16[pick(INTERESTING16.length)]! : b.length + pick(9) - 4);
      fixHeader = false;
      break;
    case 'header-type':
      if (b.length > 18) b[18] = random() < 0.7 ? pick(8) : pick(256);
      break;
    case 'update-lengths':
      if (layout) {
        const at = random() < 0.5 ? layout.withdrawnLengthAt : layout.attributesLengthAt;
        const now = u16(b, at);
        put16(b, at, random() < 0.5 ? INTERESTING16[pick(INTERESTING16.length)]! : Math.max(0, now + pick(9) - 4));
      }
      break;
    case 'attribute-flags':
      // Optional/transitive/partial/extended-length games: the extended bit moves the length field.
      if (attribute) b[attribute.flagsAt] = random() < 0.5 ? (b[attribute.flagsAt] ?? 0) ^ (0x10 << pick(4)) : INTERESTING[pick(INTERESTING.length)]! & 0xf0;
      break;
    case 'attribute-length':
      if (attribute) {
        if (attribute.extended) put16(b, attribute.lengthAt, random() < 0.5 ? INTERESTING16[pick(INTERESTING16.length)]! : attribute.end - attribute.valueAt + pick(7) - 3);
        else b[attribute.lengthAt] = random() < 0.5 ? INTERESTING[pick(INTERESTING.length)]! : (attribute.end - attribute.valueAt + pick(7) - 3) & 0xff;
      }
      break;
    case 'attribute-type':
      // Well-known codes 1..32 mostly (so a value meets the wrong decoder), now and then anything.
      if (attribute) b[attribute.typeAt] = random() < 0.8 ? 1 + pick(32) : pick(256);
      break;
    case 'attribute-duplicate':
      if (layout && attribute) {
        const copy = b.slice(attribute.flagsAt, attribute.end);
        const insertAt = layout.attributes[pick(layout.attributes.length)]!.flagsAt;
        b = Uint8Array.of(...b.subarray(0, insertAt), ...copy, ...b.subarray(insertAt));
        put16(b, layout.attributesLengthAt, u16(b, layout.attributesLengthAt) + copy.length);
      }
      break;
    case 'nlri-length':
      // A prefix length byte (in the NLRI or the withdrawn field) past 32/128, or just off.
      if (layout) {
        const inWithdrawn = random() < 0.3 && u16(b, layout.withdrawnLengthAt) > 0;
        const at = inWithdrawn ? layout.withdrawnLengthAt + 2 : layout.nlriAt;
        if (at < b.length) b[at] = random() < 0.5 ? [0, 1, 7, 8, 9, 31, 32, 33, 64, 128, 129, 255][pick(12)]! : pick(256);
      }
      break;
    case 'open-lengths':
      // OPEN: optional parameters length (offset 28) or a parameter's/capability's length.
      if (b[18] === 1 && b.length > 28) {
        const at = random() < 0.4 ? 28 : 29 + pick(Math.max(1, b.length - 29));
        if (at < b.length) b[at] = random() < 0.5 ? INTERESTING[pick(INTERESTING.length)]! : ((b[at] ?? 0) + pick(5) - 2) & 0xff;
      }
      break;
    case 'splice': {
      const donor = donors[pick(donors.length)] ?? seed;
      const cut = pick(b.length + 1);
      const from = pick(donor.length + 1);
      b = Uint8Array.of(...b.subarray(0, cut), ...donor.subarray(from));
      break;
    }
    case 'random': {
      // A random body behind a valid marker, so header checks are passed now and then.
      const out = new Uint8Array(HEADER + pick(120));
      out.fill(0xff, 0, 16);
      for (let i = 16; i < out.length; i++) out[i] = pick(256);
      if (random() < 0.7) out[18] = 1 + pick(5);
      b = out;
    }
  }
  // Mostly keep the header length honest, so the edit reaches the body decoders.
  if (fixHeader && b.length >= HEADER && b.length <= 0xffff) put16(b, 16, b.length);
  return { mutation, bytes: b };
}
