import { type Command, Option, type OptionValues } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import type { View } from '../../cli/output.js';
import { parseCountry, parseId, parseSinceFlag } from '../../cli/parse.js';
import { UsageError } from '../../errors.js';
import {
  type ExceptionSource,
  type ExceptionType,
  exceptionSources,
  exceptionTypes,
  type ListExceptionsOptions,
} from '../service.js';

/** What the verbs of `exceptions` share: the entry's view and the filter flags. */

export const entryView: View = {
  fields: ['id', 'type', 'value', 'raw', 'comment', 'source', 'createdAt', 'createdBy', 'batchId'],
  columns: ['id', 'type', 'value', 'comment', 'source', 'createdAt', 'createdBy'],
};

export type FilterFlags = {
  type?: ExceptionType;
  value?: string;
  comment?: string;
  source?: ExceptionSource;
  since?: string;
  until?: string;
  addedBy?: string;
  batch?: string;
  country?: string;
};

/** The filter flags shared by list, export and remove. */
export function withFilters<
  Args extends unknown[],
  Opts extends OptionValues,
  Globals extends OptionValues,
>(command: Command<Args, Opts, Globals>) {
  return command
    .addOption(new Option('--type <type>', 'phone or email').choices(exceptionTypes))
    .option('--value <text>', 'value contains this text, or is this number/address in any spelling')
    .option('--comment <text>', 'comment contains this text (case-insensitive)')
    .addOption(new Option('--source <source>', 'how it was added').choices(exceptionSources))
    .option('--since <time>', 'added at or after (ISO-8601, or 7d, 12h …)')
    .option('--until <time>', 'added before (ISO-8601, or 7d …)')
    .option('--added-by <login>', 'added by this user')
    .option('--batch <id>', 'added by this import batch or add operation')
    .option('--country <code>', 'country for a --value phone in national format');
}

/** Longer filter text can match nothing stored (and SQLite refuses LIKE patterns past 50,000 bytes). */
const maxFilterText = 2000;

export function filterOptions(ctx: Context, flags: FilterFlags): ListExceptionsOptions {
  for (const [flag, text] of [
    ['--value', flags.value],
    ['--comment', flags.comment],
    ['--added-by', flags.addedBy],
  ] as const) {
    if (text !== undefined && text.length > maxFilterText)
      throw new UsageError(
        `${flag} is ${text.length} characters long: at most 2,000 (nothing stored is longer)`,
      );
  }
  return {
    type: flags.type,
    value: flags.value,
    comment: flags.comment,
    source: flags.source,
    since: parseSinceFlag(flags.since, '--since', ctx.clock),
    until: parseSinceFlag(flags.until, '--until', ctx.clock),
    addedBy: flags.addedBy,
    batch: flags.batch === undefined ? undefined : parseId(flags.batch, '--batch'),
    country: parseCountry(flags.country),
  };
}

export function hasFilter(flags: FilterFlags): boolean {
  return [
    flags.type,
    flags.value,
    flags.comment,
    flags.source,
    flags.since,
    flags.until,
    flags.addedBy,
    flags.batch,
  ].some((f) => f !== undefined);
}
