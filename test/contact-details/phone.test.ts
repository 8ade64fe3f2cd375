import examples from 'libphonenumber-js/examples.mobile.json';
import { type CountryCode, getExampleNumber } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { isCountryCode, normalisePhone } from '../../src/contact-details/phone.js';
import type { Normalised, RejectReason } from '../../src/contact-details/reasons.js';

function expectPhone(result: Normalised, e164: string, country?: string): void {
  expect(result).toEqual(
    country === undefined
      ? { ok: true, kind: 'phone', value: e164, key: e164 }
      : { ok: true, kind: 'phone', value: e164, key: e164, country },
  );
}

function expectRejected(result: Normalised, reason: RejectReason, messagePart: string | RegExp) {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.kind).toBe('phone');
  expect(result.reason).toBe(reason);
  expect(result.message).toMatch(messagePart);
}

// Known-valid numbers written by hand, each in a national spelling (with its country) and an
// international one.
const HAND_WRITTEN: Array<
  [country: string, national: string, international: string, e164: string]
> = [
  ['GB', '020 7946 0958', '+44 20 7946 0958', '+442079460958'],
  ['US', '(650) 253-0000', '+1 650-253-0000', '+16502530000'],
  ['RU', '8 (800) 555-35-35', '+7 800 555 35 35', '+78005553535'],
  ['DE', '030 123456', '+49 (0)30 123456', '+4930123456'],
  ['FR', '01 23 45 67 89', '+33 1 23 45 67 89', '+33123456789'],
  ['IN', '098765 43210', '+91 98765 43210', '+919876543210'],
  ['JP', '03-1234-5678', '+81 3-1234-5678', '+81312345678'],
  ['BR', '(11) 91234-5678', '+55 11 91234-5678', '+5511912345678'],
  ['AU', '02 9876 5432', '+61 2 9876 5432', '+61298765432'],
  ['ES', '612 34 56 78', '+34 612 34 56 78', '+34612345678'],
  ['NL', '06 12345678', '+31 6 12345678', '+31612345678'],
  ['SE', '070-123 45 67', '+46 70 123 45 67', '+46701234567'],
  ['TR', '0212 345 67 89', '+90 212 345 67 89', '+902123456789'],
  ['KR', '010-1234-5678', '+82 10-1234-5678', '+821012345678'],
  ['CN', '010 1234 5678', '+86 10 1234 5678', '+861012345678'],
  ['ZA', '011 234 5678', '+27 11 234 5678', '+27112345678'],
  ['IT', '06 1234 5678', '+39 06 1234 5678', '+390612345678'],
  ['PL', '22 123 45 67', '+48 22 123 45 67', '+48221234567'],
];

const EXAMPLE_COUNTRIES: CountryCode[] = [
  'GB',
  'US',
  'CA',
  'DE',
  'FR',
  'RU',
  'UA',
  'IN',
  'CN',
  'JP',
  'BR',
  'MX',
  'AR',
  'AU',
  'NZ',
  'ES',
  'IT',
  'NL',
  'SE',
  'NO',
  'PL',
  'TR',
  'ZA',
  'NG',
  'EG',
  'SA',
  'AE',
  'IL',
  'KR',
  'SG',
];

describe('normalisePhone: valid numbers', () => {
  it.each(HAND_WRITTEN)(
    '%s: national %s and international %s',
    (country, national, international, e164) => {
      expectPhone(normalisePhone(national, country), e164, country);
      expectPhone(normalisePhone(international), e164, country);
      expectPhone(normalisePhone(international, 'US'), e164, country);
      expectPhone(normalisePhone(e164), e164, country);
    },
  );

  it.each(EXAMPLE_COUNTRIES)('%s: libphonenumber example number in every spelling', (country) => {
    const example = getExampleNumber(country, examples);
    expect(example).toBeDefined();
    if (!example) return;
    const e164 = example.number;
    expectPhone(normalisePhone(example.formatNational(), country), e164, country);
    expectPhone(normalisePhone(example.formatInternational()), e164, country);
    expectPhone(
      normalisePhone(example.formatNational().replace(/\D/g, ''), country),
      e164,
      country,
    );
  });

  it('accepts the country in any case and with spaces around it', () => {
    expectPhone(normalisePhone('020 7946 0958', 'gb'), '+442079460958', 'GB');
    expectPhone(normalisePhone('020 7946 0958', ' Gb '), '+442079460958', 'GB');
  });

  it('reports the country of the number, not the default country', () => {
    expectPhone(normalisePhone('+33 1 23 45 67 89', 'GB'), '+33123456789', 'FR');
    // A Jersey number dialled nationally from the UK numbering plan.
    expectPhone(normalisePhone('01534 456789', 'GB'), '+441534456789', 'JE');
  });

  it('leaves out the country for non-geographic numbers', () => {
    expectPhone(normalisePhone('+800 1234 5678'), '+80012345678');
  });

  it('accepts dots, dashes and brackets as separators', () => {
    expectPhone(normalisePhone('020.7946.0958', 'GB'), '+442079460958', 'GB');
    expectPhone(normalisePhone('+44 (20) 7946-0958'), '+442079460958', 'GB');
  });
});

describe('normalisePhone: international prefixes', () => {
  it('reads 00 as the international prefix where the default country dials out with 00', () => {
    expectPhone(normalisePhone('0044 20 7946 0958', 'GB'), '+442079460958', 'GB');
    expectPhone(normalisePhone('0044 20 7946 0958', 'DE'), '+442079460958', 'GB');
    expectPhone(normalisePhone('0033 1 23 45 67 89', 'FR'), '+33123456789', 'FR');
  });

  it('reads the international prefix of the default country (011 in the US, 810 in Russia)', () => {
    expectPhone(normalisePhone('011 44 20 7946 0958', 'US'), '+442079460958', 'GB');
    expectPhone(normalisePhone('8 10 44 20 7946 0958', 'RU'), '+442079460958', 'GB');
  });

  it('says so when the default country does not dial out with 00', () => {
    for (const country of ['US', 'RU']) {
      expectRejected(
        normalisePhone('0044 20 7946 0958', country),
        'invalid-number',
        `${country} does not dial out with 00, write the number as "+44 20 7946 0958"`,
      );
    }
  });

  it('asks for a + instead of 00 when there is no default country', () => {
    expectRejected(
      normalisePhone('0044 20 7946 0958'),
      'needs-country',
      'write it as "+44 20 7946 0958"',
    );
  });
});

describe('normalisePhone: every reason code', () => {
  it('empty: nothing but spaces and invisible characters', () => {
    for (const raw of ['', '   ', '\u200B\uFEFF', '\u00A0\t']) {
      expectRejected(normalisePhone(raw, 'GB'), 'empty', 'empty phone number');
    }
  });

  it('needs-country: a national number with no default country is never guessed', () => {
    expectRejected(normalisePhone('020 7946 0958'), 'needs-country', '--country');
    expectRejected(normalisePhone('020 7946 0958', ''), 'needs-country', 'default-country');
    expectRejected(normalisePhone('6502530000'), 'needs-country', 'is a national number');
  });

  it('invalid-country: an unknown default country', () => {
    for (const country of ['XX', 'GBR', 'G', '12', '001', 'UK']) {
      expectRejected(
        normalisePhone('020 7946 0958', country),
        'invalid-country',
        `"${country}" is not a known country code`,
      );
    }
  });

  it('not-a-number: labels, letters, slashes, stars and a + that is not first', () => {
    expectRejected(normalisePhone('Phone: +7 800 555 35 35'), 'not-a-number', '"P" is not allowed');
    expectRejected(normalisePhone('-2147483648/-1'), 'not-a-number', '"/" is not allowed');
    expectRejected(normalisePhone('+44 20 7946 0958*'), 'not-a-number', '"*" is not allowed');
    expectRejected(normalisePhone('tel:+442079460958'), 'not-a-number', '"t" is not allowed');
    expectRejected(normalisePhone('44+20 7946 0958'), 'not-a-number', 'a "+" may only come first');
    expectRejected(
      normalisePhone('(+44) 20 7946 0958'),
      'not-a-number',
      'a "+" may only come first',
    );
    expectRejected(
      normalisePhone('++44 20 7946 0958'),
      'not-a-number',
      'a "+" may only come first',
    );
    expectRejected(normalisePhone('(--)', 'GB'), 'not-a-number', 'it has no digits');
  });

  it('extension: every common way of writing one', () => {
    for (const raw of [
      '+44 20 7946 0958 ext 12',
      '+44 20 7946 0958 ext.12',
      '+44 20 7946 0958 EXT: 12',
      '+44 20 7946 0958 extension 12',
      '+44 20 7946 0958 x12',
      '+44 20 7946 0958 #12',
      '+1 650 253 0000;ext=12',
      '+1 650 253 0000,,12',
      '+7 495 123-45-67 доб. 12',
      '+7 495 123-45-67 доб 12',
      '(650) 253-0000 x 123#',
    ]) {
      expectRejected(normalisePhone(raw, 'US'), 'extension', 'has an extension');
    }
  });

  it('too-short', () => {
    expectRejected(normalisePhone('12', 'GB'), 'too-short', 'too few digits for a GB phone number');
    expectRejected(normalisePhone('+44 20'), 'too-short', 'too few digits');
  });

  it('too-long', () => {
    expectRejected(
      normalisePhone('+44 20 7946 09588'),
      'too-long',
      'too many digits for a +44 phone',
    );
    expectRejected(normalisePhone('020 7946 0958 1234 5678', 'GB'), 'too-long', 'too many digits');
    expectRejected(normalisePhone('1'.repeat(300), 'GB'), 'too-long', '300 characters long');
  });

  it('invalid-number: the right length but not a number of that country', () => {
    expectRejected(
      normalisePhone('+44 20 7946 095'),
      'invalid-number',
      'not a valid +44 phone number',
    );
    expectRejected(
      normalisePhone('020 7946 095', 'GB'),
      'invalid-number',
      'not a valid GB phone number',
    );
    // US area codes cannot start with 0 or 1.
    expectRejected(normalisePhone('(150) 253-0000', 'US'), 'invalid-number', 'check the digits');
    expectRejected(
      normalisePhone('+999 1234 5678'),
      'invalid-number',
      'known country calling code',
    );
  });
});

describe('normalisePhone: pasted and foreign-script input', () => {
  it.each([
    ['zero-width characters', '+44\u200B20\u200C7946\u200D0958'],
    ['bidi marks', '\u202B\u200F+44 20 7946 0958\u202C\u2069'],
    ['a byte-order mark', '\uFEFF+44 20 7946 0958'],
    ['no-break and narrow spaces', '+44\u00A020\u202F7946\u20070958'],
    ['a soft hyphen and word joiner', '+44 20\u00AD7946\u20600958'],
    ['Arabic-Indic digits', '+٤٤ ٢٠ ٧٩٤٦ ٠٩٥٨'],
    ['Eastern Arabic-Indic digits', '+۴۴ ۲۰ ۷۹۴۶ ۰۹۵۸'],
    ['full-width digits and signs', '＋４４（２０）７９４６－０９５８'],
    ['Devanagari digits', '+४४ २० ७९४६ ०९५८'],
    ['en dashes and a minus sign', '+44\u201320\u20137946\u22120958'],
  ])('%s', (_label, raw) => {
    expectPhone(normalisePhone(raw), '+442079460958', 'GB');
  });

  it('reads national numbers in other scripts with the default country', () => {
    expectPhone(normalisePhone('٠٢٠ ٧٩٤٦ ٠٩٥٨', 'GB'), '+442079460958', 'GB');
  });
});

describe('normalisePhone: hostile input', () => {
  const hostile: Array<[label: string, raw: string, reason: RejectReason]> = [
    ['a 1 MB string of digits', '7'.repeat(1 << 20), 'too-long'],
    ['a 1 MB string of letters', 'a'.repeat(1 << 20), 'not-a-number'],
    ['a 1 MB string of Arabic-Indic digits', '٧'.repeat(1 << 20), 'too-long'],
    ['NUL bytes', '+44 20\u00007946 0958', 'not-a-number'],
    ['a lone surrogate', '+44 20 7946 0958\uD800', 'not-a-number'],
    ['integer overflow bait', '-2147483648/-1', 'not-a-number'],
    ['SQL', "1'; DROP TABLE exceptions; --", 'not-a-number'],
    ['shell', '$(rm -rf ~)', 'not-a-number'],
    ['shell pipe', '020 7946 0958 | sh', 'not-a-number'],
    ['a script tag', '<script>alert(1)</script>', 'not-a-number'],
    ['newlines', '020 7946\n0958\r\n+1', 'not-a-number'],
  ];

  it.each(hostile)('%s is rejected cleanly', (_label, raw, reason) => {
    const result = normalisePhone(raw, 'GB');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe(reason);
    expect(result.message.length).toBeLessThan(200);
  });
});

describe('isCountryCode', () => {
  it('knows 2-letter ISO codes in any case', () => {
    expect(isCountryCode('GB')).toBe(true);
    expect(isCountryCode('gb')).toBe(true);
    expect(isCountryCode('Ru')).toBe(true);
  });

  it('rejects unknown codes and other shapes', () => {
    for (const code of ['XX', 'UK', 'GBR', '001', '', 'G', '44', 'g b']) {
      expect(isCountryCode(code)).toBe(false);
    }
  });
});
