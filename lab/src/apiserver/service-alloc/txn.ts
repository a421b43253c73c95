// All-or-nothing for one request: what it allocates is taken at once and given back on revert;
// what it frees is only given back on commit, so a failed write never loses or doubles a resource.

import type { IPAddress } from '@headland/api';
import type { ServiceAllocator } from './allocator.js';
import type { IPFamilyName } from './ip-range.js';

type Holding = { kind: 'ip'; family: IPFamilyName; ip: IPAddress } | { kind: 'port'; port: number };

export type TransactionState = 'open' | 'committed' | 'reverted';

export class Transaction {
  #state: TransactionState = 'open';
  readonly #taken: Holding[] = [];
  readonly #deferred: Holding[] = [];

  constructor(private readonly alloc: ServiceAllocator) {}

  get state(): TransactionState {
    return this.#state;
  }

  /** Undefined when taken (or the family is not configured: callers have checked), else the error text. */
  allocateIP(family: IPFamilyName, ip: IPAddress): string | undefined {
    const range = this.#open().range(family);
    if (range === undefined) return `${family} is not configured on this cluster`;
    const err = range.allocate(ip);
    if (err === undefined) this.#taken.push({ kind: 'ip', family, ip });
    return err;
  }

  allocateNextIP(family: IPFamilyName): IPAddress | undefined {
    const ip = this.#open().range(family)?.allocateNext();
    if (ip !== undefined) this.#taken.push({ kind: 'ip', family, ip });
    return ip;
  }

  releaseIPOnCommit(family: IPFamilyName, ip: IPAddress): void {
    this.#open();
    this.#deferred.push({ kind: 'ip', family, ip });
  }

  allocatePort(port: number): string | undefined {
    const err = this.#open().nodePorts.allocate(port);
    if (err === undefined) this.#taken.push({ kind: 'port', port });
    return err;
  }

  allocateNextPort(): number | undefined {
    const port = this.#open().nodePorts.allocateNext();
    if (port !== undefined) this.#taken.push({ kind: 'port', port });
    return port;
  }

  releasePortOnCommit(port: number): void {
    this.#open();
    this.#deferred.push({ kind: 'port', port });
  }

  /** After the object is stored: frees what the request gave up. */
  commit(): void {
    if (this.#state === 'reverted') throw new Error('service-alloc: commit after revert');
    if (this.#state === 'committed') return;
    for (const h of this.#deferred) this.#release(h);
    this.#state = 'committed';
  }

  /** After a failure: gives back what the request took. A no-op once committed, like Finish() in Go. */
  revert(): void {
    if (this.#state !== 'open') return;
    for (const h of [...this.#taken].reverse()) this.#release(h);
    this.#state = 'reverted';
  }

  #open(): ServiceAllocator {
    if (this.#state !== 'open') throw new Error(`service-alloc: transaction already ${this.#state}`);
    return this.alloc;
  }

  #release(h: Holding): void {
    if (h.kind === 'ip') this.alloc.range(h.family)?.release(h.ip);
    else this.alloc.nodePorts.release(h.port);
  }
}
