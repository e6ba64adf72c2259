import type { CommunityDefinition } from "../../lib/community/types";
import type { Party } from "../../lib/model/party";
import { runBilling, type BillingRunReport } from "../../lib/billing/run";
import type { SqliteStore } from "../../lib/store/sqlite-store";
import type { PricePlan } from "../../lib/tariffs/types";
import { INTERVAL_MS } from "../../lib/time/interval";
import { parsePeriod } from "../../lib/time/periods";
import { addSession, fillMeter, openBillingStore } from "./billing-fixture";

/*
 * A realistic community for documents: VAT-registered with a QR-IBAN, HT/NT
 * grid prices, a battery, a standard product to compare with, EV charging, four tenants
 * in four languages, one moving out mid-month (its unit is then vacant: an
 * owner invoice), and uneven 15-minute data so the split leaves fractions.
 */

const street = (s: string, n: string, zip = "8400", town = "Winterthur"): Party["address"] => ({
  street: s,
  buildingNumber: n,
  postalCode: zip,
  town,
  country: "CH",
});
const party = (name: string, language: Party["language"], address = street("Bahnhofstrasse", "17")): Party => ({ name, address, language });

export const QR_IBAN = "CH44 3199 9123 0008 8901 2";
export const PLAIN_IBAN = "CH93 0076 2011 6238 5295 7";

export const RENDER_PLAN: PricePlan = {
  id: "tarif-2026",
  validFrom: "2026-01-01",
  pricesIncludeVat: false,
  solarPerKWh: "0.2150",
  gridHtPerKWh: "0.3120",
  gridNtPerKWh: "0.2480",
  gridSchedule: { ht: [{ days: [1, 2, 3, 4, 5], from: "07:00", to: "20:00" }] },
  evNormalPerKWh: "0.25",
  evPriorityPerKWh: "0.39",
  baseFeePerMonth: "4.00",
  meteringFeePerMonth: "2.50",
  standardProduct: { name: "Stadtwerk Mix", htPerKWh: "0.3400", ntPerKWh: "0.2700", baseFeePerMonth: "7.00" },
  method: "flat-rate",
};

export function sonnenhof(overrides: Partial<CommunityDefinition> = {}): CommunityDefinition {
  return {
    id: "sonnenhof",
    name: "ZEV Sonnenhof",
    kind: "ZEV",
    currency: "CHF",
    timeZone: "Europe/Zurich",
    creditor: {
      name: "ZEV Sonnenhof",
      address: street("Bahnhofstrasse", "17"),
      iban: QR_IBAN,
      uid: "CHE-123.456.789",
      vatNumber: "CHE-123.456.789 MWST",
      vatRegistered: true,
      email: "abrechnung@sonnenhof.ch",
      phone: "052 123 45 67",
      paymentTermDays: 30,
    },
    owner: party("Müller & Söhne Immobilien AG", "de", street("Marktgässli", "5")),
    buildings: [
      {
        id: "A",
        name: "Haus A",
        units: [
          { id: "1", label: "Wohnung 1. OG links", floorArea: 85 },
          { id: "2", label: "Wohnung 1. OG rechts", floorArea: 110 },
          { id: "3", label: "Attika", floorArea: 140 },
          { id: "4", label: "Studio EG", floorArea: 45 },
        ],
      },
    ],
    tenancies: [
      { id: "t1", unit: "1", tenant: party("Anna Meier", "de", street("Sonnenweg", "12a")), from: "2025-01-01", to: null },
      { id: "t2", unit: "2", tenant: party("Luc Dubois-Fontaine", "fr", street("Sonnenweg", "12b")), from: "2025-01-01", to: null },
      { id: "t3", unit: "3", tenant: party("Giulia Rossi", "it", street("Sonnenweg", "12c")), from: "2025-01-01", to: null },
      { id: "t4", unit: "4", tenant: party("Sam Taylor", "en", street("Sonnenweg", "12d")), from: "2025-03-01", to: "2026-11-15" },
    ],
    meters: [
      { id: "pv", role: "production" },
      { id: "battery", role: "battery" },
      { id: "grid", role: "grid" },
      { id: "common", role: "common" },
      { id: "unit-1", role: "unit", unit: "1" },
      { id: "unit-2", role: "unit", unit: "2" },
      { id: "unit-3", role: "unit", unit: "3" },
      { id: "unit-4", role: "unit", unit: "4" },
      { id: "charger-1", role: "charger" },
    ],
    tariffs: [RENDER_PLAN],
    billing: { allocation: "proportional", commonAreaKey: "floorArea", minCoverage: 0.95 },
    ...overrides,
  };
}

/** Uneven but reproducible consumption and a daytime PV curve for `month`; a charging session for unit 1. */
export function fillSonnenhof(store: SqliteStore, month: string, def: CommunityDefinition = sonnenhof()): void {
  const id = def.id;
  const hour = (t: number): number => (((t / 3_600_000) % 24) + 1) % 24; // CET wall clock is near enough for a profile
  [1, 2, 3, 4].forEach((k) =>
    fillMeter(store, id, `unit-${k}`, month, (i, t) => 20 + ((i * (31 + 7 * k) + 13 * k) % 97) + (hour(t) >= 18 && hour(t) < 22 ? 60 : 0)),
  );
  fillMeter(store, id, "common", month, (i) => 25 + ((i * 17) % 41));
  fillMeter(store, id, "pv", month, (i, t) => {
    const h = hour(t);
    return h < 8 || h >= 17 ? 0 : Math.round(700 * Math.sin((Math.PI * (h - 8)) / 9)) + ((i * 7) % 23);
  });
  // The battery charges from the midday surplus and covers part of the evening.
  fillMeter(
    store,
    id,
    "battery",
    month,
    (i, t) => (hour(t) >= 11 && hour(t) < 14 ? 150 + (i % 5) : 0),
    "measured",
    (i, t) => (hour(t) >= 18 && hour(t) < 21 ? 110 + (i % 7) : 0),
  );
  // Charging on the 10th, 14:00-16:00 local (solar, normal) and 18:00-19:00 (priority), 2.6 kWh a quarter hour.
  const day = parsePeriod(`${month}-10..${month}-10`).startMs;
  const slots = [
    ...Array.from({ length: 8 }, (_, j) => ({ startMs: day + (14 * 4 + j) * INTERVAL_MS, mode: "normal" as const })),
    ...Array.from({ length: 4 }, (_, j) => ({ startMs: day + (18 * 4 + j) * INTERVAL_MS, mode: "priority" as const })),
  ];
  const charging = new Map(slots.map((s) => [s.startMs, 2600]));
  fillMeter(store, id, "charger-1", month, (_i, t) => charging.get(t) ?? 0);
  addSession(store, id, { charger: "charger-1", userId: "rfid-anna", unitId: "1", intervals: slots.map((s) => ({ ...s, wh: 2600 })) });
}

/** A store with the community, November 2026 filled and billed; issued on 1 December unless `mode` says draft. */
export function billedSonnenhof(
  dir: string,
  def: CommunityDefinition = sonnenhof(),
  mode: "issue" | "draft" = "issue",
): { store: SqliteStore; report: BillingRunReport } {
  const store = openBillingStore(dir, def);
  fillSonnenhof(store, "2026-11", def);
  const report = runBilling(store, { communityId: def.id, period: "2026-11", mode, invoiceDate: "2026-12-01", actor: "test" });
  if (report.stopped) throw new Error(report.stopReason);
  return { store, report };
}
