import { parseCommand, parseConfig, routeToJson } from './config.js';
import { parsePrefix } from '../wire/nlri.js';

describe('parseConfig', () => {
  test('a full config', () => {
    const cfg = parseConfig(JSON.stringify({
      localAs: 64512,
      routerId: '198.18.0.1',
      listen: { address: '198.18.0.1', port: 1179 },
      peers: [{ address: '198.18.0.2', peerAs: 64513, holdTime: 3 }],
      routes: [{ prefix: '203.0.113.1/32', med: 5, communities: ['64512:1'], peers: ['198.18.0.2'] }],
    }));
    expect(cfg.speaker).toEqual({ localAs: 64512, routerId: '198.18.0.1', listen: { address: '198.18.0.1', port: 1179 } });
    expect(cfg.routes).toEqual([{ prefix: '203.0.113.1/32', attributes: { med: 5, communities: ['64512:1'] }, peers: ['198.18.0.2'] }]);
    expect(cfg.restartStateFile).toBeUndefined();
  });

  test('the restart state file', () => {
    expect(parseConfig('{"localAs":1,"routerId":"1.1.1.1","restartStateFile":"/run/bgp.state"}').restartStateFile).toBe('/run/bgp.state');
  });

  test.each<[string, string, RegExp]>([
    ['not JSON', '{', /^cli-config: file is not JSON/],
    ['an array', '[]', /^cli-config: file must hold a JSON object/],
    ['no localAs', '{"routerId":"1.1.1.1"}', /^cli-config: localAs/],
    ['no routerId', '{"localAs":1}', /^cli-config: routerId/],
    ['bad listen', '{"localAs":1,"routerId":"1.1.1.1","listen":{"port":1}}', /^cli-config: listen/],
    ['peer without address', '{"localAs":1,"routerId":"1.1.1.1","peers":[{"peerAs":2}]}', /^cli-config: peers\[0\] needs an "address"/],
    ['peer without AS', '{"localAs":1,"routerId":"1.1.1.1","peers":[{"address":"198.18.0.2"}]}', /^cli-config: peers\[0\] needs a "peerAs"/],
    ['route without prefix', '{"localAs":1,"routerId":"1.1.1.1","routes":[{"med":1}]}', /^cli-config: routes\[0\].prefix/],
    ['restart state file not a path', '{"localAs":1,"routerId":"1.1.1.1","restartStateFile":5}', /^cli-config: restartStateFile must be a file path/],
  ])('%s', (_name, text, message) => expect(() => parseConfig(text)).toThrow(message));
});

describe('parseCommand', () => {
  test.each([
    ['{"announce":"203.0.113.1/32","med":3}', { kind: 'announce', route: { prefix: '203.0.113.1/32', attributes: { med: 3 }, peers: undefined } }],
    ['{"withdraw":"203.0.113.1/32"}', { kind: 'withdraw', prefix: '203.0.113.1/32' }],
    ['{"status":true}', { kind: 'status' }],
    ['{"op":"restart-exit"}', { kind: 'restart-exit' }],
  ])('%s', (line, expected) => expect(parseCommand(line)).toEqual(expected));

  test.each(['', 'announce 1.2.3.4/32', '{"announce":5}', '{"hello":1}', '[1]', '{"announce":"1.2.3.4/32","peers":"x"}', '{"op":"reboot"}'])('%s is a cli-config error', (line) => {
    expect(() => parseCommand(line)).toThrow(/^cli-config: /);
  });
});

test('routeToJson renders attributes the way routers show them', () => {
  expect(routeToJson({
    prefix: parsePrefix('203.0.113.1/32'),
    nextHop: '198.18.0.1',
    attributes: [
      { type: 'origin', value: 'igp' },
      { type: 'as-path', value: [{ type: 'sequence', asns: [64512, 65000] }] },
      { type: 'multi-exit-disc', value: 7 },
      { type: 'communities', value: [64512 * 65536 + 1, 0xffffff01] },
      { type: 'large-communities', value: [{ global: 1, local1: 2, local2: 3 }] },
      { type: 'extended-communities', value: [{ kind: 'link-bandwidth', asn: 64512, bytesPerSecond: 1000 }] },
    ],
  })).toEqual({ prefix: '203.0.113.1/32', nextHop: '198.18.0.1', origin: 'igp', asPath: '64512 65000', med: 7, communities: ['64512:1', 'NO_EXPORT'], largeCommunities: ['1:2:3'], extendedCommunities: ['LB:64512:1000'] });
});

test('routeToJson shows an IPv6 link-local next hop beside the global one', () => {
  const route = { prefix: parsePrefix('2001:db8:1::/48'), nextHop: '2001:db8::1', linkLocalNextHop: 'fe80::1', attributes: [] };
  expect(routeToJson(route)).toEqual({ prefix: '2001:db8:1::/48', nextHop: '2001:db8::1', linkLocalNextHop: 'fe80::1' });
});
