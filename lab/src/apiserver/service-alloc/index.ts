// Service cluster IPs, node ports and health check node ports, allocated the way kube-apiserver's
// Service registry does it; the request path calls onCreate/onUpdate/onDelete and restore.

export { ServiceAllocator, ServiceAllocatorConfigError, type AllocatorSnapshot, type ServiceAllocatorOptions } from './allocator.js';
export { mathRandom, type Random } from './bitmap.js';
export { type IPFamilyName } from './ip-range.js';
export { decorateOnRead, onCreate, onDelete, onUpdate, type AllocResult } from './registry.js';
export { restore, type RestoreProblem, type RestoreResult } from './restore.js';
export { Transaction, type TransactionState } from './txn.js';
export { kubernetesService } from './kubernetes-service.js';
