import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCliCaptured as run } from "../support/cli";
import { computeInvoices } from "../../lib/billing/compute";
import { loadBillingInput } from "../../lib/billing/load";
import { meterIntervals } from "../../lib/store/interval-repo";
import { getMeter } from "../../lib/store/meter-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { parsePeriod } from "../../lib/time/periods";
import { fillMeter, openBillingStore, threeUnitCommunity } from "../support/billing-fixture";
import { same, sdatXml, type SdatBlock } from "../support/sdat";
import { useTmpDir } from "../support/tmp";

const mp = (n: number): string => `CH10012345678900000000000000000${String(n).padStart(2, "0")}`;
const POINTS: Record<string, string> = { pv: mp(1), grid: mp(2), common: mp(3), "unit-1": mp(4), "unit-2": mp(5), "unit-3": mp(6), "charger-1": mp(7) };

function community() {
  const def = threeUnitCommunity({ kind: "vZEV" });
  def.meters = def.meters!.map((m) => ({ ...m, meteringPoint: POINTS[m.id]! }));
  return def;
}

describe("zev import sdat (real SQLite file)", () => {
  const tmp = useTmpDir();
  function db(): string {
    openBillingStore(tmp(), community()).close();
    return join(tmp(), "billing.sqlite");
  }
  const DAY = "2026-11-01T23:00:00Z";

  it("imports a file: per series metering point, direction, period, observations, stored/replaced/kept and quality; a dry run writes nothing; --json", async () => {
    const d = db();
    const file = join(tmp(), "u1.xml");
    writeFileSync(
      file,
      sdatXml({
        version: "12",
        blocks: [
          {
            point: POINTS["unit-1"]!,
            direction: "consumption",
            start: DAY,
            end: "2026-11-02T23:00:00Z",
            observations: [...same(95, "0.100"), { kWh: "0.2", condition: "56" }],
          },
        ],
      }),
    );
    const dry = await run(["import", "sdat", file, "--db", d, "--community", "drei", "--dry-run"]);
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /dry run, nothing written/);
    const res = await run(["import", "sdat", file, "--db", d, "--community", "drei"]);
    assert.equal(res.code, 0, res.err);
    assert.match(
      res.out,
      new RegExp(
        `${POINTS["unit-1"]}\\tmeter unit-1 \\(unit\\)\\tconsumption -> import\\t2026-11-01T23:00Z \\.\\. 2026-11-02T23:00Z\\t96 observations: 96 stored, 0 replaced, 0 kept, 0 unchanged; measured 95, estimated 1, not a measurement 0`,
      ),
    );
    assert.match(res.out, /1 file\(s\) imported, 0 failed, 0 skipped/);
    const store = SqliteStore.open(d);
    try {
      assert.equal(meterIntervals(store, getMeter(store, "drei", "unit-1")!.id, 0, Date.parse("2027-01-01")).length, 96);
    } finally {
      store.close();
    }
    const json = await run(["import", "sdat", file, "--db", d, "--community", "drei", "--json"]);
    const j = JSON.parse(json.out);
    assert.equal(j.files[0].status, "imported");
    assert.equal(j.files[0].report.series[0].unchanged, 96);
  });

  it("imports a folder: its SDAT files are stored, a bad one fails alone (nothing of it stored), other files are skipped with a note, exit 1", async () => {
    const d = db();
    const dir = join(tmp(), "inbox");
    mkdirSync(join(dir, "old"), { recursive: true });
    writeFileSync(
      join(dir, "a.xml"),
      sdatXml({ documentId: "A", blocks: [{ point: POINTS["unit-2"]!, direction: "consumption", start: DAY, observations: same(4, "0.1") }] }),
    );
    writeFileSync(
      join(dir, "b.xml"),
      sdatXml({
        documentId: "B",
        blocks: [{ point: POINTS["unit-3"]!, direction: "consumption", start: DAY, resolution: "60", observations: same(4, "0.1") }],
      }),
    );
    writeFileSync(
      join(dir, "c.XML"),
      sdatXml({ documentId: "C", prefix: "ns2", blocks: [{ point: POINTS.pv!, direction: "production", start: DAY, observations: same(4, "0.5") }] }),
    );
    writeFileSync(join(dir, "readme.txt"), "hello");
    writeFileSync(join(dir, "old", "x.xml"), "<x/>");
    const res = await run(["import", "sdat", dir, "--db", d, "--community", "drei"]);
    assert.equal(res.code, 1);
    assert.match(res.err, /b\.xml: FAILED, nothing stored: .*b\.xml: .* resolution 60 MIN; only 15-minute data/);
    assert.match(res.out, /readme\.txt: skipped \(not an \.xml file\)/);
    assert.match(res.out, /old: skipped \(a folder/);
    assert.match(res.out, /2 file\(s\) imported, 1 failed, 2 skipped/);
    const store = SqliteStore.open(d);
    try {
      const n = (m: string): number => meterIntervals(store, getMeter(store, "drei", m)!.id, 0, Date.parse("2027-01-01")).length;
      assert.deepEqual([n("unit-2"), n("unit-3"), n("pv")], [4, 0, 4]);
      assert.equal(meterIntervals(store, getMeter(store, "drei", "pv")!.id, 0, Date.parse("2027-01-01"))[0]!.importWh, 500);
    } finally {
      store.close();
    }
  });

  it("refuses a document of another community naming the file and the fix, exit 1", async () => {
    const d = db();
    const file = join(tmp(), "other.xml");
    writeFileSync(file, sdatXml({ blocks: [{ point: "CH99999", direction: "consumption", start: DAY, observations: same(1, "1") }] }));
    const res = await run(["import", "sdat", file, "--db", d, "--community", "drei"]);
    assert.equal(res.code, 1);
    assert.match(
      res.err,
      /other\.xml: FAILED, nothing stored: .*no meter of community drei has metering point CH99999: the document is for another community, or the meter lacks its meteringPoint/,
    );
  });

  it("values changed in an already invoiced month are stored and said to change no issued invoice", async () => {
    const d = db();
    const p = parsePeriod("2026-11");
    const store = SqliteStore.open(d);
    for (const [m, wh] of [
      ["unit-1", 100],
      ["unit-2", 200],
      ["unit-3", 100],
      ["common", 40],
      ["charger-1", 0],
      ["pv", 0],
      ["grid", 440],
    ] as const)
      fillMeter(store, "drei", m, "2026-11", () => wh);
    store.close();
    const issued = await run([
      "bill",
      "--db",
      d,
      "--community",
      "drei",
      "--period",
      "2026-11",
      "--issue",
      "--invoice-date",
      "2026-12-01",
      "--out",
      join(tmp(), "out"),
    ]);
    assert.equal(issued.code, 0, issued.err);
    const file = join(tmp(), "late.xml");
    writeFileSync(
      file,
      sdatXml({
        blocks: [
          {
            point: POINTS["unit-1"]!,
            direction: "consumption",
            start: new Date(p.startMs + 96 * 900_000).toISOString(),
            observations: [{ kWh: "0.100" }, { kWh: "0.150" }],
          },
        ],
      }),
    );
    const res = await run(["import", "sdat", file, "--db", d, "--community", "drei"]);
    assert.equal(res.code, 0, res.err);
    assert.match(res.out, /2 observations: 0 stored, 1 replaced, 0 kept, 1 unchanged/);
    assert.match(
      res.err,
      /warning: .*late\.xml: changes 2026-11-02\.\.2026-11-02, of which 2026-11-01\.\.2026-11-30 is already invoiced \(3 issued invoice\(s\)\): they do not change/,
    );
  });

  it("zev community show prints the meters' metering points", async () => {
    const res = await run(["community", "show", "--db", db(), "--community", "drei"]);
    assert.equal(JSON.parse(res.out).meters.find((m: { id: string }) => m.id === "grid").meteringPoint, POINTS.grid);
  });

  it("runs as a separate process (tsx) on the same file and exits non-zero on a malformed file", () => {
    const d = db();
    const bad = join(tmp(), "broken.xml");
    writeFileSync(bad, "<rsm:ValidatedMeteredData_16 xmlns:rsm='http://www.strom.ch'>");
    const res = spawnSync(
      process.execPath,
      ["--import", "tsx", join(__dirname, "..", "..", "bin", "zev.ts"), "import", "sdat", bad, "--db", d, "--community", "drei"],
      { encoding: "utf8" },
    );
    assert.equal(res.status, 1, res.stderr);
    assert.match(res.stderr, /broken\.xml: FAILED, nothing stored: \S*broken\.xml: not well-formed XML/);
    assert.doesNotMatch(res.stderr, /\n\s+at /, "no stack trace");
  });

  it("bills a month imported from SDAT documents: the PV's production is solar energy on the tenants' invoices", async () => {
    const d = db();
    const p = parsePeriod("2026-11");
    const n = (p.endMs - p.startMs) / 900_000;
    const start = new Date(p.startMs).toISOString();
    const kwh = (wh: number): string => (wh / 1000).toFixed(3);
    const sun = (i: number): boolean => i % 96 >= 40 && i % 96 < 64;
    const series = (point: string, direction: "consumption" | "production", wh: (i: number) => number): SdatBlock => ({
      point,
      direction,
      start,
      end: new Date(p.endMs).toISOString(),
      observations: Array.from({ length: n }, (_, i) => ({ kWh: kwh(wh(i)) })),
    });
    const blocks: SdatBlock[] = [
      series(POINTS.pv!, "production", (i) => (sun(i) ? 600 : 0)),
      series(POINTS.pv!, "consumption", (i) => (sun(i) ? 0 : 2)),
      series(POINTS.grid!, "consumption", (i) => (sun(i) ? 0 : 440)),
      series(POINTS.grid!, "production", (i) => (sun(i) ? 160 : 0)),
    ];
    for (const [m, wh] of [
      ["unit-1", 100],
      ["unit-2", 200],
      ["unit-3", 100],
      ["common", 40],
      ["charger-1", 0],
    ] as const)
      blocks.push(series(POINTS[m]!, "consumption", () => wh));
    const file = join(tmp(), "month.xml");
    writeFileSync(file, sdatXml({ version: "16", blocks }));
    const res = await run(["import", "sdat", file, "--db", d, "--community", "drei"]);
    assert.equal(res.code, 0, res.err);
    const store = SqliteStore.open(d);
    try {
      const bill = computeInvoices(loadBillingInput(store, "drei", "2026-11"));
      assert.equal(bill.totals.productionKWh, "432.000"); // 24 sunny quarter hours x 30 days x 600 Wh
      assert.equal(bill.totals.selfConsumedKWh, "316.800"); // 24 x 30 x 440 Wh
      const solar = bill.invoices.find((i) => i.tenancyKey === "t1")!.lines.find((l) => l.kind === "solar");
      assert.equal(solar!.quantity, "72.000"); // 100 of 440 Wh in each sunny quarter hour
    } finally {
      store.close();
    }
  });
});
