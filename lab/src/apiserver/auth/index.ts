// TLS material and identity for the test API server: what the lead wires into the request path
// (authenticate, impersonate, the TokenRequest route) and into start-up (CA, keys, kubeconfigs).

export * from './authenticate.js';
export * from './impersonation.js';
export * from './kubeconfig.js';
export * from './pki.js';
export * from './sa-claims.js';
export * from './sa-names.js';
export * from './static-tokens.js';
export * from './status.js';
export * from './token-request.js';
export * from './tokens.js';
