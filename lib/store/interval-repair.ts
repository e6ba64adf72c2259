import type Database from "better-sqlite3";
import { Q_ESTIMATED, qualityRank, type Quality } from "../model/quality";

/*
 * Negative interval energy, written by versions before schema 5 (a counter
 * stepping back within its resolution, docs/decisions/0060). Migration 5
 * repairs such rows before its CHECK makes them impossible; `zev check`
 * reports what it did (docs/decisions/0061-negative-interval-repair.md).
 */

/** The audit action of one repaired row. */
export const NEGATIVE_REPAIR_ACTION = "interval.negative-repaired";
export const NEGATIVE_REPAIR_ACTOR = "migration 5";

const Q = 900_000;

type Field = "import_wh" | "export_wh";

interface Row {
  meter_id: number;
  start_ms: number;
  import_wh: number | null;
  export_wh: number | null;
  quality: Quality;
}

export interface NegativeRepair {
  meter: string;
  meterId: number;
  startMs: number;
  start: string;
  field: "import" | "export";
  beforeWh: number;
  /** The neighbouring interval that gave up the energy (the meter's sum over both stays the same), or null. */
  movedTo: { startMs: number; start: string; beforeWh: number; afterWh: number } | null;
  /** How much the meter's sum grew because no neighbour could take the energy (0 when moved). */
  sumChangedWh: number;
  qualityBefore: Quality;
  qualityAfter: Quality;
}

/**
 * Sets every negative import/export value to 0. Its (negative) energy goes to
 * the following interval, else the preceding one, where that holds at least as
 * much: the meter's sum over the two stays the same. (A counter that dipped at
 * one boundary leaves the -x in one interval and the +x in a neighbour.)
 * Otherwise the value becomes 0 and the interval is flagged estimated. Each
 * repair is written to the audit log. Runs inside the migration's transaction.
 */
export function repairNegativeIntervals(db: Database.Database, nowMs: number): NegativeRepair[] {
  const bad = db
    .prepare(
      `SELECT i.meter_id, i.start_ms, i.import_wh, i.export_wh, i.quality, m.meter_key, m.community_id
         FROM intervals i JOIN meters m ON m.id = i.meter_id
        WHERE i.import_wh < 0 OR i.export_wh < 0 ORDER BY i.meter_id, i.start_ms`,
    )
    .all() as (Row & { meter_key: string; community_id: string })[];
  if (bad.length === 0) return [];
  const get = db.prepare("SELECT meter_id, start_ms, import_wh, export_wh, quality FROM intervals WHERE meter_id = ? AND start_ms = ?");
  const set = (field: Field) => db.prepare(`UPDATE intervals SET ${field} = ?, updated_ms = ? WHERE meter_id = ? AND start_ms = ?`);
  const setField = { import_wh: set("import_wh"), export_wh: set("export_wh") };
  const setQuality = db.prepare("UPDATE intervals SET quality = ?, updated_ms = ? WHERE meter_id = ? AND start_ms = ?");
  const audit = db.prepare("INSERT INTO audit_log (ts_ms, community_id, actor, action, entity, entity_id, details) VALUES (?, ?, ?, ?, 'interval', ?, ?)");
  const repairs: NegativeRepair[] = [];
  for (const b of bad) {
    for (const field of ["import_wh", "export_wh"] as const) {
      // the current row: an earlier repair of this meter may have changed it
      const row = get.get(b.meter_id, b.start_ms) as Row;
      const v = row[field];
      if (v === null || v >= 0) continue;
      const deficit = -v;
      let movedTo: NegativeRepair["movedTo"] = null;
      for (const n of [row.start_ms + Q, row.start_ms - Q]) {
        const nb = get.get(b.meter_id, n) as Row | undefined;
        const nv = nb?.[field];
        if (nb === undefined || nb.quality === "missing" || nv === null || nv === undefined || nv < deficit) continue;
        setField[field].run(nv - deficit, nowMs, b.meter_id, n);
        movedTo = { startMs: n, start: new Date(n).toISOString(), beforeWh: nv, afterWh: nv - deficit };
        break;
      }
      setField[field].run(0, nowMs, b.meter_id, row.start_ms);
      let qualityAfter = row.quality;
      if (movedTo === null && qualityRank(row.quality) < Q_ESTIMATED) {
        qualityAfter = "estimated";
        setQuality.run(qualityAfter, nowMs, b.meter_id, row.start_ms);
      }
      const r: NegativeRepair = {
        meter: b.meter_key,
        meterId: b.meter_id,
        startMs: row.start_ms,
        start: new Date(row.start_ms).toISOString(),
        field: field === "import_wh" ? "import" : "export",
        beforeWh: v,
        movedTo,
        sumChangedWh: movedTo === null ? deficit : 0,
        qualityBefore: row.quality,
        qualityAfter,
      };
      audit.run(nowMs, b.community_id, NEGATIVE_REPAIR_ACTOR, NEGATIVE_REPAIR_ACTION, `${b.meter_key}@${r.start}`, JSON.stringify(r));
      repairs.push(r);
    }
  }
  return repairs;
}

/** Charging-session interval rows are sums of non-negative counter differences; a negative one cannot be re-split, so it becomes 0 (audited). */
export function repairNegativeSessionIntervals(db: Database.Database, nowMs: number): number {
  const bad = db
    .prepare(
      `SELECT si.session_id, si.start_ms, si.mode, si.energy_wh, s.community_id, s.charger_key
         FROM charger_session_intervals si JOIN charger_sessions s ON s.id = si.session_id WHERE si.energy_wh < 0`,
    )
    .all() as { session_id: number; start_ms: number; mode: string; energy_wh: number; community_id: string; charger_key: string }[];
  const fix = db.prepare("UPDATE charger_session_intervals SET energy_wh = 0 WHERE session_id = ? AND start_ms = ? AND mode = ?");
  const audit = db.prepare(
    "INSERT INTO audit_log (ts_ms, community_id, actor, action, entity, entity_id, details) VALUES (?, ?, ?, ?, 'charger-session', ?, ?)",
  );
  for (const b of bad) {
    fix.run(b.session_id, b.start_ms, b.mode);
    const details = {
      charger: b.charger_key,
      sessionId: b.session_id,
      startMs: b.start_ms,
      start: new Date(b.start_ms).toISOString(),
      mode: b.mode,
      beforeWh: b.energy_wh,
      afterWh: 0,
    };
    audit.run(nowMs, b.community_id, NEGATIVE_REPAIR_ACTOR, "charger-session-interval.negative-repaired", String(b.session_id), JSON.stringify(details));
  }
  return bad.length;
}
