import { parseKubeProxyFlags } from './flags.js';

test.each<[string[], Record<string, unknown>]>([
  [['--kubeconfig', '/tmp/kc', '--node-name', 'n1', '--node-ip', '198.18.0.11'], { kubeconfig: '/tmp/kc', nodeName: 'n1', nodeIPs: ['198.18.0.11'] }],
  [
    ['--kubeconfig=/k', '--node-name=n1', '--node-ip=198.18.0.11', '--node-ip=2001:db8::11', '--netns', 'hl-lab_n1', '--table', 't', '--debounce-ms', '0', '--state-file', '/tmp/s.nft'],
    { kubeconfig: '/k', nodeName: 'n1', nodeIPs: ['198.18.0.11', '2001:db8::11'], netns: 'hl-lab_n1', table: 't', debounceMs: 0, stateFile: '/tmp/s.nft' },
  ],
])('%j', (argv, expected) => {
  expect(parseKubeProxyFlags(argv)).toEqual(expected);
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
])('refuses %j', (argv, message) => {
  expect(() => parseKubeProxyFlags(argv)).toThrow(message);
});
