import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCliCaptured as run } from "../support/cli";
import type { CommunityDefinition } from "../../lib/community/types";
import { listInvoices } from "../../lib/store/invoice-repo";
import { latestCommunity } from "../../lib/store/community-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { fillMeter, threeUnitCommunity } from "../support/billing-fixture";
import { useTmpDir } from "../support/tmp";

/*
 * Issue 18 §5, with the real CLI and a real SQLite file: what cannot be
 * printed on an invoice or its QR bill is refused when the community is
 * imported, and again before an invoice gets its number.
 */

describe("zev community import and zev bill --issue: what can be issued can be rendered", () => {
  const tmp = useTmpDir("zev-issue-rules-");

  async function importDef(def: CommunityDefinition): Promise<{ code: number; out: string; err: string; db: string }> {
    const file = join(tmp(), `${def.id}.json`);
    writeFileSync(file, JSON.stringify(def, null, 2));
    const db = join(tmp(), "site.sqlite");
    return { ...(await run(["community", "import", file, "--db", db])), db };
  }

  function stored(db: string, id: string): boolean {
    const store = SqliteStore.open(db);
    try {
      return latestCommunity(store, id) !== undefined;
    } finally {
      store.close();
    }
  }

  it("refuses a 92-character creditor name at import, naming the field and the limit of 70", async () => {
    const def = threeUnitCommunity();
    def.creditor.name = "Zusammenschluss zum Eigenverbrauch Sonnenhof Winterthur-Seen, Verwaltung Müller & Partner AG";
    assert.equal(def.creditor.name.length, 92);
    const res = await importDef(def);
    assert.equal(res.code, 1);
    assert.match(res.err, /creditor\.name: has 92 characters; a QR bill allows at most 70/);
    assert.equal(stored(res.db, "drei"), false, "nothing stored");
  });

  for (const [what, name, chars] of [
    ["an emoji", "Anna Meier 😀", "😀"],
    ["CJK", "王小明", "王小明"],
    ["Cyrillic", "Иван Петров", "ИванПетро"],
  ] as const) {
    it(`refuses a tenant name with ${what} at import, quoting the characters`, async () => {
      const def = threeUnitCommunity();
      def.tenancies[1]!.tenant.name = name;
      const res = await importDef(def);
      assert.equal(res.code, 1);
      assert.ok(res.err.includes(`tenancies[1].tenant.name: contains characters a QR bill does not allow: ${JSON.stringify(chars)}`), res.err);
      assert.equal(stored(res.db, "drei"), false);
    });
  }

  it("accepts Latin Extended names (SIX v2.3) and refuses a unit label the invoice font cannot print", async () => {
    const ok = threeUnitCommunity();
    ok.tenancies[0]!.tenant.name = "Łukasz Żółć";
    ok.tenancies[1]!.tenant.name = "Ștefan Țurcan";
    ok.creditor.name = "ZEV Sunčani Dvor";
    const good = await importDef(ok);
    assert.equal(good.code, 0, good.err);
    const bad = threeUnitCommunity();
    bad.id = "drei-b";
    bad.buildings[0]!.units[0]!.label = "Wohnung ☀ 1";
    const res = await importDef(bad);
    assert.equal(res.code, 1);
    assert.match(res.err, /buildings\[0\]\.units\[0\]\.label: contains characters the invoice cannot print: "☀"/);
  });

  it("refuses absurd prices with the limit named", async () => {
    const def = threeUnitCommunity();
    def.tariffs = [{ ...def.tariffs![0]!, solarPerKWh: "2150", baseFeePerMonth: "50000", standardProduct: { perKWh: "-0.30" } }];
    const res = await importDef(def);
    assert.equal(res.code, 1);
    assert.match(res.err, /tariffs\[0\]\.solarPerKWh: solarPerKWh 2150 is above the limit of 5\.00 per kWh/);
    assert.match(res.err, /tariffs\[0\]\.baseFeePerMonth: baseFeePerMonth 50000 is above the limit of 1000\.00 per month/);
    assert.match(res.err, /tariffs\[0\]\.standardProduct\.perKWh: a price cannot be negative/);
    assert.equal(stored(res.db, "drei"), false);
  });

  it("refuses to issue an invoice above 999'999'999.99 without using a number; the others are issued gaplessly", async () => {
    const def = threeUnitCommunity();
    def.tariffs = [{ ...def.tariffs![0]!, gridPerKWh: "4.90" }];
    const { code, err, db } = await importDef(def);
    assert.equal(code, 0, err);
    // Meter data as a misread operator file could deliver it: 80 MWh a quarter hour for unit 2.
    const store = SqliteStore.open(db);
    for (const [m, wh] of [
      ["unit-1", 100],
      ["unit-2", 80_000_000],
      ["unit-3", 100],
      ["common", 40],
      ["charger-1", 0],
    ] as const)
      fillMeter(store, "drei", m, "2026-11", () => wh);
    fillMeter(store, "drei", "pv", "2026-11", (i) => (i % 4 === 0 ? 220 : 0));
    store.close();

    const out = join(tmp(), "out");
    const issued = await run(["bill", "--db", db, "--community", "drei", "--period", "2026-11", "--issue", "--invoice-date", "2026-12-01", "--out", out]);
    assert.equal(issued.code, 4, issued.err);
    assert.match(issued.out, /2026-0001 +1 +Anna Meier .* issued/);
    assert.match(issued.out, /2026-0002 +3 +Sam Taylor .* issued/);
    assert.match(
      issued.out,
      /draft #2 +2 +Luc Dubois .* refused: not issued, it could not be printed: totals\.total: a QR bill amount must be 0\.01 to 999'999'999\.99, got 1\d{9}\.\d{2}/,
    );
    assert.match(issued.err, /REFUSED: 1 invoice\(s\) not issued/);
    assert.match(
      issued.err,
      /Luc Dubois \(unit 2\): totals\.total: a QR bill amount must be 0\.01 to 999'999'999\.99, got \d+\.\d{2} \[payment\.amountRange\]/,
    );

    const check = SqliteStore.open(db);
    try {
      const all = listInvoices(check, "drei", {});
      const byUnit = new Map(all.map((r) => [r.unitId, r]));
      assert.equal(byUnit.get("2")!.status, "draft");
      assert.equal(byUnit.get("2")!.number, null);
      assert.deepEqual(
        all
          .filter((r) => r.number)
          .map((r) => r.number)
          .sort(),
        ["2026-0001", "2026-0002"],
      );
      const seq = check.stmt<{ last_number: number }>("SELECT last_number FROM invoice_sequences WHERE community_id = 'drei' AND year = 2026").get();
      assert.equal(seq!.last_number, 2, "the refused invoice used no number");
    } finally {
      check.close();
    }
    // Every issued invoice renders.
    const pdf = await run(["render", "--db", db, "--community", "drei", "--period", "2026-11", "--out", join(tmp(), "pdf")]);
    assert.equal(pdf.code, 0, pdf.err);
    // Issuing the draft on its own is refused the same way.
    const one = await run(["invoice", "issue", "--db", db, "--id", "2", "--invoice-date", "2026-12-02"]);
    assert.equal(one.code, 1);
    assert.match(one.err, /the invoice cannot be issued, it could not be printed: totals\.total: a QR bill amount must be 0\.01 to 999'999'999\.99/);
    // The next number follows without a gap: a credit note for the first invoice is 2026-0003.
    const cancelled = await run(["invoice", "cancel", "--db", db, "--id", "1", "--reason", "test", "--invoice-date", "2026-12-05"]);
    assert.equal(cancelled.code, 0, cancelled.err);
    assert.match(cancelled.out, /invoice 2026-0001 cancelled by credit note 2026-0003/);
  });
});
