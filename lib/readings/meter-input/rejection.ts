import { problem, type Problem } from "../../util/issue";

/**
 * Why a value offered by a source was not accepted. Every source counts its
 * rejections by these reasons (node.stats), and every rejection is reported
 * with the meter, where the value came from and an excerpt of what arrived.
 */
export type RejectReason =
  /** Not parseable at all: not JSON, no `name:value`, wrong shape, unknown field. */
  | "malformed"
  /** The value is not a finite number ("abc", "", NaN, null). */
  | "not-a-number"
  /** The unit given with the value does not fit the field ("kW" for a counter). */
  | "bad-unit"
  /** A cumulative counter below zero. */
  | "negative"
  /** A cumulative counter below the last accepted value of the same meter. */
  | "backwards"
  /** A counter increase no real installation can produce in the elapsed time. */
  | "jump"
  /** A power value beyond the meter's configured maximum. */
  | "out-of-range"
  /** A timestamp that is not epoch ms, lies in the future or before 2000. */
  | "bad-timestamp"
  /** The payload names another meter than the node's. */
  | "meter-mismatch"
  /** The device reports "value not available" (e.g. all register bits set). */
  | "not-available"
  /** HTTP push without the configured token. */
  | "unauthorized"
  /** A body or packet larger than accepted. */
  | "too-large";

export const REJECT_REASONS: readonly RejectReason[] = [
  "malformed",
  "not-a-number",
  "bad-unit",
  "negative",
  "backwards",
  "jump",
  "out-of-range",
  "bad-timestamp",
  "meter-mismatch",
  "not-available",
  "unauthorized",
  "too-large",
];

export type Field = "importKWh" | "exportKWh" | "powerW";
export const FIELDS: readonly Field[] = ["importKWh", "exportKWh", "powerW"];
export const COUNTER_FIELDS: readonly Field[] = ["importKWh", "exportKWh"];

export interface Rejection {
  reason: RejectReason;
  /** The field concerned, when one is. */
  field?: Field;
  /** What arrived, as text (shortened). */
  value?: string;
  /** The last accepted value of the field (backwards, jump). */
  previous?: number;
  /** A short technical detail in English (parser message, unit). */
  detail?: string;
  /** A backwards or jumping counter counted as a possible new counter: `count` of `needed` agreeing readings. */
  confirming?: { count: number; needed: number };
}

/**
 * A rejection in the one problem shape (lib/util/issue.ts): the reason is its
 * code, what it names are its params. Its texts are a node's
 * "reject.<reason>" (nodes/meter-in); the Rejection itself stays the record
 * that is counted by reason and sent as it is (docs/meters.md).
 */
export function rejectionProblem(r: Rejection): Problem {
  return problem(r.reason, { field: r.field ?? "", value: r.value ?? "", previous: r.previous ?? "", detail: r.detail ?? "" });
}
