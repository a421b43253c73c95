// @headland/controller: the pure allocator and the Kubernetes reconcilers around it.
export * from './allocator/index.js';
export * from './service/index.js';
