import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { listMeters } from "../../../lib/store/meter-repo";
import { lastReadings } from "../../../lib/store/meter-state-repo";
import { qualityRowCounts, upsertIntervals } from "../../../lib/store/interval-repo";
import { saveCommunity } from "../../../lib/store/community-repo";
import { upsertMeter } from "../../../lib/store/meter-repo";
import { meterStatesWrittenMs, meterStateWrittenMs, saveMeterState } from "../../../lib/store/meter-state-repo";
import { SqliteStore, StoreError } from "../../../lib/store/sqlite-store";
import type { Store } from "../../../lib/store/store";
import { emptyCounterState } from "../../../lib/readings/intervals/counter-state";
import { minimalCommunity } from "../../support/community-fixture";

const ROOT = join(__dirname, "..", "..", "..");

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith(".ts") ? [relative(ROOT, p)] : [];
  });
}

/** Comments and string contents stripped well enough to find identifiers and calls in code. */
function code(file: string): string {
  return readFileSync(join(ROOT, file), "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/^\s*\/\/.*$/gm, "");
}

describe("lib/store behind the Store interface", () => {
  it("the domain rooms name the Store interface, never the SQLite class", () => {
    const rooms = [
      "billing",
      "aggregation",
      "charging",
      "payments",
      "operator",
      "readings",
      "render",
      "simulator",
      "allocation",
      "tariffs",
      "community",
      "model",
      "time",
      "util",
      "devices",
      "portal",
    ];
    const offenders = rooms
      .flatMap((r) => tsFiles(join(ROOT, "lib", r)))
      // Composition roots: they open the database they work on (the simulator; the billing worker thread, its own connection).
      .filter((f) => f !== "lib/simulator/run.ts" && f !== "lib/billing/worker.ts")
      .filter((f) => /\bSqliteStore\b/.test(code(f)));
    assert.deepEqual(offenders, []);
  });

  it("no statement runs outside lib/store (data quality and meter health read through repositories)", () => {
    const offenders = tsFiles(join(ROOT, "lib"))
      .filter((f) => !f.startsWith("lib/store/"))
      .filter((f) => /\.(stmt|prepare)\s*[(<]|\bstore\??\.db\b|\bSELECT\s[^;]*?\sFROM\s|\bINSERT INTO\s|\bDELETE FROM\s|\bUPDATE\s+\w+\s+SET\s/.test(code(f)));
    assert.deepEqual(offenders, []);
  });

  it("a repository handed a store that is not SQLite refuses with a StoreError naming it", () => {
    const other: Store = { path: "postgres://zev", isOpen: true, write: (fn) => fn(), read: (fn) => fn(), close: () => undefined };
    assert.throws(
      () => listMeters(other, "test-zev"),
      (e: unknown) => e instanceof StoreError && /postgres:\/\/zev is not a SQLite store/.test(e.message),
    );
  });

  it("qualityRowCounts counts rows per meter and quality in [from, to); lastReadings gives each meter's last accepted reading", () => {
    const store = SqliteStore.open(":memory:");
    try {
      saveCommunity(store, minimalCommunity(), { source: "test", actor: "test" });
      const m = upsertMeter(store, "test-zev", { id: "m1", role: "unit", unit: "u1" }, "test");
      const t0 = Date.UTC(2026, 0, 1);
      const q = 900_000;
      upsertIntervals(store, [
        { meterId: m.id, startMs: t0, importWh: 1, exportWh: 0, quality: "measured" },
        { meterId: m.id, startMs: t0 + q, importWh: 1, exportWh: 0, quality: "measured" },
        { meterId: m.id, startMs: t0 + 2 * q, importWh: 1, exportWh: 0, quality: "interpolated" },
        { meterId: m.id, startMs: t0 + 3 * q, importWh: null, exportWh: null, quality: "missing" },
      ]);
      const counts = qualityRowCounts(store, "test-zev", t0, t0 + 3 * q).sort((a, b) => a.quality.localeCompare(b.quality));
      assert.deepEqual(counts, [
        { meterId: m.id, quality: "interpolated", rows: 1 },
        { meterId: m.id, quality: "measured", rows: 2 },
      ]);
      assert.deepEqual(lastReadings(store, "test-zev"), []);
      store.write(() => saveMeterState(store, m.id, { ...emptyCounterState(), last: { ts: t0 + 60_000, imp: 12_345, exp: null } }, t0));
      assert.deepEqual(lastReadings(store, "test-zev"), [{ meterId: m.id, lastMs: t0 + 60_000, lastImportWh: 12_345 }]);
    } finally {
      store.close();
    }
  });
  it("meterStatesWrittenMs gives, in one query, each meter's stamp as meterStateWrittenMs does (null where no state was written)", () => {
    const store = SqliteStore.open(":memory:");
    try {
      saveCommunity(store, minimalCommunity(), { source: "test", actor: "test" });
      const a = upsertMeter(store, "test-zev", { id: "a", role: "common" }, "test");
      const b = upsertMeter(store, "test-zev", { id: "b", role: "common" }, "test");
      const c = upsertMeter(store, "test-zev", { id: "c", role: "common" }, "test");
      store.write(() => {
        saveMeterState(store, a.id, emptyCounterState(), 1_000);
        saveMeterState(store, c.id, emptyCounterState(), 3_000);
      });
      const got = meterStatesWrittenMs(store, [a.id, b.id, c.id]);
      assert.deepEqual(
        [...got.entries()],
        [
          [a.id, 1_000],
          [b.id, null],
          [c.id, 3_000],
        ],
      );
      for (const id of [a.id, b.id, c.id]) assert.equal(got.get(id), meterStateWrittenMs(store, id));
      assert.equal(meterStatesWrittenMs(store, []).size, 0);
    } finally {
      store.close();
    }
  });
});
