/** Exit codes are part of the scripting contract (DESIGN §8); `crmctl help exit-codes` prints them. */
export const ExitCode = {
  ok: 0,
  notListed: 1,
  usage: 2,
  someRejected: 3,
  notFound: 4,
  conflict: 5,
  permissionDenied: 6,
  unusableInput: 7,
  internal: 70,
  outputFailed: 74,
  storeBusy: 75,
  interrupted: 130,
  terminated: 143,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Every error a user may see. `code` is the stable machine-readable name used under `-o json`. */
export class CrmError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly exitCode: ExitCodeValue,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The base of one kind of error: its code and exit code. */
function errorKind(code: string, exitCode: ExitCodeValue) {
  return class extends CrmError {
    constructor(message: string, options?: ErrorOptions) {
      super(message, code, exitCode, options);
    }
  };
}

export class UsageError extends errorKind('usage', ExitCode.usage) {}

export class NotFoundError extends errorKind('not-found', ExitCode.notFound) {}

export class ConflictError extends errorKind('conflict', ExitCode.conflict) {}

export class PermissionError extends CrmError {
  constructor(
    message: string,
    readonly permission: string | null,
  ) {
    super(message, 'permission-denied', ExitCode.permissionDenied);
  }
}

export class InputError extends errorKind('unusable-input', ExitCode.unusableInput) {}

/** Output could not be written (disk full, permission, a closed pipe other than EPIPE). */
export class OutputError extends errorKind('output-failed', ExitCode.outputFailed) {}
