import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runCliCaptured as run } from "../support/cli";
import { SIMPLE_PLAN, threeUnitCommunity } from "../support/billing-fixture";
import { decodeQrBill, parseQrPayload, pdfPages, pdfText } from "../support/pdf-tools";
import { issuedNovemberByCli } from "../support/issued-month";
import { requireTools } from "../support/system-tools";
import { useTmpDir } from "../support/tmp";
import { Decimal } from "../../lib/util/money";
import { estimateBilling } from "../../lib/billing/estimate";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { parsePeriod } from "../../lib/time/periods";
import { swissAmount } from "../../lib/util/swiss-number";

/*
 * A community that bills in EUR (issue 17, "Currency"), end to end through
 * the real CLI: EUR's amount rules (no 0.05 cash rounding, ct/kWh) on the
 * invoice, in the QR bill's payload as a bank app decodes it, in the exports.
 * Prices with odd tenths of a cent make totals that are not multiples of 0.05.
 */
const ODD_PLAN = { ...SIMPLE_PLAN, solarPerKWh: "0.2013", gridPerKWh: "0.3117", baseFeePerMonth: "5.01", meteringFeePerMonth: "3.52" };

describe("a community billing in EUR (command line, PDFs and QR codes read back)", function () {
  this.timeout(180_000);
  const tmp = useTmpDir();
  requireTools("pdftotext", "pdftoppm", "zbarimg");

  it("invoices a EUR month without cash rounding: the PDF says EUR and ct/kWh, the QR code asks for the exact EUR amount", async () => {
    const eur = await issuedNovemberByCli(join(tmp(), "eur"), threeUnitCommunity({ currency: "EUR", tariffs: [structuredClone(ODD_PLAN)] }));
    const chf = await issuedNovemberByCli(join(tmp(), "chf"), threeUnitCommunity({ tariffs: [structuredClone(ODD_PLAN)] }));
    assert.equal(eur.invoices.length, 3);
    // The same month in CHF is rounded to 0.05; in EUR it is the exact cent amount, and at least one differs.
    for (const [i, inv] of eur.invoices.entries()) {
      assert.match(inv.total, /^\d+\.\d\d$/);
      assert.ok(new Decimal(chf.invoices[i]!.total).mod("0.05").isZero(), `CHF total ${chf.invoices[i]!.total} is cash-rounded`);
      assert.ok(new Decimal(inv.total).minus(chf.invoices[i]!.total).abs().lt("0.03"), `${inv.total} EUR vs ${chf.invoices[i]!.total} CHF`);
    }
    assert.ok(
      eur.invoices.some((inv) => !new Decimal(inv.total).mod("0.05").isZero()),
      `some EUR total is not a multiple of 0.05: ${eur.invoices.map((i) => i.total).join(", ")}`,
    );

    const out = join(tmp(), "eur", "pdf");
    const render = await run(["render", "--db", eur.db, "--community", "drei", "--period", "2026-11", "--out", out]);
    assert.equal(render.code, 0, render.err);
    for (const inv of eur.invoices) {
      const file = join(
        out,
        readdirSync(out).find((f) => f.startsWith(`${inv.number}_`) && f.endsWith(".pdf"))!,
      );
      const text = pdfText(file);
      assert.match(text, /EUR/);
      assert.doesNotMatch(text, /CHF/, "no CHF anywhere on a EUR invoice");
      assert.match(text, /20\.13 ct\/kWh|31\.17 ct\/kWh/, "energy prices in ct/kWh");
      assert.doesNotMatch(text, /Rp\./);
      assert.ok(text.includes(swissAmount(inv.total)), `the total ${swissAmount(inv.total)} is printed`);
      const q = parseQrPayload(decodeQrBill(file, pdfPages(file)).lines);
      assert.equal(q.currency, "EUR");
      assert.equal(q.amount, inv.total);
    }
  });

  it("the invoice export and the estimate of a EUR community carry EUR", async () => {
    const { db, invoices } = await issuedNovemberByCli(tmp(), threeUnitCommunity({ currency: "EUR", tariffs: [structuredClone(ODD_PLAN)] }));
    const csv = join(tmp(), "invoices.csv");
    const exp = await run(["export", "--db", db, "--community", "drei", "--kind", "invoices", "--period", "2026-11", "--out", csv]);
    assert.equal(exp.code, 0, exp.err);
    const body = readFileSync(csv, "utf8");
    assert.match(body, /EUR/);
    assert.doesNotMatch(body, /CHF/);
    // The estimate (dashboard, msg.command "estimate") sums the same exact EUR totals.
    const store = SqliteStore.open(db);
    try {
      const est = estimateBilling(store, "drei", parsePeriod("2026-11"));
      assert.equal(est.currency, "EUR");
      assert.equal(est.total, invoices.reduce((s, i) => s.plus(i.total), new Decimal(0)).toFixed(2));
      assert.deepEqual(
        est.units.map((u) => u.cost),
        invoices.map((i) => i.total),
      );
    } finally {
      store.close();
    }
  });

  it("a reminder of a EUR invoice asks for the open EUR amount with its fee, in the text and in the QR code", async () => {
    const def = threeUnitCommunity({ currency: "EUR", tariffs: [structuredClone(ODD_PLAN)], reminders: [{ afterDays: 10, fee: "2.50" }] });
    const { db, invoices } = await issuedNovemberByCli(tmp(), def);
    const out = join(tmp(), "reminders");
    const r = await run(["reminders", "run", "--db", db, "--community", "drei", "--date", "2027-01-12", "--out", out]);
    assert.equal(r.code, 0, r.err);
    const c = invoices[2]!;
    const due = new Decimal(c.total).plus("2.50").toFixed(2);
    assert.match(r.out, new RegExp(`M2027-0003 level 1 \\(final\\) for ${c.number}: ${due.replace(".", "\\.")} EUR`));
    const pdf = join(
      out,
      readdirSync(out).find((f) => f.startsWith("M2027-0003"))!,
    );
    const text = pdfText(pdf).replace(/\s+/g, " ");
    assert.match(text, /EUR/);
    assert.doesNotMatch(text, /CHF/);
    const q = parseQrPayload(decodeQrBill(pdf, 1).lines);
    assert.equal(q.currency, "EUR");
    assert.equal(q.amount, due);
  });
});
