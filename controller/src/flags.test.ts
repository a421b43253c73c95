import { parseControllerFlags } from './flags.js';

test('defaults', () => {
  const f = parseControllerFlags([], { KUBECONFIG: '/k', POD_NAME: 'pod-1' });
  expect(f).toEqual({
    kubeconfig: '/k', namespace: 'headland-system', lbClass: undefined, metricsAddr: ':7472', healthAddr: ':7473', webhookAddr: ':9443', webhookDrainMs: 5000,
    leaseName: 'headland-controller', identity: 'pod-1', leaseDurationMs: 15000, renewDeadlineMs: 10000, retryPeriodMs: 2000, workers: 32, logLevel: 'info',
  });
});

test('every flag', () => {
  const f = parseControllerFlags(['--kubeconfig', '/x', '--namespace', 'lb', '--lb-class', 'example.com/lb', '--metrics-addr', '127.0.0.1:0', '--health-addr', '[::1]:9', '--webhook-addr', '127.0.0.1:0', '--webhook-drain', '1s',
    '--lease-name', 'l', '--identity', 'me', '--lease-duration', '3s', '--renew-deadline', '1s500ms', '--retry-period', '500ms', '--workers', '4', '--log-level', 'debug']);
  expect(f).toMatchObject({ kubeconfig: '/x', namespace: 'lb', lbClass: 'example.com/lb', metricsAddr: '127.0.0.1:0', healthAddr: '[::1]:9', webhookAddr: '127.0.0.1:0', webhookDrainMs: 1000, leaseName: 'l', identity: 'me',
    leaseDurationMs: 3000, renewDeadlineMs: 1500, retryPeriodMs: 500, workers: 4, logLevel: 'debug' });
});

test.each([
  [['--bogus'], /Unknown option '--bogus'/],
  [['--kubeconfig'], /--kubeconfig/],
  [['--namespace', 'Bad_NS'], /--namespace "Bad_NS" is not a valid namespace name/],
  [['--lease-duration', 'soon'], /--lease-duration: duration: "soon" is not a duration/],
  [['--lease-duration', '15'], /--lease-duration: duration: "15" is not a duration/],
  [['--lease-duration', '2s', '--renew-deadline', '2s'], /--renew-deadline must be shorter than --lease-duration/],
  [['--retry-period', '20s'], /--retry-period must be shorter than --renew-deadline/],
  [['--lease-duration', '5ms'], /between 100ms and 1h/],
  [['--workers', '0'], /--workers "0"/],
  [['--log-level', 'loud'], /--log-level "loud"/],
  [['--webhook-drain', '2m'], /--webhook-drain "2m" must be at most 1m/],
  [['--webhook-drain', 'soon'], /--webhook-drain: duration/],
  [['extra'], /Unexpected argument 'extra'/],
])('%j is refused', (argv, message) => {
  expect(() => parseControllerFlags(argv)).toThrow(message);
});

test('--webhook-drain 0 closes the webhook at once (tests)', () => {
  expect(parseControllerFlags(['--webhook-drain', '0']).webhookDrainMs).toBe(0);
});
