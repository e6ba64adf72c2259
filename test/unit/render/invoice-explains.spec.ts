import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBilling } from "../../../lib/billing/run";
import { renderInvoiceDocument } from "../../../lib/render/documents";
import { invoiceView } from "../../../lib/render/invoice-view";
import type { InvoiceRecord } from "../../../lib/store/invoice-repo";
import { fillConsumers, fillMeter, openBillingStore, threeUnitCommunity } from "../../support/billing-fixture";
import { decodeQrBill, parseQrPayload, pdfPages, pdfText, pdfTextArea } from "../../support/pdf-tools";
import { billedSonnenhof } from "../../support/render-fixture";
import { requireTools } from "../../support/system-tools";

/*
 * The invoice explains itself (issue 15, decisions 0107/0108): the common-area key and totals,
 * the HT windows, the charging sessions, prices in Rp./kWh, and one page for an ordinary month.
 * Read back with pdftotext / zbarimg; expected texts are written out here, not taken from lib.
 */

const EXPECT = {
  t1: {
    key: /Allgemeinstrom der Gemeinschaft [\d']+\.\d{3} kWh; Verteilschlüssel 85 von 380 m²; 30 von 30 Tagen; Ihr Anteil [\d']+\.\d{3} kWh\./,
    windows: "Hochtarif Mo–Fr 07:00–20:00, übrige Zeit Niedertarif.",
    price: "21.50 Rp./kWh",
    ev: [/10\.11\.2026\s+14:00\s+20\.800\s+Normal\s+…anna/, /10\.11\.2026\s+18:00\s+10\.400\s+Priorität\s+…anna/],
    evMeaning: "Priorität: sofort volle Ladeleistung zum Prioritätspreis.",
  },
  t2: {
    key: /Parties communes de la communauté [\d']+\.\d{3} kWh; clé de répartition 110 sur 380 m²; 30 sur 30 jours; votre part [\d']+\.\d{3} kWh\./,
    windows: "Haut tarif lu–ve 07:00–20:00, le reste du temps bas tarif.",
    price: "21.50 ct./kWh",
    ev: [],
    evMeaning: null,
  },
  t3: {
    key: /Parti comuni della comunità [\d']+\.\d{3} kWh; chiave di ripartizione 140 di 380 m²; 30 di 30 giorni; la sua quota [\d']+\.\d{3} kWh\./,
    windows: "Tariffa alta lu–ve 07:00–20:00, il resto del tempo tariffa bassa.",
    price: "21.50 ct./kWh",
    ev: [],
    evMeaning: null,
  },
  t4: {
    key: /Common areas of the community [\d']+\.\d{3} kWh; key 45 of 380 m²; 15 of 30 days; your share [\d']+\.\d{3} kWh\./,
    windows: "High tariff Mon–Fri 07:00–20:00, low tariff at all other times.",
    price: "21.50 Rp./kWh",
    ev: [],
    evMeaning: null,
  },
} as const;

/** pdftotext breaks lines within a column: compare with the line breaks as spaces. */
const flat = (s: string): string => s.replace(/\s+/g, " ");

describe("the invoice explains itself", function () {
  this.timeout(60000);
  requireTools("pdftotext", "pdfinfo", "pdftoppm", "zbarimg");
  let dir: string;
  let records: InvoiceRecord[];
  const texts = new Map<string, string>();
  let closeStore: () => void;

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), "zev-explain-"));
    const { store, report } = billedSonnenhof(join(dir, "store"));
    closeStore = () => store.close();
    records = report.records;
    for (const rec of records) {
      const file = join(dir, `${rec.tenancyKey.replace(":", "_")}.pdf`);
      writeFileSync(file, (await renderInvoiceDocument(rec)).buffer);
      // Raw order: the text as drawn, so the two columns of the explanation do not interleave.
      texts.set(rec.tenancyKey, pdfText(file, { raw: true }));
    }
  });
  after(() => {
    closeStore?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const [tenancy, e] of Object.entries(EXPECT)) {
    it(`${tenancy}: shows the common-area key with the community total, the days and the share`, () => {
      assert.match(flat(texts.get(tenancy)!), e.key);
    });
    it(`${tenancy}: shows the HT/NT windows of the plan`, () => {
      assert.ok(flat(texts.get(tenancy)!).includes(e.windows), flat(texts.get(tenancy)!));
    });
    it(`${tenancy}: prints energy unit prices per kWh in hundredths (Rp./ct.), fees in CHF`, () => {
      const text = texts.get(tenancy)!;
      assert.ok(text.includes(e.price));
      assert.doesNotMatch(text, /\s0\.2150?\s/);
    });
  }

  it("the invoice with EV lines lists its sessions (date, start, kWh, mode, last 4 of the RFID) and what the modes mean", () => {
    const text = flat(texts.get("t1")!);
    for (const re of EXPECT.t1.ev) assert.match(text, re);
    assert.ok(text.includes(EXPECT.t1.evMeaning));
    assert.doesNotMatch(text, /rfid-anna/, "the full RFID is not printed");
  });

  const SESSIONS = {
    de: {
      title: "Ladevorgänge E-Mobilität",
      row: /10\.11\.2026 14:00 20\.800 Normal …anna/,
      meaning: "Priorität: sofort volle Ladeleistung zum Prioritätspreis. Normal: zuerst Solarüberschuss, zum Normalpreis.",
    },
    fr: {
      title: "Recharges de véhicules électriques",
      row: /10\.11\.2026 18:00 10\.400 Prioritaire …anna/,
      meaning: "Prioritaire: pleine puissance immédiate au prix prioritaire. Normal: d'abord le surplus solaire, au prix normal.",
    },
    it: {
      title: "Ricariche di veicoli elettrici",
      row: /10\.11\.2026 18:00 10\.400 Priorità …anna/,
      meaning: "Priorità: piena potenza subito al prezzo prioritario. Normale: prima l'eccedenza solare, al prezzo normale.",
    },
    en: {
      title: "EV charging sessions",
      row: /10\.11\.2026 14:00 20\.800 Normal …anna/,
      meaning: "Priority: full power at once, at the priority price. Normal: solar surplus first, at the normal price.",
    },
  } as const;
  for (const [lang, e] of Object.entries(SESSIONS)) {
    it(`${lang}: the charging sessions and the meaning of the modes are printed in the tenant's language`, async () => {
      const rec = structuredClone(records.find((r) => r.tenancyKey === "t1")!);
      rec.snapshot.language = lang as InvoiceRecord["snapshot"]["language"];
      const file = join(dir, `ev-${lang}.pdf`);
      writeFileSync(file, (await renderInvoiceDocument(rec)).buffer);
      const text = flat(pdfText(file, { raw: true }));
      assert.ok(text.includes(e.title), text);
      assert.match(text, e.row);
      assert.ok(text.includes(e.meaning), text);
    });
  }

  it("an EUR community's energy prices are in ct/kWh, fees in EUR per month", () => {
    const snap = structuredClone(records.find((r) => r.tenancyKey === "t1")!.snapshot);
    snap.currency = "EUR";
    const lines = invoiceView(snap).lines;
    assert.equal(lines.find((l) => l.unit === "kWh")!.unitPrice, "21.50 ct/kWh");
    assert.equal(lines.find((l) => l.unit !== "kWh")!.unitPrice, "4.00");
  });

  it("a month with many charging sessions prints every one of them, in chunks of 40 a page, no row past a page's bottom", async () => {
    const rec = structuredClone(records.find((r) => r.tenancyKey === "t1")!);
    const x = rec.snapshot.explain!;
    x.evSessions = Array.from(
      { length: 120 },
      (_, i) =>
        ({
          date: `2026-11-${String(1 + (i % 30)).padStart(2, "0")}`,
          time: `${String(i % 24).padStart(2, "0")}:${String((i * 15) % 60).padStart(2, "0")}`,
          kWh: `${i + 1}.250`,
          mode: i % 2 ? "priority" : "normal",
          idTail: "anna",
        }) as const,
    );
    const file = join(dir, "many-sessions.pdf");
    writeFileSync(file, (await renderInvoiceDocument(rec)).buffer);
    // Only what lies inside a page's area: a block running past the bottom edge loses its rows here.
    const pages = pdfPages(file);
    const text = flat(Array.from({ length: pages }, (_, k) => pdfTextArea(file, k + 1, { xMm: 0, yMm: 0, wMm: 210, hMm: 297 })).join(" "));
    for (let i = 0; i < 120; i++) assert.ok(text.includes(` ${i + 1}.250 `), `session ${i + 1} missing`);
    // Page 1, three pages of 40 sessions, the payment part: pdfkit adds no page of its own for a row past the bottom.
    assert.equal(pages, 5);
  });

  it("invoices without EV lines show no session table", () => {
    for (const t of ["t2", "t3", "t4"]) assert.doesNotMatch(texts.get(t)!, /Recharges|Ricariche|EV charging sessions/);
  });

  it("the snapshot carries the facts: key, weights, community total, windows, sessions", () => {
    const x = records.find((r) => r.tenancyKey === "t1")!.snapshot.explain!;
    assert.equal(x.common?.key, "floorArea");
    assert.equal(x.common?.weight, "85");
    assert.equal(x.common?.totalWeight, "380");
    assert.equal(x.common?.shareKWh, records.find((r) => r.tenancyKey === "t1")!.snapshot.energy.commonKWh);
    assert.deepEqual(x.tariffWindows, [{ planId: "tarif-2026", ht: [{ days: [1, 2, 3, 4, 5], from: "07:00", to: "20:00" }], ntDays: [] }]);
    assert.deepEqual(
      x.evSessions.map((s) => [s.date, s.time, s.kWh, s.mode, s.idTail]),
      [
        ["2026-11-10", "14:00", "20.800", "normal", "anna"],
        ["2026-11-10", "18:00", "10.400", "priority", "anna"],
      ],
    );
  });

  it("an ordinary month renders on one page with the QR bill decodable on page 1", async () => {
    const store = openBillingStore(join(dir, "drei"), threeUnitCommunity());
    try {
      fillConsumers(store, "drei", "2026-11");
      fillMeter(store, "drei", "pv", "2026-11", (i) => (i % 4 === 0 ? 220 : 0));
      const rec = runBilling(store, { communityId: "drei", period: "2026-11", mode: "issue", invoiceDate: "2026-12-01", actor: "test" }).records[0]!;
      const file = join(dir, "drei.pdf");
      writeFileSync(file, (await renderInvoiceDocument(rec)).buffer);
      assert.equal(pdfPages(file), 1);
      const q = parseQrPayload(decodeQrBill(file, 1).lines);
      assert.equal(q.reference, rec.reference);
      const text = flat(pdfText(file, { page: 1, raw: true }));
      assert.match(text, /Verteilschlüssel 100 von 400 m²/);
      assert.match(text, /Zahlteil/);
    } finally {
      store.close();
    }
  });

  it("an invoice issued before the explanation existed re-renders byte-identically", async () => {
    const fixture = JSON.parse(readFileSync(join(__dirname, "fixtures", "issued-2026-11.json"), "utf8")) as {
      records: InvoiceRecord[];
      sha256: Record<string, string>;
    };
    assert.equal(Object.keys(fixture.sha256).length, 5);
    for (const rec of fixture.records) {
      assert.equal(rec.snapshot.explain, undefined);
      const doc = await renderInvoiceDocument(rec);
      assert.equal(createHash("sha256").update(doc.buffer).digest("hex"), fixture.sha256[rec.tenancyKey], `${rec.tenancyKey} renders differently`);
    }
  });
});
