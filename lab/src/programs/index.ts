// Headland's programs as child processes: the API server, kubectl, and any built program.
export * from './program.js';
export * from './apiserver.js';
export * from './identities.js';
