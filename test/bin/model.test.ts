import { describe, it } from 'vitest';
import { runModel } from './model.js';

// The fast share of the model-based property test; model.slow.test.ts runs 500 more under CI=1.
describe('the recycle bin against its model', () => {
  it('agrees with the model after every step (50 runs)', () => {
    runModel(Number(process.env.CRMCTL_MODEL_RUNS ?? 50));
  }, 120_000);
});
