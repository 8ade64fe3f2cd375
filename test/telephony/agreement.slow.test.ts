import { describe, expect, it } from 'vitest';
import { checkAgreement } from './agreement.js';

// Issue 11 acceptance: 10,000 random (number, time, history) cases (about 45 s here).
describe('blacklist explain and call incoming agree', () => {
  it('on 10,000 random cases', { timeout: 600_000 }, async () => {
    const seen = await checkAgreement(10_000, 2026);
    const total = Object.values(seen).reduce((sum, n) => sum + n, 0);
    expect(total).toBe(10_000);
    expect(Object.keys(seen)).toHaveLength(6);
  });
});
