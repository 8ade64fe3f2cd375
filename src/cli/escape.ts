// What stored text may hold that a terminal would obey instead of showing: C0 controls (ESC
// starts a sequence that can repaint the screen, retitle the window or write to the clipboard),
// DEL, C1 controls (U+009B is a one-byte CSI on some terminals), the line and paragraph
// separators, and bidi embeddings, overrides and isolates (they reorder what is shown).
// (\p{Cc} is exactly C0, DEL and C1.)
const UNSAFE = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu;
const UNSAFE_TEST = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;
// In JSON text a raw line break is layout: JSON.stringify writes those of strings as \n.
const UNSAFE_IN_JSON = /(?!\n)[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu;

const named: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function hex(char: string, digits: number): string {
  return (char.codePointAt(0) ?? 0).toString(16).padStart(digits, '0');
}

/** True when `text` holds a character that escapeControls would rewrite. */
export function hasControls(text: string): boolean {
  return UNSAFE_TEST.test(text);
}

/**
 * Text made safe to print on a terminal, as JavaScript writes such characters in a string:
 * `\t`, `\n`, `\r`, `\x1b` (up to U+00FF), `\u202e` (above). Everything else is left as it is.
 * Use it for anything stored or typed that reaches a terminal: cells, records, error messages.
 */
export function escapeControls(text: string): string {
  if (!UNSAFE_TEST.test(text)) return text;
  return text.replace(UNSAFE, (c) => {
    const known = named[c];
    if (known) return known;
    return c <= '\u00FF' ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`;
  });
}

/** JSON text whose strings show those characters as `\u…` escapes: the same data, safe to print. */
export function escapeJsonControls(json: string): string {
  // JSON.stringify has written C0 controls in strings as escapes already: these it leaves.
  return json.replace(UNSAFE_IN_JSON, (c) => `\\u${hex(c, 4)}`);
}
