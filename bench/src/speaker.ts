// `npm run bench -- speaker`: the speaker's figures (issue 6), one JSON line each: a speaker
// holding 10,000 Services and 100,000 endpoints (RSS, re-evaluation after one endpoint change).
import { runScaleBench } from './_speaker-scale.js';

await runScaleBench();
