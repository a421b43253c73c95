// Aligned text tables for people: columns padded to their widest cell, colour only when asked
// (the commands ask when stdout is a TTY), so piped output stays plain and greppable.
export type Tone = 'good' | 'bad' | 'warn' | 'dim' | undefined;

export interface Cell {
  readonly text: string;
  readonly tone?: Tone;
}

const CODES: Record<Exclude<Tone, undefined>, string> = { good: '32', bad: '31', warn: '33', dim: '2' };

export function paint(text: string, tone: Tone, colour: boolean): string {
  return colour && tone !== undefined ? `\u001b[${CODES[tone]}m${text}\u001b[0m` : text;
}

/** Rows of cells (strings or toned cells) under a header, two spaces between columns, no trailing blanks. */
export function table(header: readonly string[], rows: readonly (readonly (string | Cell)[])[], colour = false): string[] {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'string' ? { text: c } : c)));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]?.text.length ?? 0)));
  const line = (r: readonly Cell[]) =>
    r
      .map((c, i) => paint(i === r.length - 1 ? c.text : c.text.padEnd(widths[i]!), c.tone, colour))
      .join('  ')
      .trimEnd();
  return [line(header.map((h) => ({ text: h }))), ...cells.map(line)];
}

export const percent = (x: number): string => `${(Math.round(x * 1000) / 10).toFixed(1)} %`;
