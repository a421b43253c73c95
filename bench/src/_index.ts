// Benchmarks: each bench/src/NAME.ts is run by `npm run bench -- NAME`.
export {};
