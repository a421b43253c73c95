import { parsePrefix } from '../wire/nlri.js';
import type { RouteAttributes } from '../session/route.js';
import { attributesFor, changeFor, SpeakerRoutes, type PrefixRoutes } from './speaker-routes.js';

const prefix = parsePrefix('203.0.113.10/32');
const A = '198.18.0.1';
const B = '198.18.0.2';
const C = '198.18.0.3';
const red: RouteAttributes = { communities: ['64512:1'] };
const blue: RouteAttributes = { communities: ['64512:2'], localPref: 300 };
const toAll = (attributes: RouteAttributes): PrefixRoutes => ({ prefix, toAll: attributes });
const each = (byPeer: Record<string, RouteAttributes>): PrefixRoutes => ({ prefix, byPeer: new Map(Object.entries(byPeer)) });

test.each([
  ['every peer gets the shared set', toAll(red), C, red],
  ['a listed peer gets its own set', each({ [A]: red, [B]: blue }), B, blue],
  ['a peer not listed gets nothing', each({ [A]: red }), B, undefined],
  ['no routes: nothing', undefined, A, undefined],
])('attributesFor: %s', (_name, routes, address, expected) => {
  expect(attributesFor(routes, address)).toEqual(expected);
});

test.each([
  ['new to all: announce', undefined, toAll(red), A, { op: 'announce', attributes: red }],
  ['all -> only A: B withdrawn', toAll(red), each({ [A]: red }), B, { op: 'withdraw' }],
  ['all -> only A: A announced again (its RIB-Out drops the repeat)', toAll(red), each({ [A]: red }), A, { op: 'announce', attributes: red }],
  ['A red -> A blue: A gets blue', each({ [A]: red }), each({ [A]: blue }), A, { op: 'announce', attributes: blue }],
  ['per-peer sets: B gets its own', each({ [A]: red, [B]: blue }), each({ [A]: blue, [B]: red }), B, { op: 'announce', attributes: red }],
  ['a peer in neither: nothing', each({ [A]: red }), each({ [B]: blue }), C, undefined],
  ['moved from A to B: A withdrawn', each({ [A]: red }), each({ [B]: red }), A, { op: 'withdraw' }],
  ['withdrawn (to all before): withdraw', toAll(red), undefined, C, { op: 'withdraw' }],
  ['withdrawn (not for this peer before): nothing', each({ [A]: red }), undefined, B, undefined],
])('changeFor: %s', (_name, before, after, address, expected) => {
  expect(changeFor(before, after, address)).toEqual(expected);
});

test('SpeakerRoutes: each peer sees its own table, set returns what was there', () => {
  const table = new SpeakerRoutes();
  const other = parsePrefix('2001:db8::1/128');
  expect(table.set('203.0.113.10/32', each({ [A]: red, [B]: blue }))).toBeUndefined();
  table.set('2001:db8::1/128', { prefix: other, toAll: {} });
  const seen = (address: string) => [...table.routesFor(address)].map(([p, attributes]) => [p.family, attributes]);
  expect(seen(A)).toEqual([['ipv4', red], ['ipv6', {}]]);
  expect(seen(B)).toEqual([['ipv4', blue], ['ipv6', {}]]);
  expect(seen(C)).toEqual([['ipv6', {}]]);
  expect(table.set('203.0.113.10/32', undefined)).toEqual(each({ [A]: red, [B]: blue }));
  expect(seen(A)).toEqual([['ipv6', {}]]);
  expect(table.size).toBe(1);
});
