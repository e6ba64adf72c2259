import { join } from "node:path";
import type { CommunityDefinition } from "../../lib/community/types";
import type { Party } from "../../lib/model/party";
import { saveCommunity } from "../../lib/store/community-repo";
import { upsertIntervals } from "../../lib/store/interval-repo";
import { type IntervalEnergy } from "../../lib/model/interval-energy";
import { type Quality } from "../../lib/model/quality";
import { getMeter } from "../../lib/store/meter-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import type { PricePlan } from "../../lib/tariffs/types";
import { INTERVAL_MS } from "../../lib/time/interval";
import { parsePeriod } from "../../lib/time/periods";

export const address = { street: "Sonnenweg", buildingNumber: "12", postalCode: "8400", town: "Winterthur", country: "CH" };
export const person = (name: string, language: Party["language"] = "de"): Party => ({
  name,
  address,
  language,
  email: `${name.split(" ")[0]!.toLowerCase()}@example.ch`,
});

export const SIMPLE_PLAN: PricePlan = {
  id: "p2026",
  validFrom: "2026-01-01",
  pricesIncludeVat: false,
  solarPerKWh: "0.20",
  gridPerKWh: "0.30",
  evNormalPerKWh: "0.25",
  evPriorityPerKWh: "0.40",
  baseFeePerMonth: "5.00",
  meteringFeePerMonth: "3.50",
};

/** Three units (100, 200, 100 m²), PV, grid, common area and a charger; not VAT-registered. */
export function threeUnitCommunity(overrides: Partial<CommunityDefinition> = {}): CommunityDefinition {
  return {
    id: "drei",
    name: "ZEV Drei",
    kind: "ZEV",
    currency: "CHF",
    timeZone: "Europe/Zurich",
    creditor: { name: "ZEV Drei", address, iban: "CH93 0076 2011 6238 5295 7", vatRegistered: false, paymentTermDays: 30 },
    owner: person("Owner AG"),
    buildings: [
      {
        id: "A",
        name: "Haus A",
        units: [
          { id: "1", label: "Wohnung 1", floorArea: 100 },
          { id: "2", label: "Wohnung 2", floorArea: 200 },
          { id: "3", label: "Wohnung 3", floorArea: 100 },
        ],
      },
    ],
    tenancies: [
      { id: "t1", unit: "1", tenant: person("Anna Meier"), from: "2025-01-01", to: null },
      { id: "t2", unit: "2", tenant: person("Luc Dubois", "fr"), from: "2025-01-01", to: null },
      { id: "t3", unit: "3", tenant: person("Sam Taylor", "en"), from: "2025-01-01", to: null },
    ],
    meters: [
      { id: "pv", role: "production" },
      { id: "grid", role: "grid" },
      { id: "common", role: "common" },
      { id: "unit-1", role: "unit", unit: "1" },
      { id: "unit-2", role: "unit", unit: "2" },
      { id: "unit-3", role: "unit", unit: "3" },
      { id: "charger-1", role: "charger" },
    ],
    tariffs: [SIMPLE_PLAN],
    billing: { allocation: "proportional", commonAreaKey: "floorArea", minCoverage: 0.95 },
    ...overrides,
  };
}

export function openBillingStore(dir: string, def: CommunityDefinition): SqliteStore {
  const store = SqliteStore.open(join(dir, "billing.sqlite"));
  saveCommunity(store, def, { source: "test", actor: "test" });
  return store;
}

/** Writes one interval row per interval of `period` for a meter; `wh(i, startMs)` gives its import Wh (null = no row). */
export function fillMeter(
  store: SqliteStore,
  communityId: string,
  meterKey: string,
  period: string,
  wh: (i: number, startMs: number) => number | null,
  quality: Quality = "measured",
  exportWh?: (i: number, startMs: number) => number,
): void {
  const meter = getMeter(store, communityId, meterKey);
  if (!meter) throw new Error(`no meter ${meterKey}`);
  const p = parsePeriod(period);
  const rows: IntervalEnergy[] = [];
  for (let t = p.startMs, i = 0; t < p.endMs; t += INTERVAL_MS, i++) {
    const v = wh(i, t);
    if (v === null) continue;
    rows.push({ meterId: meter.id, startMs: t, importWh: v, exportWh: exportWh ? exportWh(i, t) : 0, quality });
  }
  upsertIntervals(store, rows);
}

/** A closed charging session with its per-interval energy (Wh) in one mode. */
export function addSession(
  store: SqliteStore,
  communityId: string,
  s: { charger: string; userId: string | null; unitId: string | null; intervals: { startMs: number; wh: number; mode: "normal" | "priority" }[] },
): number {
  const first = s.intervals[0]!.startMs;
  const last = s.intervals[s.intervals.length - 1]!.startMs + INTERVAL_MS;
  const total = s.intervals.reduce((a, x) => a + x.wh, 0);
  const info = store
    .stmt(
      "INSERT INTO charger_sessions (community_id, charger_key, user_id, unit_id, started_ms, ended_ms, start_counter_wh, end_counter_wh, energy_wh, status, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'closed', ?)",
    )
    .run(communityId, s.charger, s.userId, s.unitId, first, last, 1000000, 1000000 + total, total, Date.now());
  const id = Number(info.lastInsertRowid);
  for (const x of s.intervals)
    store.stmt("INSERT INTO charger_session_intervals (session_id, start_ms, mode, energy_wh) VALUES (?, ?, ?, ?)").run(id, x.startMs, x.mode, x.wh);
  return id;
}

/** The fixture's consumers for a period: unit-1 100 Wh, unit-2 200 Wh, unit-3 100 Wh, common 40 Wh per quarter hour, the charger idle. */
export function fillConsumers(store: SqliteStore, communityId: string, period: string): void {
  for (const [m, wh] of [
    ["unit-1", 100],
    ["unit-2", 200],
    ["unit-3", 100],
    ["common", 40],
    ["charger-1", 0],
  ] as const)
    fillMeter(store, communityId, m, period, () => wh);
}
