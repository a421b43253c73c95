// Parsers of router output, fed with text captured from FRR 8.4, BIRD 2.0.12, GoBGP 3.10
// and iproute2 in this lab (trimmed to the fields that matter).
import { LabError } from './errors.js';
import { parseBirdProtocols, parseFrrSummary, parseGobgpNeighbors } from './bgp-state.js';
import { findRoute, parseBirdRoutes, parseFrrBgp, parseFrrBgpPrefix, parseFrrRoutes, parseGobgpRib, parseKernelRoutes } from './rib.js';

const frrSummary = `{
"ipv4Unicast":{ "routerId":"198.18.0.1", "as":64512,
  "peers":{
    "198.18.0.11":{ "dynamicPeer":true, "remoteAs":64513, "pfxRcd":1, "state":"Established", "peerState":"OK" },
    "198.18.0.12":{ "remoteAs":64513, "state":"Active", "peerState":"OK" } } },
"ipv6Unicast":{ "peers":{ "2001:db8:ff00::11":{ "state":"Connect" } } }
}`;

const birdProtocols = `BIRD 2.0.12 ready.
Name       Proto      Table      State  Since         Info
device1    Device     ---        up     15:51:32.517  
kernel1    Kernel     master4    up     15:51:32.517  
node1      BGP        ---        up     15:51:36.725  Established   
node3      BGP        ---        start  15:51:32.517  Active        Socket: Connection refused
node4      BGP        ---        start  2026-11-21 15:51:32  Connect
`;

const gobgpNeighbors = `[{"conf":{"local_asn":64512,"neighbor_address":"198.18.0.11","peer_asn":64513},"state":{"neighbor_address":"198.18.0.11","session_state":6}},
{"conf":{"neighbor_address":"198.18.0.13","peer_asn":64513},"state":{"session_state":3}},
{"conf":{"neighbor_address":"198.18.0.14"},"state":{"session_state":"ESTABLISHED"}}]`;

describe('BGP session parsers', () => {
  test('FRR summary: one session per peer over all families', () => {
    expect(parseFrrSummary(frrSummary)).toEqual([
      { peer: '198.18.0.11', state: 'Established', established: true },
      { peer: '198.18.0.12', state: 'Active', established: false },
      { peer: '2001:db8:ff00::11', state: 'Connect', established: false },
    ]);
  });

  test('FRR summary with no BGP configured is no sessions', () => {
    expect(parseFrrSummary('{\n}\n')).toEqual([]);
  });

  test('BIRD protocols: only BGP rows, state from Info', () => {
    expect(parseBirdProtocols(birdProtocols)).toEqual([
      { peer: 'node1', state: 'Established', established: true },
      { peer: 'node3', state: 'Active', established: false },
      { peer: 'node4', state: 'Connect', established: false },
    ]);
  });

  test('GoBGP neighbors: numeric and named session states', () => {
    expect(parseGobgpNeighbors(gobgpNeighbors)).toEqual([
      { peer: '198.18.0.11', state: 'established', established: true },
      { peer: '198.18.0.13', state: 'active', established: false },
      { peer: '198.18.0.14', state: 'established', established: true },
    ]);
  });

  test.each([
    ['FRR', () => parseFrrSummary('not json')],
    ['FRR array', () => parseFrrSummary('[]')],
    ['GoBGP', () => parseGobgpNeighbors('{"a":1}')],
  ])('%s garbage is a LabError from lab/bgp-state', (_name, f) => {
    expect(f).toThrow(LabError);
    expect(f).toThrow(/^lab\/bgp-state: /);
  });
});

const frrRoutes = `{ "203.0.113.10/32":[ { "prefix":"203.0.113.10/32", "protocol":"static", "selected":true, "installed":true, "distance":1,
  "nexthops":[ { "fib":true, "ip":"198.18.0.11", "interfaceName":"eth1", "active":true, "weight":1 },
               { "fib":true, "ip":"198.18.0.12", "interfaceName":"eth1", "active":true, "weight":1 },
               { "ip":"198.18.0.13", "interfaceName":"eth1", "weight":1 } ] } ] }`;

const frrBgp = `{ "vrfId": 0, "routerId": "198.18.0.1", "localAS": 64512,
 "routes": { "203.0.113.20/32": [{"valid":true,"bestpath":true,"multipath":true,"peerId":"198.18.0.11","path":"64513","origin":"IGP",
   "extendedCommunity":{"string":"LB:64513:125000 (1.000 Mbps)"},"nexthops":[{"ip":"198.18.0.11","afi":"ipv4","used":true}]},
  {"valid":true,"multipath":true,"peerId":"198.18.0.12","path":"64513","nexthops":[{"ip":"198.18.0.12","afi":"ipv4","used":true}]}] } }`;

const frrBgpPrefix = `{ "prefix":"203.0.113.77/32", "version":1, "advertisedTo":{ "198.18.2.2":{} },
  "paths":[ { "aspath":{ "string":"64520", "segments":[ { "type":"as-sequence", "list":[ 64520 ] } ], "length":1 },
    "origin":"IGP", "metric":150, "valid":true, "version":1,
    "bestpath":{ "bestpathFromAs":64520, "overall":true, "selectionReason":"First path received" },
    "community":{ "string":"64520:77", "list":[ "64520:77" ] },
    "largeCommunity":{ "string":"64520:1:2", "list":[ "64520:1:2" ] },
    "nexthops":[ { "ip":"198.18.2.2", "afi":"ipv4", "metric":0, "accessible":true, "used":true } ],
    "peer":{ "peerId":"198.18.2.2", "routerId":"198.18.2.2", "type":"external" } } ] }`;

const kernel = `[{"dst":"198.18.0.0/24","dev":"eth1","protocol":"kernel","scope":"link","prefsrc":"198.18.0.1","flags":[]},
{"dst":"203.0.113.10","nhid":12,"protocol":"static","metric":20,"flags":[],"nexthops":[{"gateway":"198.18.0.11","dev":"eth1","weight":1,"flags":[]},{"gateway":"198.18.0.12","dev":"eth1","weight":3,"flags":[]}]},
{"dst":"default","gateway":"198.18.101.1","dev":"eth0","flags":[]}]`;

const birdRoutes = `BIRD 2.0.12 ready.
Table master4:
203.0.113.20/32      unicast [node1 15:51:37.190] * (100) [AS64513i]
\tvia 198.18.0.11 on eth1
\tType: BGP univ
\tBGP.origin: IGP
\tBGP.as_path: 64513
\tBGP.next_hop: 198.18.0.11
\tBGP.local_pref: 100
                     unicast [node2 15:51:36.724] (100) [AS64513i]
\tvia 198.18.0.12 on eth1
\tType: BGP univ
\tBGP.as_path: 64513
198.18.0.0/24        unicast [direct1 15:51:32.519] * (240)
\tdev eth1
\tType: device univ
203.0.113.30/32      unicast [static1 15:51:40.000] * (200)
\tvia 198.18.0.11 on eth1 weight 1
\tvia 198.18.0.12 on eth1 weight 3
`;

const gobgpRib = `{"203.0.113.20/32":[{"nlri":{"prefix":"203.0.113.20/32"},"best":true,"attrs":[{"type":1,"value":0},{"type":2,"as_paths":[{"segment_type":2,"num":1,"asns":[64513]}]},{"type":3,"nexthop":"198.18.0.11"}],"source-id":"198.18.0.11","neighbor-ip":"198.18.0.11"},
{"nlri":{"prefix":"203.0.113.20/32"},"best":false,"attrs":[{"type":2,"as_paths":[{"segment_type":2,"num":1,"asns":[64513]}]},{"type":3,"nexthop":"198.18.0.12"}],"neighbor-ip":"198.18.0.12"}]}`;

describe('RIB and FIB parsers', () => {
  test('FRR RIB keeps only active nexthops, with weights', () => {
    const r = findRoute(parseFrrRoutes(frrRoutes), '203.0.113.10/32')!;
    expect(r.paths).toHaveLength(1);
    expect(r.paths[0]).toMatchObject({ source: 'static', best: true, attributes: { installed: 'true' } });
    expect(r.paths[0]!.nexthops).toEqual([{ via: '198.18.0.11', dev: 'eth1', weight: 1 }, { via: '198.18.0.12', dev: 'eth1', weight: 1 }]);
  });

  test('FRR BGP table: a path per peer, best and multipath, the link-bandwidth community', () => {
    const r = findRoute(parseFrrBgp(frrBgp), '203.0.113.20/32')!;
    expect(r.paths.map((p) => [p.source, p.best, p.attributes['multipath'], p.asPath])).toEqual([
      ['198.18.0.11', true, 'true', '64513'],
      ['198.18.0.12', false, 'true', '64513'],
    ]);
    expect(r.paths[0]!.attributes['extendedCommunity']).toBe('LB:64513:125000 (1.000 Mbps)');
  });

  test('FRR BGP table: MED from "metric" when the path has one', () => {
    const withMed = frrBgp.replace('"origin":"IGP",', '"origin":"IGP","metric":150,');
    expect(findRoute(parseFrrBgp(withMed), '203.0.113.20/32')!.paths.map((p) => p.attributes['med'])).toEqual(['150', undefined]);
  });

  test('FRR BGP prefix: every attribute of the path, communities and MED included', () => {
    expect(parseFrrBgpPrefix(frrBgpPrefix)).toEqual({
      prefix: '203.0.113.77/32',
      paths: [
        {
          source: '198.18.2.2',
          best: true,
          nexthops: [{ via: '198.18.2.2' }],
          asPath: '64520',
          attributes: { valid: 'true', origin: 'IGP', med: '150', community: '64520:77', largeCommunity: '64520:1:2' },
        },
      ],
    });
  });

  test.each(['{}', '{\n}\n', '{ "prefix":"203.0.113.77/32", "paths":[] }'])('FRR BGP prefix %j (not in the table) is undefined', (text) => {
    expect(parseFrrBgpPrefix(text)).toBeUndefined();
  });

  test('kernel FIB: host routes get their /32, multipath weights are kept, single paths have one nexthop', () => {
    const routes = parseKernelRoutes(kernel);
    expect(routes.map((r) => r.prefix)).toEqual(['198.18.0.0/24', '203.0.113.10/32', 'default']);
    expect(findRoute(routes, '203.0.113.10')!.paths[0]!.nexthops).toEqual([
      { via: '198.18.0.11', dev: 'eth1', weight: 1 },
      { via: '198.18.0.12', dev: 'eth1', weight: 3 },
    ]);
    expect(findRoute(routes, 'default')!.paths[0]!.nexthops).toEqual([{ via: '198.18.101.1', dev: 'eth0', weight: 1 }]);
    expect(parseKernelRoutes('')).toEqual([]);
  });

  test('BIRD routes: continuation lines add paths to the prefix above, "*" marks the best', () => {
    const routes = parseBirdRoutes(birdRoutes);
    expect(routes.map((r) => r.prefix)).toEqual(['203.0.113.20/32', '198.18.0.0/24', '203.0.113.30/32']);
    const svc = routes[0]!;
    expect(svc.paths.map((p) => [p.source, p.best, p.asPath, p.nexthops[0]?.via])).toEqual([
      ['node1', true, '64513', '198.18.0.11'],
      ['node2', false, '64513', '198.18.0.12'],
    ]);
    expect(svc.paths[0]!.attributes['BGP.local_pref']).toBe('100');
    expect(routes[1]!.paths[0]!.nexthops).toEqual([{ dev: 'eth1' }]);
    expect(routes[2]!.paths[0]!.nexthops.map((n) => n.weight)).toEqual([1, 3]);
  });

  test('GoBGP RIB: nexthop and AS path from the attributes, best flag', () => {
    const r = parseGobgpRib(gobgpRib)[0]!;
    expect(r.prefix).toBe('203.0.113.20/32');
    expect(r.paths.map((p) => [p.source, p.best, p.asPath, p.nexthops[0]?.via])).toEqual([
      ['198.18.0.11', true, '64513', '198.18.0.11'],
      ['198.18.0.12', false, '64513', '198.18.0.12'],
    ]);
    expect(parseGobgpRib('{}')).toEqual([]);
  });

  test.each([
    ['FRR routes', () => parseFrrRoutes('[1]')],
    ['FRR BGP', () => parseFrrBgp('oops')],
    ['FRR BGP prefix', () => parseFrrBgpPrefix('[]')],
    ['FRR BGP prefix without "prefix"', () => parseFrrBgpPrefix('{ "paths":[ { "valid":true } ] }')],
    ['kernel', () => parseKernelRoutes('{}')],
    ['GoBGP', () => parseGobgpRib('[]')],
    ['BIRD', () => parseBirdRoutes('                     unicast [node2 15:51:36.724] (100)\n')],
  ])('%s garbage is a LabError from lab/rib', (_name, f) => {
    expect(f).toThrow(LabError);
    expect(f).toThrow(/^lab\/rib: /);
  });
});
