import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../../../bin/cli";
import { parseLoadProfileCsv } from "../../../../lib/readings/intervals/load-profile-csv";
import { importLoadProfile } from "../../../../lib/readings/intervals/load-profile-import";
import { auditLog } from "../../../../lib/store/audit-repo";
import { saveCommunity } from "../../../../lib/store/community-repo";
import { meterIntervals } from "../../../../lib/store/interval-repo";
import { getMeter } from "../../../../lib/store/meter-repo";
import { SqliteStore } from "../../../../lib/store/sqlite-store";
import { localDayIntervalStarts } from "../../../../lib/time/local-date";
import { minimalCommunity } from "../../../support/community-fixture";
import { useTmpDir } from "../../../support/tmp";

const pad = (n: number): string => String(n).padStart(2, "0");

/** A day of a Swiss operator's export: DD.MM.YYYY HH:MM local, semicolon, decimal comma, rows in time order. */
function dayFile(date: string, meters: string[], kwh: (i: number) => string, opts: { preamble?: boolean; header?: string } = {}): string {
  const [y, m, d] = date.split("-");
  const lines: string[] = [];
  if (opts.preamble) lines.push("Lastgang Export;Netzbetreiber AG", "Erstellt;01.11.2026", "");
  lines.push(opts.header ?? "Zeitstempel;Messpunkt;Bezug [kWh];Einspeisung [kWh]");
  // local wall-clock labels as the operator writes them: on the fall-back day 02:00-02:45 appears twice
  const starts = localDayIntervalStarts(date);
  starts.forEach((ms, i) => {
    const local = new Date(ms + (ms >= Date.UTC(2026, 9, 25, 1) || ms < Date.UTC(2026, 2, 29, 1) ? 3600_000 : 7200_000));
    for (const meter of meters) lines.push(`${d}.${m}.${y} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())};${meter};${kwh(i)};0,000`);
  });
  return lines.join("\r\n") + "\r\n";
}

describe("lib/readings load-profile CSV import", () => {
  const tmp = useTmpDir();

  it("reads a fall-back day (2026-10-25) with 100 quarter hours, the repeated hour told apart by row order", () => {
    const p = parseLoadProfileCsv(dayFile("2026-10-25", ["CH1001", "CH1002"], (i) => `0,${String(100 + i).padStart(3, "0")}`, { preamble: true }));
    const starts = localDayIntervalStarts("2026-10-25");
    assert.equal(starts.length, 100);
    for (const meter of ["CH1001", "CH1002"]) {
      const rows = p.rows.filter((r) => r.meter === meter);
      assert.deepEqual(
        rows.map((r) => r.startMs),
        starts,
      );
      assert.deepEqual(
        rows.map((r) => r.importWh),
        starts.map((_, i) => 100 + i),
      );
    }
    assert.equal(p.timestampIs, "start");
    assert.deepEqual(p.meters, ["CH1001", "CH1002"]);
  });

  it("reads a spring-forward day (2026-03-29) with 92 quarter hours and refuses a time in the skipped hour", () => {
    const p = parseLoadProfileCsv(dayFile("2026-03-29", ["CH1"], () => "0,25"));
    assert.equal(p.rows.length, 92);
    assert.equal(
      p.rows.reduce((s, r) => s + (r.importWh ?? 0), 0),
      92 * 250,
    );
    const bad = "Zeitstempel;Messpunkt;Bezug\n29.03.2026 02:15;CH1;0,1\n";
    assert.throws(() => parseLoadProfileCsv(bad, { fileName: "x.csv" }), /x\.csv line 2: 29\.03\.2026 02:15 does not exist in Europe\/Zurich/);
  });

  it("takes an explicit UTC offset column or an A/B mark for the repeated hour", () => {
    const withOffset = "Datum;Zeit;Offset;Messpunkt;Bezug;Einspeisung\n25.10.2026;02:00;+01:00;CH1;1,5;0\n25.10.2026;02:00;+02:00;CH1;2,5;0\n";
    const a = parseLoadProfileCsv(withOffset);
    assert.deepEqual(
      a.rows.map((r) => [r.startMs, r.importWh]),
      [
        [Date.UTC(2026, 9, 25, 0, 0), 2500],
        [Date.UTC(2026, 9, 25, 1, 0), 1500],
      ],
    );
    const ab = parseLoadProfileCsv("Zeit;Messpunkt;Bezug\n2026-10-25 02:15 B;CH1;1\n2026-10-25 02:15 A;CH1;2\n");
    assert.deepEqual(
      ab.rows.map((r) => [r.startMs, r.importWh]),
      [
        [Date.UTC(2026, 9, 25, 0, 15), 2000],
        [Date.UTC(2026, 9, 25, 1, 15), 1000],
      ],
    );
  });

  it("comma-separated ISO times with offsets, timestamps marking the end of the quarter hour (column 'to')", () => {
    const text = 'metering point,from,to,import kWh,export kWh\nCH9,2026-06-01T00:00:00+02:00,2026-06-01T00:15:00+02:00,"0,5",1.25\n';
    // 'from' comes first in the timestamp list, so the start is used
    const p = parseLoadProfileCsv(text);
    assert.deepEqual(p.rows[0], { meter: "CH9", startMs: Date.UTC(2026, 4, 31, 22, 0), importWh: 500, exportWh: 1250, line: 2 });
    const endOnly = parseLoadProfileCsv("Messpunkt;Bis;Bezug\nCH9;2026-06-01T00:15:00+02:00;0,5\n");
    assert.equal(endOnly.timestampIs, "end");
    assert.equal(endOnly.rows[0]!.startMs, Date.UTC(2026, 4, 31, 22, 0));
    const forced = parseLoadProfileCsv("Messpunkt;Zeit;Bezug\nCH9;2026-06-01T00:15:00+02:00;0,5\n", { timestampIs: "end" });
    assert.equal(forced.rows[0]!.startMs, Date.UTC(2026, 4, 31, 22, 0));
  });

  it("values with more than three decimals are rounded on the running sum: nothing lost over the file", () => {
    const lines = ["Zeit;Messpunkt;Bezug"];
    for (let i = 0; i < 8; i++) lines.push(`2026-06-01 10:${pad((i % 4) * 15)};CH${i < 4 ? "A" : "B"};0,0004`);
    const p = parseLoadProfileCsv(lines.join("\n"));
    const a = p.rows.filter((r) => r.meter === "CHA").map((r) => r.importWh);
    assert.deepEqual(a, [0, 1, 0, 1]); // 0.4, 0.8, 1.2, 1.6 Wh -> 0, 1, 1, 2 cumulated
  });

  it("a file that is no load profile is refused from its first lines: a line over 1 MB at once, a long first line quoted short, a header below blank lines still found", () => {
    assert.throws(() => parseLoadProfileCsv("a".repeat(3_000_000), { fileName: "one-line.csv" }), /one-line\.csv: not readable as CSV: .*Max Record Size/);
    const junk = `${"x".repeat(5000)}\n${"1;2;3\n".repeat(200_000)}`;
    assert.throws(
      () => parseLoadProfileCsv(junk, { fileName: "junk.csv" }),
      (e: unknown) => e instanceof Error && /junk\.csv: no header found.*first line: "x{200}"… \(5000 characters\)$/.test(e.message) && e.message.length < 600,
    );
    const p = parseLoadProfileCsv("Export vom 01.06.2026\n\n\n\nZeit;Messpunkt;Bezug\n2026-06-01 10:00;CH1;1\n2026-06-01 10:15;CH1;2\n");
    assert.deepEqual(
      p.rows.map((r) => r.importWh),
      [1000, 2000],
    );
  });

  it("explains what it cannot use, with file and line", () => {
    assert.throws(() => parseLoadProfileCsv("a;b;c\n1;2;3\n", { fileName: "f.csv" }), /f\.csv: no header found/);
    assert.throws(() => parseLoadProfileCsv("Zeit;Messpunkt;Bezug\n2026-06-01 10:07;CH1;1\n"), /line 2: .* not on a quarter hour/);
    assert.throws(() => parseLoadProfileCsv("Zeit;Messpunkt;Bezug\n2026-06-01 10:00;CH1;-1\n"), /negative energy/);
    assert.throws(() => parseLoadProfileCsv("Zeit;Messpunkt;Bezug\n2026-06-01 10:00;CH1;abc\n"), /not a number of kWh/);
    assert.throws(() => parseLoadProfileCsv("Zeit;Messpunkt;Bezug\n2026-06-01 10:00;CH1;1\n2026-06-01 10:00;CH1;2\n"), /lines 2 and 3: two different values/);
    const hourly = ["Zeit;Messpunkt;Bezug", ...[0, 1, 2, 3, 4].map((h) => `2026-06-01 1${h}:00;CH1;1`)].join("\n");
    assert.throws(() => parseLoadProfileCsv(hourly), /60 minutes apart; only 15-minute values/);
    const dup = parseLoadProfileCsv("Zeit;Messpunkt;Bezug\n2026-06-01 10:00;CH1;1\n2026-06-01 10:00;CH1;1\n");
    assert.equal(dup.rows.length, 1);
    assert.match(dup.warnings[0]!, /line 3: repeats line 2/);
  });

  it("writes measured intervals to the store, registers unknown metering points, and a re-import changes nothing", () => {
    const store = SqliteStore.open(join(tmp(), "zev.sqlite"));
    try {
      saveCommunity(store, minimalCommunity({ meters: [{ id: "CH1001", role: "unit", unit: "u1" }] }), { source: "test", actor: "test" });
      const p = parseLoadProfileCsv(dayFile("2026-10-25", ["CH1001", "CH2002"], () => "0,1"));
      const res = importLoadProfile(store, "test-zev", p, { actor: "test", source: "test" });
      assert.equal(res.rows, 200);
      assert.deepEqual(
        res.meters.find((m) => m.meter === "CH2002"),
        { meter: "CH2002", rows: 100, registered: true },
      );
      assert.equal(getMeter(store, "test-zev", "CH2002")!.role, "other");
      importLoadProfile(store, "test-zev", p, { actor: "test", source: "test" });
      const rows = meterIntervals(store, getMeter(store, "test-zev", "CH1001")!.id, 0, 8.64e15);
      assert.equal(rows.length, 100);
      assert.ok(rows.every((r) => r.quality === "measured" && r.importWh === 100 && r.exportWh === 0));
      assert.equal(auditLog(store, "test-zev").filter((e) => e.action === "load-profile.imported").length, 2);
    } finally {
      store.close();
    }
  });

  it("zev import load-profile imports a file from the command line", async () => {
    const db = join(tmp(), "cli.sqlite");
    const store = SqliteStore.open(db);
    saveCommunity(store, minimalCommunity({ meters: [{ id: "CH1", role: "unit", unit: "u1" }] }), { source: "test", actor: "test" });
    store.close();
    const file = join(tmp(), "profile.csv");
    writeFileSync(
      file,
      dayFile("2026-03-29", ["CH1"], () => "0,2"),
    );
    let out = "",
      err = "";
    const io = { out: (t: string) => (out += t), err: (t: string) => (err += t) };
    assert.equal(await runCli(["import", "load-profile", file, "--db", db, "--community", "test-zev"], io), 0, err);
    assert.match(out, /92 intervals imported for community test-zev/);
    assert.equal(await runCli(["import", "load-profile", file, "--db", db, "--community", "nope"], io), 1);
    assert.match(err, /no community nope/);
    assert.equal(await runCli(["import", "load-profile", file, "--db", db], io), 2);
    const check = SqliteStore.open(db);
    try {
      const rows = meterIntervals(check, getMeter(check, "test-zev", "CH1")!.id, 0, 8.64e15);
      assert.equal(
        rows.reduce((s, r) => s + (r.importWh ?? 0), 0),
        92 * 200,
      );
    } finally {
      check.close();
    }
  });
});

describe("lib/readings load-profile import: energy directions by role, ambiguous local times", () => {
  const tmp = useTmpDir();
  const PV_DAY = (header: string, row: (hh: string, i: number) => string): string => {
    const lines = [header];
    for (let i = 0; i < 8; i++) lines.push(row(`2026-06-01 12:${pad((i % 4) * 15)}`.replace("12:", `1${2 + Math.floor(i / 4)}:`), i));
    return lines.join("\n") + "\n";
  };
  function pvStore(): SqliteStore {
    const store = SqliteStore.open(join(tmp(), `pv-${Math.random().toString(36).slice(2)}.sqlite`));
    saveCommunity(
      store,
      minimalCommunity({
        meters: [
          { id: "PV1", role: "production" },
          { id: "CH1", role: "unit", unit: "u1" },
          { id: "GRID", role: "grid" },
        ],
      }),
      { source: "test", actor: "test" },
    );
    return store;
  }
  const stored = (store: SqliteStore, key: string): [number | null, number | null][] =>
    meterIntervals(store, getMeter(store, "test-zev", key)!.id, 0, 8.64e15).map((r) => [r.importWh, r.exportWh]);

  it("a production meter's energy in the export column (Einspeisung, as operators deliver PV) becomes its production, not 0", () => {
    const store = pvStore();
    try {
      const text = PV_DAY("Zeitstempel;Messpunkt;Bezug [kWh];Einspeisung [kWh]", (t) => `${t};PV1;0,001;2,5\n${t};CH1;0,75;0`);
      const res = importLoadProfile(store, "test-zev", parseLoadProfileCsv(text, { fileName: "pv.csv" }), { actor: "test", source: "test" });
      assert.deepEqual(stored(store, "PV1")[0], [2500, 1], "production (primary) = Einspeisung, reverse = Bezug (standby)");
      assert.deepEqual(stored(store, "CH1")[0], [750, 0]);
      assert.deepEqual(
        res.directions.find((d) => d.meter === "PV1"),
        { meter: "PV1", role: "production", primary: "Einspeisung [kWh]", reverse: "Bezug [kWh]" },
      );
      assert.deepEqual(
        res.directions.find((d) => d.meter === "CH1"),
        { meter: "CH1", role: "unit", primary: "Bezug [kWh]", reverse: "Einspeisung [kWh]" },
      );
      assert.deepEqual(res.warnings, []);
    } finally {
      store.close();
    }
  });

  it("a production meter whose feed-in column is 0 (or empty) throughout while Bezug carries the energy is refused, naming the column", () => {
    const store = pvStore();
    try {
      const zero = PV_DAY("Zeitstempel;Messpunkt;Bezug [kWh];Einspeisung [kWh]", (t) => `${t};PV1;2,5;0`);
      assert.throws(
        () => importLoadProfile(store, "test-zev", parseLoadProfileCsv(zero, { fileName: "pv.csv" }), { actor: "test", source: "test", fileName: "pv.csv" }),
        /pv\.csv: PV1 is a production meter: column "Einspeisung \[kWh\]" .* is 0 in all 8 rows of PV1, while "Bezug \[kWh\]" carries 20\.000 kWh/,
      );
      const empty = PV_DAY("Zeitstempel;Messpunkt;Bezug [kWh];Einspeisung [kWh]", (t) => `${t};PV1;2,5;`);
      assert.throws(
        () => importLoadProfile(store, "test-zev", parseLoadProfileCsv(empty), { actor: "test", source: "test", fileName: "pv.csv" }),
        /column "Einspeisung \[kWh\]" .* is empty in all 8 rows of PV1/,
      );
      const onlyBezug = PV_DAY("Zeitstempel;Messpunkt;Bezug [kWh]", (t) => `${t};PV1;2,5`);
      assert.throws(
        () => importLoadProfile(store, "test-zev", parseLoadProfileCsv(onlyBezug), { actor: "test", source: "test", fileName: "pv.csv" }),
        /PV1 is a production meter; .*no such column, only "Bezug \[kWh\]" \(20\.000 kWh\)/,
      );
      assert.equal(meterIntervals(store, getMeter(store, "test-zev", "PV1")!.id, 0, 8.64e15).length, 0, "nothing written");
      // a unit meter with its energy only in Einspeisung is refused the same way
      const unit = PV_DAY("Zeitstempel;Messpunkt;Bezug;Einspeisung", (t) => `${t};CH1;0;1`);
      assert.throws(
        () => importLoadProfile(store, "test-zev", parseLoadProfileCsv(unit), { actor: "test", source: "test", fileName: "u.csv" }),
        /CH1 is a unit meter: column "Bezug" .* is 0 in all 8 rows/,
      );
    } finally {
      store.close();
    }
  });

  it("a production meter that fed in nothing but drew its standby is imported with a warning; an unknown meter fed in only is warned about", () => {
    const store = pvStore();
    try {
      const snow = PV_DAY("Zeitstempel;Messpunkt;Bezug [kWh];Einspeisung [kWh]", (t) => `${t};PV1;0,002;0\n${t};NEW9;0;1,2`);
      const res = importLoadProfile(store, "test-zev", parseLoadProfileCsv(snow, { fileName: "snow.csv" }), {
        actor: "test",
        source: "test",
        fileName: "snow.csv",
      });
      assert.equal(res.warnings.length, 2, res.warnings.join("\n"));
      assert.match(
        res.warnings.find((w) => w.includes("PV1"))!,
        /PV1 is a production meter: column "Einspeisung \[kWh\]" .* is 0 in all 8 rows .* \(8 W on average: an inverter's standby, or its production in the wrong column\?\)/,
      );
      assert.match(
        res.warnings.find((w) => w.includes("NEW9"))!,
        /NEW9 is a meter not in the community .*: column "Bezug \[kWh\]" .* is 0 .* "Einspeisung \[kWh\]" carries 9\.600 kWh; if it is a production meter, give it role production/,
      );
      assert.deepEqual(stored(store, "PV1")[0], [0, 2]);
    } finally {
      store.close();
    }
  });

  it("reads the columns operators name otherwise: +A/-A, OBIS 1.8.0/2.8.0, Strombezug/Stromeinspeisung with Datum (BKW), a single kWh or Wirkenergie column", () => {
    const store = pvStore();
    try {
      const obis = PV_DAY("Zeit;Messpunkt;1-1:1.8.0 [kWh];1-1:2.8.0 [kWh]", (t) => `${t};PV1;0;1,5`);
      assert.deepEqual(parseLoadProfileCsv(obis).columns, { import: "1-1:1.8.0 [kWh]", export: "1-1:2.8.0 [kWh]", value: null });
      const plusMinus = PV_DAY("Zeit;Messpunkt;Wirkenergie +A [kWh];Wirkenergie -A [kWh]", (t) => `${t};PV1;0;1,5`);
      assert.deepEqual(parseLoadProfileCsv(plusMinus).columns, { import: "Wirkenergie +A [kWh]", export: "Wirkenergie -A [kWh]", value: null });
      const inBrackets = PV_DAY("Zeit;Messpunkt;Wirkenergie (+A) [kWh];Wirkenergie (-A) [kWh]", (t) => `${t};PV1;0;1,5`);
      assert.deepEqual(parseLoadProfileCsv(inBrackets).columns, { import: "Wirkenergie (+A) [kWh]", export: "Wirkenergie (-A) [kWh]", value: null });
      const obisBrackets = PV_DAY("Zeit;Messpunkt;Energie [1.8.0];Energie [2.8.0]", (t) => `${t};PV1;0;1,5`);
      assert.deepEqual(parseLoadProfileCsv(obisBrackets).columns, { import: "Energie [1.8.0]", export: "Energie [2.8.0]", value: null });
      const bkw = [
        "Messpunkt;Datum;Strombezug [kWh];Stromeinspeisung [kWh];Messdatengüte",
        "PV1;01.06.2026 12:00;0,000;1,250;W",
        "PV1;01.06.2026 12:15;0,000;1,500;W",
      ].join("\n");
      const p = parseLoadProfileCsv(bkw);
      assert.deepEqual(p.columns, { import: "Strombezug [kWh]", export: "Stromeinspeisung [kWh]", value: null });
      importLoadProfile(store, "test-zev", p, { actor: "test", source: "test" });
      assert.deepEqual(stored(store, "PV1"), [
        [1250, 0],
        [1500, 0],
      ]);
      for (const header of ["Zeit;Messpunkt;kWh", "Zeit;Messpunkt;Wirkenergie [kWh]", "Zeit;Messpunkt;Wert"]) {
        const single = PV_DAY(header, (t) => `${t};PV1;0,5`);
        const q = parseLoadProfileCsv(single);
        assert.equal(q.columns.value, header.split(";")[2]);
        const res = importLoadProfile(store, "test-zev", q, { actor: "test", source: "test" });
        assert.equal(
          res.directions[0]!.primary,
          header.split(";")[2],
          "a column without a direction is the primary direction, for a production meter its production",
        );
        assert.deepEqual(stored(store, "PV1").slice(0, 2), [
          [500, null],
          [500, null],
        ]);
      }
      // tariff columns of one direction are refused, not half read
      assert.throws(
        () => parseLoadProfileCsv("Zeit;Messpunkt;Bezug HT [kWh];Bezug NT [kWh];Einspeisung\n2026-06-01 10:00;CH1;0,5;0;0\n", { fileName: "t.csv" }),
        /t\.csv: 2 import columns \("Bezug HT \[kWh\]", "Bezug NT \[kWh\]"\)/,
      );
      // a quality column next to the values is not taken for energy
      const withStatus = "Zeit;Messpunkt;Status Bezug;Bezug\n2026-06-01 10:00;CH1;W;0,5\n";
      assert.equal(parseLoadProfileCsv(withStatus).columns.import, "Bezug");
    } finally {
      store.close();
    }
  });

  it("warns on a time of the repeated fall-back hour the file does not disambiguate (2026-10-25 02:15 once, no offset, no A/B)", () => {
    const single = parseLoadProfileCsv("Zeit;Messpunkt;Bezug\n2026-10-25 01:45;CH1;1\n2026-10-25 02:15;CH1;1\n2026-10-25 03:00;CH1;1\n", {
      fileName: "oct.csv",
    });
    assert.equal(single.warnings.length, 1, single.warnings.join("\n"));
    assert.match(
      single.warnings[0]!,
      /^oct\.csv line 3: 2026-10-25 02:15 \(CH1\) occurs twice in Europe\/Zurich .* taken as 2026-10-25T00:15:00\.000Z \(UTC\+02:00\)/,
    );
    // told apart by two occurrences, an A/B mark or an offset: no warning
    assert.deepEqual(parseLoadProfileCsv("Zeit;Messpunkt;Bezug\n2026-10-25 02:15;CH1;1\n2026-10-25 02:15;CH1;2\n").warnings, []);
    assert.deepEqual(parseLoadProfileCsv("Zeit;Messpunkt;Bezug\n2026-10-25 02:15 B;CH1;1\n").warnings, []);
    assert.deepEqual(parseLoadProfileCsv("Datum;Zeit;Offset;Messpunkt;Bezug\n25.10.2026;02:15;+01:00;CH1;1\n").warnings, []);
    // every ambiguous time is named: an operator file that left out the repeated hour's second pass
    const day = dayFile("2026-10-25", ["CH1"], () => "0,1").split("\r\n");
    const seen = new Set<string>();
    const once = day.filter((l) => {
      const k = l.slice(0, 16);
      if (!/ 02:/.test(k)) return true;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    assert.equal(parseLoadProfileCsv(once.join("\n")).warnings.filter((w) => /occurs twice/.test(w)).length, 4);
    assert.deepEqual(parseLoadProfileCsv(day.join("\n")).warnings, [], "a complete fall-back day in order is clear");
  });

  it("zev import load-profile prints each meter's direction and the warnings, and refuses a production file read as 0", async () => {
    const db = join(tmp(), "cli-pv.sqlite");
    pvStore().close();
    const store = SqliteStore.open(db);
    saveCommunity(store, minimalCommunity({ meters: [{ id: "PV1", role: "production" }] }), { source: "test", actor: "test" });
    store.close();
    const run = async (args: string[]): Promise<{ code: number; out: string; err: string }> => {
      let out = "",
        err = "";
      const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
      return { code, out, err };
    };
    const good = join(tmp(), "pv.csv");
    writeFileSync(good, "Zeit;Messpunkt;Bezug;Einspeisung\n2026-10-25 01:45;PV1;0;0,5\n2026-10-25 02:15;PV1;0;0,25\n");
    const dry = await run(["import", "load-profile", good, "--db", db, "--community", "test-zev", "--dry-run"]);
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /PV1\tproduction: "Einspeisung", reverse "Bezug"/);
    assert.match(dry.err, /warning: .*pv\.csv line 3: 2026-10-25 02:15 \(PV1\) occurs twice/);
    const res = await run(["import", "load-profile", good, "--db", db, "--community", "test-zev"]);
    assert.equal(res.code, 0, res.err);
    assert.match(res.out, /2 intervals imported .*, 1 warning\(s\)/);
    assert.match(res.err, /warning: .*line 3: 2026-10-25 02:15/);
    const bad = join(tmp(), "pv-bezug.csv");
    writeFileSync(bad, "Zeit;Messpunkt;Bezug;Einspeisung\n2026-06-01 12:00;PV1;0,5;0\n");
    const refused = await run(["import", "load-profile", bad, "--db", db, "--community", "test-zev"]);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /pv-bezug\.csv: PV1 is a production meter: column "Einspeisung"/);
    const check = SqliteStore.open(db);
    try {
      assert.deepEqual(stored(check, "PV1"), [
        [500, 0],
        [250, 0],
      ]);
    } finally {
      check.close();
    }
  });
});
