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

function add(sum: Took, t: Took): void {
  sum.wallMs += t.wallMs;
  sum.cpuMs += t.cpuMs;
}

export function ingestBench(): BenchResult {
  const msgs = readings();
  const ends = Array.from({ length: Math.ceil(msgs.length / READINGS_PER_FLUSH) }, (_, k) => Math.min((k + 1) * READINGS_PER_FLUSH, msgs.length));
  if (msgs.length % READINGS_PER_FLUSH === 0) ends.push(msgs.length); // the final flush, empty then
  const dir = mkdtempSync(join(tmpdir(), "zev-bench-"));
  try {
    const { IntervalIngest } = compiledIngest();
    const newIngest = (store: SqliteStore): InstanceType<typeof IntervalIngest> => new IntervalIngest(store, "test-zev", { actor: "bench", now: () => NOW });

    // A first run, not counted: the rows each flush writes, which the raw side then inserts.
    const first = freshStore(dir, "first.sqlite");
    const ingest0 = newIngest(first);
    const batches: number[] = [];
    let i0 = 0;
    for (const end of ends) {
      for (; i0 < end; i0++) ingest0.accept(msgs[i0]);
      batches.push(ingest0.flush().intervals);
    }
    // Every column ours wrote (counter_wh and updated_ms included), in the order it wrote them.
    const rows = first.db.prepare(`SELECT ${COLUMNS} FROM intervals ORDER BY updated_ms, start_ms, meter_id`).raw(true).all() as Row[];
    first.close();
    const total = batches.reduce((a, b) => a + b, 0);
    if (total !== rows.length) throw new Error(`bench bookkeeping: ${total} rows flushed, ${rows.length} stored`);

    /*
     * A turn runs both sides in step, flush by flush: ours takes a flush's readings and commits them, then the raw
     * side inserts the rows that flush wrote in one transaction of its own. Each commit waits for the disk
     * (synchronous = FULL), and that wait varies by tens of percent from minute to minute on a shared machine; in
     * step, both sides meet the same disk, so the ratio of a turn does not depend on which side drew the slow one.
     */
    const turn = (run: number): { ours: Took; raw: Took } => {
      const ours: Took = { wallMs: 0, cpuMs: 0 };
      const raw: Took = { wallMs: 0, cpuMs: 0 };
      const oursStore = freshStore(dir, `ours-${run}.sqlite`);
      const rawStore = freshStore(dir, `raw-${run}.sqlite`);
      // Raw means the table alone: the triggers that drop sealed days (docs/decisions/0149) are ours, and cost ours.
      for (const name of rawStore.db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'intervals'").pluck().all() as string[])
        rawStore.db.exec(`DROP TRIGGER "${name}"`);
      const ins = rawStore.db.prepare(`INSERT INTO intervals (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`);
      const ingest = newIngest(oursStore);
      let i = 0;
      let at = 0;
      ends.forEach((end, k) => {
        const o = took(() => {
          for (; i < end; i++) ingest.accept(msgs[i]);
          return ingest.flush().intervals;
        });
        add(ours, o);
        const size = batches[k]!;
        if (o.value !== size) throw new Error(`bench bookkeeping: flush ${k} wrote ${o.value} rows, the first run ${size}`);
        if (size === 0) return;
        const from = at;
        at += size;
        add(
          raw,
          took(() =>
            rawStore.db
              .transaction(() => {
                for (let j = from; j < from + size; j++) {
                  const r = rows[j]!;
                  ins.run(r[0], r[1], r[2], r[3], r[4], r[5], r[6]);
                }
              })
              .immediate(),
          ),
        );
      });
      if (run === 0) {
        const stored = rawStore.db.prepare(`SELECT ${COLUMNS} FROM intervals ORDER BY updated_ms, start_ms, meter_id`).raw(true).all();
        if (JSON.stringify(stored) !== JSON.stringify(rows)) throw new Error("bench bookkeeping: the raw INSERTs did not store the rows ours stored");
      }
      oursStore.close();
      rawStore.close();
      return { ours, raw };
    };

    const turns: { ours: Took; raw: Took; ratio: number }[] = [];
    for (let run = 0; run < RUNS; run++) {
      const t = turn(run);
      turns.push({ ...t, ratio: t.ours.wallMs / t.raw.wallMs });
      process.stderr.write(
        `  ingest turn ${run + 1}/${RUNS}: ours ${t.ours.wallMs.toFixed(0)} ms wall ${t.ours.cpuMs.toFixed(0)} ms CPU, raw ${t.raw.wallMs.toFixed(0)} ms wall ${t.raw.cpuMs.toFixed(0)} ms CPU, ratio ${(t.ours.wallMs / t.raw.wallMs).toFixed(2)}\n`,
      );
    }
    // The median turn: a turn's two sides belong together, so neither side's luckiest turn is paired with the other's.
    const mid = [...turns].sort((a, b) => a.ratio - b.ratio)[Math.floor(turns.length / 2)]!;
    const perSec = (ms: number): number => msgs.length / (ms / 1000);
    const min = (xs: number[]): number => Math.min(...xs);
    return {
      bench: "ingest",
      ours: perSec(mid.ours.wallMs),
      baseline: perSec(mid.raw.wallMs),
      unit: "readings/s",
      ratio: mid.ratio,
      note: [
        `${msgs.length} readings (${METERS} meters, one a minute, ${DAYS} days) -> ${rows.length} interval rows in ${batches.filter((b) => b > 0).length} transactions`,
        `median of ${RUNS} turns, both sides in step flush by flush: ours ${mid.ours.wallMs.toFixed(0)} ms wall, ${mid.ours.cpuMs.toFixed(0)} ms CPU (${Math.round(perSec(mid.ours.wallMs))} readings/s)`,
        `raw INSERT of the same rows (all ${COLUMNS.split(",").length} columns ours stores) in the same transactions ${mid.raw.wallMs.toFixed(0)} ms wall, ${mid.raw.cpuMs.toFixed(0)} ms CPU (${Math.round(rows.length / (mid.raw.wallMs / 1000))} rows/s)`,
        `CPU ratio ${(mid.ours.cpuMs / mid.raw.cpuMs).toFixed(2)}; turns ${turns.map((t) => t.ratio.toFixed(2)).join(" ")}; best of each side ${min(turns.map((t) => t.ours.wallMs)).toFixed(0)} / ${min(turns.map((t) => t.raw.wallMs)).toFixed(0)} ms; load average ${loadavg()[0]!.toFixed(2)}`,
      ].join("; "),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
