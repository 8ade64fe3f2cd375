// Written as a string: a regex literal of control characters would need a lint exception.
const controls = '[\\u0000-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]';
const anyControl = new RegExp(controls);
const everyControl = new RegExp(controls, 'g');

/**
 * Does `text` hold a control character (C0, DEL, C1) or a bidi override/isolate? A terminal
 * obeys those rather than showing them: a stored escape sequence could repaint the screen.
 */
export function hasControls(text: string): boolean {
  return anyControl.test(text);
}

/** `text` with each such character shown as an escape: `\n`, `\t`, `\x1b`, `\u202e`. */
export function showControls(text: string): string {
  if (!anyControl.test(text)) return text;
  return text.replace(everyControl, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}
