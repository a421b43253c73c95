import { dashboardQueries, missingInScrape, parseExposition, scrapeLabels, withGrafanaVariables } from './artifacts.js';

const EXPOSITION = `# HELP a_up 1 while up
# TYPE a_up gauge
a_up{peer="tor",address="198.18.0.1"} 1

# HELP b_seconds time
# TYPE b_seconds histogram
b_seconds_bucket{le="0.1"} 3
b_seconds_bucket{le="+Inf"} 4
b_seconds_sum 0.2
b_seconds_count 4

# HELP c_labelled never set
# TYPE c_labelled gauge
`;

describe('parseExposition', () => {
  test('families with their type, labels and sample count; a histogram keeps le off its own labels', () => {
    const f = parseExposition(EXPOSITION);
    expect([...f.keys()]).toEqual(['a_up', 'b_seconds', 'c_labelled']);
    expect(f.get('a_up')).toEqual({ type: 'gauge', labels: new Set(['peer', 'address']), samples: 1 });
    expect(f.get('b_seconds')).toEqual({ type: 'histogram', labels: new Set(), samples: 4 });
    expect(f.get('c_labelled')?.samples).toBe(0);
  });
});

describe('missingInScrape', () => {
  const families = parseExposition(EXPOSITION);
  const check = (expr: string) => missingInScrape([{ where: 'q', expr }], families, ['instance', 'job', 'node']);
  test.each<[string, string, string[]]>([
    ['a metric with its own and the target labels', 'max by (node, peer) (a_up{address="x", job="j"}) == 0', []],
    ['a histogram bucket by le', 'histogram_quantile(0.9, sum by (le) (rate(b_seconds_bucket[5m])))', []],
    ['its count and sum', 'rate(b_seconds_sum[5m]) / rate(b_seconds_count[5m])', []],
    ['Prometheus\'s own up', 'up{job="x"} == 0', []],
    ['a misspelt metric', 'a_upp == 0', ['q: a_upp is not exported']],
    ['a label the metric lacks', 'a_up{neighbor="x"}', ['q: a_up has no label neighbor']],
    ['le on a count', 'b_seconds_count{le="1"}', ['q: b_seconds_count has no label le']],
    ['grouping by a label nothing carries', 'sum by (pool) (a_up)', ['q: no series in it has the label pool']],
    ['a family without samples proves nothing', 'c_labelled > 0', ['q: c_labelled has no sample in the scrape, so its labels cannot be checked']],
  ])('%s', (_name, expr, problems) => {
    expect(check(expr)).toEqual(problems);
  });
});

test('Grafana variables become what Prometheus would get', () => {
  expect(withGrafanaVariables('rate(x{node=~"$node"}[$__rate_interval]) + y{n=~"${node}"}')).toBe('rate(x{node=~".*"}[5m]) + y{n=~".*"}');
});

test('dashboard queries: nested panels, and label_values() variables as a query over their label', () => {
  const dashboard = {
    panels: [{ title: 'row', panels: [{ title: 'p', targets: [{ expr: 'a{node=~"$node"}' }] }] }, { title: 'q', targets: [{ expr: 'b' }, {}] }],
    templating: { list: [{ name: 'node', query: { query: 'label_values(a_up, node)' } }, { name: 'datasource', query: 'prometheus' }] },
  };
  expect(dashboardQueries(dashboard)).toEqual([
    { where: 'panel "p"', expr: 'a{node=~".*"}' },
    { where: 'panel "q"', expr: 'b' },
    { where: 'variable $node', expr: 'max by (node) (a_up)' },
  ]);
});

test('the labels a scrape through the PodMonitors adds', () => {
  expect(scrapeLabels()).toEqual(['instance', 'job', 'node']);
});
