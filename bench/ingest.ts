import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { minimalCommunity } from "../test/support/community-fixture";
import { compiled, type BenchResult } from "./harness";

type SqliteStore = import("../lib/store/sqlite-store").SqliteStore;

/** Ours as Node-RED runs it (dist/), its store from the same modules. */
function compiledIngest(): {
  IntervalIngest: typeof import("../lib/readings/intervals/interval-ingest").IntervalIngest;
  saveCommunity: typeof import("../lib/store/community-repo").saveCommunity;
  SqliteStore: typeof import("../lib/store/sqlite-store").SqliteStore;
} {
  return {
    IntervalIngest: compiled<typeof import("../lib/readings/intervals/interval-ingest")>("lib/readings/intervals/interval-ingest").IntervalIngest,
    saveCommunity: compiled<typeof import("../lib/store/community-repo")>("lib/store/community-repo").saveCommunity,
    SqliteStore: compiled<typeof import("../lib/store/sqlite-store")>("lib/store/sqlite-store").SqliteStore,
  };
}

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
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const T0 = Date.UTC(2026, 0, 5, 0, 0, 30);
/** The ingest's clock: a constant, as cheap as Node-RED's Date.now (computing a date per reading would be the bench's cost). */
const NOW = Date.UTC(2030, 0, 1);

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
  const { SqliteStore, saveCommunity } = compiledIngest();
  const store = SqliteStore.open(join(dir, name));
  saveCommunity(store, minimalCommunity({ meters: Array.from({ length: METERS }, (_, k) => ({ id: `m${k}`, role: "common" as const })) }), {
    source: "bench",
    actor: "bench",
  });
  return store;
}

/** Every column ours stores, in the table's order of the INSERT below. */
type Row = [number, number, number | null, number | null, string, number, number | null];
const COLUMNS = "meter_id, start_ms, import_wh, export_wh, quality, updated_ms, counter_wh";

/** Wall and CPU (user + system, all threads of the process: SQLite runs on this one, GC helpers count too) in ms. */
interface Took {
  wallMs: number;
  cpuMs: number;
}

function took<T>(fn: () => T): Took & { value: T } {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = fn();
  const wallMs = performance.now() - t;
  const u = process.cpuUsage(c);
  return { wallMs, cpuMs: (u.user + u.system) / 1000, value };
}

function best(a: Took, b: Took): Took {
  return { wallMs: Math.min(a.wallMs, b.wallMs), cpuMs: Math.min(a.cpuMs, b.cpuMs) };
}

export function ingestBench(): BenchResult {
  const msgs = readings();
  const dir = mkdtempSync(join(tmpdir(), "zev-bench-"));
  try {
    let batches: number[] = [];
    let rows: Row[] = [];

    const oursRun = (run: number): Took => {
      const store = freshStore(dir, `ours-${run}.sqlite`);
      const ingest = new (compiledIngest().IntervalIngest)(store, "test-zev", { actor: "bench", now: () => NOW });
      const t = took(() => {
        const sizes: number[] = [];
        for (let i = 0; i < msgs.length; i++) {
          ingest.accept(msgs[i]);
          if ((i + 1) % READINGS_PER_FLUSH === 0) sizes.push(ingest.flush().intervals);
        }
        sizes.push(ingest.flush().intervals);
        return sizes;
      });
      if (run === 0) {
        batches = t.value;
        // Every column ours wrote (counter_wh and updated_ms included), in the order it wrote them.
        rows = store.db.prepare(`SELECT ${COLUMNS} FROM intervals ORDER BY updated_ms, start_ms, meter_id`).raw(true).all() as Row[];
      }
      store.close();
      return t;
    };

    const rawRun = (run: number): Took => {
      const store = freshStore(dir, `raw-${run}.sqlite`);
      // Raw means the table alone: the triggers that drop sealed days (docs/decisions/0149) are ours, and cost ours.
      for (const name of store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'intervals'").pluck().all() as string[])
        store.db.exec(`DROP TRIGGER "${name}"`);
      const ins = store.db.prepare(`INSERT INTO intervals (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`);
      const t = took(() => {
        let at = 0;
        for (const size of batches) {
          if (size === 0) continue;
          const from = at;
          at += size;
          store.db
            .transaction(() => {
              for (let i = from; i < from + size; i++) {
                const r = rows[i]!;
                ins.run(r[0], r[1], r[2], r[3], r[4], r[5], r[6]);
              }
            })
            .immediate();
        }
      });
      if (run === 0) {
        const stored = store.db.prepare(`SELECT ${COLUMNS} FROM intervals ORDER BY updated_ms, start_ms, meter_id`).raw(true).all();
        if (JSON.stringify(stored) !== JSON.stringify(rows)) throw new Error("bench bookkeeping: the raw INSERTs did not store the rows ours stored");
      }
      store.close();
      return t;
    };

    // Taking turns in one process: a neighbour's load falls on both sides alike.
    let ours: Took = { wallMs: Infinity, cpuMs: Infinity };
    let baseline: Took = { wallMs: Infinity, cpuMs: Infinity };
    for (let run = 0; run < RUNS; run++) {
      const o = oursRun(run);
      ours = best(ours, o);
      if (run === 0) {
        const total = batches.reduce((a, b) => a + b, 0);
        if (total !== rows.length) throw new Error(`bench bookkeeping: ${total} rows flushed, ${rows.length} stored`);
      }
      const b = rawRun(run);
      baseline = best(baseline, b);
      process.stderr.write(
        `  ingest turn ${run + 1}/${RUNS}: ours ${o.wallMs.toFixed(0)} ms wall ${o.cpuMs.toFixed(0)} ms CPU, raw ${b.wallMs.toFixed(0)} ms wall ${b.cpuMs.toFixed(0)} ms CPU\n`,
      );
    }
    const perSec = (ms: number): number => msgs.length / (ms / 1000);
    return {
      bench: "ingest",
      ours: perSec(ours.wallMs),
      baseline: perSec(baseline.wallMs),
      unit: "readings/s",
      ratio: ours.wallMs / baseline.wallMs,
      note: [
        `${msgs.length} readings (${METERS} meters, one a minute, ${DAYS} days) -> ${rows.length} interval rows in ${batches.filter((b) => b > 0).length} transactions`,
        `ours ${ours.wallMs.toFixed(0)} ms wall, ${ours.cpuMs.toFixed(0)} ms CPU (${Math.round(perSec(ours.wallMs))} readings/s)`,
        `raw INSERT of the same rows (all ${COLUMNS.split(",").length} columns ours stores) in the same transactions ${baseline.wallMs.toFixed(0)} ms wall, ${baseline.cpuMs.toFixed(0)} ms CPU (${Math.round(rows.length / (baseline.wallMs / 1000))} rows/s)`,
        `CPU ratio ${(ours.cpuMs / baseline.cpuMs).toFixed(2)}; best of ${RUNS} each, taking turns; load average ${loadavg()[0]!.toFixed(2)}`,
      ].join("; "),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
