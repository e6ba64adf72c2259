import { loadBillingInput } from "../../billing/load";
import { buildLayout } from "../../billing/layout";
import { accumulateLedger, CAT, NCAT } from "../../billing/ledger";
import { roundToWh } from "../../billing/lines";
import { allUnits } from "../../community/types";
import type { Store } from "../../store/store";
import type { BillingPeriod } from "../../time/periods";
import { Decimal } from "../../util/money";
import { kwhFromWh } from "./intervals";
import { col, kwhCol, type Cell, type ExportTable } from "./table";

/*
 * The split of the period's energy per unit, common-area meter and charger
 * meter, computed by the same ledger billing uses (lib/billing/ledger.ts,
 * which calls lib/allocation per interval): nothing is split again here, so
 * the figures agree with the invoices. Each row's solar + battery + grid
 * is rounded to whole Wh by largest remainder, so it adds up to the row's
 * rounded consumption; an invoice rounds its own lines the same way, so a
 * figure can differ from the invoice's line by at most 1 Wh.
 */

const COLUMNS = [
  col("type"),
  col("id"),
  col("label"),
  col("meters"),
  kwhCol("consumption_kwh"),
  kwhCol("solar_kwh"),
  kwhCol("battery_kwh"),
  kwhCol("grid_kwh"),
  kwhCol("common_share_kwh"),
  kwhCol("common_solar_kwh"),
  kwhCol("common_battery_kwh"),
  kwhCol("common_grid_kwh"),
  kwhCol("ev_kwh"),
  col("self_sufficiency", "decimal", 4),
];

type Split = [solar: number, battery: number, grid: number];

/** mWh parts -> whole Wh that add up to the rounded sum. */
function whParts(mwh: Split): Split {
  return roundToWh(mwh) as Split;
}

function share(local: number, all: number): string | null {
  return all > 0 ? new Decimal(local).div(all).toFixed(4) : null;
}

export function allocationTable(store: Store, communityId: string, period: BillingPeriod): ExportTable {
  const input = loadBillingInput(store, communityId, period);
  const layout = buildLayout(input.def, input.period, input.matrix.count);
  const ledger = accumulateLedger(layout, input.matrix, input.meters, input.ev, layout.rules.allocation);
  const meterKey = new Map(input.meters.map((m) => [m.id, m]));
  const rows: Cell[][] = [];
  const S = layout.segmentCount;

  allUnits(input.def).forEach((unit, u) => {
    const own: Split = [0, 0, 0];
    const keys: string[] = [];
    for (const c of ledger.consumers) {
      if (c.role !== "unit" || c.unit !== u) continue;
      own[0] += c.solar;
      own[1] += c.battery;
      own[2] += c.grid;
      keys.push(meterKey.get(c.meterId)!.key);
    }
    // The unit's common-area share and EV energy, over all who occupied it in the period.
    const common: Split = [0, 0, 0];
    let ev = 0;
    layout.payers.forEach((payer, p) => {
      if (payer.unit !== unit.id) return;
      for (let s = 0; s < S; s++) {
        const b = (p * S + s) * NCAT;
        const L = ledger.values;
        common[0] += L[b + CAT.commonSolar]!;
        common[1] += L[b + CAT.commonBattery]!;
        common[2] += L[b + CAT.commonGridHt]! + L[b + CAT.commonGridNt]!;
        ev += L[b + CAT.evNormal]! + L[b + CAT.evPriority]!;
      }
    });
    const o = whParts(own);
    const c = whParts(common);
    const all = own[0] + own[1] + own[2] + common[0] + common[1] + common[2];
    rows.push([
      "unit",
      unit.id,
      unit.label,
      keys.join(" "),
      kwhFromWh(o[0] + o[1] + o[2]),
      kwhFromWh(o[0]),
      kwhFromWh(o[1]),
      kwhFromWh(o[2]),
      kwhFromWh(c[0] + c[1] + c[2]),
      kwhFromWh(c[0]),
      kwhFromWh(c[1]),
      kwhFromWh(c[2]),
      kwhFromWh(Math.round(ev / 1000)),
      share(own[0] + own[1] + common[0] + common[1], all),
    ]);
  });

  const total: Split = [0, 0, 0];
  for (const c of ledger.consumers) {
    total[0] += c.solar;
    total[1] += c.battery;
    total[2] += c.grid;
    if (c.role === "unit") continue;
    const m = meterKey.get(c.meterId)!;
    const w = whParts([c.solar, c.battery, c.grid]);
    rows.push([
      c.role,
      m.key,
      m.label,
      m.key,
      kwhFromWh(w[0] + w[1] + w[2]),
      kwhFromWh(w[0]),
      kwhFromWh(w[1]),
      kwhFromWh(w[2]),
      null,
      null,
      null,
      null,
      null,
      share(c.solar + c.battery, c.solar + c.battery + c.grid),
    ]);
  }
  const w = whParts(total);
  rows.push([
    "total",
    input.def.id,
    input.def.name,
    "",
    kwhFromWh(w[0] + w[1] + w[2]),
    kwhFromWh(w[0]),
    kwhFromWh(w[1]),
    kwhFromWh(w[2]),
    null,
    null,
    null,
    null,
    kwhFromWh(ledger.sessionsWh),
    share(total[0] + total[1], total[0] + total[1] + total[2]),
  ]);
  return { name: "allocation", columns: COLUMNS, rows };
}
