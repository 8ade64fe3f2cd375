import { UsageError } from './errors.js';

// Made on first use: compiling these Unicode property classes costs every start ~3 ms.
let patterns: { control: RegExp; bidiControl: RegExp; invisible: RegExp } | undefined;
function textPatterns() {
  patterns ??= {
    /** C0, DEL and C1 controls, line and paragraph separators, lone surrogates. */
    control: /[\p{Cc}\p{Zl}\p{Zp}\p{Cs}]/u,
    /** Bidi embeddings, overrides and isolates: they reorder the text around them on a terminal. */
    bidiControl: /[\u202a-\u202e\u2066-\u2069]/u,
    /** What a terminal draws as nothing: spaces, format characters (zero-width …), fillers. */
    invisible: /[\p{White_Space}\p{Cf}\p{Default_Ignorable_Code_Point}]/gu,
  };
  return patterns;
}

export interface DisplayTextLimits {
  /** At least this many characters (UTF-16 units) once trimmed; 0 allows an empty text. */
  min: 0 | 1;
  max: number;
}

/**
 * Names, titles and descriptions are shown on terminals: trimmed, `min` to `max` characters,
 * no control characters, no bidi overrides or isolates, and (unless empty is allowed) at least
 * one visible character. Returns the trimmed text; `what` names it in the message ("a title").
 */
export function checkDisplayText(text: string, what: string, limits: DisplayTextLimits): string {
  const { control, bidiControl, invisible } = textPatterns();
  const trimmed = text.trim();
  if (trimmed.length < limits.min || trimmed.length > limits.max || control.test(trimmed)) {
    throw new UsageError(`${what} needs ${limits.min} to ${limits.max} printable characters`);
  }
  const bidi = bidiControl.exec(trimmed)?.[0];
  if (bidi !== undefined) {
    const code = (bidi.codePointAt(0) ?? 0).toString(16).toUpperCase();
    throw new UsageError(
      `${what} holds a bidi control character (U+${code}), which reorders text on a terminal`,
    );
  }
  if (trimmed !== '' && trimmed.replace(invisible, '') === '') {
    throw new UsageError(`${what} has no visible character (only spaces or zero-width ones)`);
  }
  return trimmed;
}
