import { promqlUses } from './promql.js';

test.each<[string, string, { metric: string; labels: string[] }[], string[]]>([
  ['a bare metric', 'up', [{ metric: 'up', labels: [] }], []],
  ['a selector', 'up{job="headland-speaker", node=~"n.*"} == 0', [{ metric: 'up', labels: ['job', 'node'] }], []],
  ['an aggregation with by before', 'max by (pool, family) (headland_controller_pool_addresses_available) == 0', [{ metric: 'headland_controller_pool_addresses_available', labels: [] }], ['pool', 'family']],
  ['an aggregation with by after', 'sum(x{a="1"}) without (b)', [{ metric: 'x', labels: ['a'] }], ['b']],
  [
    'a histogram quantile over a rate with a range',
    'histogram_quantile(0.99, sum by (le, node) (rate(h_bucket{node=~".*"}[5m])))',
    [{ metric: 'h_bucket', labels: ['node'] }],
    ['le', 'node'],
  ],
  ['binary operators, on and group_left', 'a / on (pool) group_left (family) b > 0.9 and c unless d or vector(0)', ['a', 'b', 'c', 'd'].map((m) => ({ metric: m, labels: [] })), ['pool', 'family']],
  ['bool, offset, numbers with exponents', 'a == bool 1.8446744073709552e+19 + b offset 5m', [{ metric: 'a', labels: [] }, { metric: 'b', labels: [] }], []],
  ['absent and strings with commas and braces', 'absent(x{msg="a, b}"}) or label_replace(y, "dst", "$1", "src", "(.*)")', [{ metric: 'x', labels: ['msg'] }, { metric: 'y', labels: [] }], []],
  ['a subquery', 'max_over_time(rate(c_total[1m])[10m:1m])', [{ metric: 'c_total', labels: [] }], []],
  ['a selector without a name', '{job="x"}', [{ metric: '', labels: ['job'] }], []],
])('%s', (_name, expr, metrics, grouping) => {
  expect(promqlUses(expr)).toEqual({ metrics, grouping });
});

test.each([
  ['a Grafana variable left in', 'rate(x[$__rate_interval])x + $node'],
  ['an unterminated string', 'x{a="b}'],
  ['__name__ matchers', '{__name__="x"}'],
])('refuses %s', (_name, expr) => {
  expect(() => promqlUses(expr)).toThrow(/^promql: /);
});
