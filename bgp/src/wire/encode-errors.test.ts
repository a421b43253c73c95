// Local misuse: values that cannot go on the wire throw BgpEncodeError (never BgpWireError),
// with a message that names the module and the bad value.

import { classicContext, modernContext, type WireContext } from './context.js';
import { BgpEncodeError } from './errors.js';
import type { PathAttribute } from './attributes/table.js';
import { encodeCapability } from './capabilities/table.js';
import { serializeMessage, type BgpMessage } from './message.js';
import { parsePrefix } from './nlri.js';

const update = (attributes: PathAttribute[], nlri = [parsePrefix('203.0.113.0/24')]): BgpMessage => ({ type: 'update', withdrawn: [], attributes, nlri });

test.each<[string, BgpMessage, WireContext, RegExp]>([
  ['ORIGIN not a name', update([{ type: 'origin', value: 'bgp' as never }]), classicContext, /^ORIGIN: /],
  ['AS_PATH 4-octet AS on a 2-octet session', update([{ type: 'as-path', value: [{ type: 'sequence', asns: [4200000000] }] }]), classicContext, /^AS_PATH: .*AS_TRANS/],
  ['AS_PATH empty segment', update([{ type: 'as-path', value: [{ type: 'sequence', asns: [] }] }]), modernContext, /^AS_PATH: /],
  ['NEXT_HOP not IPv4', update([{ type: 'next-hop', value: '2001:db8::1' }]), classicContext, /^NEXT_HOP: /],
  ['MULTI_EXIT_DISC negative', update([{ type: 'multi-exit-disc', value: -1 }]), classicContext, /^MULTI_EXIT_DISC: /],
  ['LOCAL_PREF fractional', update([{ type: 'local-pref', value: 1.5 }]), classicContext, /^LOCAL_PREF: /],
  ['AGGREGATOR address', update([{ type: 'aggregator', value: { asn: 1, address: 'x' } }]), classicContext, /^AGGREGATOR: /],
  ['COMMUNITIES empty', update([{ type: 'communities', value: [] }]), classicContext, /^COMMUNITIES: /],
  ['LARGE_COMMUNITY part too big', update([{ type: 'large-communities', value: [{ global: 2 ** 32, local1: 0, local2: 0 }] }]), classicContext, /^LARGE_COMMUNITY: /],
  ['raw extended community of 7 octets', update([{ type: 'extended-communities', value: [{ kind: 'raw', bytes: new Uint8Array(7) }] }]), classicContext, /^EXTENDED_COMMUNITIES: /],
  ['negative link bandwidth', update([{ type: 'extended-communities', value: [{ kind: 'link-bandwidth', asn: 1, bytesPerSecond: -5 }] }]), classicContext, /^EXTENDED_COMMUNITIES: /],
  ['route target 2-octet form with a 4-octet AS', update([{ type: 'extended-communities', value: [{ kind: 'route-target', format: 'as2', asn: 70000, local: 1 }] }]), classicContext, /^EXTENDED_COMMUNITIES: /],
  ['MP_REACH_NLRI with an IPv4 prefix in IPv6', update([{ type: 'mp-reach', value: { family: 'ipv6', nextHop: '2001:db8::1', nlri: [parsePrefix('203.0.113.0/24')] } }], []), modernContext, /^MP_REACH_NLRI: /],
  ['MP_REACH_NLRI link-local on IPv4', update([{ type: 'mp-reach', value: { family: 'ipv4', nextHop: '198.18.0.1', linkLocalNextHop: 'fe80::1', nlri: [] } }], []), modernContext, /^MP_REACH_NLRI: /],
  ['unknown attribute using a known code', update([{ type: 'unknown', code: 1, flags: 0xc0, value: new Uint8Array(1) }]), classicContext, /^attribute: /],
  ['IPv6 prefix in the classic NLRI field', update([], [parsePrefix('2001:db8::/32')]), classicContext, /^update: /],
  ['OPEN with a 4-octet My AS', { type: 'open', myAs: 70000, holdTime: 90, identifier: '198.18.0.1', capabilities: [] }, classicContext, /^open: .*AS_TRANS/],
  ['OPEN with a bad identifier', { type: 'open', myAs: 1, holdTime: 90, identifier: '1.2.3', capabilities: [] }, classicContext, /^open: /],
  ['NOTIFICATION code 256', { type: 'notification', code: 256, subcode: 0, data: new Uint8Array(0) }, classicContext, /^notification: /],
  ['NOTIFICATION over 4096 octets without extended messages', { type: 'notification', code: 6, subcode: 0, data: new Uint8Array(5000) }, classicContext, /^message: /],
  ['ROUTE-REFRESH AFI out of range', { type: 'route-refresh', afi: 70000, safi: 1, subtype: 0 }, classicContext, /^route-refresh: /],
])('%s', (_name, message, ctx, text) => {
  expect(() => serializeMessage(message, ctx)).toThrow(BgpEncodeError);
  expect(() => serializeMessage(message, ctx)).toThrow(text);
});

test.each([
  ['graceful restart time over 4095', { type: 'graceful-restart', restarting: false, notification: false, restartTime: 5000, families: [] }],
  ['unknown capability using a known code', { type: 'unknown', code: 65, value: new Uint8Array(4) }],
  ['four-octet AS negative', { type: 'four-octet-as', asn: -1 }],
] as const)('capability: %s', (_name, capability) => {
  expect(() => encodeCapability(capability, new Uint8Array(64), 0)).toThrow(BgpEncodeError);
});
