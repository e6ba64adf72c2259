import type { CommunityDefinition } from "../../lib/community/types";
import { address, fillMeter, person } from "./billing-fixture";
import type { SqliteStore } from "../../lib/store/sqlite-store";
import { sdatXml, type SdatBlock } from "./sdat";

/**
 * A LEG of six members in one municipality, VAT-registered: four consumers (m1-m4), a
 * VAT-registered producer with a production meter and no draw (p1), and a prosumer whose
 * unit meter draws and feeds in (p2). Local price 0.18, producer price 0.12, grid fee 0.10,
 * reduction 40 %.
 */
export function legCommunity(overrides: Partial<CommunityDefinition> = {}): CommunityDefinition {
  return {
    id: "leg",
    name: "LEG Sonnendorf",
    kind: "LEG",
    currency: "CHF",
    timeZone: "Europe/Zurich",
    creditor: {
      name: "LEG Sonnendorf",
      address,
      iban: "CH93 0076 2011 6238 5295 7",
      vatRegistered: true,
      vatNumber: "CHE-123.456.788 MWST",
      paymentTermDays: 30,
    },
    owner: person("Gemeinde Sonnendorf"),
    buildings: [
      {
        id: "G",
        name: "Sonnendorf",
        units: ["m1", "m2", "m3", "m4", "p1", "p2"].map((id) => ({ id, label: `Anschluss ${id}` })),
      },
    ],
    tenancies: [
      { id: "t-m1", unit: "m1", tenant: person("Anna Meier"), from: "2026-01-01", to: null },
      { id: "t-m2", unit: "m2", tenant: person("Luc Dubois", "fr"), from: "2026-01-01", to: null },
      { id: "t-m3", unit: "m3", tenant: person("Sam Taylor", "en"), from: "2026-01-01", to: null },
      { id: "t-m4", unit: "m4", tenant: person("Lia Rossi", "it"), from: "2026-01-01", to: null },
      {
        id: "t-p1",
        unit: "p1",
        tenant: person("Solar Bauer AG"),
        from: "2026-01-01",
        to: null,
        producer: { vatRegistered: true, vatNumber: "CHE-111.222.333 MWST" },
      },
      { id: "t-p2", unit: "p2", tenant: person("Marc Keller", "en"), from: "2026-01-01", to: null, producer: { vatRegistered: false } },
    ],
    meters: [
      ...["m1", "m2", "m3", "m4", "p2"].map((u) => ({
        id: `mp-${u}`,
        role: "unit" as const,
        unit: u,
        meteringPoint: `CH10000000000000000000000000${u.toUpperCase()}`,
      })),
      { id: "mp-p1", role: "production" as const, unit: "p1", meteringPoint: "CH10000000000000000000000000P1PV" },
    ],
    tariffs: [{ id: "leg2026", validFrom: "2026-01-01", pricesIncludeVat: false, solarPerKWh: "0.18", gridPerKWh: "0.30" }],
    billing: { allocation: "proportional", commonAreaKey: "equal", minCoverage: 0.95 },
    legGridFeeReduction: 40,
    legGridFeePerKWh: "0.10",
    producerPrice: "0.12",
    ...overrides,
  };
}

/**
 * November 2026 (2880 quarter hours). In the first quarter of every hour (720 "sunny" quarters)
 * p1 feeds 300 Wh and p2 100 Wh; in the others p2 draws 50 Wh. m1 100, m2 200, m3 100, m4 50 Wh
 * in every quarter hour.
 */
export function fillLegMonth(store: SqliteStore, period = "2026-11"): void {
  const sunny = (i: number): boolean => i % 4 === 0;
  fillMeter(store, "leg", "mp-m1", period, () => 100);
  fillMeter(store, "leg", "mp-m2", period, () => 200);
  fillMeter(store, "leg", "mp-m3", period, () => 100);
  fillMeter(store, "leg", "mp-m4", period, () => 50);
  fillMeter(store, "leg", "mp-p1", period, (i) => (sunny(i) ? 300 : 0));
  fillMeter(
    store,
    "leg",
    "mp-p2",
    period,
    (i) => (sunny(i) ? 0 : 50),
    "measured",
    (i) => (sunny(i) ? 100 : 0),
  );
}

/* The operator's E66 split of one day of the LEG month (test/unit/operator/leg-split.spec.ts). */
export const DAY = "2026-11-02..2026-11-02";
export const START = "2026-11-01T23:00:00Z";
export const END = "2026-11-02T23:00:00Z";
export const POINT = (u: string): string => `CH10000000000000000000000000${u.toUpperCase()}`;
const DRAW: Record<string, (i: number) => number> = {
  m1: () => 100,
  m2: () => 200,
  m3: () => 100,
  m4: () => 50,
  p2: (i) => (i % 4 === 0 ? 0 : 50),
};
/** The own split of a sunny quarter (test/unit/billing/leg-month.spec.ts): 89, 178, 89, 44, p2 0. */
const OWN_LOCAL: Record<string, number> = { m1: 89, m2: 178, m3: 89, m4: 44, p2: 0 };

const kwhText = (wh: number): string => (wh / 1000).toFixed(3);

/** The operator's E66 split of 2 Nov 2026: the own split, except the first sunny quarter where m1 gets 95 and m2 172 Wh. */
export function e66(opts: { differ: boolean; condition?: string } = { differ: true }): string {
  const blocks: SdatBlock[] = [];
  for (const u of Object.keys(DRAW)) {
    const local = (i: number): number => {
      if (i % 4 !== 0) return 0;
      if (opts.differ && i === 0 && u === "m1") return 95;
      if (opts.differ && i === 0 && u === "m2") return 172;
      return OWN_LOCAL[u]!;
    };
    const obs = (f: (i: number) => number) =>
      Array.from({ length: 96 }, (_, i) => (opts.condition ? { kWh: kwhText(f(i)), condition: opts.condition } : { kWh: kwhText(f(i)) }));
    blocks.push({ point: POINT(u), direction: "consumption", start: START, end: END, product: "LEG-LOCAL", observations: obs(local) });
    blocks.push({
      point: POINT(u),
      direction: "consumption",
      start: START,
      end: END,
      product: "LEG-RESIDUAL",
      observations: obs((i) => DRAW[u]!(i) - local(i)),
    });
  }
  return sdatXml({ documentId: opts.differ ? "E66-1" : "E66-0", created: "2026-11-03T06:00:00Z", blocks });
}
