// The node port range as kube-apiserver's portallocator sees it, with the same error texts and the
// same split: random picks prefer the ports above a small static band kept for user-chosen ports.

import { BandedBitmap, PORT_BAND, staticBandSize, type Random } from './bitmap.js';

export interface PortSpan {
  readonly first: number;
  readonly last: number;
}

export class NodePortRange {
  readonly base: number;
  /** As net.PortRange prints itself: "30000-32767". */
  readonly text: string;
  readonly #bitmap: BandedBitmap;

  constructor(span: PortSpan, random: Random) {
    const { first, last } = span;
    if (!Number.isInteger(first) || !Number.isInteger(last) || first < 1 || last > 65535 || first > last) {
      throw new RangeError(`node port range ${first}-${last} is not within 1-65535`);
    }
    const size = last - first + 1;
    this.base = first;
    this.text = `${first}-${last}`;
    this.#bitmap = new BandedBitmap(size, staticBandSize(BigInt(size), PORT_BAND), random);
  }

  get size(): number {
    return this.#bitmap.size;
  }

  get used(): number {
    return this.#bitmap.used;
  }

  /** The size of the low band kept for user-chosen ports. */
  get staticBand(): number {
    return this.#bitmap.offset;
  }

  contains(port: number): boolean {
    return Number.isInteger(port) && port >= this.base && port < this.base + this.size;
  }

  /** Undefined when taken, else the real allocator's error text. */
  allocate(port: number): string | undefined {
    if (!this.contains(port)) return `provided port is not in the valid range. The range of valid ports is ${this.text}`;
    return this.#bitmap.take(port - this.base) ? undefined : 'provided port is already allocated';
  }

  /** A random free port, or undefined when the range is full. */
  allocateNext(): number | undefined {
    const slot = this.#bitmap.takeNext();
    return slot === undefined ? undefined : this.base + slot;
  }

  release(port: number): void {
    if (this.contains(port)) this.#bitmap.release(port - this.base);
  }

  has(port: number): boolean {
    return this.contains(port) && this.#bitmap.has(port - this.base);
  }

  clear(): void {
    this.#bitmap.clear();
  }

  allocated(): number[] {
    return this.#bitmap.slots().map((s) => this.base + s);
  }
}
