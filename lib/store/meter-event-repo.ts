import type { CounterEventKind } from "../readings/intervals/counter-state";
import type { SqliteStore } from "./sqlite-store";

export interface MeterEvent {
  meterId: number;
  tsMs: number;
  kind: CounterEventKind;
  details: unknown;
}

/** Call inside a write transaction; the same event written twice is kept once. */
export function insertMeterEvent(store: SqliteStore, e: MeterEvent): void {
  store
    .stmt("INSERT INTO meter_events (meter_id, ts_ms, kind, details) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
    .run(e.meterId, e.tsMs, e.kind, e.details === undefined ? null : JSON.stringify(e.details));
}

interface Row {
  meter_id: number;
  ts_ms: number;
  kind: CounterEventKind;
  details: string | null;
}

export function meterEventsInRange(store: SqliteStore, communityId: string, fromMs: number, toMs: number): MeterEvent[] {
  return store
    .stmt<Row>(
      `SELECT e.* FROM meter_events e JOIN meters m ON m.id = e.meter_id
       WHERE m.community_id = ? AND e.ts_ms >= ? AND e.ts_ms < ? ORDER BY e.ts_ms, e.meter_id`,
    )
    .all(communityId, fromMs, toMs)
    .map((r) => ({ meterId: r.meter_id, tsMs: r.ts_ms, kind: r.kind, details: r.details === null ? null : (JSON.parse(r.details) as unknown) }));
}

/** Marks an automatic reset / jump as explained by a replacement recorded later (call inside a write transaction). */
export function supersedeMeterEvent(store: SqliteStore, meterId: number, tsMs: number, kind: CounterEventKind, by: unknown): void {
  store
    .stmt("UPDATE meter_events SET details = json_set(COALESCE(details, '{}'), '$.supersededBy', json(?)) WHERE meter_id = ? AND ts_ms = ? AND kind = ?")
    .run(JSON.stringify(by), meterId, tsMs, kind);
}

/** The meter's events at or after `fromMs`, oldest first. */
export function meterEventsSince(store: SqliteStore, meterId: number, fromMs: number): MeterEvent[] {
  return store
    .stmt<Row>("SELECT * FROM meter_events WHERE meter_id = ? AND ts_ms >= ? ORDER BY ts_ms")
    .all(meterId, fromMs)
    .map((r) => ({ meterId: r.meter_id, tsMs: r.ts_ms, kind: r.kind, details: r.details === null ? null : (JSON.parse(r.details) as unknown) }));
}
