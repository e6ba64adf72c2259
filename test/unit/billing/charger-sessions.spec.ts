import assert from "node:assert/strict";
import { computeInvoices } from "../../../lib/billing/compute";
import { loadBillingInput } from "../../../lib/billing/load";
import { unitResolver } from "../../../lib/charging/attribution";
import { ChargerSessions } from "../../../lib/charging/charger-sessions";
import type { ChargerObservation } from "../../../lib/charging/types";
import { openBillingStore, threeUnitCommunity } from "../../support/billing-fixture";
import { evLines, fillMonthAroundSessions } from "../../support/charger-month";
import { useTmpDir } from "../../support/tmp";

/*
 * Sessions recorded by the charging core (not inserted by hand) and billed:
 * Anna (unit 1) charges 5.5 kWh normal, switches to priority for 2.75 kWh;
 * Luc (unit 2) charges 1.1 kWh right after her on the same charger; a stranger's
 * card charges 0.5 kWh. Each tenant's invoice carries exactly their own energy
 * at the EV prices (0.25 normal, 0.40 priority); the stranger's goes to nobody.
 */
describe("billing the sessions the charger core records", () => {
  const tmp = useTmpDir();

  it("each tenant pays exactly their own sessions, per mode; an unknown card is reported, not billed", () => {
    const def = threeUnitCommunity({
      chargingIds: [
        { id: "ANNA-1", unit: "1" },
        { id: "LUC-2", unit: "2" },
      ],
    });
    const store = openBillingStore(tmp(), def);
    try {
      const t = (hhmm: string, day = "10"): number => Date.parse(`2026-11-${day}T${hhmm}:00+01:00`);
      const cs = new ChargerSessions(
        {
          store,
          communityId: "drei",
          chargerKey: "charger-1",
          defaultMode: "normal",
          outageMs: 30 * 60_000,
          maxPowerW: 22_000,
          slackWh: 1000,
          stallFlagWh: 100,
          unitFor: unitResolver(def),
        },
        t("18:00"),
      );
      const o = (ts: number, x: Omit<ChargerObservation, "ts">): void => void cs.observe({ ts, ...x }, ts);
      o(t("18:00"), { connected: false, counterWh: 40_000 });
      o(t("18:05"), { connected: true, counterWh: 40_000, userId: "ANNA-1" });
      o(t("18:20"), { connected: true, counterWh: 42_750 });
      o(t("18:35"), { connected: true, counterWh: 45_500 });
      cs.setMode("priority", t("18:35"), t("18:35"));
      o(t("18:50"), { connected: true, counterWh: 48_250 });
      o(t("18:52"), { connected: false, counterWh: 48_250 });
      cs.setMode("normal", t("18:53"), t("18:53"));
      o(t("18:55"), { connected: true, counterWh: 48_250, userId: "LUC-2" });
      o(t("19:10"), { connected: true, counterWh: 49_350 });
      o(t("19:11"), { connected: false, counterWh: 49_350 });
      o(t("09:00", "20"), { connected: true, counterWh: 49_350, userId: "STRANGER" });
      o(t("09:10", "20"), { connected: true, counterWh: 49_850 });
      o(t("09:11", "20"), { connected: false, counterWh: 49_850 });

      // The charger meter sees what the sessions took; the other meters as in a plain month.
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
