// @headland/lab: the test rig's parts for headland-lab, the suites and the benchmarks. Each part is a namespace so
// their helpers (waitFor, run...) never collide.
export * as lab from './lab/index.js';
export * as kubeproxy from './kubeproxy/index.js';
export * as kubelet from './kubelet/index.js';
export * as echo from './echo/index.js';
export * as traffic from './traffic/index.js';
export * as apiserver from './apiserver/index.js';
export * as programs from './programs/index.js';
export * as speakerLab from './speaker-lab.js';
export { figure } from './figure.js';
