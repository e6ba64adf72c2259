import { meterEventsInRange } from "../store/meter-event-repo";
import { listMeters } from "../store/meter-repo";
import type { Store } from "../store/store";
import { formatLocal, localDateOf } from "../time/local-date";
import type { LocalDate } from "../time/local-date";

/**
 * The breaks in meter counters inside a billing period, for the run report
 * and the invoices they touch: replacements recorded by an operator, and
 * resets / jumps taken automatically (lib/readings/counter-break.ts), whose
 * energy between the last old and the first new reading is not billed.
 */
export interface MeterChange {
  meter: string;
  kind: "replacement" | "reset" | "jump" | "swap";
  atMs: number;
  date: LocalDate;
  /** kWh with 3 decimals: the old meter's final (or last) and the new meter's initial (or first) reading. */
  beforeKWh: string | null;
  afterKWh: string | null;
  /** For the run report (English, like the report's other warnings). */
  text: string;
  /** An automatic reset / jump that a replacement recorded later explains (meter history only). */
  superseded?: boolean;
}

const kwh = (wh: unknown): string | null => (typeof wh === "number" ? (wh / 1000).toFixed(3) : null);

export function meterChangesInPeriod(store: Store, communityId: string, fromMs: number, toMs: number, zone: string): MeterChange[] {
  return meterChanges(store, communityId, fromMs, toMs, zone).filter((c) => !c.superseded);
}

/** A meter's history of counter breaks, superseded ones included (zev meter history). */
export function meterHistory(store: Store, communityId: string, meter: string | undefined, zone: string): MeterChange[] {
  return meterChanges(store, communityId, 0, Number.MAX_SAFE_INTEGER, zone).filter((c) => meter === undefined || c.meter === meter);
}

function meterChanges(store: Store, communityId: string, fromMs: number, toMs: number, zone: string): MeterChange[] {
  const keys = new Map(listMeters(store, communityId).map((m) => [m.id, m.key]));
  return meterEventsInRange(store, communityId, fromMs, toMs).map((e): MeterChange => {
    const sup = (e.details as { supersededBy?: unknown } | null)?.supersededBy !== undefined ? { superseded: true } : {};
    const d = (e.details ?? {}) as {
      source?: string;
      before?: { importWh?: number };
      after?: { importWh?: number };
      oldFinal?: { importWh?: number };
      newInitial?: { importWh?: number };
    };
    const meter = keys.get(e.meterId) ?? String(e.meterId);
    const when = formatLocal(e.tsMs, zone);
    const base = { meter, atMs: e.tsMs, date: localDateOf(e.tsMs, zone), ...sup };
    if (d.source === "operator") {
      const before = kwh(d.oldFinal?.importWh);
      const after = kwh(d.newInitial?.importWh);
      return {
        ...base,
        kind: "replacement" as const,
        beforeKWh: before,
        afterKWh: after,
        text: `meter ${meter} replaced on ${when}: old final ${before} kWh, new initial ${after} kWh (energy across the swap counted from both readings)`,
      };
    }
    const before = kwh(d.before?.importWh);
    const after = kwh(d.after?.importWh);
    const what = e.kind === "reset" ? "counter reset" : e.kind === "jump" ? "counter jump" : "meter swap (new serial)";
    return {
      ...base,
      kind: e.kind,
      beforeKWh: before,
      afterKWh: after,
      text: `meter ${meter}: ${what} on ${when} (${before} -> ${after} kWh); the energy between the last old and the first new reading is unknown and not billed: if the meter was replaced, record it with zev meter replace`,
    };
  });
}
