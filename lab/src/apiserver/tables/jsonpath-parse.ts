// The JSONPath templates of client-go's util/jsonpath, read into the same node tree: what a
// CRD printer column's `{.status.x}` means, and which paths the real parser rejects.

export class JsonPathError extends Error {
  override readonly name = 'JsonPathError';
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`jsonpath: ${JSON.stringify(path)}: ${detail}`);
  }
}

/** One bound of `[start:end:step]`; `derived` marks the end implied by a single index. */
export interface SliceParam {
  known: boolean;
  value: number;
  derived: boolean;
}

export type PathNode =
  | ListNode
  | { kind: 'text'; text: string }
  | { kind: 'field'; name: string }
  | { kind: 'wildcard' }
  | { kind: 'recursive' }
  | { kind: 'array'; params: readonly [SliceParam, SliceParam, SliceParam] }
  | { kind: 'union'; lists: readonly ListNode[] }
  | { kind: 'filter'; left: ListNode; right: ListNode; op: string }
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'identifier'; name: string };

export interface ListNode {
  kind: 'list';
  nodes: PathNode[];
}

const isTerminator = (c: string): boolean => c === '' || ' \t\r\n.,[]$@{}'.includes(c);
const isAlphaNumeric = (c: string): boolean => c === '_' || /^[\p{L}\p{Nd}]$/u.test(c);
const SLICE = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/;
const FILTER = /^([^!<>=]+)([!<>=]+)(.+?)$/;
const ESCAPES: Readonly<Record<string, string>> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** %#U of Go's fmt: U+0023 '#'. */
function runeName(c: string): string {
  const hex = (c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return /\p{C}/u.test(c) ? `U+${hex}` : `U+${hex} '${c}'`;
}

/** strconv.Unquote, extended (as client-go does) to single-quoted strings. */
function unquote(quoted: string): string | undefined {
  const q = quoted[0];
  const body = quoted.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === q) return undefined;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i] ?? '';
    const hex = { x: 2, u: 4, U: 8 }[e];
    if (e in ESCAPES) out += ESCAPES[e];
    else if (e === q) out += e;
    else if (hex !== undefined && /^[0-9a-fA-F]+$/.test(body.slice(i + 1, i + 1 + hex)) && body.length >= i + 1 + hex) {
      out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 1 + hex), 16));
      i += hex;
    } else if (/^[0-7]{3}$/.test(body.slice(i, i + 3))) {
      out += String.fromCharCode(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else return undefined;
  }
  return out;
}

class Parser {
  private pos = 0;
  private start = 0;

  constructor(
    private readonly path: string,
    private readonly input: string,
  ) {}

  private fail(detail: string): never {
    throw new JsonPathError(this.path, detail);
  }

  private peekChar(): string {
    const cp = this.input.codePointAt(this.pos);
    return cp === undefined ? '' : String.fromCodePoint(cp);
  }

  private next(): string {
    const c = this.peekChar();
    this.pos += c.length;
    return c;
  }

  private consume(): string {
    const text = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return text;
  }

  /** Text and `{...}` actions, in order, up to the end of the input. */
  template(): PathNode[] {
    const top: PathNode[] = [];
    while (this.pos < this.input.length) {
      if (this.input.startsWith('{', this.pos)) {
        if (this.pos > this.start) top.push({ kind: 'text', text: this.consume() });
        this.pos++;
        this.consume();
        const list: ListNode = { kind: 'list', nodes: [] };
        top.push(list);
        this.action(list.nodes);
      } else this.next();
    }
    if (this.pos > this.start) top.push({ kind: 'text', text: this.consume() });
    return top;
  }

  private action(cur: PathNode[]): void {
    for (;;) {
      if (this.input.startsWith('}', this.pos)) {
        this.pos++;
        this.consume();
        return;
      }
      if (this.input.startsWith('[?(', this.pos)) this.filter(cur);
      else if (this.input.startsWith('..', this.pos)) this.recursive(cur);
      else this.token(cur);
    }
  }

  private token(cur: PathNode[]): void {
    const c = this.next();
    if (c === '' || c === '\r' || c === '\n') this.fail('unclosed action');
    if (c === ' ' || c === '@' || c === '$') this.consume();
    else if (c === '[') this.array(cur);
    else if (c === '"' || c === "'") this.quote(cur, c);
    else if (c === '.') this.field(cur);
    else if (c === '+' || c === '-' || /^\d$/.test(c)) {
      this.pos -= c.length;
      this.number(cur);
    } else if (isAlphaNumeric(c)) {
      this.pos -= c.length;
      this.identifier(cur);
    } else this.fail(`unrecognized character in action: ${runeName(c)}`);
  }

  private field(cur: PathNode[]): void {
    this.consume();
    for (;;) {
      const c = this.next();
      if (c === '\\') this.next();
      else if (isTerminator(c)) {
        this.pos -= c.length;
        break;
      }
    }
    const name = this.consume();
    cur.push(name === '*' ? { kind: 'wildcard' } : { kind: 'field', name: name.replaceAll('\\', '') });
  }

  private recursive(cur: PathNode[]): void {
    if (cur.at(-1)?.kind === 'recursive') this.fail('invalid multiple recursive descent');
    this.pos += 2;
    this.consume();
    cur.push({ kind: 'recursive' });
    if (isAlphaNumeric(this.peekChar())) this.field(cur);
  }

  private number(cur: PathNode[]): void {
    if (this.peekChar() === '+' || this.peekChar() === '-') this.next();
    while (/^[\d.]$/.test(this.peekChar())) this.next();
    const text = this.consume();
    if (/^[+-]?\d+$/.test(text)) cur.push({ kind: 'int', value: parseInt(text, 10) });
    else if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) cur.push({ kind: 'float', value: Number(text) });
    else this.fail(`cannot parse number ${text}`);
  }

  private identifier(cur: PathNode[]): void {
    while (!isTerminator(this.peekChar())) this.next();
    const name = this.consume();
    cur.push(name === 'true' || name === 'false' ? { kind: 'bool', value: name === 'true' } : { kind: 'identifier', name });
  }

  private quote(cur: PathNode[], end: string): void {
    for (;;) {
      const c = this.next();
      if (c === '' || c === '\n') this.fail('unterminated quoted string');
      if (c === end && this.input[this.pos - 2] !== '\\') break;
    }
    const quoted = this.consume();
    const text = unquote(quoted);
    if (text === undefined) this.fail(`unquote string ${quoted} error invalid syntax`);
    cur.push({ kind: 'text', text });
  }

  private array(cur: PathNode[]): void {
    for (;;) {
      const c = this.next();
      if (c === '' || c === '\n') this.fail('unterminated array');
      if (c === ']') break;
    }
    let text = this.consume().slice(1, -1);
    if (text === '*') text = ':';
    const parts = text.split(',');
    if (parts.length > 1) {
      cur.push({ kind: 'union', lists: parts.map((p) => this.inner(`[${p.replace(/^ +| +$/g, '')}]`)) });
      return;
    }
    const key = /^'([^']*)'$/.exec(text);
    if (key !== null) {
      cur.push(...this.inner(`.${key[1] ?? ''}`).nodes);
      return;
    }
    const m = SLICE.exec(text);
    if (m === null) this.fail(`invalid array index ${text}`);
    const params: SliceParam[] = [];
    for (let i = 0; i < 3; i++) {
      let raw = m[i + 1] ?? '';
      if (raw === '') {
        params.push(i === 1 ? { known: true, value: (params[0]?.value ?? 0) + 1, derived: true } : { known: false, value: 0, derived: false });
        continue;
      }
      if (i > 0) raw = raw.slice(1);
      if (i > 0 && raw === '') params.push({ known: false, value: 0, derived: false });
      else if (!/^-?\d+$/.test(raw)) this.fail(`array index ${raw} is not a number`);
      else params.push({ known: true, value: parseInt(raw, 10), derived: false });
    }
    cur.push({ kind: 'array', params: params as [SliceParam, SliceParam, SliceParam] });
  }

  private filter(cur: PathNode[]): void {
    this.pos += 3;
    this.consume();
    let begin = false;
    let end = false;
    let pair = '';
    for (;;) {
      const c = this.next();
      if (c === '' || c === '\n') this.fail('unterminated filter');
      if (c === '"' || c === "'") {
        if (!begin) {
          begin = true;
          pair = c;
        } else if (this.input[this.pos - 2] !== '\\' && c === pair) end = true;
      } else if (c === ')' && begin === end) break;
    }
    if (this.next() !== ']') this.fail('unclosed array expect ]');
    const text = this.consume().slice(0, -2);
    const m = FILTER.exec(text);
    if (m === null) cur.push({ kind: 'filter', left: this.inner(text), right: { kind: 'list', nodes: [] }, op: 'exists' });
    else cur.push({ kind: 'filter', left: this.inner(m[1] ?? ''), right: this.inner(m[3] ?? ''), op: m[2] ?? '' });
  }

  /** A piece re-read on its own as `{piece}`, as client-go's parseAction does. */
  private inner(piece: string): ListNode {
    const first = new Parser(this.path, `{${piece}}`).template()[0];
    return first !== undefined && first.kind === 'list' ? first : { kind: 'list', nodes: [] };
  }
}

/** The template `text` (with its braces) as client-go parses it; `path` names it in errors. */
export function parseTemplate(text: string, path: string = text): PathNode[] {
  return new Parser(path, text).template();
}
