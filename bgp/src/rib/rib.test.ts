import { modernContext, classicContext } from '../wire/context.js';
import { BgpEncodeError } from '../wire/errors.js';
import { decodeMessage, serializeMessage } from '../wire/message.js';
import { formatPrefix, parsePrefix } from '../wire/nlri.js';
import type { Announcement } from '../wire/pack.js';
import { validateUpdate } from '../wire/validate-update.js';
import type { PathAttribute } from '../wire/attributes/table.js';
import type { UpdateMessage } from '../wire/update.js';
import { AdjRibIn } from './adj-rib-in.js';
import { AdjRibOut } from './adj-rib-out.js';

const base: PathAttribute[] = [
  { type: 'origin', value: 'igp' },
  { type: 'as-path', value: [{ type: 'sequence', asns: [64512] }] },
];
const route = (prefix: string, extra: PathAttribute[] = [], nextHop = '198.18.0.1'): Announcement => ({
  prefix: parsePrefix(prefix),
  nextHop: prefix.includes(':') ? '2001:db8::1' : nextHop,
  attributes: [...base, ...extra],
});

/** Sends the UPDATEs through the real codec into a peer's Adj-RIB-In. */
function deliver(updates: UpdateMessage[], ribIn: AdjRibIn) {
  return updates.map((u) => {
    const [decoded] = decodeMessage(serializeMessage(u, modernContext), 0, modernContext);
    if (decoded.type !== 'update') throw new Error('not an update');
    return ribIn.apply(validateUpdate(decoded, { external: true, peerAs: 64512, enforceFirstAs: true, fourOctetAs: true }));
  });
}

type Step = [string, (rib: AdjRibOut) => void, { updates: number; table: string[]; eor?: string[] }];

describe('AdjRibOut sends only differences (one shared table, rows in order)', () => {
  const rib = new AdjRibOut(['ipv4', 'ipv6'], modernContext);
  const peer = new AdjRibIn();
  const steps: Step[] = [
    ['initial flush: two routes, one UPDATE for both, then End-of-RIB for each family', (r) => {
      r.announce(route('203.0.113.1/32'));
      r.announce(route('203.0.113.2/32'));
    }, { updates: 3, table: ['203.0.113.1/32', '203.0.113.2/32'], eor: ['ipv4', 'ipv6'] }],
    ['the same path again sends nothing', (r) => r.announce(route('203.0.113.1/32')), { updates: 0, table: ['203.0.113.1/32', '203.0.113.2/32'] }],
    ['changed MED sends one UPDATE', (r) => r.announce(route('203.0.113.1/32', [{ type: 'multi-exit-disc', value: 10 }])), { updates: 1, table: ['203.0.113.1/32', '203.0.113.2/32'] }],
    ['attributes in another order are the same path', (r) => r.announce({ ...route('203.0.113.1/32', [{ type: 'multi-exit-disc', value: 10 }]), attributes: [{ type: 'multi-exit-disc', value: 10 }, ...[...base].reverse()] }), { updates: 0, table: ['203.0.113.1/32', '203.0.113.2/32'] }],
    ['changed next hop sends one UPDATE', (r) => r.announce(route('203.0.113.2/32', [], '198.18.0.9')), { updates: 1, table: ['203.0.113.1/32', '203.0.113.2/32'] }],
    ['withdraw sends one UPDATE', (r) => r.withdraw(parsePrefix('203.0.113.2/32')), { updates: 1, table: ['203.0.113.1/32'] }],
    ['withdrawing twice sends nothing', (r) => r.withdraw(parsePrefix('203.0.113.2/32')), { updates: 0, table: ['203.0.113.1/32'] }],
    ['announce then withdraw before a flush sends nothing', (r) => {
      r.announce(route('203.0.113.3/32'));
      r.withdraw(parsePrefix('203.0.113.3/32'));
    }, { updates: 0, table: ['203.0.113.1/32'] }],
    ['IPv6 goes in MP_REACH', (r) => r.announce(route('2001:db8::/64')), { updates: 1, table: ['203.0.113.1/32', '2001:db8::/64'] }],
    ['IPv6 withdraw goes in MP_UNREACH', (r) => r.withdraw(parsePrefix('2001:db8::/64')), { updates: 1, table: ['203.0.113.1/32'] }],
  ];
  test.each(steps)('%s', (_name, act, expected) => {
    act(rib);
    const updates = rib.flush();
    expect(updates).toHaveLength(expected.updates);
    const changes = deliver(updates, peer);
    expect(peer.routes().map((r) => formatPrefix(r.prefix)).sort()).toEqual([...expected.table].sort());
    expect(rib.advertised).toBe(expected.table.length);
    if (expected.eor) {
      expect(changes.flatMap((c) => (c.endOfRib ? [c.endOfRib] : []))).toEqual(expected.eor);
      for (const family of ['ipv4', 'ipv6'] as const) expect(peer.endOfRib(family)).toBe(true);
    }
    expect(rib.hasPending).toBe(false);
  });
});

describe('AdjRibOut edges', () => {
  test('an empty table still sends End-of-RIB once', () => {
    const rib = new AdjRibOut(['ipv4'], classicContext);
    expect(rib.flush()).toHaveLength(1);
    expect(rib.flush()).toHaveLength(0);
  });

  test('a family not negotiated is refused', () => {
    const rib = new AdjRibOut(['ipv4'], modernContext);
    expect(rib.announce(route('2001:db8::/64'))).toBe(false);
    expect(rib.flush()).toHaveLength(1); // End-of-RIB only
  });

  test('a path that cannot be encoded is a BgpEncodeError at announce time', () => {
    const rib = new AdjRibOut(['ipv4'], modernContext);
    expect(() => rib.announce({ ...route('203.0.113.1/32'), nextHop: '2001:db8::1' })).toThrow(BgpEncodeError);
    expect(() => rib.announce(route('203.0.113.1/32', [{ type: 'multi-exit-disc', value: -1 }]))).toThrow(BgpEncodeError);
  });

  test('routes with equal paths share one interned path, forgotten when no route uses it', () => {
    const rib = new AdjRibOut(['ipv4'], classicContext);
    // Each route() call builds fresh attribute arrays: sharing is by content, not identity.
    for (let i = 0; i < 100; i++) rib.announce(route(`198.19.0.${i}/32`));
    expect(rib.pathCount).toBe(1);
    rib.announce(route('198.19.0.7/32', [{ type: 'multi-exit-disc', value: 5 }]));
    expect(rib.pathCount).toBe(2);
    rib.announce(route('198.19.0.7/32'));
    expect(rib.pathCount).toBe(1);
    for (let i = 0; i < 100; i++) rib.withdraw(parsePrefix(`198.19.0.${i}/32`));
    expect(rib.pathCount).toBe(0);
    // What the peer receives still carries the path, and nothing is left after the withdrawals.
    const peer = new AdjRibIn();
    deliver(rib.flush(), peer);
    expect(peer.size).toBe(0);
  });

  test('a path checked with a short prefix is checked again for a longer one (it may no longer fit)', () => {
    // 1,012 communities: with a /0 (1 octet of NLRI) the UPDATE is 4,094 octets; a /32 needs 4 more, past 4,096.
    const big: PathAttribute[] = [{ type: 'communities', value: new Array<number>(1012).fill(1) }];
    const rib = new AdjRibOut(['ipv4'], classicContext);
    expect(rib.announce(route('0.0.0.0/0', big))).toBe(true);
    expect(() => rib.announce(route('203.0.113.1/32', big))).toThrow(BgpEncodeError);
    const updates = rib.flush();
    expect(updates.map((u) => serializeMessage(u, classicContext).length)).toEqual([4094, 23]);
  });

  test('many changes are coalesced: 1,000 prefixes with one path fit few UPDATEs', () => {
    const rib = new AdjRibOut(['ipv4'], classicContext);
    for (let i = 0; i < 1000; i++) rib.announce(route(`198.19.${i >> 8}.${i & 255}/32`));
    const updates = rib.flush();
    // 4096-octet messages hold ~800 /32s each (5 octets per prefix): 2 UPDATEs plus End-of-RIB.
    expect(updates).toHaveLength(3);
    const peer = new AdjRibIn();
    deliver(updates, peer);
    expect(peer.size).toBe(1000);
  });
});

describe('AdjRibIn', () => {
  test('treat-as-withdraw removes the routes an UPDATE carried', () => {
    const peer = new AdjRibIn();
    const rib = new AdjRibOut(['ipv4'], modernContext);
    rib.announce(route('203.0.113.7/32'));
    deliver(rib.flush(), peer);
    expect(peer.get(parsePrefix('203.0.113.7/32'))).toMatchObject({ nextHop: '198.18.0.1' });
    const change = peer.apply({ action: 'treat-as-withdraw', attributes: [], announce: [], withdraw: [parsePrefix('203.0.113.7/32'), parsePrefix('203.0.113.8/32')], errors: [], endOfRib: undefined });
    // Only what was present counts as withdrawn.
    expect(change.withdrawn.map(formatPrefix)).toEqual(['203.0.113.7/32']);
    expect(peer.size).toBe(0);
  });

  test('keeps the attributes but not the MP ones; IPv6 next hop comes from MP_REACH', () => {
    const peer = new AdjRibIn();
    const rib = new AdjRibOut(['ipv6'], modernContext);
    rib.announce(route('2001:db8:1::/48', [{ type: 'communities', value: [0xfde80001] }]));
    deliver(rib.flush(), peer);
    const got = peer.get(parsePrefix('2001:db8:1::/48'));
    expect(got?.nextHop).toBe('2001:db8::1');
    expect(got?.attributes.map((a) => a.type)).toEqual(['origin', 'as-path', 'communities']);
    expect(peer.clear().map(formatPrefix)).toEqual(['2001:db8:1::/48']);
    expect(peer.endOfRib('ipv6')).toBe(false);
  });

  test('keeps the link-local next hop a directly connected peer sends beside the global one', () => {
    const peer = new AdjRibIn();
    const rib = new AdjRibOut(['ipv6'], modernContext);
    rib.announce({ ...route('2001:db8:2::/48'), linkLocalNextHop: 'fe80::1' });
    rib.announce(route('2001:db8:3::/48'));
    deliver(rib.flush(), peer);
    expect(peer.get(parsePrefix('2001:db8:2::/48'))).toMatchObject({ nextHop: '2001:db8::1', linkLocalNextHop: 'fe80::1' });
    expect(peer.get(parsePrefix('2001:db8:3::/48'))?.linkLocalNextHop).toBeUndefined();
  });
});

describe('AdjRibOut in slices (a big table or burst goes out a limit at a time)', () => {
  const rib = new AdjRibOut(['ipv4'], classicContext);
  const peer = new AdjRibIn();
  const eors = (changes: ReturnType<typeof deliver>) => changes.flatMap((c) => (c.endOfRib ? [c.endOfRib] : []));
  type Slice = [string, (r: AdjRibOut) => void, { limit: number; endOfRib: boolean }, { table: number; eor: string[]; pending: boolean }];
  const slices: Slice[] = [
    ['first 5 routes of the table, End-of-RIB held (the table is still being added)', (r) => {
      for (let i = 0; i < 5; i++) r.announce(route(`198.19.0.${i}/32`));
    }, { limit: 3, endOfRib: false }, { table: 3, eor: [], pending: true }],
    ['the other 2, still held', () => undefined, { limit: 3, endOfRib: false }, { table: 5, eor: [], pending: true }],
    ['the table is complete: End-of-RIB alone', () => undefined, { limit: 3, endOfRib: true }, { table: 5, eor: ['ipv4'], pending: false }],
    ['a burst of 4 withdrawals, 3 at a time', (r) => {
      for (let i = 0; i < 4; i++) r.withdraw(parsePrefix(`198.19.0.${i}/32`));
    }, { limit: 3, endOfRib: true }, { table: 2, eor: [], pending: true }],
    ['the last withdrawal', () => undefined, { limit: 3, endOfRib: true }, { table: 1, eor: [], pending: false }],
  ];
  test.each(slices)('%s', (_name, act, options, expected) => {
    act(rib);
    const changes = deliver(rib.flush(options), peer);
    expect(peer.size).toBe(expected.table);
    expect(rib.advertised).toBe(expected.table);
    expect(eors(changes)).toEqual(expected.eor);
    expect(rib.hasPending).toBe(expected.pending);
  });
});
