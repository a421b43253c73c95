// Ages as kube-apiserver writes them into Table cells: apimachinery's HumanDuration (2-3
// significant figures) and ShortHumanDuration, and the strict RFC 3339 times they start from.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Go's integer division of durations truncates toward zero. */
const div = (a: number, b: number): number => Math.trunc(a / b);

/** Up to two seconds in the future still reads as now: clocks of client and server differ. */
function early(ms: number): string | undefined {
  const seconds = div(ms, SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  return undefined;
}

/** `d` in milliseconds; what apimachinery's duration.HumanDuration prints. */
export function humanDuration(ms: number): string {
  const bad = early(ms);
  if (bad !== undefined) return bad;
  const seconds = div(ms, SECOND);
  if (seconds < 120) return `${seconds}s`;
  const minutes = div(ms, MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = div(ms, HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = div(hours, 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = div(days, 365);
  if (hours < 24 * 365 * 8) {
    const dy = days % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

/** `d` in milliseconds; what apimachinery's duration.ShortHumanDuration prints (one unit only). */
export function shortHumanDuration(ms: number): string {
  const bad = early(ms);
  if (bad !== undefined) return bad;
  const seconds = div(ms, SECOND);
  if (seconds < 60) return `${seconds}s`;
  const minutes = div(ms, MINUTE);
  if (minutes < 60) return `${minutes}m`;
  const hours = div(ms, HOUR);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${div(hours, 24)}d`;
  return `${Math.trunc(ms / HOUR / 24 / 365)}y`;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** Milliseconds since the epoch of an RFC 3339 time as Go's time.Parse accepts it, or undefined. */
export function parseTime(text: string): number | undefined {
  const m = RFC3339.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  const offHours = Number(m[9] ?? 0);
  const offMinutes = Number(m[10] ?? 0);
  if (offHours > 23 || offMinutes > 59) return undefined;
  const t = new Date(0);
  t.setUTCFullYear(year, month - 1, day);
  t.setUTCHours(hour, minute, second, Number(`0.${m[7] ?? '0'}`) * 1000);
  const sign = m[8] === '-' ? -1 : 1;
  return Math.trunc(t.getTime()) - sign * (offHours * HOUR + offMinutes * MINUTE);
}

/** Go's zero time.Time, 0001-01-01T00:00:00Z: metav1.Time's "unset". */
export const ZERO_TIME = parseTime('0001-01-01T00:00:00Z') ?? 0;

/** A stored timestamp (metav1.Time or MicroTime), undefined when unset or unreadable. */
export function timestamp(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const t = parseTime(v);
  return t === undefined || t === ZERO_TIME ? undefined : t;
}

/** The printers' translateTimestampSince: the age of `v` at `now`, `<unknown>` when unset. */
export function since(v: unknown, now: Date): string {
  const t = timestamp(v);
  return t === undefined ? '<unknown>' : humanDuration(now.getTime() - t);
}
