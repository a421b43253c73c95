// Shows user text inside an error message: JSON-quoted so whitespace and control characters
// are visible, and cut short so a megabyte of garbage does not become a megabyte of log.

const SHOWN_CHARS = 64;

export function quote(text: unknown): string {
  if (typeof text !== 'string') return `a ${text === null ? 'null' : typeof text} (not a string)`;
  const shown = text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
  return JSON.stringify(shown);
}
