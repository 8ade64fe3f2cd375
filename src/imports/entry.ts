/**
 * One entry of a list as people write it — `value;comment`, the comment everything after the
 * first `;`, kept exactly — and the rule every list's comments follow. Light on purpose: the
 * commands that add single entries use it too.
 */

/** `value;comment` → its value (as given) and its comment ('' when there is no `;`). */
export function splitEntry(text: string): { value: string; comment: string } {
  const semi = text.indexOf(';');
  return semi === -1
    ? { value: text, comment: '' }
    : { value: text.slice(0, semi), comment: text.slice(semi + 1) };
}

export const maxCommentLength = 2000;

/**
 * Comments are kept byte for byte, whatever people typed — line breaks, tabs, escape
 * sequences (shown escaped on a terminal) — except NUL, which text files and SQLite tools
 * cannot carry, and up to 2,000 characters.
 */
export function commentProblem(comment: string): string | undefined {
  if (comment.length > maxCommentLength)
    return `the comment is ${comment.length} characters long: at most 2,000`;
  if (comment.includes('\u0000')) return 'the comment holds a NUL character: remove it';
  return undefined;
}
