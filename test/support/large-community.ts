import type { CommunityDefinition } from "../../lib/community/types";
import { listMeters } from "../../lib/store/meter-repo";
import type { SqliteStore } from "../../lib/store/sqlite-store";
import { INTERVAL_MS } from "../../lib/time/interval";
import type { BillingPeriod } from "../../lib/time/periods";

/*
 * A community as large as a test or bench asks for, with intervals written
 * inside SQLite (a JavaScript loop of INSERTs takes minutes for 1,000 units).
 * Shared by bench/ and the event-loop tests.
 */

const address = { street: "Benchweg", buildingNumber: "1", postalCode: "8000", town: "Zürich", country: "CH" };

/** `count` flats (one meter each), PV, grid and common area; one tenant in ten moves out on 30 June (the owner pays the vacancy). */
export function largeCommunity(count: number, id = "bench"): CommunityDefinition {
  const units = Array.from({ length: count }, (_, i) => ({ id: `u${i + 1}`, label: `Unit ${i + 1}`, floorArea: 50 + (i % 7) * 10 }));
  return {
    id,
    name: "Bench ZEV",
    kind: "ZEV",
    currency: "CHF",
    timeZone: "Europe/Zurich",
    creditor: { name: "Bench ZEV", address, iban: "CH93 0076 2011 6238 5295 7", vatRegistered: true, vatNumber: "CHE-123.456.789 MWST" },
    owner: { name: "Owner", address, language: "de" },
    buildings: [{ id: "A", name: "A", units }],
    tenancies: units.map((u, i) => ({
      id: `t${i}`,
      unit: u.id,
      tenant: { name: `Tenant ${i}`, address, language: "de" as const },
      from: "2020-01-01",
      to: i % 10 === 0 ? "2026-06-30" : null,
    })),
    meters: [
      { id: "pv", role: "production" },
      { id: "grid", role: "grid" },
      { id: "common", role: "common" },
      ...units.map((u) => ({ id: `m-${u.id}`, role: "unit" as const, unit: u.id })),
    ],
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

/** Rows per fill transaction: about 85 meter-years; their dirty pages fit the fill's cache (FILL_CACHE_KIB). */
const ROWS_PER_TRANSACTION = 3_000_000;
const FILL_CACHE_KIB = 1_048_576;

/**
 * Every quarter hour of `period` for every meter of the community: PV by
 * day, grid and flats with deterministic scatter, all measured. Returns the
 * rows written. Setup only: never part of a measurement.
 *
 * The rows go in meter by meter (the order, and so the file's layout, of
 * every earlier fill), but many meters per transaction: each meter's rows
 * land on leaf pages spread over the whole intervals_by_start index, so a
 * transaction per meter rewrote most of that index into the WAL once per
 * meter (for 1,000 units, tens of GB written for a 1.8 GB file). With one
 * transaction for ROWS_PER_TRANSACTION rows and a cache that holds their
 * dirty pages, each page is written about once per transaction. Every
 * meter's INSERT after the first in a transaction keeps a statement journal
 * of the pages it changes (about 12 MB a meter for a month of 1,000 units):
 * temp_store = MEMORY keeps it off the disk. Durability is off for the fill
 * only (synchronous = OFF); all three settings are restored afterwards.
 */
export function fillIntervals(store: SqliteStore, communityId: string, period: Pick<BillingPeriod, "startMs" | "endMs">): number {
  const n = Math.round((period.endMs - period.startMs) / INTERVAL_MS);
  const old = {
    cache: store.db.pragma("cache_size", { simple: true }) as number,
    sync: store.db.pragma("synchronous", { simple: true }) as number,
    temp: store.db.pragma("temp_store", { simple: true }) as number,
  };
  store.db.pragma(`cache_size = -${FILL_CACHE_KIB}`);
  store.db.pragma("synchronous = OFF");
  store.db.pragma("temp_store = MEMORY");
  const fill = store.db.prepare(
    `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < @n)
     INSERT INTO intervals (meter_id, start_ms, import_wh, export_wh, quality, updated_ms)
     SELECT @meter, @t0 + s.i * ${INTERVAL_MS},
       CASE @role WHEN 'production' THEN CASE WHEN s.i % 96 > 28 AND s.i % 96 < 72 THEN 2000 + (s.i * 7919 + @meter * 104729) % 8000 ELSE 0 END
                  WHEN 'grid' THEN (s.i * 7919 + @meter * 104729) % 5000
                  ELSE 20 + (s.i * 7919 + @meter * 104729) % 300 END,
       0, 'measured', @t0 + s.i * ${INTERVAL_MS} FROM s`,
  );
  const meters = listMeters(store, communityId);
  const perTransaction = Math.max(1, Math.floor(ROWS_PER_TRANSACTION / Math.max(1, n)));
  try {
    for (let k = 0; k < meters.length; k += perTransaction) {
      store.write(() => {
        for (const m of meters.slice(k, k + perTransaction)) fill.run({ n, t0: period.startMs, meter: m.id, role: m.role });
      });
    }
    store.db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    store.db.pragma(`cache_size = ${old.cache}`);
    store.db.pragma(`synchronous = ${old.sync}`);
    store.db.pragma(`temp_store = ${old.temp}`);
  }
  return n * meters.length;
}
