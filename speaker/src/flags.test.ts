import { parseSpeakerFlags } from './flags.js';

test('defaults, with the node name and kubeconfig from the environment', () => {
  expect(parseSpeakerFlags([], { KUBECONFIG: '/k', NODE_NAME: 'node-1' })).toEqual({
    kubeconfig: '/k', nodeName: 'node-1', namespace: 'headland-system', lbClass: undefined, metricsAddr: ':7474', healthAddr: ':7475',
    routerId: undefined, nodeIPs: undefined, listenPort: 179, restartStateFile: undefined, logLevel: 'info',
    membershipPort: 7946, membershipSecret: 'headland-memberlist', handoverMs: 300, kubeProxyHealthHost: '127.0.0.1', kubeProxyHealthzPort: 10256,
  });
});

test('every flag; flags win over the environment', () => {
  const f = parseSpeakerFlags(['--kubeconfig', '/x', '--node-name', 'n2', '--namespace', 'lb', '--lb-class', 'example.com/lb', '--metrics-addr', '127.0.0.1:0', '--health-addr', '[::1]:9',
    '--router-id', '198.18.0.11', '--node-ip', '198.18.0.11', '--node-ip', '2001:DB8::11', '--listen-port', '0', '--restart-state-file', '/run/s', '--log-level', 'debug',
    '--membership-port', '8000', '--membership-secret', 'ml', '--handover-ms', '0', '--kube-proxy-health-host', '198.18.0.11', '--kube-proxy-healthz-port', '10257'], { NODE_NAME: 'env-node' });
  expect(f).toEqual({ kubeconfig: '/x', nodeName: 'n2', namespace: 'lb', lbClass: 'example.com/lb', metricsAddr: '127.0.0.1:0', healthAddr: '[::1]:9',
    routerId: '198.18.0.11', nodeIPs: ['198.18.0.11', '2001:db8::11'], listenPort: 0, restartStateFile: '/run/s', logLevel: 'debug',
    membershipPort: 8000, membershipSecret: 'ml', handoverMs: 0, kubeProxyHealthHost: '198.18.0.11', kubeProxyHealthzPort: 10257 });
});

test.each([
  [[], /--node-name \(or \$NODE_NAME\) is required/],
  [['--node-name', 'Node_1'], /--node-name "Node_1" is not a valid node name/],
  [['--node-name', 'n', '--bogus'], /Unknown option '--bogus'/],
  [['--node-name', 'n', '--kube-proxy-health-host', 'localhost'], /--kube-proxy-health-host "localhost" is not an IP address/],
  [['--node-name', 'n', '--kube-proxy-healthz-port', '0'], /--kube-proxy-healthz-port "0" is not a port number/],
  [['--node-name', 'n', '--kube-proxy-healthz-port', '70000'], /--kube-proxy-healthz-port "70000" is not a port number/],
  [['--node-name', 'n', '--kubeconfig'], /--kubeconfig/],
  [['--node-name', 'n', '--namespace', 'Bad_NS'], /--namespace "Bad_NS" is not a valid namespace name/],
  [['--node-name', 'n', '--router-id', '2001:db8::1'], /--router-id "2001:db8::1" is not an IPv4 address/],
  [['--node-name', 'n', '--router-id', 'me'], /--router-id "me"/],
  [['--node-name', 'n', '--node-ip', '10.0.0.300'], /--node-ip "10.0.0.300" is not an IP address/],
  [['--node-name', 'n', '--listen-port', '65536'], /--listen-port "65536"/],
  [['--node-name', 'n', '--listen-port', '-1'], /--listen-port/],
  [['--node-name', 'n', '--log-level', 'loud'], /--log-level "loud"/],
  [['--node-name', 'n', '--membership-port', '0'], /--membership-port "0"/],
  [['--node-name', 'n', '--membership-port', '70000'], /--membership-port "70000"/],
  [['--node-name', 'n', '--membership-secret', 'Bad_Name'], /--membership-secret "Bad_Name"/],
  [['--node-name', 'n', '--handover-ms', '1.5'], /--handover-ms "1.5"/],
  [['--node-name', 'n', 'extra'], /Unexpected argument 'extra'/],
])('%j is refused with a message naming the flag', (argv, message) => {
  expect(() => parseSpeakerFlags(argv)).toThrow(message);
  expect(() => parseSpeakerFlags(argv)).toThrow(/^speaker\/flags: /);
});
