// @headland/api: the CRD types and schemas (one source for both), defaults, validation,
// buildConfig, and IP math.
export * from './schema/builder.js';
export * from './kinds/index.js';
export * from './ip/index.js';
export * from './schema/validate.js';
export * from './gen/crd.js';
export * from './selector.js';
export * from './config/index.js';
export * from './annotations.js';
