import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cleanEmailText,
  cleanPhoneText,
  digitValue,
  foldPhoneText,
  quote,
  stripInvisible,
} from '../../src/contact-details/text.js';

const DECIMAL_DIGIT = /^\p{Nd}$/u;

/** Digits 0–9 of every numbering system Intl knows whose digits are single \p{Nd} characters. */
function decimalNumberingSystems(): Array<[system: string, digits: string[]]> {
  const systems: Array<[string, string[]]> = [];
  for (const system of Intl.supportedValuesOf('numberingSystem')) {
    const format = new Intl.NumberFormat(`en-u-nu-${system}`, { useGrouping: false });
    const digits = Array.from({ length: 10 }, (_, value) => format.format(value));
    if (digits.every((digit) => DECIMAL_DIGIT.test(digit))) systems.push([system, digits]);
  }
  return systems;
}

describe('digitValue', () => {
  const systems = decimalNumberingSystems();

  it('covers the scripts people paste numbers in', () => {
    const names = systems.map(([system]) => system);
    expect(names).toEqual(expect.arrayContaining(['arab', 'arabext', 'deva', 'fullwide', 'thai']));
  });

  it.each(systems)('reads the %s digits as 0–9', (_system, digits) => {
    expect(digits.map(digitValue)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('reads back-to-back runs of digits (mathematical double-struck) by their own zero', () => {
    // U+1D7D8 is double-struck zero, right after the bold nine U+1D7D7.
    expect(digitValue('\u{1D7D7}')).toBe(9);
    expect(digitValue('\u{1D7D8}')).toBe(0);
    expect(digitValue('\u{1D7E1}')).toBe(9);
  });
});

describe('cleanPhoneText', () => {
  it('strips zero-width, bidi, BOM and soft-hyphen characters', () => {
    const dirty =
      '\uFEFF\u202A+44\u200B 20\u200C79\u200D46\u2060 09\u00AD58\u200E\u200F\u202C\u2066\u2069\u061C';
    expect(cleanPhoneText(dirty)).toBe('+44 207946 0958');
  });

  it('turns every Unicode space into a plain space and trims', () => {
    expect(cleanPhoneText('\t+44\u00A020\u202F7946\u20070958\u3000')).toBe('+44 20 7946 0958');
  });

  it('reads Arabic-Indic, Eastern Arabic-Indic, full-width and Devanagari digits', () => {
    expect(cleanPhoneText('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
    expect(cleanPhoneText('۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789');
    expect(cleanPhoneText('０１２３４５６７８９')).toBe('0123456789');
    expect(cleanPhoneText('०१२३४५६७८९')).toBe('0123456789');
  });

  it('maps full-width signs, dashes and the minus sign to ASCII', () => {
    expect(cleanPhoneText('＋４４（２０）７９４６－０９５８')).toBe('+44(20)7946-0958');
    expect(cleanPhoneText('020\u20107946\u2013\u2014\u2212\uFE630958．')).toBe('020-7946----0958.');
  });

  it('leaves letters and other symbols for the caller to reject', () => {
    expect(cleanPhoneText('ext ＃12')).toBe('ext ＃12');
  });

  it('takes the ASCII short cut only where the full fold gives the same answer', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 40 }), (text) => {
        expect(cleanPhoneText(text)).toBe(foldPhoneText(text));
      }),
    );
  });
});

describe('cleanEmailText', () => {
  it('trims and strips invisible characters but keeps everything else', () => {
    expect(cleanEmailText('\u00A0\uFEFFBob\u200B@Example.com\u200F ')).toBe('Bob@Example.com');
    expect(cleanEmailText('\u0660@x.com')).toBe('\u0660@x.com');
  });

  it('takes the ASCII short cut only where the full path gives the same answer', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 40 }), (text) => {
        expect(cleanEmailText(text)).toBe(stripInvisible(text).trim());
      }),
    );
  });
});

describe('quote', () => {
  it('quotes short values whole', () => {
    expect(quote('  020 7946 0958 ')).toBe('"020 7946 0958"');
  });

  it('shortens long values and escapes control characters and lone surrogates', () => {
    const quoted = quote(`\u0000${'9'.repeat(1_000_000)}`);
    expect(quoted.length).toBeLessThan(60);
    expect(quoted.startsWith('"\\u0000999')).toBe(true);
    expect(quoted.endsWith('…"')).toBe(true);
    expect(quote('\uD800')).toBe('"\\ud800"');
  });

  it('does not cut a character in two', () => {
    const quoted = quote(`${'a'.repeat(39)}😀tail`);
    expect(quoted).toBe(`"${'a'.repeat(39)}…"`);
  });
});
