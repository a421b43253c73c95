import { PassThrough } from 'node:stream';
import { ConfigError } from './errors.js';
import { createLogger, parseLogLevel } from './log.js';

function capture(level?: string): { lines: () => Record<string, unknown>[]; log: ReturnType<typeof createLogger> } {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  const log = createLogger({ name: 'headland-test', ...(level === undefined ? {} : { level }), destination: out });
  return { log, lines: () => text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test('one JSON object per line, with name, ISO time, level and fields', () => {
  const { log, lines } = capture();
  log.info({ pool: 'default' }, 'allocated');
  log.debug('not shown at info');
  const [line, ...rest] = lines();
  expect(rest).toEqual([]);
  expect(line).toMatchObject({ name: 'headland-test', msg: 'allocated', pool: 'default', level: 30 });
  expect(String(line?.['time'])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

test.each([
  ['debug', ['d', 'i', 'w']],
  ['warn', ['w']],
  ['WARN', ['w']],
  ['silent', []],
])('level %s lets through %j', (level, expected) => {
  const { log, lines } = capture(level);
  log.debug('d');
  log.info('i');
  log.warn('w');
  expect(lines().map((l) => l['msg'])).toEqual(expected);
});

test.each(['verbose', '', 'information'])('level %j is refused with the choices', (level) => {
  expect(() => parseLogLevel(level)).toThrow(ConfigError);
  expect(() => createLogger({ name: 'x', level })).toThrow(`log: unknown level ${JSON.stringify(level)} (one of fatal, error, warn, info, debug, trace, silent)`);
});

test('a logger needs a name', () => {
  expect(() => createLogger({ name: ' ' })).toThrow('log: a logger needs a name');
});
