import { FlagError, parseFlags, parseListen } from './flags.js';

const defaults = { plainHttp: false, authorizationMode: 'RBAC', serviceClusterIPRanges: ['198.19.128.0/20', '2001:db8:5e::/112'], nodePortRange: { first: 30000, last: 32767 }, certDir: undefined, podLogDir: undefined, endpointSliceController: false };

test.each([
  [['--listen', '127.0.0.1:0', '--kubeconfig-out', '/tmp/k'], { host: '127.0.0.1', port: 0, kubeconfigOut: '/tmp/k', crdsDir: undefined, historySize: 10_000, bookmarkIntervalMs: 5_000, ...defaults }],
  [['--listen=[::1]:6443', '--kubeconfig-out=/k', '--crds', 'd', '--history-size', '5', '--bookmark-interval-ms', '100'], { host: '::1', port: 6443, kubeconfigOut: '/k', crdsDir: 'd', historySize: 5, bookmarkIntervalMs: 100, ...defaults }],
  [
    ['--listen', '127.0.0.1:0', '--kubeconfig-out', '/k', '--plain-http', '--authorization-mode', 'AlwaysAllow', '--service-cluster-ip-range', '198.18.200.0/24', '--service-node-port-range=31000-31010'],
    { host: '127.0.0.1', port: 0, kubeconfigOut: '/k', crdsDir: undefined, historySize: 10_000, bookmarkIntervalMs: 5_000, plainHttp: true, authorizationMode: 'AlwaysAllow', serviceClusterIPRanges: ['198.18.200.0/24'], nodePortRange: { first: 31000, last: 31010 }, certDir: undefined, podLogDir: undefined, endpointSliceController: false },
  ],
  [['--listen', '127.0.0.1:0', '--kubeconfig-out', '/k', '--cert-dir', '/run/pki'], { host: '127.0.0.1', port: 0, kubeconfigOut: '/k', crdsDir: undefined, historySize: 10_000, bookmarkIntervalMs: 5_000, ...defaults, certDir: '/run/pki' }],
  [['--listen', '127.0.0.1:0', '--kubeconfig-out', '/k', '--plain-http=false', '--service-cluster-ip-range', '2001:db8:1::/112,198.18.200.0/24'], { host: '127.0.0.1', port: 0, kubeconfigOut: '/k', crdsDir: undefined, historySize: 10_000, bookmarkIntervalMs: 5_000, ...defaults, serviceClusterIPRanges: ['2001:db8:1::/112', '198.18.200.0/24'] }],
  [['--listen', '127.0.0.1:0', '--kubeconfig-out', '/k', '--endpointslice-controller'], { host: '127.0.0.1', port: 0, kubeconfigOut: '/k', crdsDir: undefined, historySize: 10_000, bookmarkIntervalMs: 5_000, ...defaults, endpointSliceController: true }],
  [['--listen', '127.0.0.1:0', '--kubeconfig-out', '/k', '--endpointslice-controller=false'], { host: '127.0.0.1', port: 0, kubeconfigOut: '/k', crdsDir: undefined, historySize: 10_000, bookmarkIntervalMs: 5_000, ...defaults }],
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
  [['--listen', '1.2.3.4:1', '--kubeconfig-out', '/k', '--plain-http=yes'], '--plain-http takes no value'],
  [['--listen', '1.2.3.4:1', '--kubeconfig-out', '/k', '--endpointslice-controller=on'], '--endpointslice-controller takes no value'],
  [['--listen', '1.2.3.4:1', '--kubeconfig-out', '/k', '--authorization-mode', 'Webhook'], '--authorization-mode must be RBAC or AlwaysAllow, got "Webhook"'],
  [['--listen', '1.2.3.4:1', '--kubeconfig-out', '/k', '--service-cluster-ip-range', '10.0.0.0/24,10.1.0.0/24'], 'two CIDRs must be of different families'],
  [['--listen', '1.2.3.4:1', '--kubeconfig-out', '/k', '--service-cluster-ip-range', 'ten/8'], '--service-cluster-ip-range must be one CIDR or two'],
  [['--listen', '1.2.3.4:1', '--kubeconfig-out', '/k', '--service-node-port-range', '32767-30000'], '--service-node-port-range must be FIRST-LAST'],
])('%j is refused', (argv, message) => {
  expect(() => parseFlags(argv)).toThrow(FlagError);
  expect(() => parseFlags(argv)).toThrow(message);
});

test('IPv6 listen addresses use brackets', () => {
  expect(parseListen('[2001:db8::1]:80')).toEqual({ host: '2001:db8::1', port: 80 });
});
