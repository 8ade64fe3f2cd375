import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { addImportCommand } from '../../cli/import.js';
import { parseCountry } from '../../cli/parse.js';
import { exceptionsSink } from '../import-sink.js';

/** `exceptions import`: the shared import verb (src/cli/import.ts) with the list's sink. */
export function addImport(exceptions: Command, ctx: Context): void {
  addImportCommand(exceptions, ctx, {
    description:
      'Import phones and emails from FILE (or - for stdin) in one transaction (needs exceptions.edit).\n' +
      'Lines are value;comment (the comment is everything after the first ;, kept exactly:\n' +
      'any character but NUL, shown escaped on a terminal);\n' +
      'blank lines and lines starting with # are skipped; UTF-8 with or without BOM, LF or CRLF.\n' +
      'CSV (--format csv, or a .csv file) needs a header with value and optionally comment, type;\n' +
      'a bad row is rejected at its own line, a quote left open at its first line (then reading\n' +
      'goes on at the next line).\n' +
      'Exit 0; 3 when some lines were rejected (the valid ones are kept); 7 with --strict.',
    examples: [
      'crmctl exceptions import numbers.txt --country GB',
      'crmctl exceptions import list.csv --rejects rejects.csv --json',
      'grep -v "^$" export.txt | crmctl exceptions import - --dry-run',
    ],
    permission: 'exceptions.edit',
    sink: (session, flags) =>
      exceptionsSink(session, {
        country: parseCountry(flags.country),
        updateComments: flags.updateComments,
      }),
  });
}
