// RFC 6793 §4.2.2/§4.2.3 with a 2-octet peer: merge tables, the attribute-list rules, and the
// whole path through the codec (bytes from an OLD speaker in, bytes to an OLD speaker out).

import { AdjRibOut } from '../rib/adj-rib-out.js';
import type { AsPath, AsPathSegment } from './attributes/as-path-segments.js';
import type { PathAttribute } from './attributes/table.js';
import { hex, toHex } from './bytes.js';
import { classicContext, modernContext } from './context.js';
import { mergeAs4Attributes, mergeAsPaths, pathCount, splitAs4Attributes } from './as4-merge.js';
import { decodeMessage, serializeMessage } from './message.js';
import { parsePrefix } from './nlri.js';
import type { DecodedUpdate } from './update.js';
import { validateUpdate } from './validate-update.js';

const seq = (...asns: number[]): AsPathSegment => ({ type: 'sequence', asns });
const set = (...asns: number[]): AsPathSegment => ({ type: 'set', asns });
const cseq = (...asns: number[]): AsPathSegment => ({ type: 'confed-sequence', asns });
const T = 23456;

describe('pathCount', () => {
  test.each<[string, AsPath, number]>([
    ['empty', [], 0],
    ['sequence counts each AS', [seq(1, 2, 3)], 3],
    ['a set counts one', [seq(1), set(2, 3, 4)], 2],
    ['confederation segments count nothing', [cseq(9, 9), seq(1)], 1],
  ])('%s', (_name, path, count) => expect(pathCount(path)).toBe(count));
});

describe('mergeAsPaths (§4.2.3)', () => {
  test.each<[string, AsPath, AsPath, AsPath]>([
    ['all 4-octet ASNs replaced', [seq(T, T)], [seq(4200000001, 4200000002)], [seq(4200000001, 4200000002)]],
    ['an OLD speaker prepended: its leading ASNs stay', [seq(65001, 65002, T)], [seq(4200000001)], [seq(65001, 65002, 4200000001)]],
    ['AS4_PATH longer than AS_PATH is ignored', [seq(65001)], [seq(4200000001, 4200000002)], [seq(65001)]],
    ['equal counts: AS4_PATH wholly', [seq(65001, T)], [seq(65001, 4200000001)], [seq(65001, 4200000001)]],
    ['a set counts one when taking the head', [set(65001, 65002), seq(T)], [seq(4200000001)], [set(65001, 65002), seq(4200000001)]],
    ['confed segments in AS4_PATH are dropped', [seq(65001, T)], [cseq(7), seq(4200000001)], [seq(65001, 4200000001)]],
    ['a leading confed segment goes along', [cseq(64900), seq(65001, T)], [seq(4200000001)], [cseq(64900), seq(65001, 4200000001)]],
    ['a confed segment next to the taken head goes along', [seq(65001), cseq(64900), seq(T)], [seq(4200000001)], [seq(65001), cseq(64900), seq(4200000001)]],
    ['an AS4_PATH of a set', [seq(65001, T)], [set(4200000001, 4200000002)], [seq(65001), set(4200000001, 4200000002)]],
    ['no AS4 ASNs at all', [seq(65001, 65002)], [], [seq(65001, 65002)]],
  ])('%s', (_name, asPath, as4Path, merged) => expect(mergeAsPaths(asPath, as4Path)).toEqual(merged));

  test('a seam over 255 ASNs stays two segments', () => {
    const head = Array.from({ length: 200 }, (_, i) => 1000 + i);
    const tail = Array.from({ length: 100 }, (_, i) => 4200000000 + i);
    const merged = mergeAsPaths([seq(...head, ...tail.map(() => T))], [seq(...tail)]);
    expect(merged).toEqual([seq(...head), seq(...tail)]);
  });
});

const origin: PathAttribute = { type: 'origin', value: 'igp' };

describe('mergeAs4Attributes (§4.2.3)', () => {
  test.each<[string, PathAttribute[], PathAttribute[]]>([
    ['nothing to merge leaves the list as it is', [origin, { type: 'as-path', value: [seq(65001)] }], [origin, { type: 'as-path', value: [seq(65001)] }]],
    [
      'AS4_PATH rebuilds AS_PATH and goes',
      [origin, { type: 'as-path', value: [seq(65001, T)] }, { type: 'as4-path', value: [seq(4200000001)] }],
      [origin, { type: 'as-path', value: [seq(65001, 4200000001)] }],
    ],
    [
      'AGGREGATOR AS_TRANS takes AS4_AGGREGATOR',
      [{ type: 'as-path', value: [seq(T)] }, { type: 'aggregator', value: { asn: T, address: '198.18.0.9' } }, { type: 'as4-path', value: [seq(4200000001)] }, { type: 'as4-aggregator', value: { asn: 4200000001, address: '198.18.0.9' } }],
      [{ type: 'as-path', value: [seq(4200000001)] }, { type: 'aggregator', value: { asn: 4200000001, address: '198.18.0.9' } }],
    ],
    [
      'AGGREGATOR with a real AS: both AS4_* ignored',
      [{ type: 'as-path', value: [seq(65001, T)] }, { type: 'aggregator', value: { asn: 65001, address: '198.18.0.9' } }, { type: 'as4-path', value: [seq(4200000001)] }, { type: 'as4-aggregator', value: { asn: 4200000001, address: '198.18.0.8' } }],
      [{ type: 'as-path', value: [seq(65001, T)] }, { type: 'aggregator', value: { asn: 65001, address: '198.18.0.9' } }],
    ],
  ])('%s', (_name, input, output) => expect(mergeAs4Attributes(input)).toEqual(output));
});

describe('splitAs4Attributes (§4.2.2)', () => {
  test.each<[string, PathAttribute[], boolean, PathAttribute[]]>([
    ['2-octet path to an OLD peer: no AS4_PATH', [{ type: 'as-path', value: [seq(65001)] }], false, [{ type: 'as-path', value: [seq(65001)] }]],
    [
      '4-octet ASNs to an OLD peer: AS_TRANS and AS4_PATH',
      [origin, { type: 'as-path', value: [seq(4200000001, 65001)] }],
      false,
      [origin, { type: 'as-path', value: [seq(T, 65001)] }, { type: 'as4-path', value: [seq(4200000001, 65001)] }],
    ],
    [
      'confed segments stay out of AS4_PATH',
      [{ type: 'as-path', value: [cseq(64900), seq(4200000001)] }],
      false,
      [{ type: 'as-path', value: [cseq(64900), seq(T)] }, { type: 'as4-path', value: [seq(4200000001)] }],
    ],
    [
      'a 4-octet aggregator to an OLD peer',
      [{ type: 'aggregator', value: { asn: 4200000001, address: '198.18.0.9' } }],
      false,
      [{ type: 'aggregator', value: { asn: T, address: '198.18.0.9' } }, { type: 'as4-aggregator', value: { asn: 4200000001, address: '198.18.0.9' } }],
    ],
    [
      'to a NEW peer nothing changes but stray AS4_* go',
      [{ type: 'as-path', value: [seq(4200000001)] }, { type: 'as4-path', value: [seq(1)] }],
      true,
      [{ type: 'as-path', value: [seq(4200000001)] }],
    ],
  ])('%s', (_name, input, fourOctetAs, output) => expect(splitAs4Attributes(input, fourOctetAs)).toEqual(output));

  test.each<[string, PathAttribute[]]>([
    ['a path', [origin, { type: 'as-path', value: [seq(4200000001, 65001, 4200000002)] }]],
    ['a path and aggregator', [origin, { type: 'as-path', value: [seq(65010, 4200000001)] }, { type: 'aggregator', value: { asn: 4200000001, address: '198.18.0.9' } }]],
  ])('split then merge gives back %s', (_name, attributes) => {
    expect(mergeAs4Attributes(splitAs4Attributes(attributes, false))).toEqual(attributes);
  });
});

describe('through the codec with an OLD peer', () => {
  // UPDATE from a 2-octet speaker (AS 65001) passing on a route from AS 4200000001.
  const fromOldSpeaker = hex(`
    ffffffffffffffffffffffffffffffff  # marker
    0038                              # length 56
    02                                # type UPDATE
    0000                              # no withdrawn routes
    001d                              # path attributes length 29
    40 01 01 00                       # ORIGIN IGP
    40 02 06 02 02 fde9 5ba0          # AS_PATH: sequence of 2: 65001 23456 (AS_TRANS)
    40 03 04 c6120001                 # NEXT_HOP 198.18.0.1
    c0 11 06 02 01 fa56ea01           # AS4_PATH: sequence of 1: 4200000001
    18 cb0071                         # NLRI 203.0.113.0/24
  `);

  test('the Adj-RIB-In gets the real path', () => {
    const [message] = decodeMessage(fromOldSpeaker, 0, classicContext);
    const verdict = validateUpdate(message as DecodedUpdate, { external: true, peerAs: 65001, enforceFirstAs: true, fourOctetAs: false });
    expect(verdict.action).toBe('accept');
    expect(verdict.attributes.find((a) => a.type === 'as-path')?.value).toEqual([seq(65001, 4200000001)]);
    expect(verdict.attributes.some((a) => a.type === 'as4-path')).toBe(false);
  });

  test('between two NEW speakers an AS4_PATH is dropped, not merged', () => {
    const [message] = decodeMessage(fromOldSpeaker, 0, classicContext);
    const verdict = validateUpdate(message as DecodedUpdate, { external: true, peerAs: 65001, enforceFirstAs: true, fourOctetAs: true });
    expect(verdict.attributes.find((a) => a.type === 'as-path')?.value).toEqual([seq(65001, T)]);
  });

  test('the Adj-RIB-Out sends AS_TRANS and AS4_PATH to an OLD peer, plain 4-octet ASNs to a NEW one', () => {
    const announcement = { prefix: parsePrefix('203.0.113.0/24'), nextHop: '198.18.0.1', attributes: [origin, { type: 'as-path', value: [seq(4200000001, 65001)] }] as PathAttribute[] };
    const old = new AdjRibOut(['ipv4'], classicContext);
    old.announce(announcement);
    const [update] = old.flush();
    expect(toHex(serializeMessage(update!, classicContext))).toBe(
      toHex(hex(`
        ffffffffffffffffffffffffffffffff 003c 02 0000 0021  # marker, length 60, UPDATE, no withdrawn, attributes 33
        40 01 01 00                   # ORIGIN IGP
        40 02 06 02 02 5ba0 fde9      # AS_PATH 23456 65001
        40 03 04 c6120001             # NEXT_HOP
        c0 11 0a 02 02 fa56ea01 0000fde9  # AS4_PATH 4200000001 65001
        18 cb0071                     # NLRI 203.0.113.0/24
      `)),
    );
    const modern = new AdjRibOut(['ipv4'], modernContext);
    modern.announce(announcement);
    const [plain] = modern.flush();
    const [decoded] = decodeMessage(serializeMessage(plain!, modernContext), 0, modernContext);
    expect((decoded as DecodedUpdate).attributes.map((a) => a.type)).toEqual(['origin', 'as-path', 'next-hop']);
  });
});
