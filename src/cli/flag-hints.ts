import { CrmError } from '../errors.js';

/**
 * Words a domain error for the command line, naming the flag to change; undefined for an
 * error it leaves as it is.
 */
export type FlagHint = (error: CrmError) => string | undefined;

/**
 * A command's action whose domain errors are worded for the command line. Services say what is
 * wrong in the domain's words (the automation log shows them); the command that called them
 * knows its flags. The error keeps its code and exit code.
 */
export function withFlagHints<Args extends unknown[]>(
  hints: readonly FlagHint[],
  action: (...args: Args) => Promise<void>,
): (...args: Args) => Promise<void> {
  return async (...args) => {
    try {
      await action(...args);
    } catch (error) {
      if (!(error instanceof CrmError)) throw error;
      const worded = hints.map((hint) => hint(error)).find((text) => text !== undefined);
      if (worded === undefined) throw error;
      throw new CrmError(worded, error.code, error.exitCode, { cause: error });
    }
  };
}
