import type { CommunityDefinition } from "../../lib/community/types";
import type { PricePlan } from "../../lib/tariffs/types";
import { minimalCommunity } from "./community-fixture";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Def = CommunityDefinition & Record<string, any>;

const plan = (over: Record<string, unknown> = {}): PricePlan =>
  ({ id: "p1", validFrom: "2026-01-01", pricesIncludeVat: true, solarPerKWh: "0.20", gridPerKWh: "0.30", ...over }) as PricePlan;
const broken = (change: (d: Def) => void): CommunityDefinition => {
  const d = minimalCommunity() as Def;
  change(d);
  return d;
};

/**
 * Community definitions with mistakes, together meant to make the
 * validators produce every problem code they know (test/unit/nodes/zev-community/locales.spec.ts
 * checks that they do, and that each code has its texts).
 */
export const BROKEN_COMMUNITIES: Record<string, () => CommunityDefinition> = {
  notObject: () => null as unknown as CommunityDefinition,
  header: () =>
    broken((d) => {
      d.id = "Not Valid!";
      d.name = "";
      d.kind = "XZEV" as never;
      d.currency = "USD" as never;
      d.timeZone = "Mars/Olympus";
    }),
  noCreditorNoOwner: () =>
    broken((d) => {
      d.creditor = undefined as never;
      d.owner = undefined as never;
      d.buildings = [];
      d.tenancies = {} as never;
    }),
  creditor: () =>
    broken((d) => {
      d.creditor = {
        name: "",
        address: { street: "x".repeat(71), buildingNumber: "1".repeat(17), postalCode: "1".repeat(17), town: "t".repeat(36), country: "Schweiz" },
        iban: "",
        vatRegistered: "yes",
        uid: "CHE 12",
        paymentTermDays: 400,
      } as never;
      d.owner = { name: "n".repeat(71), address: undefined, language: "es", email: "not-mail" } as never;
    }),
  creditorVat: () =>
    broken((d) => {
      d.creditor.vatRegistered = true;
      d.creditor.vatNumber = "";
      d.creditor.address = { street: "", postalCode: "", town: "", country: "CH" } as never;
      d.owner.name = "";
      d.creditor.iban = "no iban";
    }),
  creditorVatFormat: () =>
    broken((d) => {
      d.creditor.vatRegistered = true;
      d.creditor.vatNumber = "123";
      d.creditor.iban = "CH93 0076 2011 6238 5295";
    }),
  ibanCheckDigit: () => broken((d) => (d.creditor.iban = "CH93 0076 2011 6238 5295 8")),
  ibanForeign: () => broken((d) => (d.creditor.iban = "DE89370400440532013000")),
  buildings: () =>
    broken((d) => {
      d.buildings = [
        {
          id: "B1",
          name: "",
          units: [
            { id: "u1", label: "", floorArea: -3 },
            { id: "u1", label: "x" },
            { id: "bad id!", label: "y" },
          ],
        },
        { id: "B1", name: "Again", units: "none" as never },
        { id: "", name: "No id", units: [], owner: undefined, address: { street: "S", postalCode: "1", town: "T", country: "CH" } },
      ];
    }),
  tenancies: () =>
    broken((d) => {
      const t = d.tenancies[0]!;
      d.tenancies = [
        { ...t, id: "" },
        { ...t, id: "t1" },
        { ...t, id: "t1", unit: "u9" },
        { ...t, id: "t3", from: "1.1.2026" },
        { ...t, id: "t4", unit: "u2", to: "31.12.2026" },
        { ...t, id: "t5", unit: "u2", from: "2026-05-01", to: "2026-04-01" },
        { ...t, id: "t6", unit: "u2", from: "2026-01-01", to: "2026-06-30", tenant: { ...t.tenant, name: "Anna" } },
        { ...t, id: "t7", unit: "u2", from: "2026-06-01", to: "2026-12-31", tenant: { ...t.tenant, name: "Beat" } },
        { ...t, id: "t8", unit: "u1", from: "2026-03-01", tenant: undefined as never },
      ];
    }),
  metersNotList: () => broken((d) => (d.meters = {} as never)),
  meters: () =>
    broken((d) => {
      d.meters = [
        { id: "m1", role: "unit" },
        { id: "m1", role: "solar" as never },
        { id: "", role: "grid" },
        { id: "m3", role: "unit", unit: "u9" },
        { id: "m4", role: "grid", meteringPoint: "CH1001" },
        { id: "m5", role: "production", meteringPoint: "CH1001" },
        { id: "m6", role: "production", meteringPoint: "CH 1<2>" },
      ];
    }),
  remindersNotList: () => broken((d) => (d.reminders = [] as never)),
  reminders: () =>
    broken((d) => {
      d.reminders = [{ afterDays: 30, fee: "0.00" }, { afterDays: 20, fee: "5" }, { afterDays: 0.5, fee: "-1" } as never];
    }),
  chargingIdsNotList: () => broken((d) => (d.chargingIds = "04A1" as never)),
  chargingIds: () =>
    broken((d) => {
      d.chargingIds = [
        { id: "04A1", unit: "u1" },
        { id: "04a1", unit: "u2" },
        { id: "", unit: "" },
        { id: "x".repeat(65), unit: "u9" },
      ];
    }),
  chargesNotList: () => broken((d) => (d.charges = { id: "rent" } as never)),
  charges: () =>
    broken((d) => {
      d.charges = [
        { id: "rent", label: "Zählermiete", amount: "5.00", rhythm: "monthly", from: "2026-01-01", scope: "community" },
        { id: "rent", label: "", labels: { xx: "?" }, amount: "5", rhythm: "weekly", from: "1.1.2026", scope: "street" },
        {
          id: "Bad Id",
          label: "Fee \u{1F600}",
          labels: [] as never,
          amount: "-1",
          pricesIncludeVat: "yes",
          rhythm: "monthly",
          from: "2026-03-01",
          to: "2026-02-01",
          scope: "building",
          building: "B9",
        },
        { id: "conn", label: "Connection", amount: "100.00", rhythm: "once", from: "2025-12-31", to: "2026-01-31", scope: "tenancy", tenancy: "t1" },
        { id: "svc", label: "Service", amount: "10.00", rhythm: "yearly", from: "2026-01-01", to: "31.12.2026", scope: "tenancy", tenancy: "t9" },
        null as never,
      ] as never;
    }),
  tariffsNotList: () => broken((d) => (d.tariffs = {} as never)),
  tariffs: () =>
    broken((d) => {
      d.tariffs = [
        plan({ id: "", validFrom: "1.1.2026", solarPerKWh: "", gridPerKWh: undefined, buildings: ["B9"] }),
        plan({ id: "p2", gridPerKWh: "-0.1", evNormalPerKWh: "abc" }),
        plan({ id: "p2", validFrom: "2026-01-01" }),
        plan({ id: "p4", validFrom: "2026-02-01", gridPerKWh: undefined, gridHtPerKWh: "0.3" }),
        plan({
          id: "p5",
          validFrom: "2026-03-01",
          gridPerKWh: undefined,
          gridHtPerKWh: "0.3",
          gridNtPerKWh: "0.2",
          gridSchedule: {
            ht: [
              { days: [0, 8], from: "7:00", to: "24:30" },
              { days: [], from: "08:00", to: "08:00" },
            ],
            ntDays: ["25.12.2026"],
          },
        }),
        plan({ id: "p6", validFrom: "2026-04-01", buildings: ["B1"], standardProduct: { perKWh: "0.3", htPerKWh: "0.4" } }),
        plan({ id: "p7", validFrom: "2026-04-01", buildings: ["B1"], standardProduct: { htPerKWh: "0.4", ntPerKWh: "x" } }),
        plan({ id: "p8", validFrom: "2026-05-01", standardProduct: {} }),
      ];
    }),
  /** The grid price's components (decision 0134): empty, unknown kind, "other" without a label, wrong shape, not adding up. */
  gridComponents: () =>
    broken((d) => {
      d.tariffs = [
        plan({ id: "c1", validFrom: "2026-01-01", gridComponents: [] }),
        plan({
          id: "c2",
          validFrom: "2026-02-01",
          gridComponents: [
            { kind: "tax" as never, perKWh: "0.1" },
            { kind: "other", perKWh: "0.1" },
            { kind: "energy", htPerKWh: "0.1", ntPerKWh: "0.1" },
          ],
        }),
        plan({ id: "c3", validFrom: "2026-03-01", gridComponents: [{ kind: "energy", perKWh: "0.01" }] }),
        plan({
          id: "c4",
          validFrom: "2026-04-01",
          gridPerKWh: undefined,
          gridHtPerKWh: "0.3",
          gridNtPerKWh: "0.2",
          gridSchedule: { ht: [{ days: [1], from: "07:00", to: "20:00" }] },
          gridComponents: [{ kind: "energy", htPerKWh: "0.3" }],
        }),
      ];
    }),
  billing: () =>
    broken((d) => {
      d.billing = { allocation: "random" as never, commonAreaKey: "custom", customShares: { u1: 1, u7: 2 }, minCoverage: 2 };
    }),
  billingKey: () =>
    broken((d) => {
      d.buildings[0]!.units[1]!.floorArea = undefined;
      d.billing = { commonAreaKey: "floorArea" };
    }),
  billingKeyUnknown: () => broken((d) => (d.billing = { commonAreaKey: "people" as never })),
  /** LEG fields on a ZEV, and a LEG with every LEG field wrong (docs/decisions/0129-0131). */
  legOnZev: () => broken((d) => (d.producerPrice = "0.12")),
  legFields: () =>
    broken((d) => {
      d.kind = "LEG";
      d.legAllocation = "static";
      d.legShares = { u1: 1.5, nowhere: 1 };
      d.legGridFeeReduction = 30 as never;
      d.legGridFeePerKWh = "ten";
      d.legSplitSource = "operator";
      d.legProducts = { local: "E66" } as never;
      d.tenancies[0]!.producer = { vatRegistered: true };
    }),
  legNoShares: () =>
    broken((d) => {
      d.kind = "LEG";
      d.legAllocation = "evenly" as never;
      d.legSplitSource = "both" as never;
      d.tenancies[0]!.producer = {} as never;
    }),
  legStaticWithoutShares: () =>
    broken((d) => {
      d.kind = "LEG";
      d.legAllocation = "static";
      d.legGridFeeReduction = 40;
      d.producerPrice = "0.12";
    }),
  /** What a QR bill or the invoice font cannot carry, and absurd prices (issue 18 §5). */
  unprintable: () =>
    broken((d) => {
      d.creditor.name = "Zusammenschluss zum Eigenverbrauch Sonnenhof Winterthur-Seen, Verwaltung Müller";
      d.tenancies[0]!.tenant.name = "Anna 😀 東京";
      d.buildings[0]!.units[0]!.label = "Wohnung 東";
      d.tariffs = [plan({ solarPerKWh: "2150", baseFeePerMonth: "25000", standardProduct: { name: "Mix ☀", perKWh: "0.3" } })];
    }),
};
