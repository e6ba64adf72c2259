import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBilling } from "../lib/billing/run";
import type { CommunityDefinition } from "../lib/community/types";
import { saveCommunity } from "../lib/store/community-repo";
import { listMeters } from "../lib/store/meter-repo";
import { SqliteStore } from "../lib/store/sqlite-store";
import { INTERVAL_MS } from "../lib/time/interval";
import { parsePeriod, type BillingPeriod } from "../lib/time/periods";
import { BenchResult, timeIt } from "./harness";

const address = { street: "Benchweg", buildingNumber: "1", postalCode: "8000", town: "Zürich", country: "CH" };

/** A community of `count` flats (one meter each), PV, grid and common area; one tenant in ten moves out on 30 June. */
export function benchCommunity(count: number): CommunityDefinition {
  const units = Array.from({ length: count }, (_, i) => ({ id: `u${i + 1}`, label: `Unit ${i + 1}`, floorArea: 50 + (i % 7) * 10 }));
  return {
    id: "bench",
    name: "Bench ZEV",
    kind: "ZEV",
    currency: "CHF",
    timeZone: "Europe/Zurich",
    creditor: { name: "Bench ZEV", address, iban: "CH93 0076 2011 6238 5295 7", vatRegistered: true, vatNumber: "CHE-123.456.789 MWST" },
    owner: { name: "Owner", address, language: "de" },
    buildings: [{ id: "A", name: "A", units }],
    tenancies: units.map((u, i) => ({ id: `t${i}`, unit: u.id, tenant: { name: `Tenant ${i}`, address, language: "de" as const }, from: "2020-01-01", to: i % 10 === 0 ? "2026-06-30" : null })),
    meters: [{ id: "pv", role: "production" }, { id: "grid", role: "grid" }, { id: "common", role: "common" }, ...units.map((u) => ({ id: `m-${u.id}`, role: "unit" as const, unit: u.id }))],
    tariffs: [
      {
        id: "2026",
        validFrom: "2026-01-01",
        pricesIncludeVat: false,
        solarPerKWh: "0.20",
        gridHtPerKWh: "0.32",
        gridNtPerKWh: "0.24",
        gridSchedule: { ht: [{ days: [1, 2, 3, 4, 5], from: "07:00", to: "20:00" }] },
        baseFeePerMonth: "5.00",
        meteringFeePerMonth: "3.50",
        standardProduct: { htPerKWh: "0.32", ntPerKWh: "0.24" },
      },
    ],
    billing: { allocation: "proportional", commonAreaKey: "floorArea", minCoverage: 0.95 },
  };
}

/**
 * A year of quarter hours for every meter of the community, generated inside
 * SQLite (a JavaScript loop of INSERTs takes minutes for 1,000 units): PV by
 * day, grid and flats with deterministic scatter. Setup only, never measured.
 */
export function fillYear(store: SqliteStore, communityId: string, period: BillingPeriod): number {
  const n = Math.round((period.endMs - period.startMs) / INTERVAL_MS);
  const old = { cache: store.db.pragma("cache_size", { simple: true }), sync: store.db.pragma("synchronous", { simple: true }) };
  store.db.pragma("cache_size = -262144");
  store.db.pragma("synchronous = OFF");
  const fill = store.db.prepare(
    `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < @n)
     INSERT INTO intervals (meter_id, start_ms, import_wh, export_wh, quality, updated_ms)
     SELECT @meter, @t0 + s.i * ${INTERVAL_MS},
       CASE @role WHEN 'production' THEN CASE WHEN s.i % 96 > 28 AND s.i % 96 < 72 THEN 2000 + (s.i * 7919 + @meter * 104729) % 8000 ELSE 0 END
                  WHEN 'grid' THEN (s.i * 7919 + @meter * 104729) % 5000
                  ELSE 20 + (s.i * 7919 + @meter * 104729) % 300 END,
       0, 'measured', @t0 + s.i * ${INTERVAL_MS} FROM s`,
  );
  for (const m of listMeters(store, communityId)) store.write(() => fill.run({ n, t0: period.startMs, meter: m.id, role: m.role }));
  store.db.pragma("wal_checkpoint(TRUNCATE)");
  store.db.pragma(`cache_size = ${old.cache as number}`);
  store.db.pragma(`synchronous = ${old.sync as number}`);
  return n;
}

/** A 100-unit community over a full year of quarter hours (about 3.6 million interval rows). */
export function billingBench(): BenchResult {
  const dir = process.env.ZEV_BENCH_DIR ?? mkdtempSync(join(tmpdir(), "zev-bench-billing-"));
  try {
    const store = SqliteStore.open(join(dir, "bench.sqlite"));
    saveCommunity(store, benchCommunity(100), { source: "bench", actor: "bench" });
    const period = parsePeriod("2026");
    const ins = store.db.prepare("INSERT INTO intervals (meter_id, start_ms, import_wh, export_wh, quality, updated_ms) VALUES (?, ?, ?, ?, 'measured', ?)");
    const meters = listMeters(store, "bench");
    let seed = 7;
    const rnd = (m: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % m;
    for (const m of meters) {
      store.write(() => {
        for (let t = period.startMs, i = 0; t < period.endMs; t += INTERVAL_MS, i++) {
          const hour = (i % 96) / 4;
          const wh = m.role === "production" ? (hour > 7 && hour < 18 ? 2000 + rnd(8000) : 0) : m.role === "grid" ? rnd(5000) : 20 + rnd(300);
          ins.run(m.id, t, wh, 0, t);
        }
      });
    }
    const rows = (store.db.prepare("SELECT COUNT(*) AS n FROM intervals").get() as { n: number }).n;
    // The fastest plain SQL over the same rows: one primary-key range per meter of the community.
    const sum = store.db.prepare("SELECT meter_id, SUM(import_wh), SUM(export_wh), COUNT(*) FROM intervals WHERE meter_id IN (SELECT id FROM meters WHERE community_id = ?) AND start_ms >= ? AND start_ms < ? GROUP BY meter_id");
    const baseline = timeIt(() => sum.all("bench", period.startMs, period.endMs));
    const ours = timeIt(() => {
      const r = runBilling(store, { communityId: "bench", period: "2026", mode: "draft", actor: "bench" });
      if (r.stopped || r.invoices.length !== 110) throw new Error(`bench run went wrong: ${r.stopReason ?? r.invoices.length}`);
    });
    store.close();
    return { bench: "billing-100-units-1-year", ours, baseline, unit: "s", ratio: ours / baseline, note: `${rows} interval rows; baseline: SQL SUM per meter over its primary-key range` };
  } finally {
    if (!process.env.ZEV_BENCH_DIR) rmSync(dir, { recursive: true, force: true });
  }
}
