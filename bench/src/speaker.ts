// `npm run bench -- speaker`: the speaker's figures (issue 6), one JSON line each:
//  - scale (no lab): a speaker holding 10,000 Services and 100,000 endpoints: its RSS, and from
//    one EndpointSlice write to its flush;
//  - lab (root; takes the k8s-lab lock itself): a Service applied (REST and kubectl) until FRR
//    routes its IP, and a pod turning ready on a new node until FRR's nexthops change.
//  - dataplane (no lab): what the kube-proxy health checks cost at 1,000 and 10,000 Services;
//  - gate (root): the pod trial again with the kube-proxy stand-in on every node and
//    dataPlaneCheck KubeProxy, so the figure includes kube-proxy's programming and the check.
// SPEAKER_BENCH_SKIP=dataplane|scale|lab|gate skips one part.
import { runLabBench } from './_speaker-lab.js';
import { runDataPlaneBench } from './_speaker-dataplane.js';
import { runScaleBench } from './_speaker-scale.js';

const skip = new Set((process.env['SPEAKER_BENCH_SKIP'] ?? '').split(',').map((s) => s.trim()));
if (!skip.has('dataplane')) await runDataPlaneBench();
if (!skip.has('scale')) await runScaleBench();
if (!skip.has('lab')) await runLabBench();
if (!skip.has('gate')) await runLabBench({ gated: true });
