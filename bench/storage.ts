import { copyFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { IntervalEnergy } from "../lib/model/interval-energy";
import { saveCommunity } from "../lib/store/community-repo";
import { writeOperatorMerge, type MergedInterval, type OperatorDelivery } from "../lib/store/operator-delivery-repo";
import { upsertIntervals } from "../lib/store/interval-repo";
import type { MeterRecord } from "../lib/model/meter";
import { listMeters } from "../lib/store/meter-repo";
import { MIGRATIONS } from "../lib/store/migrations";
import { pruneIntervalData } from "../lib/store/retention";
import { sealIntervalDays } from "../lib/store/interval-days";
import { SqliteStore } from "../lib/store/sqlite-store";
import { INTERVAL_MS } from "../lib/time/interval";
import { largeCommunity } from "../test/support/large-community";
import type { BenchResult } from "./harness";

/*
 * Bytes per meter-year of the interval data (issue 16), written as the ingest
 * writes it: every quarter hour, one flush with that quarter hour of every
 * meter, through upsertIntervals (with the meter's counter, stamped with the
 * flush time), so that each meter's rows are appended in the middle of the
 * table's B-tree. For comparison the same rows meter by meter, one day per
 * transaction (as a bulk import writes). Per table and index from SQLite's
 * dbstat. The schema before the index by time was dropped (migration
 * "intervals without the index by time") is written in the same loop, taking
 * turns per flush, so its size and write time compare with ours; the retention
 * delete runs on copies of both files, taking turns, best of RUNS.
 */

const UNITS = Number(process.env.BENCH_STORAGE_UNITS ?? 47); // + PV, grid, common: 50 meters
const DAYS = Number(process.env.BENCH_STORAGE_DAYS ?? 90);
const PRUNE_DAYS = 30;
const RUNS = 3;
const T0 = Date.UTC(2025, 11, 31, 23, 0); // 2026-01-01 00:00 in Zurich
const COMMUNITY = "bench";

/** The migrations before the index by time was dropped: the schema every database had until then. */
function migrationsWithIndexByTime(): typeof MIGRATIONS {
  const drop = MIGRATIONS.findIndex((m) => /DROP INDEX IF EXISTS intervals_by_start/.test(m.sql));
  if (drop < 0) throw new Error("bench: no migration drops intervals_by_start");
  return MIGRATIONS.slice(0, drop);
}

interface Db {
  store: SqliteStore;
  file: string;
  meters: MeterRecord[];
  ms: number;
  cpuMs: number;
}

function openDb(dir: string, name: string, migrations?: typeof MIGRATIONS): Db {
  const file = join(dir, name);
  const store = SqliteStore.open(file, migrations ? { migrations } : {});
  // FULL costs an fsync per flush and changes no page: off while filling, so that the line measures layout, not the disk.
  store.db.pragma("synchronous = OFF");
  saveCommunity(store, largeCommunity(UNITS, COMMUNITY), { source: "bench", actor: "bench" });
  return { store, file, meters: listMeters(store, COMMUNITY), ms: 0, cpuMs: 0 };
}

/** Quarter hour `i` of meter `m`: the bench community's deterministic profile (as test/support/large-community.ts). */
function energyWh(m: MeterRecord, i: number): number {
  const scatter = (i * 7919 + m.id * 104729) % 8000;
  if (m.role === "production") return i % 96 > 28 && i % 96 < 72 ? 2000 + scatter : 0;
  if (m.role === "grid") return scatter % 5000;
  return 20 + (scatter % 300);
}

/** One meter's rows from quarter hour `from` (inclusive) to `to`, continuing its counter. */
function rowsOf(m: MeterRecord, counter: number[], k: number, from: number, to: number): IntervalEnergy[] {
  const out: IntervalEnergy[] = [];
  for (let i = from; i < to; i++) {
    const wh = energyWh(m, i);
    counter[k]! += wh;
    out.push({ meterId: m.id, startMs: T0 + i * INTERVAL_MS, importWh: wh, exportWh: 0, quality: "measured", counterWh: counter[k]! });
  }
  return out;
}

function timed(db: Db, fn: () => void): void {
  const cpu = process.cpuUsage();
  const t = performance.now();
  fn();
  db.ms += performance.now() - t;
  const used = process.cpuUsage(cpu);
  db.cpuMs += (used.user + used.system) / 1000;
}

/** Time-ordered, one flush per quarter hour with every meter's row, into each db in turn. */
function writeAsIngest(dbs: Db[], quarters: number): void {
  const counters = dbs.map((db) => db.meters.map((m) => 1_000_000 + m.id * 37_000));
  for (let i = 0; i < quarters; i++) {
    const flushMs = T0 + (i + 1) * INTERVAL_MS + 2000;
    dbs.forEach((db, d) => {
      const rows = db.meters.flatMap((m, k) => rowsOf(m, counters[d]!, k, i, i + 1));
      timed(db, () => upsertIntervals(db.store, rows, flushMs));
    });
  }
}

/** Meter by meter, one day per transaction. */
function writeByMeter(db: Db, quarters: number): void {
  const counter = db.meters.map((m) => 1_000_000 + m.id * 37_000);
  db.meters.forEach((m, k) => {
    for (let i = 0; i < quarters; i += 96) {
      const rows = rowsOf(m, counter, k, i, Math.min(quarters, i + 96));
      timed(db, () => upsertIntervals(db.store, rows, T0 + (i + 96) * INTERVAL_MS));
    }
  });
}

/**
 * Grid-operator data (SDAT-CH) for every meter, one document per meter and 30 days, through the import's own write
 * (writeOperatorMerge): the provenance row per quarter hour and direction (import only here) beside the interval rows.
 */
function writeOperatorData(db: Db, quarters: number): void {
  db.meters.forEach((m, k) => {
    for (let i = 0; i < quarters; i += 30 * 96) {
      const end = Math.min(quarters, i + 30 * 96);
      const createdMs = T0 + end * INTERVAL_MS + 6 * 3600_000;
      // DocumentID as operators send them: a sender prefix and a UUID
      const documentId = `CH1234567890123_${(k * 1_000_003 + i).toString(16).padStart(8, "0")}-4d2a-4c8e-9b1f-3a6e2d4c5b7a`;
      const deliveries: OperatorDelivery[] = [];
      const rows: MergedInterval[] = [];
      for (let j = i; j < end; j++) {
        const wh = energyWh(m, j);
        const startMs = T0 + j * INTERVAL_MS;
        deliveries.push({ meterId: m.id, startMs, direction: "import", wh, quality: "measured", condition: null, documentId, createdMs });
        rows.push({ meterId: m.id, startMs, importWh: wh, exportWh: 0, quality: "measured" });
      }
      timed(db, () => db.store.write(() => writeOperatorMerge(db.store, deliveries, rows, createdMs)));
    }
  });
}

interface Size {
  fileBytes: number;
  byName: Map<string, { bytes: number; fill: number }>;
}

function sizeOf(store: SqliteStore, file: string): Size {
  store.db.pragma("wal_checkpoint(TRUNCATE)");
  const rows = store.db.prepare("SELECT name, sum(pgsize) AS bytes, sum(unused) AS unused FROM dbstat GROUP BY name").all() as {
    name: string;
    bytes: number;
    unused: number;
  }[];
  return { fileBytes: statSync(file).size, byName: new Map(rows.map((r) => [r.name, { bytes: r.bytes, fill: 1 - r.unused / r.bytes }])) };
}

/**
 * What two smaller layouts would save, measured rather than guessed (decision 0142): the vacuumed interval table
 * copied in key order with quality as an integer code, and also without updated_ms, beside a control copy of the
 * real layout made the same way. Neither is the schema: both would change the ingest's upsert and every reader of quality.
 */
function layoutsWhatIf(store: SqliteStore): { packed: number; integerQuality: number; alsoNoStamp: number } {
  const code = "CASE quality WHEN 'measured' THEN 0 WHEN 'interpolated' THEN 1 WHEN 'estimated' THEN 2 ELSE 3 END";
  // The control: the same columns copied the same way, so that the three compare as equals.
  store.db.exec(`
    CREATE TABLE what_if_control (meter_id INTEGER NOT NULL, start_ms INTEGER NOT NULL, import_wh INTEGER, export_wh INTEGER,
      quality TEXT NOT NULL, updated_ms INTEGER NOT NULL, counter_wh INTEGER, PRIMARY KEY (meter_id, start_ms)) WITHOUT ROWID;
    INSERT INTO what_if_control SELECT meter_id, start_ms, import_wh, export_wh, quality, updated_ms, counter_wh FROM intervals ORDER BY meter_id, start_ms;
    CREATE TABLE what_if_quality (meter_id INTEGER NOT NULL, start_ms INTEGER NOT NULL, import_wh INTEGER, export_wh INTEGER,
      quality INTEGER NOT NULL, updated_ms INTEGER NOT NULL, counter_wh INTEGER, PRIMARY KEY (meter_id, start_ms)) WITHOUT ROWID;
    INSERT INTO what_if_quality SELECT meter_id, start_ms, import_wh, export_wh, ${code}, updated_ms, counter_wh FROM intervals ORDER BY meter_id, start_ms;
    CREATE TABLE what_if_no_stamp (meter_id INTEGER NOT NULL, start_ms INTEGER NOT NULL, import_wh INTEGER, export_wh INTEGER,
      quality INTEGER NOT NULL, counter_wh INTEGER, PRIMARY KEY (meter_id, start_ms)) WITHOUT ROWID;
    INSERT INTO what_if_no_stamp SELECT meter_id, start_ms, import_wh, export_wh, ${code}, counter_wh FROM intervals ORDER BY meter_id, start_ms;`);
  const bytes = (name: string): number => store.db.prepare("SELECT sum(pgsize) FROM dbstat WHERE name = ?").pluck().get(name) as number;
  return { packed: bytes("what_if_control"), integerQuality: bytes("what_if_quality"), alsoNoStamp: bytes("what_if_no_stamp") };
}

export function storageBench(): BenchResult[] {
  const dir = mkdtempSync(join(tmpdir(), "zev-bench-storage-"));
  const quarters = DAYS * 96;
  try {
    const ours = openDb(dir, "ours.sqlite");
    const before = openDb(dir, "with-index-by-time.sqlite", migrationsWithIndexByTime());
    const byMeter = openDb(dir, "by-meter.sqlite");
    const meterYears = ours.meters.length * (DAYS / 365);
    writeAsIngest([ours, before], quarters);
    writeByMeter(byMeter, quarters);
    const operator = openDb(dir, "operator.sqlite");
    writeOperatorData(operator, quarters);
    const vacuumedFile = join(dir, "vacuumed.sqlite");
    const tVacuum = performance.now();
    ours.store.db.prepare("VACUUM INTO ?").run(vacuumedFile);
    const vacuumMs = performance.now() - tVacuum;
    const packed = SqliteStore.open(vacuumedFile);
    const size = {
      ours: sizeOf(ours.store, ours.file),
      before: sizeOf(before.store, before.file),
      byMeter: sizeOf(byMeter.store, byMeter.file),
      operator: sizeOf(operator.store, operator.file),
      vacuumed: sizeOf(packed, vacuumedFile),
    };
    const whatIf = layoutsWhatIf(packed);
    packed.close();
    // The sealed copy of the complete days (docs/decisions/0149), made on the packed file as the daily job makes it.
    const sealedFile = join(dir, "sealed.sqlite");
    copyFileSync(vacuumedFile, sealedFile);
    const sealedStore = SqliteStore.open(sealedFile);
    const tSeal = performance.now();
    const sealedDays = sealIntervalDays(sealedStore, COMMUNITY, T0 + DAYS * 96 * INTERVAL_MS).sealed;
    const sealMs = performance.now() - tSeal;
    const sealed = sizeOf(sealedStore, sealedFile);
    sealedStore.close();
    const sealedBytes = [...sealed.byName].filter(([name]) => name.includes("interval_days")).reduce((a, [, p]) => a + p.bytes, 0);

    const mb = (bytes: number): number => bytes / meterYears / 1e6;
    const parts = (s: Size): string =>
      [...s.byName]
        .filter(([name, p]) => name.startsWith("intervals") && p.bytes > 4096)
        .sort((a, b) => b[1].bytes - a[1].bytes)
        .map(([name, p]) => `${name} ${mb(p.bytes).toFixed(3)} MB (pages ${(p.fill * 100).toFixed(0)} % full)`)
        .join(", ");
    const rows = ours.meters.length * quarters;
    const scale = `${ours.meters.length} meters x ${DAYS} days (${rows} rows)`;

    // Retention: the oldest PRUNE_DAYS of every meter, on fresh copies of both files, taking turns.
    const pruneBefore = T0 + PRUNE_DAYS * 96 * INTERVAL_MS;
    for (const db of [ours, before]) db.store.close();
    const prune = { ours: { ms: Infinity, cpuMs: Infinity }, before: { ms: Infinity, cpuMs: Infinity } };
    let deleted = 0;
    for (let run = 0; run < RUNS; run++) {
      for (const [name, db] of [
        ["ours", ours],
        ["before", before],
      ] as const) {
        const copy = join(dir, `prune-${name}.sqlite`);
        copyFileSync(db.file, copy);
        const store = SqliteStore.open(copy, name === "before" ? { migrations: migrationsWithIndexByTime() } : {});
        const cpu = process.cpuUsage();
        const t = performance.now();
        deleted = pruneIntervalData(store, COMMUNITY, pruneBefore).intervals;
        const ms = performance.now() - t;
        const used = process.cpuUsage(cpu);
        prune[name].ms = Math.min(prune[name].ms, ms);
        prune[name].cpuMs = Math.min(prune[name].cpuMs, (used.user + used.system) / 1000);
        store.close();
        rmSync(copy, { force: true });
        rmSync(`${copy}-wal`, { force: true });
        rmSync(`${copy}-shm`, { force: true });
      }
    }
    byMeter.store.close();
    operator.store.close();
    const load = `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`;
    return [
      {
        bench: "storage-ingest-order",
        ours: mb(size.ours.fileBytes),
        baseline: mb(size.before.fileBytes),
        unit: "MB/meter-year",
        ratio: size.ours.fileBytes / size.before.fileBytes,
        note: `${scale} written as the ingest writes them (one flush per quarter hour of all meters, upsertIntervals, counter included); file after checkpoint; ours: ${parts(size.ours)}; baseline: the same rows on the schema with intervals_by_start: ${parts(size.before)}`,
      },
      {
        bench: "storage-sealed-days",
        ours: mb(sealedBytes),
        baseline: mb(sealed.byName.get("intervals")?.bytes ?? 0),
        unit: "MB/meter-year",
        ratio: sealedBytes / (sealed.byName.get("intervals")?.bytes ?? 1),
        note: `the sealed copy of the complete days (${sealedDays} meter-days, sealed in ${sealMs.toFixed(0)} ms; table interval_days and its key), on top of the intervals; baseline: the table intervals of the same vacuumed file`,
      },
      {
        bench: "storage-meter-order",
        ours: mb(size.byMeter.fileBytes),
        baseline: mb(size.ours.fileBytes),
        unit: "MB/meter-year",
        ratio: size.byMeter.fileBytes / size.ours.fileBytes,
        note: `the same rows meter by meter, one day per transaction: ${parts(size.byMeter)}; baseline: in ingest order (storage-ingest-order)`,
      },
      {
        bench: "storage-vacuumed",
        ours: mb(size.vacuumed.fileBytes),
        baseline: mb(size.ours.fileBytes),
        unit: "MB/meter-year",
        ratio: size.vacuumed.fileBytes / size.ours.fileBytes,
        note: `the ingest-order file after VACUUM INTO (${(size.vacuumed.fileBytes / 1e6).toFixed(0)} MB written in ${vacuumMs.toFixed(0)} ms): ${parts(size.vacuumed)}; baseline: before the VACUUM`,
      },
      {
        bench: "storage-operator-data",
        ours: mb(size.operator.fileBytes),
        baseline: mb(size.byMeter.fileBytes),
        unit: "MB/meter-year",
        ratio: size.operator.fileBytes / size.byMeter.fileBytes,
        note: `the same energies imported as SDAT-CH documents (one per meter and 30 days, DocumentID of 52 characters, import direction only, through writeOperatorMerge): ${parts(size.operator)}, operator_deliveries ${mb(size.operator.byName.get("operator_deliveries")?.bytes ?? 0).toFixed(3)} MB; baseline: the intervals alone meter by meter (storage-meter-order)`,
      },
      {
        bench: "storage-what-if-integer-quality",
        ours: mb(whatIf.integerQuality),
        baseline: mb(whatIf.packed),
        unit: "MB/meter-year",
        ratio: whatIf.integerQuality / whatIf.packed,
        note: `not the schema: the vacuumed interval table copied with quality as an integer code (${mb(whatIf.alsoNoStamp).toFixed(3)} MB without updated_ms as well); baseline: the same table with quality TEXT copied the same way`,
      },
      {
        bench: "storage-ingest-write",
        ours: ours.cpuMs,
        baseline: before.cpuMs,
        unit: "ms CPU",
        ratio: ours.cpuMs / before.cpuMs,
        note: `CPU time of the ${quarters} flushes of storage-ingest-order (wall ${ours.ms.toFixed(0)} ms against ${before.ms.toFixed(0)} ms), taking turns per flush, synchronous = OFF; baseline: the schema with intervals_by_start; ${load}`,
      },
      {
        bench: "storage-retention-prune",
        ours: prune.ours.ms,
        baseline: prune.before.ms,
        unit: "ms",
        ratio: prune.ours.ms / prune.before.ms,
        note: `pruneIntervalData deleting the oldest ${PRUNE_DAYS} days of ${ours.meters.length} meters (${deleted} rows, per meter over the primary key), best of ${RUNS} on fresh copies taking turns; CPU ${prune.ours.cpuMs.toFixed(0)} ms against ${prune.before.cpuMs.toFixed(0)} ms; baseline: the schema with intervals_by_start; ${load}`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
