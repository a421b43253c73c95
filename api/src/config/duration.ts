// Go's time.ParseDuration syntax ("90s", "1m30s", "500ms", "1.5h"), which Kubernetes uses for
// metav1.Duration fields, parsed exactly to nanoseconds as a bigint.

export class DurationError extends Error {
  override readonly name = 'DurationError';
  constructor(detail: string) {
    super(`duration: ${detail}`);
  }
}

const UNIT_NANOSECONDS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['µs', 1_000n], // U+00B5 micro sign
  ['μs', 1_000n], // U+03BC Greek mu
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);
export const NANOSECONDS_PER_SECOND = 1_000_000_000n;
const INT64_MAX = (1n << 63n) - 1n;
const TERM = /^([0-9]*)(?:\.([0-9]*))?([^0-9.]+)/;

/** Nanoseconds of a non-negative Go duration; throws DurationError naming the text. */
export function parseDuration(text: string): bigint {
  if (typeof text !== 'string') throw new DurationError(`${String(text)} is not a string`);
  const fail = (why: string): never => {
    throw new DurationError(`${JSON.stringify(text)} is not a duration: ${why} (examples: "90s", "1m30s", "500ms")`);
  };
  let rest = text;
  if (rest.startsWith('-')) fail('it is negative');
  if (rest.startsWith('+')) rest = rest.slice(1);
  if (rest === '0') return 0n;
  if (rest === '') fail('it is empty');
  let total = 0n;
  while (rest.length > 0) {
    const m = TERM.exec(rest);
    if (m === null) return fail(`${JSON.stringify(rest)} does not start with a number and a unit`);
    const [whole, intDigits = '', fracDigits, unitText = ''] = m;
    if (intDigits === '' && (fracDigits === undefined || fracDigits === '')) fail(`a number is missing before ${JSON.stringify(unitText)}`);
    const unit = UNIT_NANOSECONDS.get(unitText);
    if (unit === undefined) return fail(`unknown unit ${JSON.stringify(unitText)}; use ns, us, ms, s, m or h`);
    // Like Go, the fraction is truncated to whole nanoseconds.
    const frac = fracDigits ?? '';
    total += BigInt(intDigits || '0') * unit + (frac === '' ? 0n : (BigInt(frac) * unit) / 10n ** BigInt(frac.length));
    if (total > INT64_MAX) fail('it is longer than Go can represent');
    rest = rest.slice(whole.length);
  }
  return total;
}
