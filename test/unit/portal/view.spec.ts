import assert from "node:assert/strict";
import { Decimal } from "../../../lib/util/money";
import { cancelInvoice, runBilling } from "../../../lib/billing/run";
import { getInvoice } from "../../../lib/store/invoice-repo";
import { hashToken } from "../../../lib/portal/tokens";
import { invoiceRef, portalView, tenancyDocuments } from "../../../lib/portal/view";
import { person } from "../../support/billing-fixture";
import { PORTAL_NOW, portalCommunity, portalFixture } from "../../support/portal-fixture";
import { useTmpDir } from "../../support/tmp";

describe("portal view model (lib/portal/view)", () => {
  const tmp = useTmpDir();

  it("shows the tenancy's own consumption by month and day with its solar share, and the community's production", () => {
    const f = portalFixture(tmp());
    try {
      const t1 = f.def.tenancies.find((t) => t.id === "t1")!;
      const v = portalView(f.store, f.def, t1, hashToken(f.tokens.t1!), PORTAL_NOW, { month: "2026-11" });
      assert.equal(v.language, "de");
      assert.deepEqual(v.range, { from: "2025-12-01", to: "2026-12-10" });
      assert.equal(v.months.length, 13);
      const nov = v.months.find((m) => m.key === "2026-11")!;
      assert.equal(nov.consumptionKWh, 288, "100 Wh x 96 x 30 of unit-1 only");
      // PV 400 Wh in 24 quarter hours a day among 470 Wh of consumers: unit-1 gets 100/470 of it.
      assert.equal(nov.solarShare, Math.round(((24 * 400 * 100) / 470 / (96 * 100)) * 1000) / 1000);
      assert.ok(Math.abs(nov.solarKWh + nov.gridKWh - 288) < 0.002);
      assert.equal(nov.productionKWh, 288, "400 Wh x 24 x 30 of the community's PV");
      assert.equal(v.month, "2026-11");
      assert.equal(v.days.length, 30);
      assert.ok(v.days.every((d) => d.consumptionKWh === 9.6));
      assert.equal(v.months.find((m) => m.key === "2026-10")!.consumptionKWh, 0);
      const def = portalView(f.store, f.def, t1, hashToken(f.tokens.t1!), PORTAL_NOW);
      assert.equal(def.month, "2026-12", "without a month: the latest");
      assert.equal(def.days.length, 10);
    } finally {
      f.store.close();
    }
  });

  it("lists only the tenancy's own issued invoices with the open amount from its payments", () => {
    const f = portalFixture(tmp());
    try {
      const t1 = f.def.tenancies.find((t) => t.id === "t1")!;
      const v = portalView(f.store, f.def, t1, hashToken(f.tokens.t1!), PORTAL_NOW);
      assert.equal(v.invoices.length, 1);
      const inv = v.invoices[0]!;
      const rec = getInvoice(f.store, f.invoiceOf.t1!)!;
      assert.equal(inv.number, rec.number);
      assert.equal(inv.total, rec.total);
      assert.deepEqual(inv.payment, { status: "partial", paid: "10.00", open: new Decimal(rec.total).minus(10).toFixed(2) });
      assert.equal(inv.ref, invoiceRef(hashToken(f.tokens.t1!), rec.id));
      assert.ok(!JSON.stringify(v).includes(`"id":${rec.id}`), "no invoice id in the view");
      const others = [f.invoiceOf.t2, f.invoiceOf.t3].map((id) => getInvoice(f.store, id!)!.number);
      for (const n of others) assert.ok(!JSON.stringify(v).includes(n!), `another tenancy's invoice ${n} in the view`);
      assert.equal(tenancyDocuments(f.store, f.def, t1, hashToken(f.tokens.t1!)).length, 1);
    } finally {
      f.store.close();
    }
  });

  it("a cancelled invoice and its credit note stay the tenancy's own, without an open amount; drafts never show", async () => {
    const f = portalFixture(tmp());
    try {
      cancelInvoice(f.store, f.invoiceOf.t1!, "test", "wrong tariff", "2026-12-08");
      runBilling(f.store, { communityId: "drei", period: "2026-11", mode: "draft", force: true, actor: "test" });
      const v = portalView(f.store, f.def, f.def.tenancies[0]!, "h", PORTAL_NOW);
      assert.deepEqual(
        v.invoices.map((i) => [i.kind, i.status, i.payment]),
        [
          ["credit-note", "issued", null],
          ["invoice", "cancelled", null],
        ],
      );
      const v2 = portalView(f.store, f.def, f.def.tenancies[1]!, "h", PORTAL_NOW);
      assert.equal(v2.invoices.length, 1);
    } finally {
      f.store.close();
    }
  });

  it("references differ per link, so a reference from one link means nothing to another", () => {
    const f = portalFixture(tmp());
    try {
      assert.notEqual(invoiceRef(hashToken(f.tokens.t1!), 1), invoiceRef(hashToken(f.tokens.t2!), 1));
      assert.match(invoiceRef("x".repeat(64), 7), /^[A-Za-z0-9_-]{22}$/);
    } finally {
      f.store.close();
    }
  });

  it("shows the unit's charging sessions with their modes and the card's last digits, not another unit's", () => {
    const f = portalFixture(tmp());
    try {
      const v1 = portalView(f.store, f.def, f.def.tenancies[0]!, "h", PORTAL_NOW);
      assert.deepEqual(
        v1.sessions.map((s) => [s.date, s.start, s.end, s.kWh, s.priorityKWh, s.normalKWh, s.idTail]),
        [["2026-11-06", "18:00", "19:00", 10, 5, 5, "C3D4"]],
      );
      const v3 = portalView(f.store, f.def, f.def.tenancies[2]!, "h", PORTAL_NOW);
      assert.deepEqual(v3.sessions, []);
    } finally {
      f.store.close();
    }
  });

  it("never shows the unit's previous or next occupant: energy, sessions and invoices are clipped to the tenancy", () => {
    const base = portalCommunity();
    const def = portalCommunity({
      tenancies: [
        ...base.tenancies.filter((t) => t.id !== "t3"),
        { id: "t3a", unit: "3", tenant: person("Alt Mieter", "it"), from: "2025-01-01", to: "2026-11-15" },
        { id: "t3b", unit: "3", tenant: person("Neu Mieterin", "fr"), from: "2026-11-16", to: null },
      ],
    });
    const f = portalFixture(tmp(), def);
    try {
      const a = portalView(
        f.store,
        def,
        def.tenancies.find((t) => t.id === "t3a")!,
        "h",
        PORTAL_NOW,
        { month: "2026-11" },
      );
      const b = portalView(
        f.store,
        def,
        def.tenancies.find((t) => t.id === "t3b")!,
        "h",
        PORTAL_NOW,
        { month: "2026-11" },
      );
      assert.equal(a.language, "it");
      assert.deepEqual(a.range, { from: "2025-12-01", to: "2026-11-15" });
      assert.deepEqual([a.days[0]!.key, a.days[a.days.length - 1]!.key, a.days.length], ["2026-11-01", "2026-11-15", 15]);
      assert.deepEqual(b.range, { from: "2026-11-16", to: "2026-12-10" });
      assert.deepEqual([b.days[0]!.key, b.days.length], ["2026-11-16", 15]);
      assert.equal(b.months.find((m) => m.key === "2026-11")!.consumptionKWh, 72, "50 Wh x 96 x 15 days");
      assert.equal(b.months.length, 2);
      assert.deepEqual(
        a.invoices.map((i) => i.number),
        [getInvoice(f.store, f.invoiceOf.t3a!)!.number],
      );
      assert.deepEqual(
        b.invoices.map((i) => i.number),
        [getInvoice(f.store, f.invoiceOf.t3b!)!.number],
      );
    } finally {
      f.store.close();
    }
  });
});
