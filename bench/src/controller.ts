// `npm run bench -- controller`: the controller's figures (issue 4), one JSON line each.
// The allocator alone first; the cold start against headland-apiserver comes beside it.
import { runAllocatorBench } from './_allocator.js';

await runAllocatorBench();
