import fc from 'fast-check';
import examples from 'libphonenumber-js/examples.mobile.json';
import {
  type CountryCode,
  getCountries,
  getExampleNumber,
  type PhoneNumber,
} from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { normaliseContactValue } from '../../src/contact-details/detect.js';
import { normaliseEmail } from '../../src/contact-details/email.js';
import { normalisePhone } from '../../src/contact-details/phone.js';
import { type Normalised, REJECT_REASONS } from '../../src/contact-details/reasons.js';

const EXAMPLE_NUMBERS: Array<{ country: CountryCode; phone: PhoneNumber }> = getCountries().flatMap(
  (country) => {
    const phone = getExampleNumber(country, examples);
    return phone ? [{ country, phone }] : [];
  },
);

const INVISIBLE = [
  '\u200B',
  '\u200C',
  '\u200D',
  '\u2060',
  '\uFEFF',
  '\u00AD',
  '\u200E',
  '\u200F',
  '\u202A',
  '\u202C',
  '\u2066',
  '\u2069',
  '\u061C',
];
const SPACES = [' ', '\u00A0', '\u202F', '\u2007', '\u3000', '\t'];
// Zero of Arabic-Indic, Extended Arabic-Indic, Devanagari, Bengali, Thai, full-width.
const DIGIT_ZEROS = [0x660, 0x6f0, 0x966, 0x9e6, 0xe50, 0xff10];

/** The same text as a spreadsheet or chat app might paste it: other digits, spaces, junk. */
const pastedSpelling = (text: string) =>
  fc
    .record({
      zero: fc.constantFrom(...DIGIT_ZEROS),
      space: fc.constantFrom(...SPACES),
      invisible: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...INVISIBLE)), { maxLength: 4 }),
    })
    .map(({ zero, space, invisible }) => {
      let pasted = text
        .replace(/[0-9]/g, (digit) => String.fromCodePoint(zero + Number(digit)))
        .replace(/ /g, space);
      for (const [position, char] of invisible) {
        const at = position % (pasted.length + 1);
        pasted = pasted.slice(0, at) + char + pasted.slice(at);
      }
      return pasted;
    });

function outcome(result: Normalised) {
  return result.ok
    ? { ok: true, value: result.value, country: result.country }
    : { ok: false, reason: result.reason };
}

describe('phone properties', () => {
  it('has example numbers for most of the world', () => {
    expect(EXAMPLE_NUMBERS.length).toBeGreaterThan(200);
  });

  it('normalises every example number, in national and international formatting, to its E.164', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...EXAMPLE_NUMBERS),
        fc.constantFrom('national', 'international', 'e164', 'national digits only'),
        ({ country, phone }, spelling) => {
          const text = {
            national: phone.formatNational(),
            international: phone.formatInternational(),
            e164: phone.number,
            'national digits only': phone.formatNational().replace(/\D/g, ''),
          }[spelling];
          const result = normalisePhone(text, country);
          expect(result).toMatchObject({
            ok: true,
            kind: 'phone',
            value: phone.number,
            key: phone.number,
          });
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('gives the same answer for a pasted spelling (other digits, spaces, invisible characters)', () => {
    const phoneLike = fc.oneof(
      fc
        .constantFrom(...EXAMPLE_NUMBERS)
        .map(({ country, phone }) => ({ text: phone.formatNational(), country })),
      fc
        .constantFrom(...EXAMPLE_NUMBERS)
        .map(({ phone }) => ({ text: phone.formatInternational(), country: undefined })),
      fc.record({
        text: fc.string({ unit: fc.constantFrom(...'0123456789 +-.()x#/'), maxLength: 24 }),
        country: fc.constantFrom<string | undefined>(undefined, 'GB', 'US', 'RU', 'DE'),
      }),
    );
    fc.assert(
      fc.property(
        phoneLike.chain(({ text, country }) =>
          pastedSpelling(text).map((pasted) => ({ text, pasted, country })),
        ),
        ({ text, pasted, country }) => {
          expect(outcome(normalisePhone(pasted, country))).toEqual(
            outcome(normalisePhone(text, country)),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('is idempotent: an accepted number normalises to itself with no default country', () => {
    fc.assert(
      fc.property(fc.constantFrom(...EXAMPLE_NUMBERS), ({ country, phone }) => {
        const first = normalisePhone(phone.formatNational(), country);
        expect(first.ok).toBe(true);
        if (first.ok) expect(normalisePhone(first.value)).toEqual(first);
      }),
    );
  });
});

describe('any input', () => {
  it('never throws, and gives a known reason with a message or a well-formed value', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 40 }),
          fc.string({ unit: fc.constantFrom(...'0123456789 +-.()@a.'), maxLength: 30 }),
        ),
        fc.constantFrom<string | undefined>(undefined, 'GB', 'US', 'xx'),
        (raw, country) => {
          const result = normaliseContactValue(raw, country);
          if (!result.ok) {
            expect(REJECT_REASONS).toContain(result.reason);
            expect(result.message.length).toBeGreaterThan(0);
          } else if (result.kind === 'phone') {
            expect(result.value).toMatch(/^\+[1-9][0-9]{2,14}$/);
            expect(result.key).toBe(result.value);
          } else {
            expect(result.key).toBe(result.value.toLowerCase());
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('email properties', () => {
  const mixedCaseEmail = fc
    .tuple(fc.emailAddress(), fc.array(fc.boolean(), { minLength: 1 }))
    .map(([address, upper]) =>
      [...address].map((char, i) => (upper[i % upper.length] ? char.toUpperCase() : char)).join(''),
    );

  it('accepts generated plain addresses, keyed case-insensitively', () => {
    fc.assert(
      fc.property(mixedCaseEmail, (address) => {
        const result = normaliseEmail(address);
        expect(result).toMatchObject({ ok: true, kind: 'email', key: address.toLowerCase() });
        if (result.ok) {
          const at = address.lastIndexOf('@');
          expect(result.value).toBe(address.slice(0, at) + address.slice(at).toLowerCase());
        }
      }),
    );
  });

  it('is idempotent on its own output', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          mixedCaseEmail,
          fc.string({ unit: 'binary', maxLength: 30 }).map((s) => `${s}@${s}.Com`),
        ),
        (raw) => {
          const first = normaliseEmail(raw);
          if (first.ok) {
            expect(normaliseEmail(first.value)).toEqual(first);
            expect(normaliseEmail(first.key)).toMatchObject({ ok: true, key: first.key });
          }
        },
      ),
    );
  });
});
