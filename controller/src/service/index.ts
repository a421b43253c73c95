// From Service JSON to the allocator's request, and whether this controller handles a Service.
export * from './request.js';
