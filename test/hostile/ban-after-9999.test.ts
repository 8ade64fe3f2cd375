import { describe, expect, it } from 'vitest';
import { newStore } from '../helpers.js';

describe('an auto-block whose ban would end after 9999-12-31', () => {
  it('is permanent, so the next call is declined as blacklisted, not auto-blocked again', async () => {
    const { cli } = await newStore();
    const set = await cli([
      'blacklist',
      'settings',
      '--auto-block',
      'on',
      '--calls',
      '1',
      '--minutes',
      '1',
      '--ban-minutes',
      '52560000',
    ]);
    expect(set.exitCode, set.stderr).toBe(0);
    const first = await cli(['call', 'incoming', '--from', '+442079460077', '--json'], {
      now: '9999-12-31T23:00:00Z',
    });
    expect(first.exitCode, first.stderr).toBe(0);
    const listed = await cli(['blacklist', 'list', '--json'], { now: '9999-12-31T23:00:00Z' });
    expect(listed.json()).toEqual([expect.objectContaining({ expiresAt: null })]);
    const check = await cli(['blacklist', 'check', '+442079460077'], {
      now: '9999-12-31T23:10:00Z',
    });
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
  });
});
