// `ip monitor route` output as iproute2 6.1 prints it (captured in a namespace of our own) to
// the events the speaker benchmark times: destination, deleted or not, gateways and weights.
import { RouteMonitorError, gatewaysOf, parseRouteMessages } from './_speaker-monitor.js';

test.each([
  [
    'a multipath route with weights',
    '203.0.113.5 proto bgp metric 20 \n\tnexthop via 198.18.0.11 dev d0 weight 1 \n\tnexthop via 198.18.0.12 dev d0 weight 3 \n',
    [{ deleted: false, dst: '203.0.113.5', nexthops: { '198.18.0.11': 1, '198.18.0.12': 3 } }],
  ],
  [
    'a route through a kernel nexthop group (FRR zebra)',
    '203.0.113.6 nhid 45 proto bgp metric 20 \n\tnexthop via 198.18.0.11 dev eth1 weight 1 \n\tnexthop via 198.18.0.13 dev eth1 weight 1 \n',
    [{ deleted: false, dst: '203.0.113.6', nexthops: { '198.18.0.11': 1, '198.18.0.13': 1 } }],
  ],
  ['one path, then deleted', '203.0.113.5 via 198.18.0.11 dev d0 proto bgp metric 20 \nDeleted 203.0.113.5 via 198.18.0.11 dev d0 proto bgp metric 20 \n', [
    { deleted: false, dst: '203.0.113.5', nexthops: { '198.18.0.11': 1 } },
    { deleted: true, dst: '203.0.113.5', nexthops: { '198.18.0.11': 1 } },
  ]],
  ['a typed route', 'local fe80::7455:13ff:fea0:85c1 dev d1 table local proto kernel metric 0 pref medium\n', [
    { deleted: false, dst: 'fe80::7455:13ff:fea0:85c1', nexthops: {} },
  ]],
  ['a deleted blackhole', 'Deleted blackhole 203.0.113.0/24 proto static metric 20\n', [{ deleted: true, dst: '203.0.113.0/24', nexthops: {} }]],
  ['nothing', '\n\n', []],
])('%s', (_what, text, events) => {
  expect(parseRouteMessages(text)).toEqual(events);
});

test('a nexthop line with no route before it is refused', () => {
  expect(() => parseRouteMessages('\tnexthop via 198.18.0.11 dev d0 weight 1\n')).toThrow(RouteMonitorError);
  expect(() => parseRouteMessages('\tnexthop via 198.18.0.11 dev d0 weight 1\n')).toThrow('bench/speaker-monitor: a continuation line');
});

test('gatewaysOf sorts the gateways', () => {
  expect(gatewaysOf({ deleted: false, dst: 'x', nexthops: { '198.18.0.13': 1, '198.18.0.11': 3 } })).toEqual(['198.18.0.11', '198.18.0.13']);
});
