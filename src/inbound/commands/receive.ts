import type { Context } from '../../cli/context.js';
import { formatOf, type OutputOptions, printRecord, type View } from '../../cli/output.js';
import { UsageError } from '../../errors.js';
import type { Session } from '../../session.js';
import {
  type CommunicationStatus,
  type InboundField,
  type InboundResult,
  InboundValueError,
  withheldReason,
} from '../service.js';

export const resultView: View = {
  fields: ['decision', 'communication', 'item'],
  columns: ['decision', 'communication', 'item'],
};

/**
 * Runs one inbound communication in the command's unit of work and prints what became of it.
 * `flags` names the option each value came from, for the error when one cannot be used.
 */
export async function receiveAndPrint(
  ctx: Context,
  options: OutputOptions,
  flags: Partial<Record<InboundField, string>>,
  receive: (session: Session) => InboundResult,
): Promise<void> {
  const session = ctx.session('items.edit');
  let result: InboundResult;
  try {
    result = session.write(() => receive(session));
  } catch (error) {
    const flag = error instanceof InboundValueError ? flags[error.field] : undefined;
    if (flag) throw new UsageError(`${flag}: ${(error as InboundValueError).problem}`);
    throw error;
  }
  await printInbound(ctx, options, result);
}

/** The item id on stdout, what became of the communication on stderr; a record otherwise. */
async function printInbound(ctx: Context, options: OutputOptions, result: InboundResult) {
  if (formatOf(options) !== 'table' || options.fields) {
    await printRecord(ctx, { ...result }, options, resultView);
    return;
  }
  const { communication } = result;
  if (communication.itemId !== null) ctx.out(String(communication.itemId));
  ctx.note(
    communication.reason === withheldReason
      ? 'Not saved to the CRM'
      : `${outcomeOf[communication.status]}: ${communication.reason}`,
  );
}

const outcomeOf: Record<CommunicationStatus, string> = {
  saved: 'Saved',
  blocked: 'Not saved',
  declined: 'Declined',
  'not-saved': 'Not saved',
};
