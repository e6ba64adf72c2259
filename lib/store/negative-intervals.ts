import { codedError, type CodedError } from "../util/coded-error";
import { NEGATIVE_REPAIR_ACTION, type NegativeRepair } from "./interval-repair";
import { sqlite } from "./sqlite-store";
import type { Store } from "./store";

/*
 * Negative interval values as readers and `zev check` meet them: the repairs
 * migration 5 recorded, rows still negative, and the coded error a reader
 * throws. Apart from interval-repair.ts, which the migrations run on the raw
 * connection, so that the store does not import itself in a circle.
 */

export interface NegativeIntervalReport {
  /** Repairs recorded in the audit log (all communities), oldest first. */
  repaired: NegativeRepair[];
  /** Rows still negative (none once schema 5 is in place; counted in case a database was changed by hand). */
  remaining: number;
  remainingSessionRows: number;
}

export function negativeIntervalReport(handle: Store): NegativeIntervalReport {
  const store = sqlite(handle);
  const repaired = store
    .stmt<{ details: string }>("SELECT details FROM audit_log WHERE action = ? ORDER BY id")
    .all(NEGATIVE_REPAIR_ACTION)
    .map((r) => JSON.parse(r.details) as NegativeRepair);
  const remaining = store.stmt<{ n: number }>("SELECT count(*) AS n FROM intervals WHERE import_wh < 0 OR export_wh < 0").get()!.n;
  const remainingSessionRows = store.stmt<{ n: number }>("SELECT count(*) AS n FROM charger_session_intervals WHERE energy_wh < 0").get()!.n;
  return { repaired, remaining, remainingSessionRows };
}

/**
 * The coded error for a negative value met while reading intervals (a
 * database not yet migrated, or opened read-only): names the meter, the
 * interval and what to do, instead of a RangeError deep in the allocation.
 */
export function storedNegativeIntervalError(handle: Store, meterId: number, startMs: number, field: "import" | "export", valueWh: number): CodedError {
  const store = sqlite(handle);
  const m = store.stmt<{ meter_key: string }>("SELECT meter_key FROM meters WHERE id = ?").get(meterId);
  return codedError("stored-negative-interval", {
    meter: m?.meter_key ?? `#${meterId}`,
    start: new Date(startMs).toISOString(),
    field,
    valueWh,
    db: store.path,
  });
}
