import { DateTime } from "luxon";
import type { CommunityDefinition } from "../community/types";
import { planFor } from "../tariffs/plans";
import { addDays, daysBetween } from "../time/local-date";
import { relativePeriod, type BillingPeriod } from "../time/periods";
import { issue, type Issue } from "../util/issue";

/*
 * Scheduled billing runs (issue 17, docs/decisions/0114-scheduled-billing-runs.md):
 * on a day of the month at a local time of the community's zone, the period
 * before it (the previous month, or in quarterly rhythm the previous quarter)
 * is billed. Pure: the node asks with its clock's `now` and does the waiting.
 */

export type ScheduleRhythm = "off" | "monthly" | "quarterly";
export const SCHEDULE_RHYTHMS: readonly ScheduleRhythm[] = ["off", "monthly", "quarterly"];

export interface BillingSchedule {
  rhythm: "monthly" | "quarterly";
  /** Day of the month, 1..28 (every month has it). In quarterly rhythm: of January, April, July and October. */
  day: number;
  hour: number;
  minute: number;
  /** draft: drafts to review; issue: drafts issued at once, each invoice handed on for e-mail. */
  mode: "draft" | "issue";
}

/** One due run: the instant it is due and the period it bills. */
export interface ScheduledRun {
  dueMs: number;
  /** Period label, e.g. 2026-11 or 2026-Q4. */
  period: string;
}

/**
 * A run missed while Node-RED was down is made up when it comes back within
 * this time after its due instant; later, the period is left to the admin (the
 * status says when the next run is due). Three days: a weekend outage is caught up,
 * an admin who enables the schedule in the middle of a month gets no surprise run.
 */
export const CATCH_UP_MS = 72 * 3600_000;

/** The editor's fields; an empty or "off" rhythm is no schedule. */
export interface ScheduleFields {
  rhythm?: unknown;
  day?: unknown;
  time?: unknown;
  mode?: unknown;
}

/** The schedule the fields describe, null when off; a problem names the field that is wrong. */
export function parseSchedule(f: ScheduleFields): { schedule: BillingSchedule | null; problem?: Issue } {
  const rhythm = f.rhythm === undefined || f.rhythm === "" ? "off" : f.rhythm;
  if (rhythm === "off") return { schedule: null };
  if (rhythm !== "monthly" && rhythm !== "quarterly")
    return { schedule: null, problem: issue("schedule.rhythm", "schedule rhythm must be off, monthly or quarterly, got __value__", { value: String(rhythm) }) };
  const day = f.day === undefined || f.day === "" ? 1 : Number(f.day);
  if (!Number.isInteger(day) || day < 1 || day > 28)
    return { schedule: null, problem: issue("schedule.day", "schedule day must be a day of the month from 1 to 28, got __value__", { value: String(f.day) }) };
  const time = f.time === undefined || f.time === "" ? "06:00" : String(f.time).trim();
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!m) return { schedule: null, problem: issue("schedule.time", "schedule time must be written HH:MM (00:00 to 23:59), got __value__", { value: time }) };
  const mode = f.mode === undefined || f.mode === "" ? "draft" : f.mode;
  if (mode !== "draft" && mode !== "issue")
    return { schedule: null, problem: issue("schedule.mode", "schedule mode must be draft or issue, got __value__", { value: String(mode) }) };
  return { schedule: { rhythm, day, hour: Number(m[1]), minute: Number(m[2]), mode } };
}

function runInMonth(s: BillingSchedule, year: number, month: number, zone: string): ScheduledRun {
  // A local time that a DST change skips (02:30 in March) is taken forward by luxon to the next valid instant.
  const due = DateTime.fromObject({ year, month, day: s.day, hour: s.hour, minute: s.minute }, { zone });
  const period = relativePeriod(s.rhythm === "monthly" ? "previous-month" : "previous-quarter", due.toMillis(), zone);
  return { dueMs: due.toMillis(), period: period.label };
}

function runMonths(s: BillingSchedule): (month: number) => boolean {
  return s.rhythm === "monthly" ? () => true : (month) => month % 3 === 1;
}

/** The months' runs around `nowMs`, oldest first: enough to find the latest and the next. */
function runsAround(s: BillingSchedule, nowMs: number, zone: string): ScheduledRun[] {
  const now = DateTime.fromMillis(nowMs, { zone });
  const due = runMonths(s);
  const out: ScheduledRun[] = [];
  for (let k = -4; k <= 4; k++) {
    const d = now.startOf("month").plus({ months: k });
    if (due(d.month)) out.push(runInMonth(s, d.year, d.month, zone));
  }
  return out;
}

/** The latest run due at or before `nowMs`. */
export function latestRun(s: BillingSchedule, nowMs: number, zone: string): ScheduledRun {
  return runsAround(s, nowMs, zone)
    .filter((r) => r.dueMs <= nowMs)
    .pop()!;
}

/** The first run due after `nowMs`. */
export function nextRun(s: BillingSchedule, nowMs: number, zone: string): ScheduledRun {
  return runsAround(s, nowMs, zone).find((r) => r.dueMs > nowMs)!;
}

/**
 * The run to start now, if any: the latest due run, not older than
 * CATCH_UP_MS, whose period the schedule has not run yet (`alreadyRun` looks
 * in the store, so a restart does not run it twice).
 */
export function runToStart(s: BillingSchedule, nowMs: number, zone: string, alreadyRun: (period: string) => boolean): ScheduledRun | null {
  const r = latestRun(s, nowMs, zone);
  if (nowMs - r.dueMs > CATCH_UP_MS) return null;
  return alreadyRun(r.period) ? null : r;
}

/** The days of `period` on which some building has no price plan: a run of it cannot go. */
export function unpricedDays(def: CommunityDefinition, period: Pick<BillingPeriod, "from" | "to">): string[] {
  const out: string[] = [];
  for (let d = period.from; daysBetween(d, period.to) >= 0; d = addDays(d, 1)) if (def.buildings.some((b) => !planFor(def.tariffs ?? [], b.id, d))) out.push(d);
  return out;
}
