import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../../../bin/cli";
import type { CommunityDefinition } from "../../../../lib/community/types";
import { loadProfileQuality, parseLoadProfileCsv } from "../../../../lib/readings/intervals/load-profile-csv";
import { importLoadProfile } from "../../../../lib/readings/intervals/load-profile-import";
import { saveCommunity } from "../../../../lib/store/community-repo";
import { meterIntervals } from "../../../../lib/store/interval-repo";
import { getMeter } from "../../../../lib/store/meter-repo";
import { SqliteStore } from "../../../../lib/store/sqlite-store";
import { minimalCommunity } from "../../../support/community-fixture";
import { useTmpDir } from "../../../support/tmp";

const U1 = "CH1001234567890000000000000000003";
const PV = "CH1001234567890000000000000000002";
const T0 = Date.UTC(2026, 10, 1, 23, 0); // 2026-11-02 00:00 Europe/Zurich
const Q = 900_000;

function community(): CommunityDefinition {
  return minimalCommunity({
    kind: "vZEV",
    meters: [
      { id: "m-u1", role: "unit", unit: "u1", meteringPoint: U1 },
      { id: "pv", role: "production", meteringPoint: PV },
    ],
  });
}

const BKW_HEADER = "Messpunkt;Datum;Strombezug [kWh];Stromeinspeisung [kWh];Messdatengüte";

/** BKW portal rows for 2026-11-02 from 00:00 local: [kWh drawn, kWh fed in, quality] per quarter hour. */
function bkw(point: string, rows: [string, string, string][], header = BKW_HEADER): string {
  const lines = [header];
  rows.forEach(([imp, exp, q], i) => {
    const min = i * 15;
    lines.push(`${point};02.11.2026 ${String(Math.floor(min / 60)).padStart(2, "0")}:${String(min % 60).padStart(2, "0")};${imp};${exp};${q}`);
  });
  return lines.join("\r\n") + "\r\n";
}

describe("lib/readings load-profile CSV with a quality column", () => {
  const tmp = useTmpDir();
  let store: SqliteStore;
  beforeEach(() => {
    store = SqliteStore.open(join(tmp(), "zev.sqlite"));
    saveCommunity(store, community(), { source: "test", actor: "test" });
  });
  afterEach(() => store.close());

  const rows = (meter: string) =>
    meterIntervals(store, getMeter(store, "test-zev", meter)!.id, T0, T0 + 8 * Q).map((r) => [r.startMs, r.importWh, r.exportWh, r.quality]);
  let clock = Date.UTC(2026, 11, 1);
  const imp = (text: string, file = "bkw.csv") =>
    importLoadProfile(store, "test-zev", parseLoadProfileCsv(text, { fileName: file }), {
      actor: "test",
      source: `file:${file}`,
      fileName: file,
      nowMs: (clock += 60_000),
    });

  it("maps quality cells of de/fr/it/en portals to measured, estimated or missing, unknown ones to none", () => {
    for (const t of ["gemessen", "W", "Wahr", "true value", "Measured", "mesuré", "misurato"]) assert.equal(loadProfileQuality(t), "measured", t);
    for (const t of ["Ersatzwert", "E", "substitute", "geschätzt", "estimated", "estimé", "stimato"]) assert.equal(loadProfileQuality(t), "estimated", t);
    for (const t of ["fehlend", "missing", "-", "manquant", "mancante"]) assert.equal(loadProfileQuality(t), "missing", t);
    for (const t of ["", "korrigiert", "XYZ"]) assert.equal(loadProfileQuality(t), null, t);
  });

  it("recognises the quality column by its name in de, fr, it and en and never reads it as energy", () => {
    for (const h of ["Messdatengüte", "Qualität", "Status", "Quality", "Messwertstatus", "Qualité", "Qualità"]) {
      const p = parseLoadProfileCsv(bkw(U1, [["0,100", "0,000", "W"]], `Messpunkt;Datum;Strombezug [kWh];Stromeinspeisung [kWh];${h}`));
      assert.equal(p.qualityColumn, h, h);
      assert.equal(p.rows[0]!.quality, "measured");
      assert.equal(p.columns.import, "Strombezug [kWh]");
    }
    assert.equal(parseLoadProfileCsv("Messpunkt;Datum;Strombezug [kWh]\nX;02.11.2026 00:00;0,1\n").qualityColumn, null);
  });

  it("imports a BKW file with measured, substitute and missing rows, mapped by meteringPoint, and reports it by quality", () => {
    const res = imp(
      bkw(U1, [
        ["0,100", "0,000", "gemessen"],
        ["0,200", "0,000", "Ersatzwert"],
        ["0,000", "0,000", "fehlend"],
        ["", "", "-"],
        ["0,400", "0,010", "W"],
      ]),
    );
    assert.deepEqual(rows("m-u1"), [
      [T0, 100, 0, "measured"],
      [T0 + Q, 200, 0, "estimated"],
      [T0 + 2 * Q, null, null, "missing"],
      [T0 + 3 * Q, null, null, "missing"],
      [T0 + 4 * Q, 400, 10, "measured"],
    ]);
    const s = res.merge!.series;
    assert.deepEqual(
      s.map((x) => [x.meteringPoint, x.meter, x.direction, x.column, x.observations, x.stored, x.replaced, x.kept, x.byQuality]),
      [
        [U1, "m-u1", "consumption", "import", 5, 5, 0, 0, { measured: 2, estimated: 1, missing: 2 }],
        [U1, "m-u1", "production", "export", 5, 5, 0, 0, { measured: 2, estimated: 1, missing: 2 }],
      ],
    );
  });

  it("a later true value replaces a substitute, a substitute never replaces a measured value, identical re-delivery changes nothing", () => {
    const first = bkw(U1, [
      ["0,100", "0,000", "gemessen"],
      ["0,200", "0,000", "Ersatzwert"],
    ]);
    imp(first);
    const again = imp(first);
    assert.deepEqual(
      again.merge!.series.map((x) => [x.stored, x.replaced, x.kept, x.unchanged]),
      [
        [0, 0, 0, 2],
        [0, 0, 0, 2],
      ],
    );
    const later = imp(
      bkw(U1, [
        ["0,150", "0,000", "Ersatzwert"],
        ["0,250", "0,000", "gemessen"],
      ]),
      "bkw-2.csv",
    );
    assert.deepEqual(rows("m-u1"), [
      [T0, 100, 0, "measured"],
      [T0 + Q, 250, 0, "measured"],
    ]);
    const c = later.merge!.series[0]!;
    assert.deepEqual([c.stored, c.replaced, c.kept, c.unchanged], [0, 1, 1, 0]);
  });

  it("reads an unknown quality as not a true value (estimated), with a warning naming the cell, and a production meter's feed-in as its production", () => {
    const res = imp(
      bkw(PV, [
        ["0,001", "1,500", "korrigiert"],
        ["0,001", "1,600", "W"],
      ]),
    );
    assert.deepEqual(
      meterIntervals(store, getMeter(store, "test-zev", "pv")!.id, T0, T0 + 2 * Q).map((r) => [r.importWh, r.exportWh, r.quality]),
      [
        [1500, 1, "estimated"],
        [1600, 1, "measured"],
      ],
    );
    assert.ok(
      res.warnings.some((w) => /"korrigiert" in column "Messdatengüte" is not a known quality \(1 row\(s\)\); read as not a true value \(estimated\)/.test(w)),
      res.warnings.join("\n"),
    );
    // a true value afterwards replaces it
    imp(bkw(PV, [["0,001", "1,550", "W"]]), "pv-2.csv");
    assert.deepEqual(
      meterIntervals(store, getMeter(store, "test-zev", "pv")!.id, T0, T0 + Q).map((r) => [r.importWh, r.quality]),
      [[1550, "measured"]],
    );
  });

  it("a dry run reports the merge and writes nothing", () => {
    imp(bkw(U1, [["0,100", "0,000", "gemessen"]]));
    const before = rows("m-u1");
    const text = bkw(U1, [
      ["0,300", "0,000", "Ersatzwert"],
      ["0,200", "0,000", "W"],
    ]);
    const res = importLoadProfile(store, "test-zev", parseLoadProfileCsv(text, { fileName: "d.csv" }), {
      actor: "test",
      source: "file:d.csv",
      fileName: "d.csv",
      dryRun: true,
    });
    assert.equal(res.merge!.dryRun, true);
    assert.deepEqual([res.merge!.series[0]!.kept, res.merge!.series[0]!.stored], [1, 1]);
    assert.deepEqual(rows("m-u1"), before);
  });

  it("refuses a file with a quality column for a metering point no meter of the community has, storing nothing", () => {
    assert.throws(
      () => imp(bkw("CH999", [["0,1", "0", "W"]]) + `${U1};02.11.2026 00:00;0,1;0;W\r\n`),
      /bkw\.csv: CH999 is no meter of community test-zev .*add the meter with its meteringPoint/,
    );
    assert.deepEqual(rows("m-u1"), []);
  });

  it("zev import load-profile prints per metering point and direction stored, replaced, kept and by quality", async () => {
    store.close();
    const db = join(tmp(), "zev.sqlite");
    const file = join(tmp(), "bkw.csv");
    writeFileSync(
      file,
      bkw(U1, [
        ["0,100", "0,000", "gemessen"],
        ["0,200", "0,000", "Ersatzwert"],
        ["", "", "fehlend"],
      ]),
    );
    let out = "";
    let err = "";
    const code = await runCli(["import", "load-profile", file, "--db", db, "--community", "test-zev"], {
      out: (s: string) => (out += s),
      err: (s: string) => (err += s),
    });
    assert.equal(code, 0, err);
    assert.match(out, /quality column "Messdatengüte" merged/);
    assert.match(
      out,
      new RegExp(
        `${U1}\\tmeter m-u1 \\(unit\\)\\tconsumption -> import\\t.*3 observations: 3 stored, 0 replaced, 0 kept, 0 unchanged; measured 1, estimated 1, not a measurement 1`,
      ),
    );
    store = SqliteStore.open(db);
  });
});
