import type { Context } from '../../cli/context.js';
import { escapeControls } from '../../cli/escape.js';
import { openInput } from '../../cli/input.js';
import { formatOf, type OutputOptions, printRecord } from '../../cli/output.js';
import { parseCountry } from '../../cli/parse.js';
import { ExitCode } from '../../errors.js';
import { type InputLine, readLines, refuseBinary, unreadableMessage } from '../../imports/lines.js';
import type { Session } from '../../session.js';
import {
  type ExceptionEntry,
  type RejectedValue,
  removeExceptionValues,
  type ValueToRemove,
} from '../service.js';
import type { FilterFlags } from './shared.js';

type RemoveFlags = FilterFlags & OutputOptions & { file?: string; dryRun?: boolean };

/**
 * `remove VALUE…` and `remove --file`: streamed in one transaction, each value reported as it
 * is handled (removed values on stdout, the rest on stderr) unless -o asks for one record.
 */
export async function removeValues(
  ctx: Context,
  session: Session,
  values: string[],
  options: RemoveFlags,
): Promise<void> {
  const record = formatOf(options) !== 'table' || options.fields !== undefined;
  const country = parseCountry(options.country);
  const dryRun = options.dryRun === true;
  const removed: ExceptionEntry[] = [];
  const notListed = new Set<string>();
  const rejected: RejectedValue[] = [];
  const where = (line: number | undefined) =>
    line === undefined ? '' : `${options.file === '-' ? 'stdin' : options.file}:${line}: `;
  let out = '';
  const flushOut = () => {
    if (out !== '') ctx.io.stdout.write(out);
    out = '';
  };
  // The file is checked, and its first bytes read (a binary file refused), before the write lock.
  const input = options.file === undefined ? undefined : openInput(ctx, options.file);
  const source = input
    ? await refuseBinary(input.open(), { holds: 'a list of phones and emails', retry: 'try again' })
    : undefined;
  async function* batches(): AsyncGenerator<readonly (ValueToRemove | RejectedValue)[]> {
    if (values.length > 0) yield values.map((text) => ({ text }));
    if (source) yield* valuesOf(readLines(source));
  }
  const result = await session.writeAsync(
    () =>
      removeExceptionValues(
        session,
        batches(),
        { country },
        {
          onRemoved(entry) {
            if (record) removed.push(entry);
            else {
              out += `${entry.value}\n`;
              if (out.length > 1 << 16) flushOut();
            }
          },
          onNotListed({ key, line }) {
            if (record) notListed.add(key);
            else ctx.io.stderr.write(`${escapeControls(`${where(line)}${key}`)}: not listed\n`);
          },
          onRejected(value) {
            if (record) rejected.push(value);
            else
              ctx.io.stderr.write(
                `${escapeControls(`${where(value.line)}${value.raw}: ${value.reason}: ${value.message}`)}\n`,
              );
          },
        },
      ),
    { dryRun },
  );
  flushOut();
  if (record) {
    await printRecord(
      ctx,
      {
        // A dry run keeps nothing: no operation id (DESIGN §8a).
        operationId: session.operationId,
        dryRun,
        removed,
        notListed: [...notListed],
        rejected: rejected.map(({ raw, reason, message, line }) =>
          line === undefined ? { raw, reason, message } : { line, raw, reason, message },
        ),
      },
      options,
      {
        fields: ['operationId', 'dryRun', 'removed', 'notListed', 'rejected'],
        columns: ['operationId', 'dryRun', 'removed', 'notListed', 'rejected'],
      },
    );
  }
  ctx.note(
    `${dryRun ? 'Would remove' : 'Removed'} ${result.removed}; ${result.notListed} not listed; ${result.rejected} rejected`,
  );
  if (result.removed === 0 && result.rejected === 0) ctx.exitCode = ExitCode.notFound;
  else if (result.notListed > 0 || result.rejected > 0) ctx.exitCode = ExitCode.someRejected;
}

/** The values of a --file, a chunk at a time: one per line, blank and # lines skipped. */
async function* valuesOf(
  lines: AsyncIterable<InputLine[]>,
): AsyncGenerator<(ValueToRemove | RejectedValue)[]> {
  for await (const batch of lines) {
    const values: (ValueToRemove | RejectedValue)[] = [];
    for (const line of batch) {
      if ('problem' in line) {
        values.push({
          line: line.number,
          raw: line.preview,
          reason: line.problem,
          message: unreadableMessage(line.problem),
        });
        continue;
      }
      const text = line.text.trim();
      if (text !== '' && !text.startsWith('#')) values.push({ text, line: line.number });
    }
    if (values.length > 0) yield values;
  }
}
