/** What the telephony verbs share: the permission, the entry's view, the filter flags. */
import { type Command, Option, type OptionValues } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { escapeControls } from '../../cli/escape.js';
import type { View } from '../../cli/output.js';
import { parseCountry, parseSinceFlag } from '../../cli/parse.js';
import { parseDuration, parseInstant } from '../../clock.js';
import { quote } from '../../contact-details/text.js';
import { UsageError } from '../../errors.js';
import type { Session } from '../../session.js';
import { type BlacklistSource, blacklistSources, type ListBlacklistOptions } from '../blacklist.js';
export const permission = 'telephony.settings' as const;

/** A value as an error line shows it: whole when short, else quoted and cut. */
export function shown(raw: string): string {
  return raw.length <= 100 ? raw : quote(raw);
}

/** `VALUE: reason: message` on stderr, control characters escaped. */
export function reportRejected(
  ctx: Context,
  rejected: { raw: string; reason: string; message: string },
) {
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

export type FilterFlags = {
  number?: string;
  comment?: string;
  source?: BlacklistSource;
  since?: string;
  until?: string;
  addedBy?: string;
  country?: string;
};

export function withFilters<
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

export function filterOptions(ctx: Context, flags: FilterFlags): ListBlacklistOptions {
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

/** The flag a caller's number came from, for the error when it is not one. */
export function asFlag(error: unknown, flag: string): unknown {
  const problem = (error as { field?: unknown; problem?: unknown }).problem;
  return error instanceof UsageError && typeof problem === 'string'
    ? new UsageError(`${flag}: ${problem}`)
    : error;
}

/** The call services (inbound, items and all they need) load only in the commands that use them. */
export const services = () => import('../calls.js');
