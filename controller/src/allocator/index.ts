// The pure allocator: pools in, per-service assignments and failure reasons out.
// No Kubernetes client, no I/O, no metrics: the reconcilers do those.
export * from './allocator.js';
export * from './failure.js';
export { comparePools, serviceAllocationProblem } from './pool-order.js';
