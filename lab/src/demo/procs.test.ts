import { formatPidFile, hasExited, parsePidFile, sameCommand } from './procs.js';

const argv = ['/usr/bin/node', '/repo/speaker/dist/main.js', '--node-name', 'node1'];
const z = (...parts: string[]): string => parts.join('\0') + '\0';

test('a pid file holds the pid on its first line and the argv after it, and reads back', () => {
  const text = formatPidFile(4242, argv);
  expect(text.split('\n')[0]).toBe('4242');
  expect(parsePidFile('speaker-node1', text)).toEqual({ name: 'speaker-node1', pid: 4242, argv });
});

test.each<[string, string]>([
  ['empty', ''],
  ['no argv line', '4242\n'],
  ['pid 1', formatPidFile(1, argv)],
  ['pid not a number', `abc\n${JSON.stringify(argv)}\n`],
  ['argv not JSON', '4242\nnode main.js\n'],
  ['argv empty', '4242\n[]\n'],
  ['argv with a number', '4242\n["node", 3]\n'],
])('%s is not a demo pid file', (_name, text) => {
  expect(parsePidFile('x', text)).toBeUndefined();
});

test.each<[string, string, boolean]>([
  ['the program itself', z(...argv), true],
  ['`ip netns exec NS` just before it execs the program', z('ip', 'netns', 'exec', 'hl-demo_node1', ...argv), true],
  ['another program', z('/usr/bin/node', '/repo/lab/dist/echo/main.js'), false],
  ['the same program with other flags (a reused pid)', z(...argv.slice(0, 3), 'node2'), false],
  ['only a prefix of the argv', z(...argv.slice(0, 2)), false],
  ['ip netns exec of something else', z('ip', 'netns', 'exec', 'hl-demo_node1', 'sleep', '100'), false],
  ['a gone process (empty cmdline)', '', false],
])('sameCommand: %s -> %s', (_name, cmdline, expected) => {
  expect(sameCommand(cmdline, argv)).toBe(expected);
});

test('hasExited: this process is running; a pid no process has is gone', () => {
  expect(hasExited(process.pid)).toBe(false);
  expect(hasExited(4_194_304 + 12_345)).toBe(true);
});
