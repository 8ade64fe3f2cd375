import { type Command, Option, type OptionValues } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { escapeControls } from '../../cli/escape.js';
import { OutputFile, storeFiles } from '../../cli/files.js';
import { addImportCommand, checkCommentFlag, formatFor } from '../../cli/import.js';
import {
  formatOf,
  OutputWriter,
  printList,
  printRecord,
  type View,
  withOutputOptions,
} from '../../cli/output.js';
import { examples, parseCountry, parseSinceFlag, withPaging } from '../../cli/parse.js';
import { parseDuration, parseInstant } from '../../clock.js';
import { quote } from '../../contact-details/text.js';
import { ExitCode, InputError, OutputError, UsageError } from '../../errors.js';
import { csvRow, guardFormula } from '../../formats/csv.js';
import type { Session } from '../../session.js';
import {
  addToBlacklist,
  type BlacklistEntry,
  type BlacklistSource,
  blacklistSources,
  checkBlacklist,
  exportBlacklist,
  type ListBlacklistOptions,
  listBlacklist,
  removeFromBlacklist,
} from '../blacklist.js';
import { blacklistSink } from '../import-sink.js';

export const permission = 'telephony.settings' as const;

/** A value as an error line shows it: whole when short, else quoted and cut. */
function shown(raw: string): string {
  return raw.length <= 100 ? raw : quote(raw);
}

/** `VALUE: reason: message` on stderr, control characters escaped. */
function reportRejected(ctx: Context, rejected: { raw: string; reason: string; message: string }) {
  ctx.io.stderr.write(
    `${escapeControls(`${shown(rejected.raw)}: ${rejected.reason}: ${rejected.message}`)}\n`,
  );
}

export const entryView: View = {
  fields: [
    'id',
    'number',
    'raw',
    'comment',
    'source',
    'createdAt',
    'createdBy',
    'expiresAt',
    'batchId',
  ],
  columns: ['id', 'number', 'comment', 'source', 'createdAt', 'createdBy', 'expiresAt'],
};

/** `--expires 7d` (from now) or an ISO time, in the future. */
export function parseExpires(value: string | undefined, session: Session): string | undefined {
  if (value === undefined) return undefined;
  const now = session.clock.now().getTime();
  const at = /^(\d+[smhdw])+$/.test(value.trim())
    ? new Date(now + parseDuration(value, '--expires'))
    : parseInstant(value, '--expires');
  if (at.getTime() <= now) {
    throw new UsageError(
      `--expires ${value} is not in the future: give a duration such as 7d, or a later time`,
    );
  }
  if (at.getUTCFullYear() > 9999)
    throw new UsageError(`--expires ${value} is too far in the future`);
  return at.toISOString();
}

export function addAdd(blacklist: Command, ctx: Context): void {
  const view: View = {
    fields: ['operationId', 'added', 'duplicates', 'rejected', 'allowed'],
    columns: ['operationId', 'added', 'duplicates', 'rejected'],
  };
  withOutputOptions(
    blacklist
      .command('add')
      .description(
        'Blacklist numbers, each NUMBER or "NUMBER;comment", in any spelling (needs telephony.settings);\n' +
          'calls from them are declined. Exit 3 if any was rejected.',
      )
      .argument('<numbers...>', 'phone numbers')
      .option('--comment <text>', 'comment for numbers given without one')
      .option('--country <code>', 'country for numbers in national format')
      .option(
        '--expires <when>',
        'stop declining after a duration (7d, 12h) or at a time (ISO-8601)',
      ),
    view,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl blacklist add "+44 20 7946 0018;robocaller"',
        'crmctl blacklist add 02079460018 --country GB --expires 7d --comment "repeated calls"',
      ),
    )
    .action(async (numbers, options) => {
      const session = ctx.session(permission);
      const country = parseCountry(options.country);
      checkCommentFlag(options.comment);
      const expiresAt = parseExpires(options.expires, session);
      const result = session.write(() =>
        addToBlacklist(session, { entries: numbers, comment: options.comment, country, expiresAt }),
      );
      for (const rejected of result.rejected) reportRejected(ctx, rejected);
      for (const duplicate of result.duplicates)
        ctx.note(`${duplicate.existing.number} is already listed`);
      for (const number of result.allowed)
        ctx.note(
          `warning: ${number} is allow-listed (never auto-blocked); listed by hand, its calls are declined`,
        );
      if (formatOf(options) !== 'table' || options.fields) {
        await printRecord(ctx, { ...result, duplicates: result.duplicates.length }, options, view);
      } else {
        for (const entry of result.added) ctx.out(entry.number);
        ctx.note(
          `Added ${result.added.length}, ${result.duplicates.length} already listed, ${result.rejected.length} rejected`,
        );
      }
      if (result.rejected.length > 0) ctx.exitCode = ExitCode.someRejected;
    });
}

export function addRemove(blacklist: Command, ctx: Context): void {
  const view: View = {
    fields: ['operationId', 'dryRun', 'removed', 'notListed', 'rejected'],
    columns: ['operationId', 'dryRun', 'removed', 'notListed', 'rejected'],
  };
  withOutputOptions(
    blacklist
      .command('remove')
      .description(
        'Take numbers off the blacklist, in any spelling (needs telephony.settings); crmctl undo OP puts\n' +
          'them back. Exit 4 when none was listed, 3 when some were not listed or not numbers.',
      )
      .argument('<numbers...>', 'phone numbers')
      .option('--country <code>', 'country for numbers in national format')
      .option('--dry-run', 'do the remove, report it, and roll it back'),
    view,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl blacklist remove "+44 20 7946 0018"',
        'crmctl blacklist remove 02079460018 --country GB --dry-run',
      ),
    )
    .action(async (numbers, options) => {
      const session = ctx.session(permission);
      const country = parseCountry(options.country);
      const dryRun = options.dryRun === true;
      const result = session.write(() => removeFromBlacklist(session, numbers, { country }), {
        dryRun,
      });
      if (dryRun) result.operationId = null;
      for (const rejected of result.rejected) reportRejected(ctx, rejected);
      for (const number of result.notListed) ctx.note(`${number}: not listed`);
      if (formatOf(options) !== 'table' || options.fields) {
        await printRecord(
          ctx,
          {
            operationId: result.operationId,
            dryRun,
            removed: result.removed,
            notListed: result.notListed,
            rejected: result.rejected,
          },
          options,
          view,
        );
      } else {
        for (const entry of result.removed) ctx.out(entry.number);
        ctx.note(
          `${dryRun ? 'Would remove' : 'Removed'} ${result.removed.length}; ${result.notListed.length} not listed; ${result.rejected.length} rejected${result.operationId ? ` (undo: crmctl undo ${result.operationId})` : ''}`,
        );
      }
      if (result.removed.length === 0 && result.rejected.length === 0)
        ctx.exitCode = ExitCode.notFound;
      else if (result.notListed.length > 0 || result.rejected.length > 0)
        ctx.exitCode = ExitCode.someRejected;
    });
}

type FilterFlags = {
  number?: string;
  comment?: string;
  source?: BlacklistSource;
  since?: string;
  until?: string;
  addedBy?: string;
  country?: string;
};

function withFilters<
  Args extends unknown[],
  Opts extends OptionValues,
  Globals extends OptionValues,
>(command: Command<Args, Opts, Globals>) {
  return command
    .option('--number <text>', 'number contains this text, or is this number in any spelling')
    .option('--comment <text>', 'comment contains this text (case-insensitive)')
    .addOption(new Option('--source <source>', 'manual or auto').choices(blacklistSources))
    .option('--since <time>', 'added at or after (ISO-8601, or 7d, 12h …)')
    .option('--until <time>', 'added before (ISO-8601, or 7d …)')
    .option('--added-by <login>', 'added by this user (system: auto-blocks)')
    .option('--country <code>', 'country for a --number in national format');
}

const maxFilterText = 2000;

function filterOptions(ctx: Context, flags: FilterFlags): ListBlacklistOptions {
  for (const [flag, text] of [
    ['--number', flags.number],
    ['--comment', flags.comment],
    ['--added-by', flags.addedBy],
  ] as const) {
    if (text !== undefined && text.trim() === '') throw new UsageError(`${flag} needs a value`);
    if (text !== undefined && text.length > maxFilterText)
      throw new UsageError(`${flag} is ${text.length} characters long: at most 2,000`);
  }
  return {
    number: flags.number,
    comment: flags.comment,
    source: flags.source,
    since: parseSinceFlag(flags.since, '--since', ctx.clock),
    until: parseSinceFlag(flags.until, '--until', ctx.clock),
    addedBy: flags.addedBy,
    country: parseCountry(flags.country),
  };
}

export function addList(blacklist: Command, ctx: Context): void {
  withOutputOptions(
    withPaging(
      withFilters(
        blacklist
          .command('list')
          .description(
            'List the blacklist, filtered (needs telephony.settings: the list is shown only to those who\n' +
              'manage telephony); expired entries show until the nightly cleanup removes them',
          ),
      ),
    ),
    entryView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl blacklist list --source auto',
        'crmctl blacklist list --number "020 7946 0018" --json',
      ),
    )
    .action(async (options) => {
      const session = ctx.session(permission);
      const entries = listBlacklist(session, {
        ...filterOptions(ctx, options),
        limit: options.limit,
        offset: options.offset,
      });
      await printList(ctx, entries, options, entryView);
    });
}

export function addCheck(blacklist: Command, ctx: Context): void {
  const view: View = {
    fields: ['listed', 'number', 'expired', 'allowed', 'entry'],
    columns: ['listed', 'number', 'expired', 'allowed'],
  };
  withOutputOptions(
    blacklist
      .command('check')
      .description(
        'Is NUMBER blacklisted (and not expired)? Exit 0 when listed (prints the entry), 1 when not: like grep',
      )
      .argument('<number>', 'a phone number in any spelling')
      .option('--country <code>', 'country for a number in national format'),
    view,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl blacklist check "+44 20 7946 0018"',
        'if crmctl -q blacklist check 02079460018; then echo declined; fi',
      ),
    )
    .action(async (number, options) => {
      const session = ctx.session(permission);
      const result = checkBlacklist(session, number, parseCountry(options.country));
      if (formatOf(options) !== 'table' || options.fields) {
        await printRecord(ctx, { ...result }, options, view);
      } else if (!ctx.quiet) {
        if (result.entry) await printRecord(ctx, { ...result.entry }, options, entryView);
        if (!result.listed) {
          ctx.out(
            result.expired
              ? `${result.number} is not listed: its entry expired at ${result.entry?.expiresAt}`
              : `${result.number} is not listed`,
          );
        }
      }
      ctx.exitCode = result.listed ? ExitCode.ok : ExitCode.notListed;
    });
}

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

export function addExport(blacklist: Command, ctx: Context): void {
  withFilters(
    blacklist
      .command('export')
      .description(
        'Write the blacklist (or the filtered part) to FILE or stdout as number;comment lines, or CSV\n' +
          '(value,comment,source,expiresAt), so that importing it into an empty list gives the same\n' +
          'numbers and comments (needs telephony.settings). A comment with a line break needs CSV.',
      )
      .argument('[file]', 'where to write (default: stdout)')
      .addOption(
        new Option(
          '--format <format>',
          'lines or csv (default: csv for *.csv, else lines)',
        ).choices(['lines', 'csv']),
      )
      .option('--force', 'replace FILE if it exists'),
  )
    .addHelpText(
      'after',
      examples(
        'crmctl blacklist export backup.txt',
        'crmctl blacklist export --format csv --source auto',
      ),
    )
    .action(async (file, options) => {
      const session = ctx.session(permission);
      const format = formatFor(options.format, file);
      const entries = exportBlacklist(session, filterOptions(ctx, options));
      const line = (entry: BlacklistEntry, terminal: boolean): string => {
        const shown = terminal ? escapeControls : (text: string) => text;
        if (format === 'csv') {
          return csvRow(
            [
              guardFormula(entry.number),
              guardFormula(entry.comment),
              entry.source,
              entry.expiresAt ?? '',
            ].map(shown),
          );
        }
        if (/[\r\n]/.test(entry.comment)) {
          throw new InputError(
            `the comment of ${entry.number} holds a line break, which the lines format cannot carry: export with --format csv`,
          );
        }
        return entry.comment === ''
          ? `${entry.number}\n`
          : `${entry.number};${shown(entry.comment)}\n`;
      };
      const header = format === 'csv' ? csvRow(['value', 'comment', 'source', 'expiresAt']) : '';
      if (file === undefined || file === '-') {
        const writer = new OutputWriter(ctx.io.stdout);
        let count = 0;
        writer.add(header);
        for (const entry of entries) {
          count++;
          if (writer.add(line(entry, ctx.io.stdoutIsTTY))) await writer.flush();
          if (writer.closed) break;
        }
        await writer.flush();
        ctx.note(`Exported ${count} entries`);
        return;
      }
      const output = new OutputFile(file, {
        what: 'export',
        force: options.force === true,
        protect: storeFiles(ctx.storePath),
      });
      let count = 0;
      try {
        output.write(header);
        for (const entry of entries) {
          count++;
          output.write(line(entry, false));
        }
        output.commit();
      } catch (error) {
        output.discard();
        if (error instanceof OutputError)
          throw new OutputError(`${error.message}; the list is unchanged`);
        throw error;
      }
      ctx.note(escapeControls(`Exported ${count} entries to ${file}`));
    });
}
