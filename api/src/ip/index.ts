// IP math for pools, the allocator and the speaker: addresses, ranges and sets as BigInt values.
// Pure functions only; nothing here does I/O.

export * from './address.js';
export * from './bytes.js';
export * from './range.js';
export * from './set.js';
