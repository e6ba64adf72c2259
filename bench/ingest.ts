import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IntervalIngest } from "../lib/readings/intervals/interval-ingest";
import { saveCommunity } from "../lib/store/community-repo";
import { SqliteStore } from "../lib/store/sqlite-store";
import { minimalCommunity } from "../test/support/community-fixture";
import type { BenchResult } from "./harness";

/*
 * Ingest path (reading messages -> interval builder -> batched SQLite
 * writes, counter state included) against raw batched better-sqlite3
 * INSERTs of the very rows it produced, in the same transactions.
 * Scenario: 100 meters read once a minute for a week (15 readings per
 * interval row), time-ordered as sources deliver them.
 */
const METERS = Number(process.env.BENCH_METERS ?? 100);
const DAYS = Number(process.env.BENCH_DAYS ?? 7);
const READINGS_PER_FLUSH = 5000; // zev-aggregate commits at least every second or every 5000 readings
const RUNS = 3;
const T0 = Date.UTC(2026, 0, 5, 0, 0, 30);

interface Msg {
  meter: string;
  ts: number;
  importKWh: number;
  powerW: number;
}

function readings(): Msg[] {
  const out: Msg[] = [];
  const wh = Array.from({ length: METERS }, (_, k) => 1_000_000 + k * 1000);
  for (let m = 0; m < DAYS * 24 * 60; m++) {
    for (let k = 0; k < METERS; k++) {
      const w = 200 + ((m * 31 + k * 17) % 3000); // 0.2 - 3.2 kW
      wh[k]! += w / 60;
      out.push({ meter: `m${k}`, ts: T0 + m * 60_000 + k * 100, importKWh: Math.round(wh[k]!) / 1000, powerW: w });
    }
  }
  return out;
}

function freshStore(dir: string, name: string): SqliteStore {
  const store = SqliteStore.open(join(dir, name));
  saveCommunity(store, minimalCommunity({ meters: Array.from({ length: METERS }, (_, k) => ({ id: `m${k}`, role: "common" as const })) }), {
    source: "bench",
    actor: "bench",
  });
  return store;
}

type Row = [number, number, number | null, number | null, string];

export function ingestBench(): BenchResult {
  const msgs = readings();
  const dir = mkdtempSync(join(tmpdir(), "zev-bench-"));
  try {
    let batches: number[] = [];
    let rows: Row[] = [];
    let ours = Infinity;
    for (let run = 0; run < RUNS; run++) {
      const store = freshStore(dir, `ours-${run}.sqlite`);
      const ingest = new IntervalIngest(store, "test-zev", { actor: "bench", now: () => Date.UTC(2030, 0, 1) });
      const sizes: number[] = [];
      const t = performance.now();
      for (let i = 0; i < msgs.length; i++) {
        ingest.accept(msgs[i]);
        if ((i + 1) % READINGS_PER_FLUSH === 0) sizes.push(ingest.flush().intervals);
      }
      sizes.push(ingest.flush().intervals);
      ours = Math.min(ours, performance.now() - t);
      if (run === 0) {
        batches = sizes;
        rows = store.db
          .prepare("SELECT meter_id, start_ms, import_wh, export_wh, quality FROM intervals ORDER BY updated_ms, start_ms, meter_id")
          .raw(true)
          .all() as Row[];
      }
      store.close();
    }
    const total = batches.reduce((a, b) => a + b, 0);
    if (total !== rows.length) throw new Error(`bench bookkeeping: ${total} rows flushed, ${rows.length} stored`);

    let baseline = Infinity;
    for (let run = 0; run < RUNS; run++) {
      const store = freshStore(dir, `raw-${run}.sqlite`);
      const ins = store.db.prepare("INSERT INTO intervals (meter_id, start_ms, import_wh, export_wh, quality, updated_ms) VALUES (?, ?, ?, ?, ?, ?)");
      const t = performance.now();
      let at = 0;
      for (const size of batches) {
        if (size === 0) continue;
        const from = at;
        at += size;
        store.db
          .transaction(() => {
            for (let i = from; i < from + size; i++) {
              const r = rows[i]!;
              ins.run(r[0], r[1], r[2], r[3], r[4], 0);
            }
          })
          .immediate();
      }
      baseline = Math.min(baseline, performance.now() - t);
      store.close();
    }
    const perSec = (ms: number): number => msgs.length / (ms / 1000);
    return {
      bench: "ingest",
      ours: perSec(ours),
      baseline: perSec(baseline),
      unit: "readings/s",
      ratio: ours / baseline,
      note: [
        `${msgs.length} readings (${METERS} meters, one a minute, ${DAYS} days) -> ${rows.length} interval rows in ${batches.filter((b) => b > 0).length} transactions`,
        `ours ${ours.toFixed(0)} ms (${Math.round(perSec(ours))} readings/s); raw INSERT of the same rows in the same transactions ${baseline.toFixed(0)} ms (${Math.round(rows.length / (baseline / 1000))} rows/s); best of ${RUNS}`,
      ].join("; "),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
