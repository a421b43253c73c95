// Which metrics and labels a PromQL expression reads, so the alerts and the dashboard can be held
// against what the programs really export. A tokenizer, not a parser: Prometheus itself (promtool)
// checks the syntax; this only has to find names in expressions that are valid.

export interface MetricUse {
  readonly metric: string;
  /** Label names its selector matches on. */
  readonly labels: readonly string[];
}

export interface PromqlUses {
  readonly metrics: readonly MetricUse[];
  /** Label names in by/without/on/ignoring/group_left/group_right lists. */
  readonly grouping: readonly string[];
}

const GROUPING = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const AGGREGATIONS = new Set(['sum', 'min', 'max', 'avg', 'group', 'stddev', 'stdvar', 'count', 'count_values', 'bottomk', 'topk', 'quantile']);
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'atan2', 'inf', 'nan', 'start', 'end']);
const IDENT = /[A-Za-z_:][A-Za-z0-9_:]*/y;
const LABEL = /[A-Za-z_][A-Za-z0-9_]*/y;

export function promqlUses(expr: string): PromqlUses {
  const metrics: MetricUse[] = [];
  const grouping: string[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`promql: ${why} at ${i} in ${JSON.stringify(expr)}`);
  };
  const skipSpace = (): void => {
    while (i < expr.length) {
      if (/\s/.test(expr[i]!)) i++;
      else if (expr[i] === '#') while (i < expr.length && expr[i] !== '\n') i++;
      else break;
    }
  };
  const readString = (): void => {
    const quote = expr[i];
    i++;
    while (i < expr.length && expr[i] !== quote) i += expr[i] === '\\' && quote !== '`' ? 2 : 1;
    if (i >= expr.length) fail('unterminated string');
    i++;
  };
  const match = (re: RegExp): string | undefined => {
    re.lastIndex = i;
    const m = re.exec(expr);
    if (m === null) return undefined;
    i += m[0].length;
    return m[0];
  };
  /** `{a="x", b=~"y"}`: the label names; i is on the `{`. */
  const readMatchers = (): string[] => {
    const names: string[] = [];
    i++;
    for (;;) {
      skipSpace();
      if (expr[i] === '}') break;
      const name = match(LABEL) ?? fail('label name expected');
      names.push(name);
      skipSpace();
      if (match(/=~|!~|!=|=/y) === undefined) fail('matcher operator expected');
      skipSpace();
      if (!`"'\``.includes(expr[i] ?? '')) fail('label value expected');
      readString();
      skipSpace();
      if (expr[i] === ',') i++;
      else if (expr[i] !== '}') fail('"," or "}" expected');
    }
    i++;
    return names;
  };
  /** `(a, b)` after by/without/on/...; i is on the `(`. */
  const readLabelList = (): void => {
    i++;
    for (;;) {
      skipSpace();
      if (expr[i] === ')') break;
      grouping.push(match(LABEL) ?? fail('label name expected in a grouping list'));
      skipSpace();
      if (expr[i] === ',') i++;
      else if (expr[i] !== ')') fail('"," or ")" expected');
    }
    i++;
  };

  while (i < expr.length) {
    skipSpace();
    const c = expr[i];
    if (c === undefined) break;
    if (c === '"' || c === "'" || c === '`') {
      readString();
    } else if (c === '[') {
      // A range or subquery: durations only.
      const close = expr.indexOf(']', i);
      if (close < 0) fail('unterminated [');
      i = close + 1;
    } else if (c === '{') {
      // A selector without a metric name: only __name__ names one.
      const names = readMatchers();
      if (names.includes('__name__')) fail('__name__ matchers are not supported here; name the metric');
      metrics.push({ metric: '', labels: names });
    } else if (c === '$') {
      fail('a template variable is left (replace Grafana variables first)');
    } else if (/[0-9.]/.test(c)) {
      // Numbers, durations (5m, 1h30m) and exponents (1e19).
      i++;
      while (i < expr.length && /[0-9A-Za-z.+]/.test(expr[i]!) && !(expr[i] === '+' && !/[eE]/.test(expr[i - 1]!))) i++;
    } else if (/[A-Za-z_:]/.test(c)) {
      const word = match(IDENT)!;
      skipSpace();
      if (GROUPING.has(word)) {
        if (expr[i] === '(') readLabelList();
      } else if (KEYWORDS.has(word.toLowerCase())) {
        // Operators and modifiers.
      } else if (expr[i] === '(' || AGGREGATIONS.has(word)) {
        // A function or an aggregation (`sum by (x) (...)` too); its arguments follow.
      } else {
        metrics.push({ metric: word, labels: expr[i] === '{' ? readMatchers() : [] });
      }
    } else {
      i++;
    }
  }
  return { metrics, grouping };
}
