// The node's own addresses, one per family: the --node-ip flags when given, else the Node's
// status addresses (InternalIP before ExternalIP, as kubelet lists the one it uses first).
import { isValidIP, parseIP } from '@headland/api';
import type { NodeAddresses } from './peers.js';

const PREFERENCE = ['InternalIP', 'ExternalIP'];

export function nodeAddresses(node: unknown, flagIPs: readonly string[] | undefined): NodeAddresses {
  const candidates = flagIPs ?? fromStatus(node);
  let ipv4: string | undefined;
  let ipv6: string | undefined;
  for (const text of candidates) {
    if (!isValidIP(text)) continue;
    const ip = parseIP(text);
    if (ip.family === 4) ipv4 ??= text;
    else ipv6 ??= text.toLowerCase();
  }
  return { ipv4, ipv6 };
}

function fromStatus(node: unknown): string[] {
  const status = (node as { status?: { addresses?: unknown } } | undefined)?.status;
  const list = Array.isArray(status?.addresses) ? (status.addresses as unknown[]) : [];
  const typed = list.filter((a): a is { type: string; address: string } => typeof a === 'object' && a !== null && typeof (a as Record<string, unknown>)['type'] === 'string' && typeof (a as Record<string, unknown>)['address'] === 'string');
  return PREFERENCE.flatMap((type) => typed.filter((a) => a.type === type).map((a) => a.address));
}
