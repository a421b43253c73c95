import { parseCommunity } from '@headland/api';
import type { Announcement } from '../policy/types.js';
import { RouteTable, wireRoute, type RouteOp } from './routes.js';

const ADDRESSES: Record<string, string> = { tor: '198.18.0.1', spine: '198.18.0.2', rr: '198.18.0.3' };
const addressOf = (peer: string): string | undefined => ADDRESSES[peer];

const ann = (prefix: string, peers: string[], extra: Partial<Omit<Announcement, 'communities'>> & { communities?: string[] } = {}): Announcement => ({
  prefix,
  family: prefix.includes(':') ? 6 : 4,
  peers,
  services: ['shop/web'],
  ...extra,
  communities: (extra.communities ?? []).map(parseCommunity),
});

test.each([
  ['plain: next hop self, no attributes', [ann('203.0.113.10/32', ['tor'])], { prefix: '203.0.113.10/32', byPeer: { '198.18.0.1': {} } }],
  ['weighted, with communities (standard, well-known, large) and local pref',
    [ann('203.0.113.10/32', ['tor', 'rr'], { linkBandwidth: 3e6, localPref: 200, communities: ['64512:7', 'no-export', 'large:64512:1:2'] })],
    { prefix: '203.0.113.10/32', byPeer: Object.fromEntries(['198.18.0.1', '198.18.0.3'].map((a) => [a, { localPref: 200, communities: ['64512:7', '65535:65281'], largeCommunities: ['64512:1:2'], linkBandwidth: 3e6 }])) }],
  ['peers without a session here are left out', [ann('2001:db8::1/128', ['tor', 'nowhere'])], { prefix: '2001:db8::1/128', byPeer: { '198.18.0.1': {} } }],
  ['no peer with a session: withdraw', [ann('203.0.113.10/32', ['nowhere'])], undefined],
  ['no announcement: withdraw', [], undefined],
  ['groups that differ only in Services: the same attributes for both peers',
    [ann('203.0.113.10/32', ['tor'], { services: ['a/x'] }), ann('203.0.113.10/32', ['spine'], { services: ['b/y'] })],
    { prefix: '203.0.113.10/32', byPeer: { '198.18.0.1': {}, '198.18.0.2': {} } }],
  ['different attributes per peer: each peer gets exactly its own',
    [ann('203.0.113.10/32', ['tor'], { communities: ['64512:1'], localPref: 100 }), ann('203.0.113.10/32', ['spine'], { communities: ['64512:2'], localPref: 300 })],
    { prefix: '203.0.113.10/32', byPeer: { '198.18.0.1': { localPref: 100, communities: ['64512:1'] }, '198.18.0.2': { localPref: 300, communities: ['64512:2'] } } }],
  ['one peer in two announcements (not what the policy gives): its own are united, the other peer keeps its own',
    [ann('203.0.113.10/32', ['tor', 'spine'], { communities: ['64512:1'], localPref: 100 }), ann('203.0.113.10/32', ['tor'], { communities: ['64512:2'], localPref: 300, linkBandwidth: 1e6 })],
    { prefix: '203.0.113.10/32', byPeer: { '198.18.0.1': { localPref: 300, communities: ['64512:1', '64512:2'], linkBandwidth: 1e6 }, '198.18.0.2': { localPref: 100, communities: ['64512:1'] } } }],
])('wireRoute: %s', (_name, list, expected) => {
  const prefix = list[0]?.prefix ?? '203.0.113.10/32';
  const route = wireRoute(prefix, list, addressOf);
  expect(route).toEqual(expected);
  if (route) expect(Object.keys(route.byPeer)).toEqual(Object.keys(route.byPeer).sort());
});

// A sequential table: each row changes the table's state and says which calls must follow.
test('RouteTable: only changes reach the library', () => {
  const table = new RouteTable();
  let sessions: Record<string, string> = { tor: '198.18.0.1' };
  const bind = (peer: string): string | undefined => sessions[peer];
  const steps: [string, () => RouteOp[], RouteOp[]][] = [
    ['first announcement', () => table.apply(new Map([['203.0.113.10/32', [ann('203.0.113.10/32', ['tor', 'spine'])]]]), bind),
      [{ op: 'announce', route: { prefix: '203.0.113.10/32', byPeer: { '198.18.0.1': {} } } }]],
    ['the same again: nothing', () => table.apply(new Map([['203.0.113.10/32', [ann('203.0.113.10/32', ['tor', 'spine'])]]]), bind), []],
    ['a Service-only change (same wire route): nothing', () => table.apply(new Map([['203.0.113.10/32', [ann('203.0.113.10/32', ['tor', 'spine'], { services: ['x/y'] })]]]), bind), []],
    ['weight changes: announced again', () => table.apply(new Map([['203.0.113.10/32', [ann('203.0.113.10/32', ['tor', 'spine'], { linkBandwidth: 1e6 })]]]), bind),
      [{ op: 'announce', route: { prefix: '203.0.113.10/32', byPeer: { '198.18.0.1': { linkBandwidth: 1e6 } } } }]],
    ['the spine session comes up: rebind widens the peers', () => ((sessions = { tor: '198.18.0.1', spine: '198.18.0.2' }), table.rebind(bind)),
      [{ op: 'announce', route: { prefix: '203.0.113.10/32', byPeer: { '198.18.0.1': { linkBandwidth: 1e6 }, '198.18.0.2': { linkBandwidth: 1e6 } } } }]],
    ['rebind without change: nothing', () => table.rebind(bind), []],
    ['every session gone: withdrawn', () => ((sessions = {}), table.rebind(bind)), [{ op: 'withdraw', prefix: '203.0.113.10/32' }]],
    ['withdrawn twice: nothing', () => table.rebind(bind), []],
    ['sessions back: announced again', () => ((sessions = { tor: '198.18.0.1' }), table.rebind(bind)),
      [{ op: 'announce', route: { prefix: '203.0.113.10/32', byPeer: { '198.18.0.1': { linkBandwidth: 1e6 } } } }]],
    ['[] from the policy: withdrawn', () => table.apply(new Map([['203.0.113.10/32', []]]), bind), [{ op: 'withdraw', prefix: '203.0.113.10/32' }]],
    ['a prefix never announced, withdrawn: nothing', () => table.apply(new Map([['203.0.113.11/32', []]]), bind), []],
  ];
  for (const [name, step, expected] of steps) expect([name, step()]).toEqual([name, expected]);
  expect(table.size).toBe(0);
});

test('RouteTable: a change of one peer\'s attributes is one announce with every peer\'s set', () => {
  const table = new RouteTable();
  const red = (communities: string[]) => ann('203.0.113.10/32', ['tor'], { communities });
  const blue = ann('203.0.113.10/32', ['spine'], { communities: ['64512:9'] });
  table.apply(new Map([['203.0.113.10/32', [red(['64512:1']), blue]]]), addressOf);
  expect(table.apply(new Map([['203.0.113.10/32', [red(['64512:2']), blue]]]), addressOf)).toEqual([
    { op: 'announce', route: { prefix: '203.0.113.10/32', byPeer: { '198.18.0.1': { communities: ['64512:2'] }, '198.18.0.2': { communities: ['64512:9'] } } } },
  ]);
  expect(table.apply(new Map([['203.0.113.10/32', [red(['64512:2']), blue]]]), addressOf)).toEqual([]);
});
