// `npm run bench -- controller`: the controller's figures (issue 4), one JSON line each:
// the allocator alone, then a cold start of headland-controller against headland-apiserver.
import { runAllocatorBench } from './_allocator.js';
import { runColdStartBench } from './_controller-coldstart.js';

await runAllocatorBench();
await runColdStartBench();
