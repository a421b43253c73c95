// The network-namespace lab runner: topology files in, namespaces with real routers out.
// Tests start labs with startLab(), `headland-lab` drives the same functions.

export * from './errors.js';
export * from './topology.js';
export { parseTopology } from './parse.js';
export { startLab, attachLab, type Lab, type Command, type Spawned } from './lab.js';
export { downLab, downAll, listLabs, type DownReport } from './teardown.js';
export { waitFor, type WaitOptions } from './wait.js';
export { tryRun, run, inNamespace, type RunResult, type RunOptions } from './sh.js';
export { frrVtysh, birdc, gobgpCli, exabgpApiPipe, exabgpApi } from './routers.js';
export * as naming from './naming.js';
export { bgpSessions, waitEstablished, parseFrrSummary, parseBirdProtocols, parseGobgpNeighbors, type BgpSession } from './bgp-state.js';
export { routerRib, bgpTable, frrBgpRoute, kernelFib, nodeFib, findRoute, parseFrrRoutes, parseFrrBgp, parseFrrBgpPrefix, parseKernelRoutes, parseBirdRoutes, parseGobgpRib, type Route, type RoutePath, type Nexthop } from './rib.js';
