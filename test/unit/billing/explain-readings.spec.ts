import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { MeterChange } from "../../../lib/aggregation/meter-changes";
import { comparisonPeriods } from "../../../lib/billing/explain-history";
import { boundaryReading, spanReadings } from "../../../lib/billing/explain-readings";
import type { InvoiceSnapshot } from "../../../lib/model/invoice";
import type { InvoiceRecord } from "../../../lib/store/invoice-repo";
import { invoiceView } from "../../../lib/render/invoice-view";
import type { BoundaryRows } from "../../../lib/store/counter-reading-repo";
import { planIssues } from "../../../lib/tariffs/plans";
import type { PricePlan } from "../../../lib/tariffs/types";

/*
 * Counter readings at a span's ends (decision 0133), the comparison periods (0135) and the grid price
 * components' validation (0134), without a store: rows and changes are given.
 */

const B = Date.parse("2026-11-01T00:00:00+01:00");
const Q = 15 * 60_000;
const measured = (counterWh: number | null, importWh = 100): BoundaryRows["before"] => ({ importWh, quality: "measured", counterWh });
const change = (kind: MeterChange["kind"], atMs: number, beforeKWh: string | null, afterKWh: string | null): MeterChange => ({
  meter: "m1",
  kind,
  atMs,
  date: "2026-11-01",
  beforeKWh,
  afterKWh,
  text: "",
});

describe("lib/billing explain-readings: the counter at a span's ends", () => {
  it("a reading between two measured quarter hours is measured: the counter at the end of the one before", () => {
    assert.deepEqual(boundaryReading("2026-11-01", B, "start", { before: measured(1234567), after: measured(1234667) }, []), {
      date: "2026-11-01",
      kWh: "1234.567",
      source: "counter",
      quality: "measured",
    });
  });

  it("without the row before, the row after gives it (its end counter minus its energy); an interpolated side makes it interpolated", () => {
    const r = boundaryReading("2026-11-01", B, "start", { before: null, after: { importWh: 250, quality: "interpolated", counterWh: 5250 } }, []);
    assert.deepEqual([r.kWh, r.quality], ["5.000", "interpolated"]);
  });

  it("rows without a counter are operator data: no made-up number", () => {
    const r = boundaryReading("2026-11-01", B, "end", { before: measured(null), after: measured(null) }, []);
    assert.deepEqual([r.kWh, r.source, r.quality], [null, "operator", null]);
  });

  it("no rows at all: no data", () => {
    assert.equal(boundaryReading("2026-11-01", B, "end", { before: null, after: null }, []).source, "none");
  });

  it("a meter replaced at the boundary: the start is the new meter's initial reading, the end the old meter's final one, both said to be a replacement", () => {
    const rep = [change("replacement", B, "8412.000", "0.150")];
    const rows = { before: measured(9000000), after: measured(250) };
    assert.deepEqual(boundaryReading("2026-11-01", B, "start", rows, rep), { date: "2026-11-01", kWh: "0.150", source: "replaced", quality: "measured" });
    assert.deepEqual(boundaryReading("2026-11-01", B, "end", rows, rep), { date: "2026-11-01", kWh: "8412.000", source: "replaced", quality: "measured" });
  });

  it("a counter reset beside the boundary without a counter there: a break, not operator data", () => {
    const r = boundaryReading("2026-11-01", B, "end", { before: measured(null), after: null }, [change("reset", B - 2 * Q, "10.000", "0.000")]);
    assert.equal(r.source, "break");
  });

  it("a replacement inside the span: no counter difference (two meters), the quarter hours' energy and the day of the change", () => {
    const f = spanReadings({
      meter: "m1",
      start: { date: "2026-10-01", ms: B - 31 * 86400000, rows: { before: measured(8000000), after: null } },
      end: { date: "2026-11-01", ms: B, rows: { before: measured(200000), after: null } },
      intervalWh: 612345,
      changes: [{ ...change("replacement", B - 10 * 86400000, "8412.000", "0.000"), date: "2026-10-22" }],
    });
    assert.equal(f.counterKWh, null);
    assert.equal(f.intervalKWh, "612.345");
    assert.deepEqual(f.replaced, ["2026-10-22"]);
  });

  it("the same meter at both ends: the difference of the two counters", () => {
    const f = spanReadings({
      meter: "m1",
      start: { date: "2026-10-01", ms: B - 31 * 86400000, rows: { before: measured(8000000), after: null } },
      end: { date: "2026-11-01", ms: B, rows: { before: measured(8421779), after: null } },
      intervalWh: 421779,
      changes: [],
    });
    assert.deepEqual([f.counterKWh, f.intervalKWh], ["421.779", "421.779"]);
  });
});

describe("the invoice prints a replaced meter at a boundary in four languages", () => {
  const TEXT = {
    de: "Zähler unit-1: 01.10.2026 00:00 0.150 kWh (Zählerwechsel) – 01.11.2026 00:00 421.929 kWh (gemessen); Differenz 421.779 kWh.",
    fr: "Compteur unit-1: 01.10.2026 00:00 0.150 kWh (remplacement du compteur) – 01.11.2026 00:00 421.929 kWh (mesuré); différence 421.779 kWh.",
    it: "Contatore unit-1: 01.10.2026 00:00 0.150 kWh (sostituzione del contatore) – 01.11.2026 00:00 421.929 kWh (misurato); differenza 421.779 kWh.",
    en: "Meter unit-1: 01.10.2026 00:00 0.150 kWh (meter replaced) – 01.11.2026 00:00 421.929 kWh (measured); difference 421.779 kWh.",
  } as const;
  for (const [lang, text] of Object.entries(TEXT))
    it(`${lang}: the start reading is the new meter's initial one, marked as a replacement`, () => {
      // An issued snapshot of the render fixtures, given an explanation with the readings only.
      const fixture = JSON.parse(readFileSync(join(__dirname, "..", "render", "fixtures", "issued-2026-11.json"), "utf8")) as { records: InvoiceRecord[] };
      const s: InvoiceSnapshot = fixture.records[0]!.snapshot;
      s.explain = { version: 1, common: null, tariffWindows: [], evSessions: [] };
      s.language = lang as InvoiceSnapshot["language"];
      s.explain!.readings = [
        spanReadings({
          meter: "unit-1",
          start: { date: "2026-10-01", ms: B - 31 * 86400000, rows: { before: measured(9000000), after: measured(250) } },
          end: { date: "2026-11-01", ms: B, rows: { before: measured(421929), after: null } },
          intervalWh: 421779,
          changes: [change("replacement", B - 31 * 86400000, "9000.000", "0.150")],
        }),
      ];
      assert.deepEqual(invoiceView(s).explain!.readings!.rows, [text]);
    });
});

describe("lib/billing explain-history: the periods compared", () => {
  it("a month: the month before and the same month last year", () => {
    assert.deepEqual(comparisonPeriods({ kind: "month", from: "2026-03-01", to: "2026-03-31" }), [
      { which: "previous", from: "2026-02-01", to: "2026-02-28" },
      { which: "lastYear", from: "2025-03-01", to: "2025-03-31" },
    ]);
  });
  it("a quarter, a year and a custom span", () => {
    assert.deepEqual(comparisonPeriods({ kind: "quarter", from: "2026-01-01", to: "2026-03-31" })[0], {
      which: "previous",
      from: "2025-10-01",
      to: "2025-12-31",
    });
    assert.deepEqual(comparisonPeriods({ kind: "year", from: "2026-01-01", to: "2026-12-31" }), [{ which: "previous", from: "2025-01-01", to: "2025-12-31" }]);
    assert.deepEqual(comparisonPeriods({ kind: "custom", from: "2026-11-01", to: "2026-11-15" })[0], {
      which: "previous",
      from: "2026-10-17",
      to: "2026-10-31",
    });
  });
  it("February of a leap year compares with February of the year before, to its 28th", () => {
    assert.deepEqual(comparisonPeriods({ kind: "month", from: "2028-02-01", to: "2028-02-29" })[1], {
      which: "lastYear",
      from: "2027-02-01",
      to: "2027-02-28",
    });
  });
});

describe("lib/tariffs grid price components: validated against the grid price", () => {
  const plan = (over: Partial<PricePlan>): PricePlan => ({
    id: "p",
    validFrom: "2026-01-01",
    pricesIncludeVat: false,
    solarPerKWh: "0.20",
    gridPerKWh: "0.30",
    ...over,
  });
  const codes = (p: PricePlan): string[] => planIssues([p], []).map((i) => `${i.path} ${i.code}`);

  it("components that add up to the grid price are accepted", () => {
    assert.deepEqual(
      codes(
        plan({
          gridComponents: [
            { kind: "energy", perKWh: "0.10" },
            { kind: "network", perKWh: "0.15" },
            { kind: "levies", perKWh: "0.05" },
          ],
        }),
      ),
      [],
    );
  });
  it("components that do not add up to the grid price are a validation error, not a silent wrong line", () => {
    const i = planIssues(
      [
        plan({
          gridComponents: [
            { kind: "energy", perKWh: "0.10" },
            { kind: "network", perKWh: "0.15" },
          ],
        }),
      ],
      [],
    );
    assert.deepEqual(
      i.map((x) => [x.path, x.code, x.params]),
      [["tariffs[0].gridComponents", "plan.componentsSum", { sum: "0.25", field: "gridPerKWh", grid: "0.3" }]],
    );
  });
  it("on an HT/NT plan each tariff must add up; a component gives one price for both or HT and NT", () => {
    const htnt = {
      gridPerKWh: undefined,
      gridHtPerKWh: "0.32",
      gridNtPerKWh: "0.24",
      gridSchedule: { ht: [{ days: [1, 2, 3, 4, 5], from: "07:00", to: "20:00" }] },
    };
    assert.deepEqual(
      codes(
        plan({
          ...htnt,
          gridComponents: [
            { kind: "energy", htPerKWh: "0.12", ntPerKWh: "0.09" },
            { kind: "network", perKWh: "0.20" },
          ],
        }),
      ),
      ["tariffs[0].gridComponents plan.componentsSum"],
    );
    assert.deepEqual(
      codes(
        plan({
          ...htnt,
          gridComponents: [
            { kind: "energy", htPerKWh: "0.12", ntPerKWh: "0.04" },
            { kind: "network", perKWh: "0.20" },
          ],
        }),
      ),
      [],
    );
    assert.deepEqual(codes(plan({ ...htnt, gridComponents: [{ kind: "energy", htPerKWh: "0.32" }] })), ["tariffs[0].gridComponents[0] plan.componentHtNt"]);
  });
  it("an unknown kind, an 'other' without a label and a negative price are refused", () => {
    assert.deepEqual(
      codes(
        plan({
          gridComponents: [
            { kind: "tax" as "other", perKWh: "0.10" },
            { kind: "other", perKWh: "0.25" },
            { kind: "levies", perKWh: "-0.05" },
          ],
        }),
      ),
      [
        "tariffs[0].gridComponents[0].kind plan.componentKind",
        "tariffs[0].gridComponents[1].label plan.componentLabel",
        "tariffs[0].gridComponents[2].perKWh price.negative",
      ],
    );
  });
});
