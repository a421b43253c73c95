// Adj-RIB-Out of one session: the routes we want the peer to have, and what it already has,
// so that only differences go on the wire — the first flush sends the whole table and End-of-RIB.

import type { WireContext } from '../wire/context.js';
import { toHex } from '../wire/bytes.js';
import { attributeListEncodingLength, encodeAttributeList } from '../wire/attributes/attribute.js';
import { attributeCode } from '../wire/attributes/table.js';
import type { AddressFamily } from '../wire/ip.js';
import { formatPrefix, type Prefix } from '../wire/nlri.js';
import { packUpdates, type Announcement } from '../wire/pack.js';
import type { UpdateMessage } from '../wire/update.js';
import { splitAs4Attributes } from '../wire/as4-merge.js';

interface Desired {
  readonly announcement: Announcement;
  /** Next hops and encoded attributes: equal fingerprints mean an identical path. */
  readonly fingerprint: string;
}

interface Sent {
  readonly prefix: Prefix;
  readonly fingerprint: string;
}

export class AdjRibOut {
  private readonly desired = new Map<string, Desired>();
  private readonly sent = new Map<string, Sent>();
  private readonly dirty = new Set<string>();
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
    const announcement = { ...wanted, attributes: splitAs4Attributes(wanted.attributes, this.ctx.fourOctetAs) };
    // Packing it alone checks next hop and attributes now rather than at flush time.
    packUpdates({ announce: [announcement], withdraw: [], endOfRib: [] }, this.ctx);
    const key = formatPrefix(announcement.prefix);
    const fingerprint = this.fingerprint(announcement);
    if (this.desired.get(key)?.fingerprint === fingerprint) return true;
    this.desired.set(key, { announcement, fingerprint });
    this.dirty.add(key);
    return true;
  }

  withdraw(prefix: Prefix): void {
    const key = formatPrefix(prefix);
    if (!this.desired.delete(key)) return;
    this.dirty.add(key);
  }

  /** UPDATEs for every difference since the last flush (the first: whole table, then End-of-RIB per family). */
  flush(): UpdateMessage[] {
    const announce: Announcement[] = [];
    const withdraw: Prefix[] = [];
    for (const key of this.dirty) {
      const want = this.desired.get(key);
      const have = this.sent.get(key);
      if (want && want.fingerprint !== have?.fingerprint) {
        announce.push(want.announcement);
        this.sent.set(key, { prefix: want.announcement.prefix, fingerprint: want.fingerprint });
      } else if (!want && have) {
        withdraw.push(have.prefix);
        this.sent.delete(key);
      }
    }
    this.dirty.clear();
    const endOfRib = this.initialSent ? [] : this.families;
    this.initialSent = true;
    if (announce.length === 0 && withdraw.length === 0 && endOfRib.length === 0) return [];
    return packUpdates({ announce, withdraw, endOfRib }, this.ctx);
  }

  private fingerprint(a: Announcement): string {
    const attributes = [...a.attributes].sort((x, y) => attributeCode(x) - attributeCode(y));
    const buf = new Uint8Array(attributeListEncodingLength(attributes, this.ctx));
    encodeAttributeList(attributes, buf, 0, this.ctx);
    return `${a.nextHop} ${a.linkLocalNextHop ?? ''} ${toHex(buf)}`;
  }
}
