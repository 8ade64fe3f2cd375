import { describeShard } from './harness.js';

// Issue 7 §3: the command fuzz, shard 1 of 2: see harness.ts. A long run:
// CRMCTL_FUZZ_RUNS=50000 npx vitest run test/fuzz (CRMCTL_FUZZ_SEED=… to vary it).
describeShard(0, 2);
