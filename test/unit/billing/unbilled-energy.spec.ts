import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCliCaptured as cli } from "../../support/cli";
import { estimateBilling } from "../../../lib/billing/estimate";
import { runBilling } from "../../../lib/billing/run";
import type { CommunityDefinition } from "../../../lib/community/types";
import { getSession } from "../../../lib/store/charger-session-repo";
import { saveCommunity } from "../../../lib/store/community-repo";
import { getInvoice } from "../../../lib/store/invoice-repo";
import { getMeter } from "../../../lib/store/meter-repo";
import { SqliteStore } from "../../../lib/store/sqlite-store";
import { INTERVAL_MS } from "../../../lib/time/interval";
import { addSession, fillMeter, openBillingStore, threeUnitCommunity } from "../../support/billing-fixture";
import { useTmpDir } from "../../support/tmp";

/** The plain month of the fixture building: units 100/200/100 Wh, common 40 Wh, PV 220 Wh each :00 quarter. */
function fillPlainMonth(store: SqliteStore, month: string): void {
  for (const [m, wh] of [
    ["unit-1", 100],
    ["unit-2", 200],
    ["unit-3", 100],
    ["common", 40],
  ] as const)
    fillMeter(store, "drei", m, month, () => wh);
  fillMeter(store, "drei", "pv", month, (i) => (i % 4 === 0 ? 220 : 0));
}

const NOV_10_18H = Date.parse("2026-11-10T18:15:00+01:00");
/** `n` quarter hours of `wh` each from 10.11.2026 18:15 on (non-PV quarters are irrelevant for the charger). */
const charging = (n: number, wh: number, from = NOV_10_18H): Map<number, number> => new Map(Array.from({ length: n }, (_, k) => [from + k * INTERVAL_MS, wh]));

describe("billing: energy nobody is billed for is always reported", () => {
  const tmp = useTmpDir();

  it("a charger meter with interval energy but no sessions: the run report, the estimate and zev bill name the meter and its kWh", async () => {
    const store = openBillingStore(tmp(), threeUnitCommunity());
    fillPlainMonth(store, "2026-11");
    const ch = charging(10, 500);
    fillMeter(store, "drei", "charger-1", "2026-11", (_i, t) => ch.get(t) ?? 0);
    try {
      const r = runBilling(store, { communityId: "drei", period: "2026-11", mode: "draft", actor: "test" });
      assert.deepEqual(r.unbilled, [{ kind: "charger-without-sessions", meter: "charger-1", wh: 5000 }]);
      assert.equal(r.unbilledKWh, "5.000");
      const n = r.notices.find((x) => x.code === "unbilled.chargerWithoutSessions")!;
      assert.deepEqual(n.params, { meter: "charger-1", kWh: "5.000" });
      assert.ok(
        r.warnings.some((w) =>
          /charger meter charger-1 measured 5\.000 kWh but no charging session was recorded on it: the energy is billed to nobody/.test(w),
        ),
        r.warnings.join("\n"),
      );
      // Nobody's invoice carries it: the invoices' EV lines are empty.
      assert.ok(r.records.every((rec) => rec.snapshot.lines.every((l) => !l.kind.startsWith("ev-"))));

      const est = estimateBilling(store, "drei", "2026-11", { nowMs: Date.parse("2026-12-05T12:00:00Z") });
      assert.equal(est.unbilledKWh, "5.000");
      assert.deepEqual(est.unbilled, [{ kind: "charger-without-sessions", meter: "charger-1", wh: 5000 }]);
    } finally {
      store.close();
    }
    const res = await cli(["bill", "--db", join(tmp(), "billing.sqlite"), "--community", "drei", "--period", "2026-11", "--out", join(tmp(), "out")]);
    assert.equal(res.code, 0, res.err);
    assert.match(res.out, /UNBILLED 5\.000 kWh are on no invoice/);
    assert.match(res.out, /WARNING charger meter charger-1 measured 5\.000 kWh but no charging session/);
    const json = await cli([
      "bill",
      "--db",
      join(tmp(), "billing.sqlite"),
      "--community",
      "drei",
      "--period",
      "2026-11",
      "--json",
      "--out",
      join(tmp(), "out"),
    ]);
    assert.equal(JSON.parse(json.out).unbilledKWh, "5.000");
  });

  it("a charger meter above its sessions, and sessions above their meter, are reported with the kWh of the difference", () => {
    const store = openBillingStore(tmp(), threeUnitCommunity());
    try {
      fillPlainMonth(store, "2026-11");
      fillPlainMonth(store, "2026-12");
      // November: the meter measured 10 kWh, the sessions 7 kWh.
      const nov = charging(20, 500);
      fillMeter(store, "drei", "charger-1", "2026-11", (_i, t) => nov.get(t) ?? 0);
      addSession(store, "drei", {
        charger: "charger-1",
        userId: "RFID-ANNA",
        unitId: "1",
        intervals: [...nov.keys()].slice(0, 14).map((startMs) => ({ startMs, wh: 500, mode: "normal" as const })),
      });
      const a = runBilling(store, { communityId: "drei", period: "2026-11", mode: "draft", actor: "test" });
      assert.deepEqual(a.unbilled, [{ kind: "charger-above-sessions", meter: "charger-1", wh: 3000 }]);
      assert.equal(a.unbilledKWh, "3.000");
      assert.ok(
        a.warnings.some((w) => w.startsWith("charger meter charger-1 measured 10.000 kWh, its charging sessions 7.000 kWh: 3.000 kWh are billed to nobody")),
        a.warnings.join("\n"),
      );

      // December: the sessions took 5 kWh, the meter measured 2 kWh: billed without being metered, said so.
      const decFrom = Date.parse("2026-12-10T18:15:00+01:00");
      const dec = charging(10, 500, decFrom);
      fillMeter(store, "drei", "charger-1", "2026-12", (_i, t) => (dec.has(t) && t < decFrom + 4 * INTERVAL_MS ? 500 : 0));
      addSession(store, "drei", {
        charger: "charger-1",
        userId: "RFID-ANNA",
        unitId: "1",
        intervals: [...dec.keys()].map((startMs) => ({ startMs, wh: 500, mode: "normal" as const })),
      });
      const b = runBilling(store, { communityId: "drei", period: "2026-12", mode: "draft", actor: "test" });
      assert.deepEqual(b.unbilled, [{ kind: "sessions-above-charger", meter: "charger-1", wh: 3000 }]);
      assert.equal(b.unbilledKWh, "0.000", "billed energy is not counted as unbilled");
      assert.ok(b.notices.some((n) => n.code === "unbilled.sessionsAboveCharger" && n.params.kWh === "3.000"));
    } finally {
      store.close();
    }
  });

  it("meters outside the split and common-area energy without a key are each reported with their kWh", () => {
    const def = threeUnitCommunity();
    const store = openBillingStore(tmp(), def);
    try {
      fillPlainMonth(store, "2026-11");
      // Unit 3 leaves the community; its meter stays in the database with 100 Wh a quarter hour.
      const without3: CommunityDefinition = {
        ...def,
        buildings: [{ ...def.buildings[0]!, units: def.buildings[0]!.units.filter((u) => u.id !== "3") }],
        tenancies: def.tenancies.filter((t) => t.unit !== "3"),
        meters: [...def.meters!.filter((m) => m.id !== "unit-3"), { id: "heat-pump", role: "other" }],
        billing: { allocation: "proportional", commonAreaKey: "custom", customShares: { "1": 0, "2": 0 }, minCoverage: 0.95 },
      };
      saveCommunity(store, without3, { source: "test", actor: "test" });
      fillMeter(store, "drei", "charger-1", "2026-11", () => 0);
      fillMeter(store, "drei", "heat-pump", "2026-11", (i) => (i < 100 ? 10 : 0));
      const r = runBilling(store, { communityId: "drei", period: "2026-11", mode: "draft", actor: "test" });
      const by = new Map(r.unbilled.map((u) => [u.kind, u]));
      assert.deepEqual(by.get("other-meter"), { kind: "other-meter", meter: "heat-pump", wh: 1000 });
      // 2880 quarter hours x 40 Wh of common area, all keys 0
      assert.deepEqual(by.get("common-without-key"), { kind: "common-without-key", wh: 115200 });
      // The meters table keeps unit 3's meter: 2880 x 100 Wh measured for a unit the community no longer has.
      assert.deepEqual(by.get("unit-meter-without-unit"), { kind: "unit-meter-without-unit", meter: "unit-3", wh: 288000 });
      assert.equal(r.stopped, false);
      const total = r.unbilled.reduce((s, u) => s + u.wh, 0);
      assert.equal(r.unbilledKWh, (total / 1000).toFixed(3));
      assert.ok(
        r.warnings.some((w) => /meter heat-pump has role "other" and is not part of the split \(1\.000 kWh in the period, billed to nobody\)/.test(w)),
        r.warnings.join("\n"),
      );
    } finally {
      store.close();
    }
  });

  it("a complete grid meter that measured more than the consumer meters account for reports the unmetered kWh; an exact one reports nothing", () => {
    const store = openBillingStore(tmp(), threeUnitCommunity());
    try {
      fillPlainMonth(store, "2026-11");
      fillMeter(store, "drei", "charger-1", "2026-11", () => 0);
      // Grid = consumption - solar, plus a 100 Wh load without a meter in 400 quarter hours (40 kWh, 3.6 %).
      fillMeter(store, "drei", "grid", "2026-11", (i) => (i % 4 === 0 ? 220 : 440) + (i < 400 ? 100 : 0));
      const r = runBilling(store, { communityId: "drei", period: "2026-11", mode: "draft", actor: "test" });
      assert.deepEqual(r.unbilled, [{ kind: "unmetered", meter: "grid", wh: 40000 }]);
      assert.ok(
        r.warnings.some((w) =>
          w.startsWith("the grid meter measured 1148.800 kWh net import, the consumer meters account for 1108.800 kWh: 40.000 kWh are consumed unmetered"),
        ),
        r.warnings.join("\n"),
      );
      fillMeter(store, "drei", "grid", "2026-11", (i) => (i % 4 === 0 ? 220 : 440));
      assert.deepEqual(runBilling(store, { communityId: "drei", period: "2026-11", mode: "draft", actor: "test" }).unbilled, []);
    } finally {
      store.close();
    }
  });

  it("a charging id mapped after its sessions (zev community import) is attributed on the next zev bill of an unbilled period, and the report lists it", async () => {
    const def = threeUnitCommunity();
    const store = openBillingStore(tmp(), def);
    const db = store.path;
    const ch = charging(8, 1000);
    let sessionId: number;
    try {
      fillPlainMonth(store, "2026-11");
      fillMeter(store, "drei", "charger-1", "2026-11", (_i, t) => ch.get(t) ?? 0);
      sessionId = addSession(store, "drei", {
        charger: "charger-1",
        userId: "CARD-77",
        unitId: null,
        intervals: [...ch.keys()].map((startMs) => ({ startMs, wh: 1000, mode: "normal" as const })),
      });
      const before = runBilling(store, { communityId: "drei", period: "2026-11", mode: "draft", actor: "test" });
      assert.ok(
        before.warnings.includes("8.000 kWh of EV charging by unknown user id(s) CARD-77 is not billed: map the id(s) to a unit"),
        before.warnings.join("\n"),
      );
      assert.equal(before.unbilledKWh, "8.000");
    } finally {
      store.close();
    }
    // The card is mapped later, through the community file.
    const file = join(tmp(), "drei.json");
    writeFileSync(file, JSON.stringify({ ...def, chargingIds: [{ id: "card-77", unit: "2", label: "Luc's car" }] }, null, 2));
    const imp = await cli(["community", "import", file, "--db", db]);
    assert.equal(imp.code, 0, imp.err + imp.out);
    const res = await cli(["bill", "--db", db, "--community", "drei", "--period", "2026-11", "--out", join(tmp(), "out")]);
    assert.equal(res.code, 0, res.err);
    assert.match(res.out, new RegExp(`attributed session #${sessionId} on charger-1 \\(2026-11-10 18:15.*, 8\\.000 kWh\\): id CARD-77 -> unit 2`));
    assert.doesNotMatch(res.out, /UNBILLED/);
    assert.match(res.out, /draft #2 +2 +Luc Dubois .* updated/);
    const again = SqliteStore.open(db);
    try {
      const s = getSession(again, sessionId)!;
      assert.equal(s.unitId, "2");
      assert.ok(s.flags.some((f) => f.flag === "attributed-later"));
      const luc = getInvoice(again, 2)!;
      assert.deepEqual(
        luc.snapshot.lines.filter((l) => l.kind.startsWith("ev-")).map((l) => `${l.kind} ${l.quantity} x ${l.unitPrice} = ${l.amount}`),
        ["ev-normal 8.000 x 0.25 = 2.00"],
      );
      // A second run has nothing left to attribute.
      const r = runBilling(again, { communityId: "drei", period: "2026-11", mode: "draft", actor: "test" });
      assert.deepEqual(r.attributed, []);
      assert.equal(r.unbilledKWh, "0.000");
    } finally {
      again.close();
    }
  });

  it("a re-run over an issued period after late data lists each differing invoice with kWh, CHF and the way to correct it", async () => {
    const store = openBillingStore(tmp(), threeUnitCommunity());
    const db = store.path;
    // Unit 1's meter delivers 10 non-PV quarter hours late (1 kWh of grid energy); coverage is still above 95 %.
    const late = new Set(Array.from({ length: 10 }, (_, k) => 1 + 4 * k));
    try {
      fillPlainMonth(store, "2026-11");
      // (the rows are stored later: upserting keeps interval rows idempotent, so drop them first by writing the month without them)
      store.stmt("DELETE FROM intervals WHERE meter_id = ?").run(getMeter(store, "drei", "unit-1")!.id);
      fillMeter(store, "drei", "unit-1", "2026-11", (i) => (late.has(i) ? null : 100));
      fillMeter(store, "drei", "charger-1", "2026-11", () => 0);
      const issued = runBilling(store, { communityId: "drei", period: "2026-11", mode: "issue", invoiceDate: "2026-12-01", actor: "test" });
      assert.equal(issued.invoices.filter((i) => i.action === "issued").length, 3);
      fillMeter(store, "drei", "unit-1", "2026-11", (i) => (late.has(i) ? 100 : null));
    } finally {
      store.close();
    }
    const res = await cli(["bill", "--db", db, "--community", "drei", "--period", "2026-11", "--json", "--out", join(tmp(), "out")]);
    assert.equal(res.code, 0, res.err);
    const report = JSON.parse(res.out) as import("../../../lib/billing/run").BillingRunReport;
    const anna = report.invoices.find((i) => i.tenancyKey === "t1")!;
    assert.equal(anna.action, "skipped");
    assert.equal(anna.difference!.kWh, "+1.000");
    assert.equal(anna.difference!.amount, `+${(Number(anna.difference!.nowTotal) - Number(anna.difference!.issuedTotal)).toFixed(2)}`);
    assert.ok(Number(anna.difference!.amount) > 0.25 && Number(anna.difference!.amount) < 0.35, anna.difference!.amount);
    assert.equal(anna.difference!.correction.cancelInvoiceId, anna.id);
    assert.equal(report.invoices.filter((i) => i.difference).length, 1, "the other invoices agree with the data");
    const n = report.notices.find((x) => x.code === "issued.differs")!;
    assert.match(
      n.message,
      /^invoice 2026-0001 \(Anna Meier, 2026-11-01\.\.2026-11-30\) was issued with 315\.800 kWh and 99\.30 CHF; the data now give 316\.800 kWh and 99\.60 CHF \(\+1\.000 kWh, \+0\.\d\d CHF\)\. It stays as issued: to correct it, cancel it with a credit note \(zev invoice cancel --db <file> --id 1 /,
    );

    const text = await cli(["bill", "--db", db, "--community", "drei", "--period", "2026-11", "--out", join(tmp(), "out")]);
    assert.match(
      text.out,
      /2026-0001 +1 +Anna Meier .*skipped: already issued as 2026-0001\n +DIFFERS from the issued invoice: now 316\.800 kWh .*\(\+1\.000 kWh, \+0\.\d\d CHF\); correct it with zev invoice cancel --db .* --id 1 --reason "<why>", then bill 2026-11 again/,
    );

    // Following the advice: the credit note, then a new invoice with the late data; nothing differs any more.
    assert.equal((await cli(["invoice", "cancel", "--db", db, "--id", "1", "--reason", "late meter data"])).code, 0);
    const fixed = await cli([
      "bill",
      "--db",
      db,
      "--community",
      "drei",
      "--period",
      "2026-11",
      "--issue",
      "--invoice-date",
      "2026-12-10",
      "--json",
      "--out",
      join(tmp(), "out"),
    ]);
    const after = JSON.parse(fixed.out) as import("../../../lib/billing/run").BillingRunReport;
    assert.ok(after.invoices.every((i) => !i.difference));
    assert.equal(after.invoices.find((i) => i.tenancyKey === "t1")!.action, "issued");
  });

  it("an issued invoice whose tenancy is gone from the period is listed with its whole amount in question", () => {
    const def = threeUnitCommunity();
    const store = openBillingStore(tmp(), def);
    try {
      fillPlainMonth(store, "2026-11");
      fillMeter(store, "drei", "charger-1", "2026-11", () => 0);
      runBilling(store, { communityId: "drei", period: "2026-11", mode: "issue", invoiceDate: "2026-12-01", actor: "test" });
      // The tenancy of unit 3 was entered by mistake: the unit was vacant.
      saveCommunity(store, { ...def, tenancies: def.tenancies.filter((t) => t.id !== "t3") }, { source: "test", actor: "test" });
      const r = runBilling(store, { communityId: "drei", period: "2026-11", mode: "draft", actor: "test" });
      const sam = r.invoices.find((i) => i.tenancyKey === "t3")!;
      assert.equal(sam.action, "skipped");
      assert.equal(sam.difference!.nowTotal, "0.00");
      assert.equal(sam.difference!.amount, `-${sam.total}`);
      assert.ok(r.notices.some((n) => n.code === "issued.differs" && n.params.number === sam.number));
      assert.equal(r.invoices.find((i) => i.tenancyKey === "owner:3")!.action, "created", "the owner's draft is there to replace it");
    } finally {
      store.close();
    }
  });

  it("the estimate bills sessions whose id is mapped by now, as the next run will", () => {
    const def = threeUnitCommunity();
    const store = openBillingStore(tmp(), def);
    try {
      fillPlainMonth(store, "2026-11");
      const ch = charging(4, 1000);
      fillMeter(store, "drei", "charger-1", "2026-11", (_i, t) => ch.get(t) ?? 0);
      addSession(store, "drei", {
        charger: "charger-1",
        userId: "CARD-9",
        unitId: null,
        intervals: [...ch.keys()].map((startMs) => ({ startMs, wh: 1000, mode: "normal" as const })),
      });
      const nowMs = Date.parse("2026-12-05T12:00:00Z");
      assert.equal(estimateBilling(store, "drei", "2026-11", { nowMs }).unbilledKWh, "4.000");
      saveCommunity(store, { ...def, chargingIds: [{ id: "CARD-9", unit: "3" }] }, { source: "test", actor: "test" });
      const est = estimateBilling(store, "drei", "2026-11", { nowMs });
      assert.equal(est.unbilledKWh, "0.000");
      assert.equal(est.units.find((u) => u.unit === "3")!.evKWh, 4);
      const run = runBilling(store, { communityId: "drei", period: "2026-11", mode: "draft", actor: "test" });
      assert.equal(run.invoices.find((i) => i.unit === "3")!.total, est.units.find((u) => u.unit === "3")!.cost);
    } finally {
      store.close();
    }
  });
});
