import { fillPlaceholders, type Issue, type IssueParams } from "./issue";

/**
 * An error a person reads: a stable `code` (a node looks up
 * "<node>.problems.<code>" in its catalog), the values the text needs
 * (`params`) and the English text as `message` (the CLI, logs, and wherever
 * no translation is at hand). Thrown where lib/ meets data it cannot use, so
 * that no exception text such as a RangeError reaches a dashboard, a status
 * or an invoice run.
 */
export class CodedError extends Error implements Issue {
  constructor(
    readonly code: string,
    readonly params: IssueParams,
    template: string,
  ) {
    super(fillPlaceholders(template, params));
    this.name = "CodedError";
  }
}

export function isCodedError(e: unknown): e is CodedError {
  return e instanceof CodedError;
}

/** The English texts of the codes lib/ throws; a test keeps the node catalogs in step with them. */
export const CODED_ERROR_TEXTS = {
  "stored-negative-interval":
    'meter __meter__ has a negative interval at __start__ (__field__ __valueWh__ Wh) in __db__, written by an older version: run "zev check --db __db__" (or restart Node-RED) to repair it',
  "negative-interval-refused": "interval energy is never negative: meter __meter__ at __start__ would get __field__ __valueWh__ Wh; nothing was written",
} as const;

export type CodedErrorCode = keyof typeof CODED_ERROR_TEXTS;

export function codedError(code: CodedErrorCode, params: IssueParams): CodedError {
  return new CodedError(code, params, CODED_ERROR_TEXTS[code]);
}
