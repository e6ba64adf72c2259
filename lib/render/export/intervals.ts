import { DateTime } from "luxon";
import { qualityOfCode } from "../../model/quality";
import { readIntervalMatrix } from "../../store/interval-matrix";
import { listMeters } from "../../store/meter-repo";
import type { Store } from "../../store/store";
import { INTERVAL_MS } from "../../time/interval";
import type { BillingPeriod } from "../../time/periods";
import { col, kwhCol, type Cell, type ExportTable } from "./table";

/*
 * 15-minute values per meter with their quality, every interval of the
 * period (also those without data: quality "missing", no values), so gaps
 * show. Local time with its UTC offset, because the autumn DST night has the
 * hour 02:00-03:00 twice.
 */

/** Whole Wh -> "1.234" kWh, exactly (string arithmetic, no float rounding). */
export function kwhFromWh(wh: number): string {
  const abs = Math.abs(wh);
  return `${wh < 0 ? "-" : ""}${Math.floor(abs / 1000)}.${String(abs % 1000).padStart(3, "0")}`;
}

const COLUMNS = [
  col("meter"),
  col("role"),
  col("unit"),
  col("start_local"),
  { ...col("utc_offset"), generated: true },
  col("start_utc"),
  kwhCol("import_kwh"),
  kwhCol("export_kwh"),
  col("quality"),
];

/** One table per meter (a sheet each in XLSX; CSV puts them one after the other). */
export function intervalTables(store: Store, communityId: string, period: BillingPeriod, meterKey?: string): ExportTable[] {
  const meters = listMeters(store, communityId).filter((m) => meterKey === undefined || m.key === meterKey);
  if (meterKey !== undefined && !meters.length) throw new RangeError(`community ${communityId} has no meter ${JSON.stringify(meterKey)}`);
  const matrix = readIntervalMatrix(
    store,
    meters.map((m) => m.id),
    period.startMs,
    period.endMs,
  );
  const local: string[] = [];
  const offset: string[] = [];
  const utc: string[] = [];
  for (let i = 0; i < matrix.count; i++) {
    const t = matrix.fromMs + i * INTERVAL_MS;
    const dt = DateTime.fromMillis(t, { zone: period.zone });
    local.push(dt.toFormat("yyyy-MM-dd HH:mm"));
    offset.push(dt.toFormat("ZZ"));
    utc.push(new Date(t).toISOString().replace(".000Z", "Z"));
  }
  return meters.map((m) => {
    const c = matrix.columns.get(m.id)!;
    const rows: Cell[][] = [];
    for (let i = 0; i < matrix.count; i++) {
      const q = qualityOfCode(c.quality[i]!);
      const has = q !== "missing";
      rows.push([m.key, m.role, m.unitId, local[i]!, offset[i]!, utc[i]!, has ? kwhFromWh(c.importWh[i]!) : null, has ? kwhFromWh(c.exportWh[i]!) : null, q]);
    }
    return { name: m.key, columns: COLUMNS, rows };
  });
}
