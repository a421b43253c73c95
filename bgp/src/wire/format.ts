// Human and JSON renderings of decoded messages, for logs and the CLI. Kept out of the
// codec files so that decoding never pays for display.

import { toHex } from './bytes.js';
import type { PathAttribute } from './attributes/table.js';
import { WellKnownCommunity } from './attributes/communities.js';
import type { ExtendedCommunity } from './attributes/extended-communities.js';
import type { AsPath } from './attributes/as-path-segments.js';
import type { BgpMessage } from './message.js';
import { notificationName } from './notification-names.js';
import { formatPrefix } from './nlri.js';
import { routeRefreshSubtypeName } from './route-refresh.js';

const communityNames = new Map<number, string>(Object.entries(WellKnownCommunity).map(([name, value]) => [value, name]));

/** "65000:100", or the well-known name. */
export function formatCommunity(value: number): string {
  return communityNames.get(value) ?? `${Math.floor(value / 0x10000)}:${value & 0xffff}`;
}

export function formatAsPath(path: AsPath): string {
  const open = { sequence: '', set: '{', 'confed-sequence': '(', 'confed-set': '[' } as const;
  const close = { sequence: '', set: '}', 'confed-sequence': ')', 'confed-set': ']' } as const;
  return path.map((s) => `${open[s.type]}${s.asns.join(s.type.endsWith('set') ? ',' : ' ')}${close[s.type]}`).join(' ');
}

export function formatExtendedCommunity(c: ExtendedCommunity): string {
  switch (c.kind) {
    case 'link-bandwidth':
      return `LB:${c.asn}:${c.bytesPerSecond}`;
    case 'raw':
      return `raw:${toHex(c.bytes)}`;
    default: {
      const tag = c.kind === 'route-target' ? 'RT' : 'SoO';
      return `${tag}:${c.format === 'ipv4' ? c.address : c.asn}:${c.local}`;
    }
  }
}

export function formatAttribute(attribute: PathAttribute): string {
  switch (attribute.type) {
    case 'as-path':
    case 'as4-path':
      return `${attribute.type} ${formatAsPath(attribute.value)}`;
    case 'communities':
      return `communities ${attribute.value.map(formatCommunity).join(' ')}`;
    case 'large-communities':
      return `large-communities ${attribute.value.map((c) => `${c.global}:${c.local1}:${c.local2}`).join(' ')}`;
    case 'extended-communities':
      return `extended-communities ${attribute.value.map(formatExtendedCommunity).join(' ')}`;
    case 'aggregator':
    case 'as4-aggregator':
      return `${attribute.type} ${attribute.value.asn} ${attribute.value.address}`;
    case 'mp-reach': {
      const hop = attribute.value.linkLocalNextHop ? `${attribute.value.nextHop},${attribute.value.linkLocalNextHop}` : attribute.value.nextHop;
      return `mp-reach ${attribute.value.family} via ${hop} ${attribute.value.nlri.map(formatPrefix).join(' ')}`;
    }
    case 'mp-unreach':
      return `mp-unreach ${attribute.value.family} ${attribute.value.withdrawn.map(formatPrefix).join(' ')}`;
    case 'unknown':
      return `attribute-${attribute.code} flags=0x${attribute.flags.toString(16)} ${toHex(attribute.value)}`;
    default:
      return `${attribute.type} ${String(attribute.value)}`;
  }
}

/** One line per message, as a log would show it. */
export function formatMessage(message: BgpMessage): string {
  switch (message.type) {
    case 'open':
      return `OPEN as=${message.myAs} hold=${message.holdTime} id=${message.identifier} caps=${message.capabilities.map((c) => (c.type === 'unknown' ? `cap-${c.code}` : c.type)).join(',')}`;
    case 'update': {
      const parts = [
        ...(message.withdrawn.length ? [`withdraw ${message.withdrawn.map(formatPrefix).join(' ')}`] : []),
        ...message.attributes.map(formatAttribute),
        ...(message.nlri.length ? [`nlri ${message.nlri.map(formatPrefix).join(' ')}`] : []),
      ];
      return `UPDATE ${parts.join('; ')}`;
    }
    case 'notification':
      return `NOTIFICATION ${notificationName(message.code, message.subcode)} data=${toHex(message.data)}`;
    case 'keepalive':
      return 'KEEPALIVE';
    case 'route-refresh':
      return `ROUTE-REFRESH afi=${message.afi} safi=${message.safi} ${routeRefreshSubtypeName(message) ?? `subtype-${message.subtype}`}`;
  }
}

/** A JSON-safe copy: octet strings become hex, everything else stays as decoded. */
export function messageToJson(message: BgpMessage): unknown {
  return JSON.parse(JSON.stringify(message, (_key, value: unknown) => (value instanceof Uint8Array ? toHex(value) : value)));
}
