import { normaliseEmail } from './email.js';
import { normalisePhone } from './phone.js';
import { type Normalised, reject } from './reasons.js';
import { cleanPhoneText, quote } from './text.js';

const HAS_DIGIT = /[0-9]/;

/**
 * A value of unknown kind: an email address if it contains '@', otherwise a phone number.
 * Text that is neither is rejected as 'not-a-number' saying so.
 */
export function normaliseContactValue(raw: string, defaultCountry?: string): Normalised {
  if (raw.includes('@')) return normaliseEmail(raw);
  const phone = normalisePhone(raw, defaultCountry);
  if (!phone.ok && phone.reason === 'not-a-number' && !HAS_DIGIT.test(cleanPhoneText(raw))) {
    return reject(
      'phone',
      'not-a-number',
      `${quote(raw)} is neither an email address nor a phone number`,
    );
  }
  return phone;
}
