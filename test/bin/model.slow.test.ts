import { describe, it } from 'vitest';
import { runModel } from './model.js';

// Issue 9 acceptance: the model-based property test, 500 runs (CI=1 runs the slow tests).
describe('the recycle bin against its model, at length', () => {
  it('agrees with the model after every step (500 runs)', () => {
    runModel(500);
  }, 1_200_000);
});
