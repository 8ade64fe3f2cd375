import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { addImportCommand } from '../../cli/import.js';
import { parseCountry } from '../../cli/parse.js';
import { blacklistSink } from '../import-sink.js';

import { permission } from './shared.js';

export function addImport(blacklist: Command, ctx: Context): void {
  addImportCommand(blacklist, ctx, {
    description:
      'Import numbers from FILE (or - for stdin) in one transaction (needs telephony.settings).\n' +
      'Lines are number;comment (the comment is everything after the first ;, kept exactly);\n' +
      'blank lines and lines starting with # are skipped; UTF-8 with or without BOM, LF or CRLF.\n' +
      'CSV (--format csv, or a .csv file) needs a header with value and optionally comment.\n' +
      'An email address is rejected as not-a-number. Imported entries are manual and permanent.\n' +
      'Exit 0; 3 when some lines were rejected (the valid ones are kept); 7 with --strict.',
    examples: [
      'crmctl blacklist import numbers.txt --country GB',
      'crmctl blacklist import list.csv --rejects rejects.csv --json',
      'cat spam.txt | crmctl blacklist import - --dry-run',
    ],
    permission,
    sink: (session, flags) =>
      blacklistSink(session, {
        country: parseCountry(flags.country),
        updateComments: flags.updateComments,
      }),
  });
}
