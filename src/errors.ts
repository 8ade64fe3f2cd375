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
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UsageError extends CrmError {
  constructor(message: string) {
    super(message, 'usage', ExitCode.usage);
  }
}

export class NotFoundError extends CrmError {
  constructor(message: string) {
    super(message, 'not-found', ExitCode.notFound);
  }
}

export class ConflictError extends CrmError {
  constructor(message: string) {
    super(message, 'conflict', ExitCode.conflict);
  }
}

export class PermissionError extends CrmError {
  constructor(
    message: string,
    readonly permission: string | null,
  ) {
    super(message, 'permission-denied', ExitCode.permissionDenied);
  }
}

export class InputError extends CrmError {
  constructor(message: string) {
    super(message, 'unusable-input', ExitCode.unusableInput);
  }
}

/** Output could not be written (disk full, permission, a closed pipe other than EPIPE). */
export class OutputError extends CrmError {
  constructor(message: string) {
    super(message, 'output-failed', ExitCode.outputFailed);
  }
}
