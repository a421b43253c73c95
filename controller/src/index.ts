// @headland/controller: the pure allocator and the Kubernetes reconcilers around it.
export {};
