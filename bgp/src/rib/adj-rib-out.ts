// Adj-RIB-Out of one session: the routes we want the peer to have, and what it already has,
// so that only differences go on the wire — the first flush sends the whole table and End-of-RIB.

import type { WireContext } from '../wire/context.js';
import { toHex } from '../wire/bytes.js';
import { attributeListEncodingLength, encodeAttributeList } from '../wire/attributes/attribute.js';
import { attributeCode, type PathAttribute } from '../wire/attributes/table.js';
import type { AddressFamily } from '../wire/ip.js';
import { formatPrefix, prefixEncodingLength, type Prefix } from '../wire/nlri.js';
import { packCheckedGroups, packUpdates, type Announcement, type CheckedGroup } from '../wire/pack.js';
import type { UpdateMessage } from '../wire/update.js';
import { splitAs4Attributes } from '../wire/as4-merge.js';

/**
 * One distinct path (next hops and attributes), shared by every prefix that carries it: a
 * full table of /32s with one path holds one attribute list, not 100,000 copies, and is
 * checked and encoded once.
 */
interface Path {
  /** Next hops and encoded attributes: equal fingerprints mean an identical path. */
  readonly fingerprint: string;
  readonly nextHop: string;
  readonly linkLocalNextHop: string | undefined;
  /** Sorted by type code, as they go on the wire. */
  readonly attributes: readonly PathAttribute[];
  /** Prefix encoding lengths already known to fit one UPDATE with this path. */
  readonly fits: Set<number>;
  /** Quick keys (next hops and attribute JSON, as callers wrote them) that name this path. */
  readonly aliases: string[];
  /** Desired routes using it; at 0 it is forgotten. */
  refs: number;
}

/** A route as wanted (desired) or as last sent (sent); never mutated, so both maps may share one. */
interface Entry {
  readonly prefix: Prefix;
  readonly path: Path;
}

export class AdjRibOut {
  private readonly desired = new Map<string, Entry>();
  private readonly sent = new Map<string, Entry>();
  private readonly dirty = new Set<string>();
  private readonly paths = new Map<string, Path>();
  /** Quick key -> path: a route whose attributes serialise like an earlier one's skips the encoding. */
  private readonly quick = new Map<string, Path>();
  private initialSent = false;

  constructor(
    /** The families negotiated with the peer; others are refused. */
    readonly families: readonly AddressFamily[],
    private readonly ctx: WireContext,
  ) {}

  /** Prefixes the peer has from us (as of the last flush). */
  get advertised(): number {
    return this.sent.size;
  }

  /** Distinct paths among the wanted routes. */
  get pathCount(): number {
    return this.paths.size;
  }

  /** Whether a flush would produce anything. */
  get hasPending(): boolean {
    return !this.initialSent || this.dirty.size > 0;
  }

  /**
   * Wants `wanted` at the peer. Returns false for a family the session did not
   * negotiate; throws BgpEncodeError for a path that cannot be encoded.
   */
  announce(wanted: Announcement): boolean {
    if (!this.families.includes(wanted.prefix.family)) return false;
    // RFC 6793 §4.2.2: a 2-octet peer gets AS_TRANS in AS_PATH/AGGREGATOR and the real ones in AS4_*.
    const attributes = splitAs4Attributes(wanted.attributes, this.ctx.fourOctetAs);
    const path = this.path(wanted, attributes);
    const key = formatPrefix(wanted.prefix);
    const before = this.desired.get(key);
    if (before?.path.fingerprint === path.fingerprint) return true;
    if (before) this.release(before.path);
    path.refs += 1;
    this.desired.set(key, { prefix: wanted.prefix, path });
    this.dirty.add(key);
    return true;
  }

  withdraw(prefix: Prefix): void {
    const key = formatPrefix(prefix);
    const before = this.desired.get(key);
    if (!before) return;
    this.desired.delete(key);
    this.release(before.path);
    this.dirty.add(key);
  }

  /**
   * UPDATEs for the differences since the last flush (the first: whole table, then End-of-RIB
   * per family). `limit` caps the prefixes taken (the rest stay pending: hasPending), so a big
   * change goes out in slices; `endOfRib: false` holds End-of-RIB back while the initial table
   * is still being added.
   */
  flush(options: { readonly limit?: number; readonly endOfRib?: boolean } = {}): UpdateMessage[] {
    const limit = options.limit ?? Infinity;
    // Grouped by interned path: every prefix of a group was checked against it on announce.
    const groups = new Map<Path, Prefix[]>();
    const withdraw: Prefix[] = [];
    let taken = 0;
    for (const key of this.dirty) {
      if (taken >= limit) break;
      taken += 1;
      this.dirty.delete(key);
      const want = this.desired.get(key);
      const have = this.sent.get(key);
      if (want && want.path.fingerprint !== have?.path.fingerprint) {
        const group = groups.get(want.path);
        if (group) group.push(want.prefix);
        else groups.set(want.path, [want.prefix]);
        this.sent.set(key, want);
      } else if (!want && have) {
        withdraw.push(have.prefix);
        this.sent.delete(key);
      }
    }
    const initialDone = !this.initialSent && this.dirty.size === 0 && options.endOfRib !== false;
    const endOfRib = initialDone ? this.families : [];
    if (initialDone) this.initialSent = true;
    if (groups.size === 0 && withdraw.length === 0 && endOfRib.length === 0) return [];
    const checked: CheckedGroup[] = [...groups].map(([path, prefixes]) => ({
      nextHop: path.nextHop,
      ...(path.linkLocalNextHop === undefined ? {} : { linkLocalNextHop: path.linkLocalNextHop }),
      attributes: path.attributes,
      prefixes,
    }));
    return packCheckedGroups(withdraw, checked, endOfRib, this.ctx);
  }

  /** The shared Path for this announcement, checked (next hop, attributes, fit) the first time it is seen. */
  private path(wanted: Announcement, attributes: readonly PathAttribute[]): Path {
    const size = prefixEncodingLength(wanted.prefix);
    // JSON of the same values is the same JSON, so a hit is the same path; a miss (another
    // order, say) only costs the encoding below, which decides.
    const quickKey = `${wanted.nextHop} ${wanted.linkLocalNextHop ?? ''} ${JSON.stringify(attributes)}`;
    const quick = this.quick.get(quickKey);
    if (quick?.fits.has(size)) return quick;
    const sorted = [...attributes].sort((x, y) => attributeCode(x) - attributeCode(y));
    const buf = new Uint8Array(attributeListEncodingLength(sorted, this.ctx));
    encodeAttributeList(sorted, buf, 0, this.ctx);
    const fingerprint = `${wanted.nextHop} ${wanted.linkLocalNextHop ?? ''} ${toHex(buf)}`;
    let path = this.paths.get(fingerprint);
    if (!path?.fits.has(size)) {
      // Packing it alone checks next hop and attributes now rather than at flush time.
      packUpdates({ announce: [{ ...wanted, attributes: sorted }], withdraw: [], endOfRib: [] }, this.ctx);
    }
    if (!path) {
      path = { fingerprint, nextHop: wanted.nextHop, linkLocalNextHop: wanted.linkLocalNextHop, attributes: sorted, fits: new Set(), aliases: [], refs: 0 };
      this.paths.set(fingerprint, path);
    }
    path.fits.add(size);
    if (!this.quick.has(quickKey)) {
      this.quick.set(quickKey, path);
      path.aliases.push(quickKey);
    }
    return path;
  }

  private release(path: Path): void {
    path.refs -= 1;
    if (path.refs > 0) return;
    this.paths.delete(path.fingerprint);
    for (const alias of path.aliases) this.quick.delete(alias);
  }
}
