import { FlagError, parseFlags, parseListen } from './flags.js';

test.each([
  [['--listen', '127.0.0.1:0', '--kubeconfig-out', '/tmp/k'], { host: '127.0.0.1', port: 0, kubeconfigOut: '/tmp/k', crdsDir: undefined, historySize: 10_000, bookmarkIntervalMs: 5_000 }],
  [['--listen=[::1]:6443', '--kubeconfig-out=/k', '--crds', 'd', '--history-size', '5', '--bookmark-interval-ms', '100'], { host: '::1', port: 6443, kubeconfigOut: '/k', crdsDir: 'd', historySize: 5, bookmarkIntervalMs: 100 }],
])('%j', (argv, expected) => {
  expect(parseFlags(argv)).toEqual(expected);
});

test.each([
  [['--kubeconfig-out', '/k'], '--listen is required'],
  [['--listen', '127.0.0.1:0'], '--kubeconfig-out is required'],
  [['--listen', 'nohost', '--kubeconfig-out', '/k'], '--listen must be HOST:PORT'],
  [['--listen', '1.2.3.4:70000', '--kubeconfig-out', '/k'], 'above 65535'],
  [['--listen', '1.2.3.4:1', '--kubeconfig-out', '/k', '--history-size', '0'], '--history-size must be a positive integer'],
  [['--listen'], '--listen needs a value'],
  [['--frob'], 'unknown argument "--frob"'],
])('%j is refused', (argv, message) => {
  expect(() => parseFlags(argv)).toThrow(FlagError);
  expect(() => parseFlags(argv)).toThrow(message);
});

test('IPv6 listen addresses use brackets', () => {
  expect(parseListen('[2001:db8::1]:80')).toEqual({ host: '2001:db8::1', port: 80 });
});
