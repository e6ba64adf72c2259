import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBilling } from "../../../lib/billing/run";
import type { InvoiceSnapshot } from "../../../lib/model/invoice";
import { renderInvoiceDocument } from "../../../lib/render/documents";
import { invoiceView } from "../../../lib/render/invoice-view";
import { backfill } from "../../../lib/simulator/backfill";
import { SONNENHOF_SITE, withSiteMeters } from "../../../lib/simulator/site";
import { saveCommunity } from "../../../lib/store/community-repo";
import type { InvoiceRecord } from "../../../lib/store/invoice-repo";
import { SqliteStore } from "../../../lib/store/sqlite-store";
import { fillConsumers, fillMeter, openBillingStore, threeUnitCommunity } from "../../support/billing-fixture";
import { exampleCommunity } from "../../support/community-fixture";
import { pdfPages, pdfText } from "../../support/pdf-tools";
import { requireTools } from "../../support/system-tools";

/*
 * The rest of "the invoice explains itself" (issue 15, decisions 0133-0135): counter readings at the
 * period's ends from the real ingest path, the grid price components, the comparison with the previous
 * period and last year, and the Art. 16 sentence, read back with pdftotext in four languages.
 */

const flat = (s: string): string => s.replace(/\s+/g, " ");

const EXPECT = {
  de: {
    readings:
      /Zählerstände Zähler unit-1: 01\.10\.2026 00:00 [\d']+\.\d{3} kWh \(gemessen\) – 01\.11\.2026 00:00 [\d']+\.\d{3} kWh \(gemessen\); Differenz [\d']+\.\d{3} kWh\./,
    components: "davon Energie 12.00, Netznutzung 15.00, Abgaben 2.00, Netzzuschlag 3.00 Rp./kWh",
    history:
      /Verbrauch und Solaranteil im Vergleich Diese Periode 01\.10\.–31\.10\.2026 [\d']+\.\d{3} kWh [\d.]+ % Vorperiode 01\.09\.–30\.09\.2026 [\d']+\.\d{3} kWh [\d.]+ % Vorjahr 01\.10\.–31\.10\.2025 keine Daten/,
    art16: "Solarstrom 18.00 Rp./kWh; Standardprodukt des Verteilnetzbetreibers «Stadtwerk Basic»: HT 32.00 Rp./kWh, NT 24.00 Rp./kWh (EnV Art. 16).",
  },
  fr: {
    readings:
      /Index des compteurs Compteur unit-1: 01\.10\.2026 00:00 [\d']+\.\d{3} kWh \(mesuré\) – 01\.11\.2026 00:00 [\d']+\.\d{3} kWh \(mesuré\); différence [\d']+\.\d{3} kWh\./,
    components: "dont énergie 12.00, utilisation du réseau 15.00, redevances 2.00, supplément réseau 3.00 ct./kWh",
    history:
      /Consommation et part solaire en comparaison Cette période 01\.10\.–31\.10\.2026 [\d']+\.\d{3} kWh [\d.]+ % Période précédente 01\.09\.–30\.09\.2026 [\d']+\.\d{3} kWh [\d.]+ % Année précédente 01\.10\.–31\.10\.2025 pas de données/,
    art16:
      "Électricité solaire 18.00 ct./kWh; produit standard du gestionnaire de réseau «Stadtwerk Basic»: HT 32.00 ct./kWh, BT 24.00 ct./kWh (OEne art. 16).",
  },
  it: {
    readings:
      /Letture dei contatori Contatore unit-1: 01\.10\.2026 00:00 [\d']+\.\d{3} kWh \(misurato\) – 01\.11\.2026 00:00 [\d']+\.\d{3} kWh \(misurato\); differenza [\d']+\.\d{3} kWh\./,
    components: "di cui energia 12.00, utilizzo della rete 15.00, tributi 2.00, supplemento di rete 3.00 ct./kWh",
    history:
      /Consumo e quota solare a confronto Questo periodo 01\.10\.–31\.10\.2026 [\d']+\.\d{3} kWh [\d.]+ % Periodo precedente 01\.09\.–30\.09\.2026 [\d']+\.\d{3} kWh [\d.]+ % Anno precedente 01\.10\.–31\.10\.2025 nessun dato/,
    art16: "Elettricità solare 18.00 ct./kWh; prodotto standard del gestore di rete «Stadtwerk Basic»: AT 32.00 ct./kWh, BT 24.00 ct./kWh (OEn art. 16).",
  },
  en: {
    readings:
      /Meter readings Meter unit-1: 01\.10\.2026 00:00 [\d']+\.\d{3} kWh \(measured\) – 01\.11\.2026 00:00 [\d']+\.\d{3} kWh \(measured\); difference [\d']+\.\d{3} kWh\./,
    components: "of which energy 12.00, network use 15.00, levies 2.00, grid surcharge 3.00 Rp./kWh",
    history:
      /Consumption and solar share compared This period 01\.10\.–31\.10\.2026 [\d']+\.\d{3} kWh [\d.]+ % Previous period 01\.09\.–30\.09\.2026 [\d']+\.\d{3} kWh [\d.]+ % Last year 01\.10\.–31\.10\.2025 no data/,
    art16: 'Solar electricity 18.00 Rp./kWh; the utility\'s standard product "Stadtwerk Basic": HT 32.00 Rp./kWh, NT 24.00 Rp./kWh (EnV Art. 16).',
  },
} as const;

describe("the invoice explains itself: readings, grid components, comparison, Art. 16", function () {
  this.timeout(180000);
  requireTools("pdftotext", "pdfinfo");
  // One folder for the whole suite: the store is built once in before(), the PDFs go beside it.
  let dir = "";
  const tmp = (): string => dir;
  let store: SqliteStore;
  let october: InvoiceRecord;
  let september: InvoiceRecord;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "zev-explain-readings-"));
    store = SqliteStore.open(join(dir, "example.sqlite"));
    const base = withSiteMeters(exampleCommunity(), SONNENHOF_SITE);
    // The utility's components of the HT/NT grid price: 12 + 15 + 2 + 3 = 32 (HT), 9 + 10 + 2 + 3 = 24 (NT).
    const def = {
      ...base,
      tariffs: base.tariffs!.map((p) => ({
        ...p,
        gridComponents: [
          { kind: "energy" as const, htPerKWh: "0.12", ntPerKWh: "0.09" },
          { kind: "network" as const, htPerKWh: "0.15", ntPerKWh: "0.10" },
          { kind: "levies" as const, perKWh: "0.02" },
          { kind: "surcharge" as const, perKWh: "0.03" },
        ],
      })),
    };
    saveCommunity(store, def, { source: "test", actor: "test" });
    const from = Date.parse("2026-09-01T00:00:00+02:00") - 15 * 60_000;
    const to = Date.parse("2026-11-01T00:15:00+01:00");
    // The real path: simulated meter readings through the interval builder and the ingest into SQLite.
    backfill(store, { communityId: "sonnenhof", site: SONNENHOF_SITE, fromMs: from, toMs: to, now: () => to + 60_000 });
    const sep = runBilling(store, { communityId: "sonnenhof", period: "2026-09", mode: "issue", invoiceDate: "2026-10-01", force: true, actor: "test" });
    const oct = runBilling(store, { communityId: "sonnenhof", period: "2026-10", mode: "issue", invoiceDate: "2026-11-02", force: true, actor: "test" });
    september = sep.records.find((r) => r.unitId === "1" && r.kind === "invoice")!;
    october = oct.records.find((r) => r.unitId === "1" && r.kind === "invoice")!;
    assert.ok(september && october);
  });
  after(() => {
    store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const own = (s: InvoiceSnapshot): string => (Number(s.energy.ownSolarKWh) + Number(s.energy.ownBatteryKWh) + Number(s.energy.ownGridKWh)).toFixed(3);

  it("the counter readings at the period's ends are measured, and their difference is the unit's billed own consumption to the Wh", () => {
    const r = october.snapshot.explain!.readings!;
    assert.equal(r.length, 1);
    const m = r[0]!;
    assert.deepEqual(
      [m.meter, m.start.date, m.start.source, m.start.quality, m.end.date, m.end.source, m.end.quality],
      ["unit-1", "2026-10-01", "counter", "measured", "2026-11-01", "counter", "measured"],
    );
    assert.equal(m.counterKWh, own(october.snapshot));
    assert.equal(m.intervalKWh, m.counterKWh);
    // The end of September is the start of October: one counter, read once.
    assert.equal(september.snapshot.explain!.readings![0]!.end.kWh, m.start.kWh);
  });

  it("the comparison takes the issued invoice of the previous period (what the tenant saw) and says 'no data' for last year", () => {
    const h = october.snapshot.explain!.history!;
    const e = september.snapshot.energy;
    const kWh = (Number(e.ownSolarKWh) + Number(e.ownBatteryKWh) + Number(e.ownGridKWh) + Number(e.commonKWh)).toFixed(3);
    assert.deepEqual(h, [
      { which: "previous", from: "2026-09-01", to: "2026-09-30", source: "invoice", kWh, solarShare: e.selfSufficiency },
      { which: "lastYear", from: "2025-10-01", to: "2025-10-31", source: "none", kWh: null, solarShare: null },
    ]);
  });

  it("without an issued invoice of the previous period, it is computed from the stored intervals and marked so", () => {
    const draft = runBilling(store, { communityId: "sonnenhof", period: "2026-11-01..2026-11-15", mode: "draft", force: true, actor: "test" });
    const h = draft.records.find((r) => r.unitId === "1")!.snapshot.explain!.history!;
    assert.equal(h[0]!.source, "intervals");
    assert.deepEqual([h[0]!.from, h[0]!.to], ["2026-10-17", "2026-10-31"]);
    assert.match(h[0]!.kWh!, /^\d+\.\d{3}$/);
    // Last year: nothing stored, so nothing computed.
    assert.equal(h[1]!.source, "none");
    const view = invoiceView(draft.records.find((r) => r.unitId === "1")!.snapshot).explain!.history!;
    assert.match(view.rows[1]!.kWh, /kWh\*$/);
    assert.ok(view.note?.startsWith("* aus den Messdaten berechnet"));
  });

  for (const [lang, e] of Object.entries(EXPECT)) {
    it(`${lang}: pdftotext shows the readings (start, end, counter, quality), the grid components, the comparison and the Art. 16 sentence`, async () => {
      const rec = structuredClone(october);
      rec.snapshot.language = lang as InvoiceSnapshot["language"];
      const file = join(tmp(), `october-${lang}.pdf`);
      writeFileSync(file, (await renderInvoiceDocument(rec)).buffer);
      const text = flat(pdfText(file, { raw: true }));
      assert.match(text, e.readings);
      assert.ok(text.includes(e.components), text);
      assert.match(text, e.history);
      assert.ok(text.includes(e.art16), text);
    });
  }

  it("the billed grid prices stay as they are: the components are information under the lines", () => {
    const grid = october.snapshot.lines.filter((l) => l.kind === "grid-ht" || l.kind === "grid-nt").map((l) => [l.kind, l.unitPrice]);
    assert.deepEqual(grid, [
      ["grid-ht", "0.32"],
      ["grid-nt", "0.24"],
    ]);
  });

  it("an operator-data meter has no counter: 'no counter reading (operator data)', with the energy of the quarter hours", async () => {
    const s = openBillingStore(join(tmp(), "drei"), threeUnitCommunity());
    try {
      fillConsumers(s, "drei", "2026-11");
      fillMeter(s, "drei", "pv", "2026-11", (i) => (i % 4 === 0 ? 220 : 0));
      const rec = runBilling(s, { communityId: "drei", period: "2026-11", mode: "issue", invoiceDate: "2026-12-01", actor: "test" }).records[0]!;
      const r = rec.snapshot.explain!.readings![0]!;
      assert.deepEqual([r.start.source, r.end.source, r.start.kWh, r.counterKWh], ["operator", "operator", null, null]);
      const file = join(tmp(), "drei.pdf");
      writeFileSync(file, (await renderInvoiceDocument(rec)).buffer);
      const text = flat(pdfText(file, { raw: true }));
      assert.match(
        text,
        /Zähler unit-1, 01\.11\.2026 00:00 – 01\.12\.2026 00:00: kein Zählerstand \(Daten des Netzbetreibers\); Energie aus den Viertelstundenwerten 288\.000 kWh\./,
      );
      // Still one page with the payment part, with readings and comparison on it.
      assert.equal(pdfPages(file), 1);
      assert.match(text, /Vorperiode 01\.10\.–31\.10\.2026 keine Daten/);
    } finally {
      s.close();
    }
  });
});
