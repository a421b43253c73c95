// BGP community values as users write them: standard "65000:100" (RFC 1997), large
// "large:1:2:3" (RFC 8092), and the well-known names; parsed to numbers for the speaker.

export type CommunityValue =
  | { readonly type: 'standard'; readonly asn: number; readonly value: number }
  | { readonly type: 'large'; readonly global: number; readonly local1: number; readonly local2: number };

export class CommunityError extends Error {
  override readonly name = 'CommunityError';
  constructor(detail: string) {
    super(`community: ${detail}`);
  }
}

const standard = (asn: number, value: number): CommunityValue => ({ type: 'standard', asn, value });

/** RFC 1997, RFC 3765 (no-peer) and RFC 7999 (blackhole). */
export const WELL_KNOWN_COMMUNITIES: ReadonlyMap<string, CommunityValue> = new Map([
  ['no-export', standard(0xffff, 0xff01)],
  ['no-advertise', standard(0xffff, 0xff02)],
  ['no-export-subconfed', standard(0xffff, 0xff03)],
  ['no-peer', standard(0xffff, 0xff04)],
  ['blackhole', standard(0xffff, 666)],
]);

const LARGE_PREFIX = 'large:';
const DECIMAL = /^(?:0|[1-9][0-9]*)$/;
const UINT16_MAX = 0xffff;
const UINT32_MAX = 0xffffffff;

/** Whether text is meant as a value (has a colon or is a well-known name) rather than an alias. */
export function isCommunityLiteral(text: string): boolean {
  return text.includes(':') || WELL_KNOWN_COMMUNITIES.has(text);
}

export function parseCommunity(text: string): CommunityValue {
  if (typeof text !== 'string') throw new CommunityError(`${String(text)} is not a string`);
  const known = WELL_KNOWN_COMMUNITIES.get(text);
  if (known !== undefined) return known;
  if (text.startsWith(LARGE_PREFIX)) {
    const parts = text.slice(LARGE_PREFIX.length).split(':');
    if (parts.length !== 3) throw new CommunityError(`${JSON.stringify(text)} is not a large community: expected "large:global:local1:local2"`);
    const [global, local1, local2] = parts.map((p, i) => part(text, p, ['global', 'local1', 'local2'][i] ?? '', UINT32_MAX)) as [number, number, number];
    return { type: 'large', global, local1, local2 };
  }
  const parts = text.split(':');
  if (parts.length !== 2) {
    throw new CommunityError(`${JSON.stringify(text)} is not a community: expected "asn:value", "large:global:local1:local2" or one of ${[...WELL_KNOWN_COMMUNITIES.keys()].join(', ')}`);
  }
  const [asn, value] = parts.map((p, i) => part(text, p, i === 0 ? 'asn' : 'value', UINT16_MAX)) as [number, number];
  return standard(asn, value);
}

export function isValidCommunity(text: string): boolean {
  try {
    parseCommunity(text);
    return true;
  } catch {
    return false;
  }
}

export function formatCommunity(c: CommunityValue): string {
  return c.type === 'standard' ? `${c.asn}:${c.value}` : `${LARGE_PREFIX}${c.global}:${c.local1}:${c.local2}`;
}

function part(text: string, digits: string, what: string, max: number): number {
  if (!DECIMAL.test(digits)) throw new CommunityError(`${JSON.stringify(text)}: ${what} ${JSON.stringify(digits)} is not a decimal number`);
  const n = Number(digits);
  if (n > max) throw new CommunityError(`${JSON.stringify(text)}: ${what} ${digits} is more than ${max}`);
  return n;
}
