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
      `SELECT d.meter_id, d.start_ms, d.direction, d.energy_wh, d.quality, d.condition, o.document_id, o.created_ms
       FROM operator_deliveries d JOIN operator_documents o ON o.id = d.document
       WHERE d.meter_id = ? AND d.start_ms >= ? AND d.start_ms < ? ORDER BY d.start_ms, d.direction`,
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
    `INSERT INTO operator_deliveries (meter_id, start_ms, direction, energy_wh, quality, condition, document, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (meter_id, start_ms, direction) DO UPDATE SET energy_wh = excluded.energy_wh, quality = excluded.quality, condition = excluded.condition,
       document = excluded.document, updated_ms = excluded.updated_ms`,
  );
  const documents = new Map<string, number>();
  for (const x of deliveries) {
    const key = `${x.createdMs} ${x.documentId}`;
    let doc = documents.get(key);
    if (doc === undefined) documents.set(key, (doc = documentNumber(store, x.documentId, x.createdMs)));
    d.run(x.meterId, x.startMs, x.direction, x.wh, x.quality, x.condition, doc, nowMs);
  }
  upsertIntervals(store, intervals, nowMs);
}

/** The number of a document (its id and creation time), stored the first time it delivers a value. */
function documentNumber(store: ReturnType<typeof sqlite>, documentId: string, createdMs: number): number {
  const known = store.stmt<number>("SELECT id FROM operator_documents WHERE document_id = ? AND created_ms = ?").pluck(true).get(documentId, createdMs) as
    number | undefined;
  if (known !== undefined) return known;
  return Number(store.stmt("INSERT INTO operator_documents (document_id, created_ms) VALUES (?, ?)").run(documentId, createdMs).lastInsertRowid);
}
