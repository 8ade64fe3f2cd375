/**
 * Cells that a spreadsheet would run as a formula (= + - @, tab, CR) get a leading apostrophe.
 * Values already made of apostrophes before such a character get one more, so that
 * `unguardFormula(guardFormula(x)) === x` for every string.
 */
const formulaLike = /^'*[=+\-@\t\r]/;

export function guardFormula(value: string): string {
  return formulaLike.test(value) ? `'${value}` : value;
}

export function unguardFormula(value: string): string {
  return value.startsWith("'") && formulaLike.test(value.slice(1)) ? value.slice(1) : value;
}

/** One CSV cell (RFC 4180): quoted when it holds a comma, quote, CR, LF or edge spaces. */
export function csvCell(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvRow(cells: string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** One TSV cell: tabs, newlines and backslashes escaped so every row stays on one line. */
export function tsvCell(value: string): string {
  return value.replace(
    /[\\\t\n\r]/g,
    (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c] ?? c,
  );
}
