// Public face of the test API server for other lab code: run it in-process (ApiServer) or
// as the `headland-apiserver` program, and write a kubeconfig pointing at it.

export { ApiServer, SERVER_VERSION, type ApiServerOptions } from './server.js';
export { kubeconfigYaml, writeKubeconfig } from './kubeconfig.js';
export { parseFlags, type ApiServerFlags } from './flags.js';
export { CertificateAuthority, writeTlsKubeconfig, writeServiceAccountKubeconfig } from './auth/index.js';
export { createSecurity, type Security } from './security.js';
export { decodeK8sProtobuf, encodeK8sProtobuf, PROTOBUF_MEDIA_TYPE } from './protobuf/index.js';
