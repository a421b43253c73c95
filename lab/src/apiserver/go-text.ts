// Text formatted the way Go formats it (%q, encoding/json's quoteChar): the real server's messages
// are built with them, and a client comparing messages sees one changed escape as another message.

const SHORT: Readonly<Record<string, string>> = {
  '\u0007': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

/** Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

function escapeRune(ch: string): string {
  const short = SHORT[ch];
  if (short !== undefined) return short;
  if (PRINTABLE.test(ch)) return ch;
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x80) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code < 0x10000) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\U${code.toString(16).padStart(8, '0')}`;
}

/** `%q` of a string: `"text"` with Go's escapes. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) out += escapeRune(ch);
  return `${out}"`;
}

/** `%q` of a []string: `["a" "b"]`. */
export function goQuoteList(items: readonly string[]): string {
  return `[${items.map(goQuote).join(' ')}]`;
}

/** The real server's response sanitizer: no text it writes may look like HTML. */
export function sanitizeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** encoding/json's quoteChar of one input byte: bytes of 0x80 and above read as Latin-1 runes, as Go's string(byte) does. */
export function quoteChar(byte: number): string {
  if (byte === 0x27) return `'\\''`;
  if (byte === 0x22) return `'"'`;
  return `'${escapeRune(String.fromCharCode(byte))}'`;
}
