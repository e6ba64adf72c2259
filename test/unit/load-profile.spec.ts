import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../bin/cli";
import { parseLoadProfileCsv } from "../../lib/readings/load-profile-csv";
import { importLoadProfile } from "../../lib/readings/load-profile-import";
import { auditLog } from "../../lib/store/audit-repo";
import { saveCommunity } from "../../lib/store/community-repo";
import { meterIntervals } from "../../lib/store/interval-repo";
import { getMeter } from "../../lib/store/meter-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { localDayIntervalStarts } from "../../lib/time/local-date";
import { minimalCommunity } from "../support/community-fixture";
import { useTmpDir } from "../support/tmp";

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
    assert.equal(p.rows.reduce((s, r) => s + r.importWh, 0), 92 * 250);
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
    const text = "metering point,from,to,import kWh,export kWh\nCH9,2026-06-01T00:00:00+02:00,2026-06-01T00:15:00+02:00,\"0,5\",1.25\n";
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
      assert.deepEqual(res.meters.find((m) => m.meter === "CH2002"), { meter: "CH2002", rows: 100, registered: true });
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
    writeFileSync(file, dayFile("2026-03-29", ["CH1"], () => "0,2"));
    let out = "", err = "";
    const io = { out: (t: string) => (out += t), err: (t: string) => (err += t) };
    assert.equal(await runCli(["import", "load-profile", file, "--db", db, "--community", "test-zev"], io), 0, err);
    assert.match(out, /92 intervals imported for community test-zev/);
    assert.equal(await runCli(["import", "load-profile", file, "--db", db, "--community", "nope"], io), 1);
    assert.match(err, /no community nope/);
    assert.equal(await runCli(["import", "load-profile", file, "--db", db], io), 2);
    const check = SqliteStore.open(db);
    try {
      const rows = meterIntervals(check, getMeter(check, "test-zev", "CH1")!.id, 0, 8.64e15);
      assert.equal(rows.reduce((s, r) => s + (r.importWh ?? 0), 0), 92 * 200);
    } finally {
      check.close();
    }
  });
});
