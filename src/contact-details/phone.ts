import { createRequire } from 'node:module';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js/core';
import type * as PhoneLibrary from './phone-library.js';
import { type Normalised, type RejectReason, reject } from './reasons.js';
import { cleanPhoneText, quote } from './text.js';

type PhoneLib = typeof PhoneLibrary;

// What the parser accepts: one leading '+', then digits and the usual separators.
const PHONE_SHAPE = /^\+?[0-9 ().-]*$/;
const HAS_DIGIT = /[0-9]/;
const NOT_PHONE_CHAR = /[^0-9 ().+-]/;
const COUNTRY_SHAPE = /^[A-Za-z]{2}$/;
// libphonenumber itself gives up on longer input.
const MAX_PHONE_TEXT = 250;
// Bounded so the extension pattern below cannot backtrack over a huge value.
const MAX_EXTENSION_TEXT = 100;
const EXTENSION =
  /^\+?[0-9 ().-]*[0-9][ ().-]*(?:;\s*ext=|,+|;|#|x|e?xtn?\.?|extension|доб(?:авочный)?\.?|дод\.?|anexo|poste|durchwahl|dw\.?)\s*[:.]?\s*[0-9]{1,10}\s*#?$/iu;
// A number every country can dial, spelled with a 00 prefix, to see who dials out with 00.
const PROBE_WITH_00 = '00 1 650 253 0000';
const PROBE_E164 = '+16502530000';

let phoneLib: PhoneLib | undefined;
const dialsOutWith00ByCountry = new Map<CountryCode, boolean>();

// Loaded on first use, not at start-up, from the build's bundle of phone-library.ts. This module
// runs from src/contact-details (tests), dist/contact-details or dist/bundle: all two folders
// below the package root.
function lib(): PhoneLib {
  phoneLib ??= createRequire(import.meta.url)('../../dist/vendor/phone-library.cjs') as PhoneLib;
  return phoneLib;
}

/** True for a 2-letter ISO country code libphonenumber has metadata for (any case). */
export function isCountryCode(code: string): boolean {
  return toCountryCode(code) !== undefined;
}

function toCountryCode(code: string): CountryCode | undefined {
  const upper = code.trim().toUpperCase();
  return COUNTRY_SHAPE.test(upper) && lib().isCountry(upper) ? upper : undefined;
}

/**
 * A phone number in E.164, or the reason it cannot be one. National numbers need
 * `defaultCountry`; nothing is guessed.
 */
export function normalisePhone(raw: string, defaultCountry?: string): Normalised {
  const text = cleanPhoneText(raw);
  if (text === '') {
    return rejectPhone('empty', 'empty phone number: nothing left once spaces are removed');
  }
  const shapeProblem = checkShape(raw, text);
  if (shapeProblem) return shapeProblem;

  let country: CountryCode | undefined;
  if (defaultCountry !== undefined && defaultCountry.trim() !== '') {
    country = toCountryCode(defaultCountry);
    if (!country) {
      return rejectPhone(
        'invalid-country',
        `${quote(defaultCountry)} is not a known country code: use a 2-letter ISO code such as GB or US`,
      );
    }
  }
  const international = text.startsWith('+');
  if (!international && !country) return needsCountry(raw, text);

  const parsed = lib().parsePhone(text, { defaultCountry: country, extract: false });
  // The strict shape leaves no extension syntax for libphonenumber to find; this is a guard.
  if (parsed?.ext) return hasExtension(raw);
  if (parsed?.isValid()) {
    return parsed.country
      ? {
          ok: true,
          kind: 'phone',
          value: parsed.number,
          key: parsed.number,
          country: parsed.country,
        }
      : { ok: true, kind: 'phone', value: parsed.number, key: parsed.number };
  }
  return explainInvalid(raw, text, country, parsed);
}

function rejectPhone(reason: RejectReason, message: string): Normalised {
  return reject('phone', reason, message);
}

function checkShape(raw: string, text: string): Normalised | undefined {
  if (!PHONE_SHAPE.test(text)) {
    if (text.length <= MAX_EXTENSION_TEXT && EXTENSION.test(text)) return hasExtension(raw);
    return rejectPhone('not-a-number', notAPhoneNumberMessage(raw, text));
  }
  if (!HAS_DIGIT.test(text)) {
    return rejectPhone('not-a-number', `${quote(raw)} is not a phone number: it has no digits`);
  }
  if (text.length > MAX_PHONE_TEXT) {
    return rejectPhone(
      'too-long',
      `${quote(raw)} is ${text.length} characters long: too long for a phone number`,
    );
  }
  return undefined;
}

function notAPhoneNumberMessage(raw: string, text: string): string {
  const stray = NOT_PHONE_CHAR.exec(text)?.[0];
  if (stray === undefined) {
    return `${quote(raw)} is not a phone number: a "+" may only come first`;
  }
  return `${quote(raw)} is not a phone number: ${JSON.stringify(stray)} is not allowed (use only digits, spaces and + - . ( ))`;
}

function hasExtension(raw: string): Normalised {
  return rejectPhone(
    'extension',
    `${quote(raw)} has an extension: extensions are not supported, give the number without it`,
  );
}

function needsCountry(raw: string, text: string): Normalised {
  if (text.startsWith('00')) {
    return rejectPhone(
      'needs-country',
      `${quote(raw)} starts with 00: write it as ${quote(`+${text.slice(2)}`)} or give a default country with --country`,
    );
  }
  return rejectPhone(
    'needs-country',
    `${quote(raw)} is a national number: give a default country with --country or 'crmctl settings set default-country', or write it with +<country code>`,
  );
}

function explainInvalid(
  raw: string,
  text: string,
  country: CountryCode | undefined,
  parsed: PhoneNumber | undefined,
): Normalised {
  if (country && text.startsWith('00') && !dialsOutWith00(country)) {
    return rejectPhone(
      'invalid-number',
      `${quote(raw)} is not a valid number: ${country} does not dial out with 00, write the number as ${quote(`+${text.slice(2)}`)}`,
    );
  }
  const where = parsed?.country ?? (text.startsWith('+') ? callingCodeOf(parsed) : country);
  const aPhoneNumber = where ? `a ${where} phone number` : 'a phone number';
  switch (lib().validateLength(text, country)) {
    case 'TOO_SHORT':
      return rejectPhone('too-short', `${quote(raw)} has too few digits for ${aPhoneNumber}`);
    case 'TOO_LONG':
      return rejectPhone('too-long', `${quote(raw)} has too many digits for ${aPhoneNumber}`);
    case 'INVALID_COUNTRY':
      return rejectPhone(
        'invalid-number',
        `${quote(raw)} does not start with a known country calling code: check the digits after the +`,
      );
    case 'NOT_A_NUMBER':
      return rejectPhone('not-a-number', `${quote(raw)} is not a phone number`);
    default:
      return rejectPhone(
        'invalid-number',
        `${quote(raw)} is not a valid ${where ? `${where} ` : ''}phone number: check the digits`,
      );
  }
}

function callingCodeOf(parsed: PhoneNumber | undefined): string | undefined {
  return parsed ? `+${parsed.countryCallingCode}` : undefined;
}

function dialsOutWith00(country: CountryCode): boolean {
  let dials = dialsOutWith00ByCountry.get(country);
  if (dials === undefined) {
    const probe = lib().parsePhone(PROBE_WITH_00, { defaultCountry: country, extract: false });
    dials = probe?.number === PROBE_E164;
    dialsOutWith00ByCountry.set(country, dials);
  }
  return dials;
}
