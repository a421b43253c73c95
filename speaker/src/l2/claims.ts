// Who answers for each IP now, read from every node's ServiceL2Status objects: the election's
// claims input, which is what keeps owners in place across membership changes.
import { formatIP, parseIP } from '@headland/api';

/** What the informer keeps of a ServiceL2Status: the node and its IPs, nothing else. */
export function claimSkeleton<T extends { metadata?: { name?: string; namespace?: string } }>(object: T): T {
  const status = (object as { status?: { node?: unknown; addresses?: unknown } }).status;
  const addresses = Array.isArray(status?.addresses) ? status.addresses.map((a: unknown) => ({ ip: (a as { ip?: unknown } | null)?.ip })) : undefined;
  return { metadata: { name: object.metadata?.name, namespace: object.metadata?.namespace }, status: { node: status?.node, addresses } } as unknown as T;
}

/**
 * IP (canonical text) -> the nodes claiming it, sorted. An object without a node name or with an
 * address that is not an IP is skipped, and named in `problems`, so one bad object (a hand edit)
 * costs only its own claims.
 */
export function claimsFrom(objects: readonly unknown[]): { claims: Map<string, string[]>; problems: string[] } {
  const sets = new Map<string, Set<string>>();
  const problems: string[] = [];
  for (const object of objects) {
    const name = (object as { metadata?: { name?: unknown } } | null)?.metadata?.name;
    const status = (object as { status?: { node?: unknown; addresses?: unknown } } | null)?.status;
    const node = status?.node;
    if (typeof node !== 'string' || node === '') {
      problems.push(`ServiceL2Status ${String(name)}: status.node is not a node name`);
      continue;
    }
    const addresses = Array.isArray(status?.addresses) ? status.addresses : [];
    for (const address of addresses) {
      const text = (address as { ip?: unknown } | null)?.ip;
      let ip: string;
      try {
        if (typeof text !== 'string') throw new Error('not a string');
        ip = formatIP(parseIP(text));
      } catch {
        problems.push(`ServiceL2Status ${String(name)}: ${JSON.stringify(text)} is not an IP address`);
        continue;
      }
      const claimants = sets.get(ip) ?? new Set<string>();
      claimants.add(node);
      sets.set(ip, claimants);
    }
  }
  const claims = new Map<string, string[]>();
  for (const [ip, nodes] of sets) claims.set(ip, [...nodes].sort());
  return { claims, problems };
}
