// Stale marks in the Adj-RIB-In (RFC 4724 §4.2): one table of rows in order, each changing the
// same RIB; UPDATEs go through the real codec and validateUpdate.

import { modernContext } from '../wire/context.js';
import { decodeMessage, serializeMessage } from '../wire/message.js';
import { formatPrefix, parsePrefix, type Prefix } from '../wire/nlri.js';
import { packUpdates, type Announcement } from '../wire/pack.js';
import { validateUpdate } from '../wire/validate-update.js';
import type { AddressFamily } from '../wire/ip.js';
import { AdjRibIn } from './adj-rib-in.js';

const announcement = (prefix: string, med = 0): Announcement => ({
  prefix: parsePrefix(prefix),
  nextHop: prefix.includes(':') ? '2001:db8::1' : '198.18.0.1',
  attributes: [
    { type: 'origin', value: 'igp' },
    { type: 'as-path', value: [{ type: 'sequence', asns: [64512] }] },
    { type: 'multi-exit-disc', value: med },
  ],
});

/** The peer sends these through the codec into the RIB. */
function receive(rib: AdjRibIn, announce: string[], withdraw: string[] = [], endOfRib: AddressFamily[] = []) {
  const updates = packUpdates({ announce: announce.map((p) => announcement(p)), withdraw: withdraw.map(parsePrefix), endOfRib }, modernContext);
  return updates.map((u) => {
    const [decoded] = decodeMessage(serializeMessage(u, modernContext), 0, modernContext);
    if (decoded.type !== 'update') throw new Error('stale.test: not an update');
    return rib.apply(validateUpdate(decoded, { external: true, peerAs: 64512, enforceFirstAs: true, fourOctetAs: true }));
  });
}

const names = (prefixes: readonly Prefix[]): string[] => prefixes.map(formatPrefix).sort();

type Row = [string, (rib: AdjRibIn) => unknown, { table: string[]; stale: string[]; result?: unknown }];

describe('stale marking and purging, rows in order on one RIB', () => {
  const rib = new AdjRibIn();
  const rows: Row[] = [
    ['the first session brings three IPv4 routes and one IPv6 route', (r) => receive(r, ['203.0.113.1/32', '203.0.113.2/32', '203.0.113.3/32', '2001:db8:1::/48'], [], ['ipv4', 'ipv6']), {
      table: ['203.0.113.1/32', '203.0.113.2/32', '203.0.113.3/32', '2001:db8:1::/48'],
      stale: [],
    }],
    ['the peer restarts, its capability lists IPv4 only: IPv4 kept stale, IPv6 dropped', (r) => {
      const { stale, dropped } = r.retain(['ipv4']);
      return { stale, dropped: names(dropped) };
    }, {
      table: ['203.0.113.1/32', '203.0.113.2/32', '203.0.113.3/32'],
      stale: ['203.0.113.1/32', '203.0.113.2/32', '203.0.113.3/32'],
      result: { stale: 3, dropped: ['2001:db8:1::/48'] },
    }],
    ['End-of-RIB is forgotten: the new session must send its own', (r) => r.endOfRib('ipv4'), {
      table: ['203.0.113.1/32', '203.0.113.2/32', '203.0.113.3/32'],
      stale: ['203.0.113.1/32', '203.0.113.2/32', '203.0.113.3/32'],
      result: false,
    }],
    ['a route sent again is fresh', (r) => receive(r, ['203.0.113.1/32']), {
      table: ['203.0.113.1/32', '203.0.113.2/32', '203.0.113.3/32'],
      stale: ['203.0.113.2/32', '203.0.113.3/32'],
    }],
    ['a stale route the peer withdraws goes, and is no longer stale', (r) => names(receive(r, [], ['203.0.113.2/32']).flatMap((c) => c.withdrawn)), {
      table: ['203.0.113.1/32', '203.0.113.3/32'],
      stale: ['203.0.113.3/32'],
      result: ['203.0.113.2/32'],
    }],
    ['a new route is fresh', (r) => receive(r, ['203.0.113.4/32']), {
      table: ['203.0.113.1/32', '203.0.113.3/32', '203.0.113.4/32'],
      stale: ['203.0.113.3/32'],
    }],
    ['purging IPv6 removes nothing of IPv4', (r) => names(r.purgeStale('ipv6')), {
      table: ['203.0.113.1/32', '203.0.113.3/32', '203.0.113.4/32'],
      stale: ['203.0.113.3/32'],
      result: [],
    }],
    ['purging IPv4 (its End-of-RIB) removes what was not sent again', (r) => names(r.purgeStale('ipv4')), {
      table: ['203.0.113.1/32', '203.0.113.4/32'],
      stale: [],
      result: ['203.0.113.3/32'],
    }],
    ['another restart marks everything stale again; a purge of all clears it', (r) => {
      r.retain(['ipv4', 'ipv6']);
      return names(r.purgeStale());
    }, {
      table: [],
      stale: [],
      result: ['203.0.113.1/32', '203.0.113.4/32'],
    }],
    ['clear() also forgets stale marks', (r) => {
      receive(r, ['203.0.113.9/32']);
      r.retain(['ipv4']);
      return names(r.clear());
    }, { table: [], stale: [], result: ['203.0.113.9/32'] }],
  ];
  test.each(rows)('%s', (_name, act, expected) => {
    const result = act(rib);
    if ('result' in expected) expect(result).toEqual(expected.result);
    expect(names(rib.routes().map((r) => r.prefix))).toEqual([...expected.table].sort());
    expect(names(rib.staleRoutes().map((r) => r.prefix))).toEqual(expected.stale);
    expect(rib.staleCount).toBe(expected.stale.length);
    for (const p of expected.table) expect(rib.isStale(parsePrefix(p))).toBe(expected.stale.includes(p));
  });
});
