import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../../bin/cli";
import { computeInvoices } from "../../../lib/billing/compute";
import { loadBillingInput } from "../../../lib/billing/load";
import { SqliteStore } from "../../../lib/store/sqlite-store";
import { openBillingStore, threeUnitCommunity } from "../../support/billing-fixture";
import { evLines, fillMonthAroundSessions } from "../../support/charger-month";
import { useTmpDir } from "../../support/tmp";

/*
 * Sessions imported from a file (zev import sessions) are billed exactly like
 * the ones the charger core records (test/unit/billing/charger-sessions.spec.ts):
 * the same scenario, Anna 5.5 kWh normal + 2.75 kWh priority, Luc 1.1 kWh
 * normal right after her, a stranger's card 0.5 kWh, gives the same lines.
 */
describe("billing sessions imported from a file", () => {
  const tmp = useTmpDir();

  it("each tenant pays exactly the imported sessions of their id, per mode; an unknown card is reported, not billed", async () => {
    const dir = tmp();
    const def = threeUnitCommunity({
      chargingIds: [
        { id: "ANNA-1", unit: "1" },
        { id: "LUC-2", unit: "2" },
      ],
    });
    openBillingStore(dir, def).close();
    const db = join(dir, "billing.sqlite");
    const file = join(dir, "sessions.csv");
    writeFileSync(
      file,
      [
        "start;end;counter_start_kwh;counter_end_kwh;id;mode",
        "2026-11-10T18:05:00+01:00;2026-11-10T18:35:00+01:00;40;45,5;ANNA-1;normal",
        "2026-11-10T18:35:00+01:00;2026-11-10T18:50:00+01:00;45,5;48,25;ANNA-1;priority",
        "2026-11-10T18:55:00+01:00;2026-11-10T19:10:00+01:00;48,25;49,35;LUC-2;normal",
        "2026-11-20T09:00:00+01:00;2026-11-20T09:10:00+01:00;49,35;49,85;STRANGER;normal",
      ].join("\n") + "\n",
    );
    let out = "",
      err = "";
    const code = await runCli(["import", "sessions", file, "--db", db, "--community", "drei", "--charger", "charger-1"], {
      out: (t) => (out += t),
      err: (t) => (err += t),
    });
    assert.equal(code, 0, err);
    assert.match(out, /4 session\(s\), 9\.850 kWh stored/);

    const store = SqliteStore.open(db);
    try {
      fillMonthAroundSessions(store, "drei", "2026-11");

      const res = computeInvoices(loadBillingInput(store, "drei", "2026-11"));
      assert.deepEqual(evLines(res, "t1"), ["ev-normal 5.500 x 0.25 = 1.38", "ev-priority 2.750 x 0.4 = 1.10"]);
      assert.deepEqual(evLines(res, "t2"), ["ev-normal 1.100 x 0.25 = 0.28"]);
      assert.deepEqual(evLines(res, "t3"), []);
      assert.ok(
        res.warnings.some((w) => w === "0.500 kWh of EV charging by unknown user id(s) STRANGER is not billed: map the id(s) to a unit"),
        res.warnings.join("\n"),
      );
      assert.equal(res.totals.evSessionsKWh, "9.850");
    } finally {
      store.close();
    }
  });
});
