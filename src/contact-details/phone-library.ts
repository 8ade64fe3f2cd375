/**
 * The parts of libphonenumber-js crmctl uses, bound to the `max` metadata (validity checks the
 * digits, not only the length). The build bundles this file on its own, tree-shaken and minified,
 * into dist/vendor/phone-library.cjs, which phone.ts loads on first use: it loads in a third of
 * the time of the package's dozens of CommonJS files, and the metadata stays JSON (read by
 * JSON.parse, much faster than a large object literal).
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import parse, {
  type CountryCode,
  isSupportedCountry,
  type MetadataJson,
  validatePhoneNumberLength,
} from 'libphonenumber-js/core';

// The `max` metadata, copied beside this bundle by the build and read by path: resolving it
// through the package's exports map and require()'s JSON loader took 5 ms of every start that
// reads a phone; readFileSync and JSON.parse take 1.3.
const max = JSON.parse(
  readFileSync(join(__dirname, 'phone-metadata.json'), 'utf8'),
) as unknown as MetadataJson;

export function parsePhone(
  text: string,
  options: { defaultCountry?: CountryCode; extract?: boolean },
) {
  return parse(text, options, max);
}

export function validateLength(text: string, defaultCountry: CountryCode | undefined) {
  return validatePhoneNumberLength(text, { defaultCountry }, max);
}

export function isCountry(code: string): code is CountryCode {
  return isSupportedCountry(code as CountryCode, max);
}
