import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../../bin/cli";
import { computeInvoices } from "../../../lib/billing/compute";
import { loadBillingInput } from "../../../lib/billing/load";
import { SqliteStore } from "../../../lib/store/sqlite-store";
import { parsePeriod } from "../../../lib/time/periods";
import { openBillingStore, threeUnitCommunity } from "../../support/billing-fixture";
import { useTmpDir } from "../../support/tmp";

/*
 * A vZEV month from the grid operator's load profile, as operators deliver
 * it: every metering point with Bezug and Einspeisung, the PV's production
 * under Einspeisung. Billing must see the production: the tenants' solar
 * lines carry it, not a grid line for every kWh.
 */
describe("billing a month imported from an operator's load profile", () => {
  const tmp = useTmpDir();

  it("a PV metering point's Einspeisung is billed as solar energy", async () => {
    const dir = tmp();
    openBillingStore(dir, threeUnitCommunity()).close();
    const db = join(dir, "billing.sqlite");
    const p = parsePeriod("2026-11");
    const lines = ["Zeitstempel;Messpunkt;Bezug [kWh];Einspeisung [kWh]"];
    const fmt = (wh: number): string => (wh / 1000).toFixed(3).replace(".", ",");
    for (let t = p.startMs, i = 0; t < p.endMs; t += 900_000, i++) {
      const ts = new Date(t).toISOString().replace(".000Z", "Z");
      const sun = i % 96 >= 40 && i % 96 < 64; // 10:00-16:00 UTC
      lines.push(`${ts};pv;${fmt(sun ? 0 : 2)};${fmt(sun ? 600 : 0)}`);
      for (const [m, wh] of [
        ["unit-1", 100],
        ["unit-2", 200],
        ["unit-3", 100],
        ["common", 40],
        ["charger-1", 0],
      ] as const)
        lines.push(`${ts};${m};${fmt(wh)};${fmt(0)}`);
      lines.push(`${ts};grid;${fmt(sun ? 0 : 440)};${fmt(sun ? 160 : 0)}`);
    }
    const file = join(dir, "operator-2026-11.csv");
    writeFileSync(file, lines.join("\r\n") + "\r\n");
    let out = "",
      err = "";
    const code = await runCli(["import", "load-profile", file, "--db", db, "--community", "drei"], { out: (t) => (out += t), err: (t) => (err += t) });
    assert.equal(code, 0, err);
    assert.match(out, /pv\t2'880 intervals\tproduction: "Einspeisung \[kWh\]", reverse "Bezug \[kWh\]"/);

    const store = SqliteStore.open(db);
    try {
      const res = computeInvoices(loadBillingInput(store, "drei", "2026-11"));
      // 24 sunny quarter hours a day x 30 days x 600 Wh, all of it used in the building (440 Wh consumed, 160 Wh exported)
      assert.equal(res.totals.productionKWh, "432.000");
      assert.equal(res.totals.selfConsumedKWh, "316.800"); // 24 x 30 x 440 Wh
      const solar = res.invoices.find((i) => i.tenancyKey === "t1")!.lines.find((l) => l.kind === "solar");
      assert.ok(solar && Number(solar.quantity) > 0, "unit 1 gets solar energy");
      assert.equal(solar!.quantity, "72.000"); // 100 of 440 Wh in each sunny quarter hour
    } finally {
      store.close();
    }
  });
});
