// Zero-width characters, word joiner, invisible operators, BOM, soft hyphen, Mongolian vowel
// separator and bidi controls: pasted values (spreadsheets, chat apps, RTL text) carry them.
const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

// The common case; one test here saves all per-character work.
const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;

const UNICODE_SPACE = /[\s\p{Zs}]/gu;
const NON_ASCII_DIGIT = /(?![0-9])\p{Nd}/gu;
const DECIMAL_DIGIT = /^\p{Nd}$/u;
const DASH_OR_MINUS = /[\p{Pd}\u2212]/gu;
const FULL_WIDTH_SIGNS = /[\uFF0B\uFF08\uFF09\uFF0E]/g;
const FULL_WIDTH_TO_ASCII: Record<string, string> = {
  '\uFF0B': '+',
  '\uFF08': '(',
  '\uFF09': ')',
  '\uFF0E': '.',
};

const QUOTE_LIMIT = 40;
// At most the ~700 decimal digits Unicode has.
const digitValues = new Map<number, number>();

export function isPrintableAscii(text: string): boolean {
  return PRINTABLE_ASCII.test(text);
}

export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/**
 * Phone text as plain ASCII: invisible characters removed, every Unicode space a plain space,
 * every decimal digit its ASCII digit, full-width signs and dashes their ASCII forms; trimmed.
 */
export function cleanPhoneText(raw: string): string {
  return PRINTABLE_ASCII.test(raw) ? raw.trim() : foldPhoneText(raw);
}

/** The per-character half of cleanPhoneText; on printable ASCII it is the same as trim(). */
export function foldPhoneText(raw: string): string {
  return stripInvisible(raw)
    .replace(UNICODE_SPACE, ' ')
    .replace(NON_ASCII_DIGIT, (digit) => String(digitValue(digit)))
    .replace(DASH_OR_MINUS, '-')
    .replace(FULL_WIDTH_SIGNS, (sign) => FULL_WIDTH_TO_ASCII[sign] ?? sign)
    .trim();
}

/** Email text: invisible characters removed, surrounding whitespace trimmed. */
export function cleanEmailText(raw: string): string {
  if (PRINTABLE_ASCII.test(raw)) return raw.trim();
  return stripInvisible(raw).trim();
}

/**
 * The value of a \p{Nd} character. Unicode guarantees decimal digits come in contiguous runs
 * of ten from 0 to 9, so the offset from the start of the run of digits, modulo 10, is the value
 * (some runs sit back to back, like the mathematical digits U+1D7CE–U+1D7FF).
 */
export function digitValue(digit: string): number {
  const codePoint = digit.codePointAt(0) ?? 0;
  let value = digitValues.get(codePoint);
  if (value === undefined) {
    let runStart = codePoint;
    while (isDecimalDigit(runStart - 1)) runStart--;
    value = (codePoint - runStart) % 10;
    digitValues.set(codePoint, value);
  }
  return value;
}

function isDecimalDigit(codePoint: number): boolean {
  return codePoint >= 0 && DECIMAL_DIGIT.test(String.fromCodePoint(codePoint));
}

/** A raw value quoted for a message: trimmed, shortened, control characters escaped. */
export function quote(raw: string): string {
  const trimmed = raw.trim();
  if (trimmed.length <= QUOTE_LIMIT) return JSON.stringify(trimmed);
  // Cut before a high surrogate so a character is not split in two.
  const cut = isHighSurrogate(trimmed.charCodeAt(QUOTE_LIMIT - 1)) ? QUOTE_LIMIT - 1 : QUOTE_LIMIT;
  return JSON.stringify(`${trimmed.slice(0, cut)}…`);
}

function isHighSurrogate(codeUnit: number): boolean {
  return codeUnit >= 0xd800 && codeUnit <= 0xdbff;
}
