// The speaker's plain model: converters from Kubernetes JSON and the endpoint count index.
export * from './types.js';
export { serviceFromJSON } from './service.js';
export { nodeFromJSON } from './node.js';
export { sliceFromJSON, SERVICE_NAME_LABEL } from './endpointslice.js';
export { EndpointIndex, classifyEndpoint } from './endpoint-index.js';
