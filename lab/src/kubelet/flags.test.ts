import { parseKubeletFlags } from './flags.js';

const ok = ['--kubeconfig', 'k', '--node-name', 'node1', '--netns', 'hl-x_node1', '--node-ip', '198.18.0.11'];

test.each<[string, string[], RegExp]>([
  ['missing node ip', ['--kubeconfig', 'k', '--node-name', 'n', '--netns', 'x'], /--node-ip is required/],
  ['missing netns', ['--kubeconfig', 'k', '--node-name', 'n', '--node-ip', '1.2.3.4'], /--netns is required/],
  ['bad netns', [...ok.slice(0, 4), '--netns', 'a/b', '--node-ip', '1.2.3.4'], /not a network namespace name/],
  ['unknown flag', [...ok, '--nope'], /Unknown option '--nope'/],
  ['bad label', [...ok, '--node-label', 'x'], /not KEY=VALUE/],
  ['pod CIDR outside the lab', [...ok, '--pod-cidr', '10.0.0.0/24'], /--pod-cidr "10.0.0.0\/24" is outside the lab's ranges/],
  ['pod CIDR with host bits', [...ok, '--pod-cidr', '198.18.101.7/24'], /host bits set/],
  ['bad backoff', [...ok, '--restart-backoff-ms', '1s'], /not a whole number/],
])('refuses %s', (_, argv, re) => expect(() => parseKubeletFlags(argv)).toThrow(re));

test('parses everything', () => {
  expect(parseKubeletFlags([...ok, '--ulimit', 'nofile=1:2', '--node-label', 'a=b', '--cleanup-on-exit', '--restart-backoff-ms', '500', '--pod-log-dir', '/l', '--pod-cidr', '198.18.101.0/24', '--pod-cidr', '2001:db8:101::/64'])).toEqual({
    kubeconfig: 'k', nodeName: 'node1', netns: 'hl-x_node1', nodeIPs: ['198.18.0.11'], podCidrs: ['198.18.101.0/24', '2001:db8:101::/64'], allowPrivileged: false, cleanupOnExit: true, nodeLabels: { a: 'b' }, ulimits: ['nofile=1:2'], restartBackoffMs: 500, podLogDir: '/l',
  });
});
