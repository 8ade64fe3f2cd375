import { describe, expect, it } from 'vitest';
import { normaliseContactValue } from '../../src/contact-details/detect.js';

describe('normaliseContactValue', () => {
  it('treats a value with @ as an email address', () => {
    expect(normaliseContactValue('Bob@Example.com', 'GB')).toEqual({
      ok: true,
      kind: 'email',
      value: 'Bob@example.com',
      key: 'bob@example.com',
    });
  });

  it('treats anything else as a phone number, with the default country', () => {
    expect(normaliseContactValue('020 7946 0958', 'GB')).toEqual({
      ok: true,
      kind: 'phone',
      value: '+442079460958',
      key: '+442079460958',
      country: 'GB',
    });
  });

  it('applies email rules, not phone rules, to a bad value with @', () => {
    expect(normaliseContactValue('+44 20 7946 0958@')).toMatchObject({
      ok: false,
      kind: 'email',
      reason: 'not-an-email',
    });
  });

  it('says text with no digits and no @ is neither an email address nor a phone number', () => {
    for (const raw of ['hello', 'n/a', '-', '(  )', 'bob at example dot com']) {
      const result = normaliseContactValue(raw, 'GB');
      expect(result).toMatchObject({ ok: false, kind: 'phone', reason: 'not-a-number' });
      if (!result.ok) {
        expect(result.message).toContain('is neither an email address nor a phone number');
      }
    }
  });

  it('keeps the phone message for numbers with stray text', () => {
    const result = normaliseContactValue('Phone: +7 800 555 35 35');
    expect(result).toMatchObject({ ok: false, kind: 'phone', reason: 'not-a-number' });
    if (!result.ok) expect(result.message).toContain('"P" is not allowed');
  });

  it('passes phone reasons through', () => {
    expect(normaliseContactValue('020 7946 0958')).toMatchObject({ reason: 'needs-country' });
    expect(normaliseContactValue('+44 20 7946 0958 ext 1')).toMatchObject({ reason: 'extension' });
    expect(normaliseContactValue('   ')).toMatchObject({ ok: false, reason: 'empty' });
  });
});
