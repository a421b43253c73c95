// Reading FRR 8.4's `show bgp summary json`: counts per peer and the table size, and named
// errors for output that is not what FRR prints.

import { FrrSummaryError, parseFrrIpv4Summary } from './_bgp-frr.js';

// Trimmed from FRR 8.4.4 in the bgp-bench lab: BIRD (198.18.0.3) up with 2 routes, the speaker
// (198.18.0.2) waiting passively.
const sample = JSON.stringify({
  ipv4Unicast: {
    routerId: '198.18.0.1',
    as: 64512,
    ribCount: 2,
    peers: {
      '198.18.0.2': { remoteAs: 64513, pfxRcd: 0, pfxSnt: 0, state: 'Active', peerState: 'Passive' },
      '198.18.0.3': { remoteAs: 64514, pfxRcd: 2, pfxSnt: 0, state: 'Established', peerState: 'OK' },
    },
  },
});

test('peers with state and pfxRcd, and the table size', () => {
  const s = parseFrrIpv4Summary(sample);
  expect(s.ribCount).toBe(2);
  expect(s.peers.get('198.18.0.3')).toEqual({ state: 'Established', pfxRcd: 2 });
  expect(s.peers.get('198.18.0.2')).toEqual({ state: 'Active', pfxRcd: 0 });
});

test('an empty answer (no family up) is an empty table', () => {
  expect(parseFrrIpv4Summary('{}\n')).toEqual({ ribCount: 0, peers: new Map() });
  expect(parseFrrIpv4Summary('')).toEqual({ ribCount: 0, peers: new Map() });
});

test.each([
  ['not JSON', '% Unknown command', /not JSON/],
  ['an array', '[]', /not a JSON object/],
  ['no peers', '{"ipv4Unicast":{"ribCount":1}}', /no peers object/],
  ['a peer without pfxRcd', '{"ipv4Unicast":{"ribCount":1,"peers":{"198.18.0.2":{"state":"Established"}}}}', /peer 198\.18\.0\.2 lacks/],
  ['no ribCount', '{"ipv4Unicast":{"peers":{}}}', /no ribCount/],
])('%s is a named error', (_what, text, message) => {
  expect(() => parseFrrIpv4Summary(text)).toThrow(FrrSummaryError);
  expect(() => parseFrrIpv4Summary(text)).toThrow(message);
});
