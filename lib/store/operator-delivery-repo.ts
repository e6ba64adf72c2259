import type { Quality } from "../model/quality";
import { upsertIntervals } from "./interval-repo";
import { sqlite } from "./sqlite-store";
import type { Store } from "./store";

/** The intervals column an operator value went into. */
export type StoreDirection = "import" | "export";
export type DeliveryQuality = "measured" | "estimated" | "missing";

/** Which grid-operator document delivered one direction of one quarter hour (migration 6). */
export interface OperatorDelivery {
  meterId: number;
  startMs: number;
  direction: StoreDirection;
  wh: number | null;
  quality: DeliveryQuality;
  condition: string | null;
  documentId: string;
  createdMs: number;
}

interface DeliveryRow {
  meter_id: number;
  start_ms: number;
  direction: StoreDirection;
  energy_wh: number | null;
  quality: DeliveryQuality;
  condition: string | null;
  document_id: string;
  created_ms: number;
}

export function operatorDeliveries(handle: Store, meterId: number, fromMs: number, toMs: number): OperatorDelivery[] {
  const store = sqlite(handle);
  return store
    .stmt<DeliveryRow>(
      "SELECT meter_id, start_ms, direction, energy_wh, quality, condition, document_id, created_ms FROM operator_deliveries WHERE meter_id = ? AND start_ms >= ? AND start_ms < ? ORDER BY start_ms, direction",
    )
    .all(meterId, fromMs, toMs)
    .map((r) => ({
      meterId: r.meter_id,
      startMs: r.start_ms,
      direction: r.direction,
      wh: r.energy_wh,
      quality: r.quality,
      condition: r.condition,
      documentId: r.document_id,
      createdMs: r.created_ms,
    }));
}

/** One interval row as the merge leaves it: both columns and the row's quality. */
export interface MergedInterval {
  meterId: number;
  startMs: number;
  importWh: number | null;
  exportWh: number | null;
  quality: Quality;
}

/**
 * Writes the deliveries taken and the interval rows they change. The caller
 * runs this inside its one transaction per file (store.write).
 */
export function writeOperatorMerge(handle: Store, deliveries: readonly OperatorDelivery[], intervals: readonly MergedInterval[], nowMs: number): void {
  const store = sqlite(handle);
  const d = store.stmt(
    `INSERT INTO operator_deliveries (meter_id, start_ms, direction, energy_wh, quality, condition, document_id, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (meter_id, start_ms, direction) DO UPDATE SET energy_wh = excluded.energy_wh, quality = excluded.quality, condition = excluded.condition,
       document_id = excluded.document_id, created_ms = excluded.created_ms, updated_ms = excluded.updated_ms`,
  );
  for (const x of deliveries) d.run(x.meterId, x.startMs, x.direction, x.wh, x.quality, x.condition, x.documentId, x.createdMs, nowMs);
  upsertIntervals(store, intervals, nowMs);
}
