// Numbered slots taken at random the way kube-apiserver's AllocationBitmap does with an offset:
// random picks come from the upper band first, so the low band stays free for static requests.

/** An integer in [0, n): the allocator's only source of chance, injectable for tests. */
export type Random = (n: number) => number;

export const mathRandom: Random = (n) => Math.floor(Math.random() * n);

/** The constants of calculateRangeOffset: min(max(min, size/step), max), 0 for sizes <= min. */
export interface BandSteps {
  readonly min: number;
  readonly max: number;
  readonly step: number;
}

/** Service CIDRs (ipallocator) and node port ranges (portallocator) use different constants. */
export const IP_BAND: BandSteps = { min: 16, max: 256, step: 16 };
export const PORT_BAND: BandSteps = { min: 16, max: 128, step: 32 };

/** How many low slots are kept for static requests; `size` is the whole range (a CIDR's 2^n). */
export function staticBandSize(size: bigint, steps: BandSteps): number {
  if (size <= BigInt(steps.min)) return 0;
  const offset = size / BigInt(steps.step);
  if (offset < BigInt(steps.min)) return steps.min;
  if (offset > BigInt(steps.max)) return steps.max;
  return Number(offset);
}

export class BandedBitmap {
  readonly #taken = new Set<number>();

  /** `offset` slots at the bottom form the static band; it must be smaller than `size` unless both are 0. */
  constructor(
    readonly size: number,
    readonly offset: number,
    private readonly random: Random,
  ) {
    if (!Number.isInteger(size) || size < 0) throw new RangeError(`bitmap size ${size} is not a whole number`);
    if (!Number.isInteger(offset) || offset < 0 || (offset >= size && offset > 0)) {
      throw new RangeError(`bitmap offset ${offset} is not below the size ${size}`);
    }
  }

  get used(): number {
    return this.#taken.size;
  }

  get free(): number {
    return this.size - this.#taken.size;
  }

  has(slot: number): boolean {
    return this.#taken.has(slot);
  }

  /** Takes one slot; false when it is already taken. Callers check the range first, as the real Range does. */
  take(slot: number): boolean {
    this.#check(slot);
    if (this.#taken.has(slot)) return false;
    this.#taken.add(slot);
    return true;
  }

  /** A free slot from a random start in the upper band, scanning forward with wrap-around, then the lower band. */
  takeNext(): number | undefined {
    if (this.#taken.size >= this.size) return undefined;
    const slot = this.#scan(this.offset, this.size - this.offset) ?? this.#scan(0, this.offset);
    if (slot !== undefined) this.#taken.add(slot);
    return slot;
  }

  /** Releasing a free or out-of-range slot is a no-op, as in the real bitmap. */
  release(slot: number): void {
    this.#taken.delete(slot);
  }

  clear(): void {
    this.#taken.clear();
  }

  /** The taken slots, ascending. */
  slots(): number[] {
    return [...this.#taken].sort((a, b) => a - b);
  }

  #scan(start: number, length: number): number | undefined {
    if (length <= 0) return undefined;
    const first = this.random(length);
    for (let i = 0; i < length; i++) {
      const slot = start + ((first + i) % length);
      if (!this.#taken.has(slot)) return slot;
    }
    return undefined;
  }

  #check(slot: number): void {
    if (!Number.isInteger(slot) || slot < 0 || slot >= this.size) {
      throw new RangeError(`offset ${slot} out of range [0,${this.size}]`);
    }
  }
}
