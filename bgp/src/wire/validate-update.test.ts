// RFC 7606 verdicts on decoded UPDATEs, and the OPEN checks of RFC 4271 §6.2.

import { BgpWireError } from './errors.js';
import type { PathAttribute } from './attributes/table.js';
import { parsePrefix } from './nlri.js';
import type { OpenMessage } from './open.js';
import type { DecodedUpdate } from './update.js';
import { endOfRibFamily, validateUpdate, type UpdatePeer } from './validate-update.js';
import { negotiateContext, negotiateHoldTime, validateOpen, type OpenExpectations } from './validate-open.js';
import { updateError } from './errors.js';

const ebgp: UpdatePeer = { external: true, peerAs: 65001, enforceFirstAs: true, fourOctetAs: true };
const ibgp: UpdatePeer = { external: false, peerAs: 64512, enforceFirstAs: true, fourOctetAs: true };
const p = parsePrefix;

const base: PathAttribute[] = [
  { type: 'origin', value: 'igp' },
  { type: 'as-path', value: [{ type: 'sequence', asns: [65001] }] },
  { type: 'next-hop', value: '198.18.0.1' },
];

function received(attributes: PathAttribute[], extra: Partial<DecodedUpdate> = {}): DecodedUpdate {
  return { type: 'update', withdrawn: [], attributes, nlri: [p('203.0.113.0/24')], attributeErrors: [], ...extra };
}

const without = (type: string) => base.filter((a) => a.type !== type);

describe('validateUpdate', () => {
  test('a good UPDATE is accepted', () => {
    const verdict = validateUpdate(received(base, { withdrawn: [p('203.0.113.128/25')] }), ebgp);
    expect(verdict).toMatchObject({ action: 'accept', announce: [p('203.0.113.0/24')], withdraw: [p('203.0.113.128/25')], errors: [] });
  });

  test.each<[string, PathAttribute[], UpdatePeer, number, string]>([
    ['ORIGIN missing', without('origin'), ebgp, 3, '01'],
    ['AS_PATH missing', without('as-path'), ebgp, 3, '02'],
    ['NEXT_HOP missing with classic NLRI', without('next-hop'), ebgp, 3, '03'],
    ['NEXT_HOP 0.0.0.0', [...without('next-hop'), { type: 'next-hop', value: '0.0.0.0' }], ebgp, 8, ''],
    ['NEXT_HOP multicast', [...without('next-hop'), { type: 'next-hop', value: '224.0.0.5' }], ebgp, 8, ''],
    ['first AS is not the peer', [...without('as-path'), { type: 'as-path', value: [{ type: 'sequence', asns: [65002] }] }], ebgp, 11, ''],
    ['empty AS_PATH from eBGP', [...without('as-path'), { type: 'as-path', value: [] }], ebgp, 11, ''],
    ['AS_SET first from eBGP', [...without('as-path'), { type: 'as-path', value: [{ type: 'set', asns: [65001] }] }], ebgp, 11, ''],
    ['confederation segment from eBGP', [...without('as-path'), { type: 'as-path', value: [{ type: 'sequence', asns: [65001] }, { type: 'confed-set', asns: [7] }] }], ebgp, 11, ''],
    ['AS 0 in AS_PATH (iBGP too)', [...without('as-path'), { type: 'as-path', value: [{ type: 'sequence', asns: [0] }] }], ibgp, 11, ''],
  ])('%s -> treat-as-withdraw 3/%i', (_name, attributes, peer, subcode, data) => {
    const verdict = validateUpdate(received(attributes, { withdrawn: [p('198.18.0.0/24')] }), peer);
    expect(verdict.action).toBe('treat-as-withdraw');
    expect(verdict.announce).toEqual([]);
    expect(verdict.withdraw).toEqual([p('198.18.0.0/24'), p('203.0.113.0/24')]);
    expect(verdict.errors.map((e) => [e.subcode, e.action, Buffer.from(e.data).toString('hex')])).toEqual([[subcode, 'treat-as-withdraw', data]]);
  });

  test('first-AS check is skipped for iBGP and when not enforced', () => {
    const path: PathAttribute[] = [...without('as-path'), { type: 'as-path', value: [] }];
    expect(validateUpdate(received(path), ibgp).action).toBe('accept');
    expect(validateUpdate(received(path), { ...ebgp, enforceFirstAs: false }).action).toBe('accept');
  });

  test('treat-as-withdraw from decoding withdraws classic and MP_REACH prefixes', () => {
    const mp: PathAttribute = { type: 'mp-reach', value: { family: 'ipv6', nextHop: '2001:db8::1', nlri: [p('2001:db8::/32')] } };
    const verdict = validateUpdate(
      received([mp, ...base], { attributeErrors: [updateError('ORIGIN: bad', 6, 'treat-as-withdraw', Uint8Array.of(0x40, 1, 1, 9))] }),
      ebgp,
    );
    expect(verdict.action).toBe('treat-as-withdraw');
    expect(verdict.withdraw).toEqual([p('203.0.113.0/24'), p('2001:db8::/32')]);
  });

  test('an attribute that failed to decode is not also reported missing', () => {
    const verdict = validateUpdate(
      received(without('origin'), { attributeErrors: [updateError('ORIGIN: bad', 6, 'treat-as-withdraw', Uint8Array.of(0x40, 1, 1, 9))] }),
      ebgp,
    );
    expect(verdict.errors).toHaveLength(1);
  });

  test('attribute-discard keeps the routes', () => {
    const verdict = validateUpdate(received(base, { attributeErrors: [updateError('AGGREGATOR: bad', 5, 'attribute-discard')] }), ebgp);
    expect(verdict.action).toBe('accept');
    expect(verdict.announce).toEqual([p('203.0.113.0/24')]);
  });

  test('MP_REACH without NEXT_HOP is fine (RFC 4760)', () => {
    const mp: PathAttribute = { type: 'mp-reach', value: { family: 'ipv6', nextHop: '2001:db8::1', nlri: [p('2001:db8::/32')] } };
    const verdict = validateUpdate(received([mp, ...without('next-hop')], { nlri: [] }), ebgp);
    expect(verdict).toMatchObject({ action: 'accept', announce: [p('2001:db8::/32')] });
  });

  test('repeated attributes: the first is kept, the rest discarded', () => {
    const verdict = validateUpdate(received([...base, { type: 'origin', value: 'egp' }]), ebgp);
    expect(verdict.action).toBe('accept');
    expect(verdict.attributes.filter((a) => a.type === 'origin')).toEqual([{ type: 'origin', value: 'igp' }]);
    expect(verdict.errors.map((e) => [e.subcode, e.action])).toEqual([[1, 'attribute-discard']]);
  });

  test.each(['mp-reach', 'mp-unreach'] as const)('repeated %s resets the session (3/1)', (type) => {
    const mp: PathAttribute =
      type === 'mp-reach'
        ? { type, value: { family: 'ipv6', nextHop: '2001:db8::1', nlri: [] } }
        : { type, value: { family: 'ipv6', withdrawn: [] } };
    let caught: unknown;
    try {
      validateUpdate(received([mp, ...base, mp]), ebgp);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BgpWireError);
    expect([(caught as BgpWireError).subcode, (caught as BgpWireError).action]).toEqual([1, 'session-reset']);
  });

  test('LOCAL_PREF from eBGP is dropped, from iBGP kept', () => {
    const attrs: PathAttribute[] = [...base, { type: 'local-pref', value: 200 }];
    expect(validateUpdate(received(attrs), ebgp).attributes.some((a) => a.type === 'local-pref')).toBe(false);
    expect(validateUpdate(received(attrs), { ...ibgp, peerAs: 65001 }).attributes.some((a) => a.type === 'local-pref')).toBe(true);
  });

  test('AS4_PATH is dropped between 4-octet speakers, merged into AS_PATH from a 2-octet one (RFC 6793 §4.2.3)', () => {
    const attrs: PathAttribute[] = [
      ...without('as-path'),
      { type: 'as-path', value: [{ type: 'sequence', asns: [65001, 23456] }] },
      { type: 'as4-path', value: [{ type: 'sequence', asns: [4200000000] }] },
    ];
    const fromNew = validateUpdate(received(attrs), ebgp).attributes;
    expect(fromNew.some((a) => a.type === 'as4-path')).toBe(false);
    expect(fromNew.find((a) => a.type === 'as-path')?.value).toEqual([{ type: 'sequence', asns: [65001, 23456] }]);
    const fromOld = validateUpdate(received(attrs), { ...ebgp, fourOctetAs: false });
    expect(fromOld.action).toBe('accept');
    expect(fromOld.attributes.some((a) => a.type === 'as4-path')).toBe(false);
    expect(fromOld.attributes.find((a) => a.type === 'as-path')?.value).toEqual([{ type: 'sequence', asns: [65001, 4200000000] }]);
  });

  test('AGGREGATOR with AS 0 is discarded', () => {
    const verdict = validateUpdate(received([...base, { type: 'aggregator', value: { asn: 0, address: '198.18.0.1' } }]), ebgp);
    expect(verdict.attributes.some((a) => a.type === 'aggregator')).toBe(false);
    expect(verdict.errors.map((e) => e.action)).toEqual(['attribute-discard']);
  });

  test.each<[string, DecodedUpdate, string | undefined]>([
    ['empty UPDATE is IPv4 End-of-RIB', { type: 'update', withdrawn: [], attributes: [], nlri: [], attributeErrors: [] }, 'ipv4'],
    ['empty MP_UNREACH is IPv6 End-of-RIB', { type: 'update', withdrawn: [], attributes: [{ type: 'mp-unreach', value: { family: 'ipv6', withdrawn: [] } }], nlri: [], attributeErrors: [] }, 'ipv6'],
    ['MP_UNREACH with routes is not', { type: 'update', withdrawn: [], attributes: [{ type: 'mp-unreach', value: { family: 'ipv6', withdrawn: [p('2001:db8::/32')] } }], nlri: [], attributeErrors: [] }, undefined],
    ['an announcement is not', received(base), undefined],
  ])('%s', (_name, message, family) => {
    expect(endOfRibFamily(message)).toBe(family);
    expect(validateUpdate(message, ebgp).endOfRib).toBe(family);
  });
});

describe('validateOpen', () => {
  const open = (over: Partial<OpenMessage>): OpenMessage => ({
    type: 'open', myAs: 65001, holdTime: 90, identifier: '198.18.0.2', capabilities: [], ...over,
  });
  const expectations: OpenExpectations = { localAs: 64512, localIdentifier: '198.18.0.1', peerAs: 65001 };

  test.each<[string, OpenMessage, OpenExpectations, number]>([
    ['peer AS 0', open({ myAs: 0 }), { ...expectations, peerAs: undefined }, 2],
    ['4-octet AS 0', open({ myAs: 23456, capabilities: [{ type: 'four-octet-as', asn: 0 }] }), expectations, 2],
    ['unexpected peer AS', open({ myAs: 65009 }), expectations, 2],
    ['hold time 1', open({ holdTime: 1 }), expectations, 6],
    ['hold time 2', open({ holdTime: 2 }), expectations, 6],
    ['identifier 0.0.0.0', open({ identifier: '0.0.0.0' }), expectations, 3],
    ['iBGP peer with our identifier', open({ myAs: 64512, identifier: '198.18.0.1' }), { ...expectations, peerAs: 64512 }, 3],
  ])('%s -> 2/%i', (_name, message, expect_, subcode) => {
    let caught: unknown;
    try {
      validateOpen(message, expect_);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BgpWireError);
    expect([(caught as BgpWireError).code, (caught as BgpWireError).subcode]).toEqual([2, subcode]);
    expect((caught as BgpWireError).message).toMatch(/^validate-open: /);
  });

  test.each<[string, OpenMessage, number]>([
    ['hold time 0', open({ holdTime: 0 }), 65001],
    ['hold time 3', open({ holdTime: 3 }), 65001],
    ['eBGP peer may share our identifier (RFC 6286)', open({ identifier: '198.18.0.1' }), 65001],
    ['4-octet AS wins over AS_TRANS', open({ myAs: 23456, capabilities: [{ type: 'four-octet-as', asn: 65001 }] }), 65001],
  ])('%s is accepted', (_name, message, peerAs) => {
    expect(validateOpen(message, expectations)).toBe(peerAs);
  });

  test('negotiation needs both sides', () => {
    const both = open({ holdTime: 30, capabilities: [{ type: 'four-octet-as', asn: 65001 }, { type: 'extended-message' }] });
    expect(negotiateContext(both, both)).toEqual({ fourOctetAs: true, extendedMessage: true });
    expect(negotiateContext(both, open({}))).toEqual({ fourOctetAs: false, extendedMessage: false });
    expect(negotiateHoldTime(both, open({}))).toBe(30);
  });
});
