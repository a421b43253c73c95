// Who holds which IP: one entry per IP in use with its holders (more than one only when they
// share), and an index from sharing key to IPs, so a sharer finds its IP without a scan.
import type { Family, IPAddress } from '@headland/api';
import type { ServiceRequest } from '../service/request.js';

export interface Hold {
  readonly ip: IPAddress;
  readonly pool: string;
  /** The IP's index in its pool family's address space. */
  readonly index: bigint;
  // An array, not a Map: almost every IP has one holder, and sharers are few.
  readonly holders: ServiceRequest[];
}

export class HoldTable {
  // Keyed by the address value, one map per family: no string is built per lookup.
  readonly #byValue: Record<Family, Map<bigint, Hold>> = { 4: new Map(), 6: new Map() };
  readonly #bySharingKey = new Map<string, Set<Hold>>();

  clear(): void {
    this.#byValue[4].clear();
    this.#byValue[6].clear();
    this.#bySharingKey.clear();
  }

  get(ip: IPAddress): Hold | undefined {
    if (ip?.family !== 4 && ip?.family !== 6) return undefined;
    return this.#byValue[ip.family].get(ip.value);
  }

  /** Adds req as a holder of ip; true when the IP was free until now (the caller marks it used). */
  add(req: ServiceRequest, ip: IPAddress, pool: string, index: bigint): boolean {
    let hold = this.#byValue[ip.family].get(ip.value);
    const fresh = hold === undefined;
    if (hold === undefined) {
      hold = { ip, pool, index, holders: [] };
      this.#byValue[ip.family].set(ip.value, hold);
    }
    hold.holders.push(req);
    if (req.sharingKey !== undefined) {
      let shared = this.#bySharingKey.get(req.sharingKey);
      if (shared === undefined) this.#bySharingKey.set(req.sharingKey, (shared = new Set()));
      shared.add(hold);
    }
    return fresh;
  }

  /** Drops req as a holder of ip; the hold when nobody holds the IP any more (the caller frees it). */
  remove(req: ServiceRequest, ip: IPAddress): Hold | undefined {
    const hold = this.#byValue[ip.family].get(ip.value);
    if (hold === undefined) return undefined;
    const at = hold.holders.findIndex((h) => h.key === req.key);
    if (at >= 0) hold.holders.splice(at, 1);
    const sharingKey = req.sharingKey;
    if (sharingKey !== undefined && !hold.holders.some((h) => h.sharingKey === sharingKey)) {
      const shared = this.#bySharingKey.get(sharingKey);
      shared?.delete(hold);
      if (shared?.size === 0) this.#bySharingKey.delete(sharingKey);
    }
    if (hold.holders.length > 0) return undefined;
    this.#byValue[ip.family].delete(ip.value);
    return hold;
  }

  /** IPs held by at least one service with this sharing key. */
  sharedUnder(sharingKey: string): Iterable<Hold> {
    return this.#bySharingKey.get(sharingKey) ?? [];
  }
}
