/** Where a command writes; tests pass collectors, the CLI passes the process streams. */
export interface CommandIO {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Resolves when the reader of `out` went away (EPIPE: `zev ... | head`); long-running commands stop then. */
  outputClosed?: Promise<void>;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export type Command = (args: string[], io: CommandIO) => number | Promise<number>;
