// Data-plane checks: kube-proxy's health servers on this node as the speaker sees them (a Local
// Service's healthCheckNodePort, :10256/healthz), probed on change and periodically.
export { DataPlaneProber, PROBER_DEFAULTS, type DataPlaneProberOptions, type ProberEvents, type ProberFigures } from './prober.js';
export { CHECK_STATUS, CHECK_REASON, PROXY_KEY, type CheckStatus, type CheckReason, type ServiceCheck, type ProxyCheck, type HttpAnswer, type HttpGet, type HttpGetTarget, type HttpGetOptions } from './types.js';
export { serviceCheck, proxyCheck, unreachableCheck, sameAnswer, answerSignature, parseWeightHeader, targetUrl, WEIGHT_HEADER, type WeightHeader } from './parse.js';
export { ProbeSchedule, phaseOf, nextSlot, burstEnds, type ScheduleTimes, type ProbeAnswer } from './schedule.js';
export { httpGet } from './request.js';
export { DataPlaneError, ProbeRequestError, PROBE_FAILURE, type ProbeFailure } from './errors.js';
export { answerOf, proberView, proberFigures } from './view.js';
