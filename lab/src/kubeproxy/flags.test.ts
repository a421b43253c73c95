import { parseKubeProxyFlags } from './flags.js';

const base = ['--kubeconfig', '/k', '--node-name', 'n1', '--node-ip', '198.18.0.11'];
/** kube-proxy's defaults: healthz on 0.0.0.0:10256, and 2 × its 30 s sync period. */
const defaults = { healthzBindAddress: { host: '0.0.0.0', port: 10256 }, healthTimeoutMs: 60_000 };

test.each<[string[], Record<string, unknown>]>([
  [['--kubeconfig', '/tmp/kc', '--node-name', 'n1', '--node-ip', '198.18.0.11'], { kubeconfig: '/tmp/kc', nodeName: 'n1', nodeIPs: ['198.18.0.11'], ...defaults }],
  [
    ['--kubeconfig=/k', '--node-name=n1', '--node-ip=198.18.0.11', '--node-ip=2001:db8::11', '--netns', 'hl-lab_n1', '--table', 't', '--debounce-ms', '0', '--state-file', '/tmp/s.nft', '--healthz-bind-address', '127.0.0.1:0', '--health-timeout-ms', '500'],
    { kubeconfig: '/k', nodeName: 'n1', nodeIPs: ['198.18.0.11', '2001:db8::11'], netns: 'hl-lab_n1', table: 't', debounceMs: 0, stateFile: '/tmp/s.nft', healthzBindAddress: { host: '127.0.0.1', port: 0 }, healthTimeoutMs: 500 },
  ],
])('%j', (argv, expected) => {
  expect(parseKubeProxyFlags(argv)).toEqual(expected);
});

test.each<[string, { host: string; port: number } | null]>([
  ['--healthz-bind-address=', null],
  ['--healthz-bind-address= ', null],
  ['--healthz-bind-address=198.18.0.11', { host: '198.18.0.11', port: 10256 }],
  ['--healthz-bind-address=::', { host: '::', port: 10256 }],
  ['--healthz-bind-address=fd00::11', { host: 'fd00::11', port: 10256 }],
  ['--healthz-bind-address=0.0.0.0:8080', { host: '0.0.0.0', port: 8080 }],
  ['--healthz-bind-address=[::]:10256', { host: '::', port: 10256 }],
  ['--healthz-bind-address=[fd00::11]:9', { host: 'fd00::11', port: 9 }],
  ['--healthz-bind-address=[198.18.0.11]:9', { host: '198.18.0.11', port: 9 }],
])('%s', (flag, healthz) => {
  expect(parseKubeProxyFlags([...base, flag]).healthzBindAddress).toEqual(healthz);
});

test.each<[string[], string]>([
  [[], 'kubeproxy/flags: --kubeconfig is required'],
  [['--kubeconfig', '/k', '--node-ip', '198.18.0.11'], 'kubeproxy/flags: --node-name is required'],
  [['--kubeconfig', '/k', '--node-name', 'n1'], 'kubeproxy/flags: --node-ip is required'],
  [['--kubeconfig', '/k', '--node-name', 'n1', '--node-ip', '198.18.0.11', '--bogus'], "kubeproxy/flags: Unknown option '--bogus'"],
  [['--kubeconfig', '/k', '--node-name', 'n1', '--node-ip', '198.18.0.11', 'extra'], 'kubeproxy/flags: Unexpected argument'],
  [['--kubeconfig', '/k', '--node-name', 'n1', '--node-ip', '198.18.0.11', '--debounce-ms', '5ms'], 'kubeproxy/flags: --debounce-ms "5ms" is not a whole number'],
  [['--kubeconfig', '/k', '--node-name', 'n1', '--node-ip', '198.18.0.11', '--netns='], 'kubeproxy/flags: --netns is required'],
  [['--kubeconfig', '/k', '--node-name', 'n1', '--node-ip', '198.18.0.11', '--state-file='], 'kubeproxy/flags: --state-file is required'],
  [[...base, '--healthz-bind-address', ':10256'], 'kubeproxy/flags: --healthz-bind-address ":10256" has "", which is not an IPv4 address'],
  [[...base, '--healthz-bind-address', 'localhost:10256'], 'kubeproxy/flags: --healthz-bind-address "localhost:10256" has "localhost", which is not an IPv4 address'],
  [[...base, '--healthz-bind-address', 'fd00::11:10256x'], 'kubeproxy/flags: --healthz-bind-address "fd00::11:10256x" is not an IP address with a port'],
  [[...base, '--healthz-bind-address', '[fd00::11]'], 'kubeproxy/flags: --healthz-bind-address "[fd00::11]" is not an IP address with a port'],
  [[...base, '--healthz-bind-address', '[nope]:1'], 'kubeproxy/flags: --healthz-bind-address "[nope]:1" has "nope", which is not an IP address'],
  [[...base, '--healthz-bind-address', '0.0.0.0:65536'], 'kubeproxy/flags: --healthz-bind-address "0.0.0.0:65536" has port 65536, above 65535'],
  [[...base, '--healthz-bind-address', '0.0.0.0:http'], 'kubeproxy/flags: --healthz-bind-address "0.0.0.0:http" is not an IP address with a port'],
  [[...base, '--health-timeout-ms', '0'], 'kubeproxy/flags: --health-timeout-ms "0" is not a whole number of milliseconds from 1 to 86400000'],
  [[...base, '--health-timeout-ms', '60s'], 'kubeproxy/flags: --health-timeout-ms "60s" is not a whole number'],
  [[...base, '--health-timeout-ms', '86400001'], 'kubeproxy/flags: --health-timeout-ms "86400001" is not a whole number'],
  [[...base, '--health-timeout-ms='], 'kubeproxy/flags: --health-timeout-ms is required'],
])('refuses %j', (argv, message) => {
  expect(() => parseKubeProxyFlags(argv)).toThrow(message);
});
