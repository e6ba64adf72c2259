import { audit } from "../store/audit-repo";
import type { SqliteStore } from "../store/sqlite-store";
import type { ParsedLoadProfile } from "./load-profile-csv";
import { ensureMeter } from "./register-meter";

export interface LoadProfileImportResult {
  rows: number;
  meters: { meter: string; rows: number; registered: boolean }[];
  fromMs: number;
  toMs: number;
  warnings: string[];
}

const UPSERT = `INSERT INTO intervals (meter_id, start_ms, import_wh, export_wh, quality, updated_ms) VALUES (?, ?, ?, ?, 'measured', ?)
  ON CONFLICT (meter_id, start_ms) DO UPDATE SET import_wh = excluded.import_wh, export_wh = excluded.export_wh,
    quality = excluded.quality, updated_ms = excluded.updated_ms`;

/**
 * Writes a parsed load profile as measured intervals, in one transaction.
 * The operator's values replace what the store held for the same meter and
 * quarter hour (they are the billing reference); re-importing a file
 * changes nothing.
 */
export function importLoadProfile(store: SqliteStore, communityId: string, p: ParsedLoadProfile, opts: { actor: string; source: string; nowMs?: number }): LoadProfileImportResult {
  const now = opts.nowMs ?? Date.now();
  const ids = new Map<string, { id: number; registered: boolean; rows: number }>();
  for (const key of p.meters) {
    const { meter, registered } = ensureMeter(store, communityId, key, opts.actor, now, "a load-profile import");
    ids.set(key, { id: meter.id, registered, rows: 0 });
  }
  const stmt = store.stmt(UPSERT);
  store.write(() => {
    for (const r of p.rows) {
      const m = ids.get(r.meter)!;
      m.rows++;
      stmt.run(m.id, r.startMs, r.importWh, r.exportWh, now);
    }
    audit(store, {
      communityId,
      actor: opts.actor,
      action: "load-profile.imported",
      entity: "intervals",
      details: { source: opts.source, rows: p.rows.length, meters: p.meters, from: new Date(p.fromMs).toISOString(), to: new Date(p.toMs).toISOString(), timestampIs: p.timestampIs },
      tsMs: now,
    });
  });
  return {
    rows: p.rows.length,
    meters: [...ids].map(([meter, m]) => ({ meter, rows: m.rows, registered: m.registered })),
    fromMs: p.fromMs,
    toMs: p.toMs,
    warnings: p.warnings,
  };
}

