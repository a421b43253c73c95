import { logLines, logOptions, parseK8sFileLine } from './pod-logs.js';

test.each([
  ['2026-12-07T02:00:00.000000001Z stdout F hello', { time: '2026-12-07T02:00:00.000000001Z', text: 'hello', partial: false }],
  ['2026-12-07T02:00:00Z stderr P part', { time: '2026-12-07T02:00:00Z', text: 'part', partial: true }],
  ['2026-12-07T02:00:00Z stdout F ', { time: '2026-12-07T02:00:00Z', text: '', partial: false }],
  ['not a log line', undefined],
  ['2026-12-07T02:00:00Z stdin F x', undefined],
])('parseK8sFileLine(%j)', (line, expected) => {
  expect(parseK8sFileLine(line)).toEqual(expected);
});

test('partial lines join into one, with the time of the first part', () => {
  expect(logLines('t1 stdout P ab\nt2 stdout F cd\nt3 stderr F e\n')).toEqual([{ time: 't1', text: 'abcd' }, { time: 't3', text: 'e' }]);
});

const pod = (containers: string[]) => ({ metadata: { name: 'p', namespace: 'n', uid: 'u' }, spec: { containers: containers.map((name) => ({ name })) } });

test.each<[string, string[], string, RegExp | Record<string, unknown>]>([
  ['one container is the default', ['a'], '', { container: 'a', previous: false, timestamps: false, tailLines: undefined, follow: false }],
  ['options', ['a'], 'container=a&previous=true&timestamps=true&tailLines=5&follow=true', { container: 'a', previous: true, timestamps: true, tailLines: 5, follow: true }],
  ['two containers need a name', ['a', 'b'], '', /a container name must be specified for pod p, choose one of: \[a b\]/],
  ['an unknown container', ['a'], 'container=z', /container z is not valid for pod p/],
  ['a negative tail', ['a'], 'tailLines=-1', /tailLines: Invalid value: "-1"/],
])('logOptions: %s', (_name, containers, query, expected) => {
  const run = () => logOptions(pod(containers), new URLSearchParams(query));
  if (expected instanceof RegExp) expect(run).toThrow(expected);
  else expect(run()).toEqual(expected);
});
