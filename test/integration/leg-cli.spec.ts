import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { openBillingStore } from "../support/billing-fixture";
import { runCliCaptured as run } from "../support/cli";
import { fillLegMonth, legCommunity } from "../support/leg-fixture";
import { pdfPages, pdfText } from "../support/pdf-tools";
import { useTmpDir } from "../support/tmp";

/*
 * A LEG's November 2026 through the real CLI on a real SQLite file: members' invoices by `zev bill`
 * and `zev render`, producer statements by `zev leg statements`, PDFs read back with pdftotext.
 * The figures are the hand calculation of test/unit/billing/leg-month.spec.ts.
 */
describe("zev leg and zev bill for a LEG (command line, PDFs read back)", function () {
  this.timeout(180_000);
  const tmp = useTmpDir();

  function setUp(): string {
    const store = openBillingStore(tmp(), legCommunity());
    fillLegMonth(store);
    const db = store.path;
    store.close();
    return db;
  }

  const flat = (s: string): string => s.replace(/\s+/g, " ");

  it("issues members' invoices of local energy only, with residual and network-fee reduction in their language (de, fr)", async () => {
    const db = setUp();
    const bill = await run([
      "bill",
      "--db",
      db,
      "--community",
      "leg",
      "--period",
      "2026-11",
      "--issue",
      "--invoice-date",
      "2026-12-01",
      "--out",
      join(tmp(), "json"),
      "--json",
    ]);
    assert.equal(bill.code, 0, bill.err + bill.out);
    const pdfs = join(tmp(), "pdf");
    const render = await run(["render", "--db", db, "--community", "leg", "--period", "2026-11", "--out", pdfs]);
    assert.equal(render.code, 0, render.err);
    const files = readdirSync(pdfs).sort();
    const de = flat(
      pdfText(
        join(
          pdfs,
          files.find((f) => f.includes("Anna"))!,
        ),
      ),
    );
    assert.match(de, /Lokale Energie aus der LEG/);
    assert.match(de, /64\.080/);
    assert.match(de, /11\.53/);
    assert.match(de, /12\.45/);
    assert.match(de, /Restbezug aus dem Netz: 223\.920 kWh\. Diese Energie stellt Ihnen Ihr Netzbetreiber in Rechnung/);
    assert.match(de, /Reduktion auf lokaler Energie 64\.080 kWh × 0\.10 CHF\/kWh × 40 % = 2\.56 CHF/);
    const fr = flat(
      pdfText(
        join(
          pdfs,
          files.find((f) => f.includes("Luc"))!,
        ),
      ),
    );
    assert.match(fr, /Énergie locale de la CEL/);
    assert.match(fr, /128\.160/);
    assert.match(fr, /24\.95/);
    assert.match(fr, /Soutirage résiduel du réseau : 447\.840 kWh/);
    assert.match(fr, /128\.160 kWh × 0\.10 CHF\/kWh × 40 % = 5\.13 CHF/);
  });

  it("numbers, records and prints the producer statements without a QR bill (de with VAT, en without)", async () => {
    const db = setUp();
    const out = join(tmp(), "statements");
    const draft = await run(["leg", "statements", "--db", db, "--community", "leg", "--period", "2026-11"]);
    assert.equal(draft.code, 0, draft.err);
    assert.match(draft.out, /draft t-p1 Solar Bauer AG: 216\.000 kWh, 28\.02 CHF/);
    const issued = await run(["leg", "statements", "--db", db, "--community", "leg", "--period", "2026-11", "--issue", "--date", "2026-12-01", "--out", out]);
    assert.equal(issued.code, 0, issued.err);
    assert.match(issued.out, /G2026-0001 t-p1 Solar Bauer AG: 216\.000 kWh, 28\.02 CHF \(issued\)/);
    assert.match(issued.out, /G2026-0002 t-p2 Marc Keller: 72\.000 kWh, 8\.64 CHF \(issued\)/);
    assert.match(issued.out, /billed local 288\.000 kWh = credited 288\.000 kWh/);
    const files = readdirSync(out).sort();
    assert.equal(files.length, 2);
    const p1 = join(
      out,
      files.find((f) => f.startsWith("G2026-0001"))!,
    );
    const de = flat(pdfText(p1));
    assert.match(de, /Gutschrift Stromlieferung G2026-0001/);
    assert.match(de, /216\.000/);
    assert.match(de, /25\.92/);
    assert.match(de, /MWST 8\.1 % auf 25\.92 2\.10/);
    assert.match(de, /Gutschrift CHF 28\.02/);
    assert.match(de, /CHE-111\.222\.333 MWST/);
    assert.doesNotMatch(de, /Empfangsschein|Zahlteil/);
    assert.equal(pdfPages(p1), 1);
    const en = flat(
      pdfText(
        join(
          out,
          files.find((f) => f.startsWith("G2026-0002"))!,
        ),
      ),
    );
    assert.match(en, /Producer statement G2026-0002/);
    assert.match(en, /72\.000/);
    assert.match(en, /No VAT \(producer not VAT-registered\)/);
    assert.match(en, /Credit CHF 8\.64/);
    assert.doesNotMatch(en, /Receipt|Payment part/);
    // A second run records nothing twice.
    const again = await run(["leg", "statements", "--db", db, "--community", "leg", "--period", "2026-11", "--issue", "--date", "2026-12-02"]);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /G2026-0001 .*\(unchanged\)/);
    // Listed in the exports, as recorded.
    const csv = join(tmp(), "statements.csv");
    const exp = await run(["export", "--db", db, "--community", "leg", "--kind", "producer-statements", "--period", "2026-11", "--out", csv]);
    assert.equal(exp.code, 0, exp.err);
    const rows = readFileSync(csv, "utf8")
      .replace(/^\uFEFF/, "")
      .trim()
      .split(/\r?\n/);
    assert.equal(rows.length, 3);
    assert.match(
      rows[1]!,
      /^G2026-0001;2026-12-01;2026-11-01;2026-11-30;t-p1;Solar Bauer AG;CHE-111\.222\.333 MWST;p1;216\.000;216\.000;0\.000;0\.12;25\.92;2\.10;28\.02;CHF$/,
    );
    const list = await run(["leg", "list", "--db", db, "--community", "leg", "--json"]);
    assert.deepEqual(
      (JSON.parse(list.out) as { number: string; total: string }[]).map((r) => `${r.number} ${r.total}`),
      ["G2026-0001 28.02", "G2026-0002 8.64"],
    );
  });

  it("summarises the LEG per member and refuses a ZEV", async () => {
    const db = setUp();
    const s = await run(["leg", "summary", "--db", db, "--community", "leg", "--period", "2026-11", "--json"]);
    assert.equal(s.code, 0, s.err);
    const j = JSON.parse(s.out) as { totals: { billedLocalKWh: string; creditedKWh: string }; members: { tenancyKey: string; localKWh: string }[] };
    assert.equal(j.totals.billedLocalKWh, "288.000");
    assert.equal(j.totals.creditedKWh, "288.000");
    assert.equal(j.members.find((m) => m.tenancyKey === "t-m2")!.localKWh, "128.160");
  });
});
