import { describe, expect, it } from 'vitest';
import { checkAgreement } from './agreement.js';

// The fast set's share of the property (agreement.slow.test.ts runs the 10,000 cases with CI=1).
describe('blacklist explain and call incoming agree', () => {
  it('on 1,000 random (number, time, history) cases, every verdict among them', async () => {
    const seen = await checkAgreement(1000, 11);
    expect(Object.keys(seen).sort()).toEqual([
      'accepted:allowed',
      'accepted:auto-block-off',
      'accepted:below-threshold',
      'accepted:working-time',
      'declined:auto-block',
      'declined:blacklist',
    ]);
  });
});
