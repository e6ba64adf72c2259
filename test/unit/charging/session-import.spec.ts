import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { parseSessionsCsv, SessionCsvError } from "../../../lib/charging/session-csv";
import { importSessions, SessionImportError } from "../../../lib/charging/session-import";
import { auditLog } from "../../../lib/store/audit-repo";
import { sessionIntervals, sessionsOfCharger } from "../../../lib/store/charger-session-repo";
import { openBillingStore, threeUnitCommunity } from "../../support/billing-fixture";
import { useTmpDir } from "../../support/tmp";

const BOM = "\uFEFF";
/** evcc's session export as its current English UI writes it (core/session/session.go, i18n/en.json "sessions.csv"). */
const EVCC_EN =
  BOM +
  [
    "Created,Finished,Charging point,Identifier,Vehicle,Mileage (km),Meter start (kWh),Meter stop (kWh),Energy (kWh),Duration,SoC start (%),Soc Stop (%),Solar (%),Cost,Price/kWh,CO₂/kWh",
    "2026-11-10 18:05:00,2026-11-10 18:52:30,Garage,ANNA-1,e-Golf,12000,40,48.25,8.25,45m0s,20,80,35.5,2.1,0.25,120",
    "2026-11-10 18:55:00,2026-11-10 19:11:00,Garage,,Zoe,,48.25,49.35,1.1,16m0s,,,0,,,",
  ].join("\n") +
  "\n";
/** The same in German: ';' and decimal comma (i18n/de.json "sessions.csv"). */
const EVCC_DE =
  BOM +
  [
    "Startzeit;Endzeit;Ladepunkt;Kennung;Fahrzeug;Kilometerstand (km);Anfangszählerstand (kWh);Endzählerstand (kWh);Energie (kWh);Ladedauer;Ladestand Start (%);Soc Stop (%);Sonne (%);Kosten;Preis/kWh;CO₂/kWh",
    "2026-11-10 18:05:00;2026-11-10 18:52:30;Garage;ANNA-1;e-Golf;12000;40;48,25;8,25;45m0s;20;80;35,5;2,1;0,25;120",
  ].join("\n") +
  "\n";

describe("lib/charging session CSV: evcc's export and the plain layout", () => {
  it("reads evcc's English export: local times, the charging point, the identifier (else the vehicle), the energy", () => {
    const p = parseSessionsCsv(EVCC_EN, { fileName: "evcc.csv" });
    assert.equal(p.layout, "evcc");
    assert.equal(p.hasMode, false);
    assert.deepEqual(p.sessions[0], {
      line: 2,
      charger: "Garage",
      startedMs: Date.parse("2026-11-10T18:05:00+01:00"),
      endedMs: Date.parse("2026-11-10T18:52:30+01:00"),
      energyWh: 8250,
      startCounterWh: 40_000,
      endCounterWh: 48_250,
      userId: "ANNA-1",
      mode: null,
    });
    assert.equal(p.sessions[1]!.userId, "Zoe", "no identifier: the vehicle's name is the id");
    assert.deepEqual(p.warnings, []);
  });

  it("reads evcc's German, French and Italian exports and its older English headers", () => {
    const de = parseSessionsCsv(EVCC_DE);
    assert.equal(de.layout, "evcc");
    assert.deepEqual(
      [de.sessions[0]!.energyWh, de.sessions[0]!.endCounterWh, de.sessions[0]!.charger, de.sessions[0]!.userId],
      [8250, 48_250, "Garage", "ANNA-1"],
    );
    const fr = parseSessionsCsv(
      "Créé;Fin;Point de chargement;Identifiant;Véhicule;Compteur début (kWh);Compteur fin (kWh);Énergie (kWh)\n2026-11-10 18:05:00;2026-11-10 19:05:00;Garage;LUC-2;;1;3,5;2,5\n",
    );
    assert.deepEqual([fr.sessions[0]!.energyWh, fr.sessions[0]!.userId], [2500, "LUC-2"]);
    const it = parseSessionsCsv(
      "Creato;Finito;Punto di ricarica;Identificativo;Veicolo;Inizio contatore (kWh);Ferma contatore (kWh);Energia (kWh)\n2026-11-10 18:05:00;2026-11-10 19:05:00;Garage;LUC-2;;1;3,5;2,5\n",
    );
    assert.deepEqual([it.sessions[0]!.energyWh, it.sessions[0]!.charger], [2500, "Garage"]);
    const old = parseSessionsCsv(
      "Created,Finished,Loadpoint,Identifier,Vehicle,Odometer (km),Meter Start (kWh),Meter Stop (kWh),Charged Energy (kWh)\n2026-11-10 18:05:00,2026-11-10 19:05:00,Garage,X,,,,,1.2345\n",
    );
    assert.equal(old.sessions[0]!.energyWh, 1235, "4 decimals, rounded half up to Wh");
  });

  it("reads the plain layout: ISO times with offset or local, counters instead of energy, id and mode (ours and evcc's words)", () => {
    const text = [
      "start;end;counter_start_kwh;counter_end_kwh;id;mode;charger",
      "2026-11-10T18:05:00+01:00;2026-11-10T19:05:00+01:00;100;102,5;ANNA-1;priority;charger-1",
      "10.11.2026 20:00;10.11.2026 21:00;102,5;103;LUC-2;Solar;charger-1",
      "2026-11-11 07:00;2026-11-11 08:00;103;104;LUC-2;now;charger-1",
    ].join("\n");
    const p = parseSessionsCsv(text);
    assert.equal(p.layout, "plain");
    assert.deepEqual(
      p.sessions.map((s) => [s.startedMs, s.energyWh, s.userId, s.mode, s.charger]),
      [
        [Date.parse("2026-11-10T18:05:00+01:00"), 2500, "ANNA-1", "priority", "charger-1"],
        [Date.parse("2026-11-10T20:00:00+01:00"), 500, "LUC-2", "normal", "charger-1"],
        [Date.parse("2026-11-11T07:00:00+01:00"), 1000, "LUC-2", "priority", "charger-1"],
      ],
    );
  });

  it("names file and line for every line it cannot read; a running session (no end) is left out with a warning", () => {
    const head = "start;end;energy_kwh;id;mode\n";
    const bad = (row: string): RegExp | void =>
      void assert.throws(
        () => parseSessionsCsv(head + "2026-11-10 18:00;2026-11-10 19:00;1;A;normal\n" + row + "\n", { fileName: "s.csv" }),
        (e: Error) => e instanceof SessionCsvError && /^s\.csv:3: /.test(e.message),
      );
    bad("2026-11-10 18:00;yesterday;1;A;normal");
    bad("2026-11-10 18:00;2026-11-10 19:00;-1;A;normal");
    bad("2026-11-10 18:00;2026-11-10 19:00;abc;A;normal");
    bad("2026-11-10 18:00;2026-11-10 19:00;1;A;off");
    bad("2026-11-10 19:00;2026-11-10 18:00;1;A;normal");
    bad("2026-03-29 02:30;2026-03-29 04:00;1;A;normal");
    bad("2026-11-10 18:00;2026-11-10 19:00;8250;A;normal"); // Wh written as kWh: 8250 kWh in an hour
    const fast = parseSessionsCsv(head + "2026-11-10 18:00;2026-11-10 18:30;25;A;normal\n", { fileName: "s.csv" });
    assert.match(fast.warnings[0]!, /^s\.csv:2: 25 kWh in 30 min is 50 kW on average, more than an AC wallbox \(22 kW\) delivers/);
    assert.throws(() => parseSessionsCsv(head + "2026-11-10 18:00;2026-11-10 19:00;1;A;off\n", { fileName: "s.csv" }), /s\.csv:2: unknown mode "off"/);
    const running = parseSessionsCsv(head + "2026-11-10 18:00;;1;A;normal\n2026-11-10 19:00;2026-11-10 20:00;1;A;normal\n", { fileName: "s.csv" });
    assert.equal(running.sessions.length, 1);
    assert.match(running.warnings[0]!, /^s\.csv:2: session without an end/);
    const fallBack = parseSessionsCsv(head + "2026-10-25 02:30;2026-10-25 04:00;1;A;normal\n", { fileName: "s.csv" });
    assert.match(fallBack.warnings[0]!, /^s\.csv:2: the start 2026-10-25 02:30 occurs twice in Europe\/Zurich/);
    assert.throws(() => parseSessionsCsv("when;what\n1;2\n", { fileName: "s.csv" }), /s\.csv: no header found/);
  });
});

describe("lib/charging session import: the same store and attribution as recorded sessions", () => {
  const tmp = useTmpDir();
  const def = threeUnitCommunity({
    chargingIds: [
      { id: "ANNA-1", unit: "1" },
      { id: "LUC-2", unit: "2" },
    ],
  });
  const PLAIN =
    [
      "start;end;energy_kwh;id;mode",
      "2026-11-10 18:00;2026-11-10 19:00;4;ANNA-1;normal",
      "2026-11-10 19:00;2026-11-10 19:30;1;luc-2;priority",
      "2026-11-20 09:00;2026-11-20 09:10;0,5;STRANGER;normal",
    ].join("\n") + "\n";

  it("stores closed sessions with the unit of their id, the energy spread over their quarter hours, flagged imported; a second import books nothing", () => {
    const store = openBillingStore(tmp(), def);
    try {
      const parsed = parseSessionsCsv(PLAIN, { fileName: "s.csv" });
      const res = importSessions(store, "drei", parsed, { fileName: "s.csv", charger: "charger-1", actor: "test" });
      assert.equal(res.stored.length, 3);
      const rows = sessionsOfCharger(store, "drei", "charger-1");
      assert.deepEqual(
        rows.map((r) => [r.status, r.userId, r.unitId, r.energyWh, r.flags.map((f) => f.flag)]),
        [
          ["closed", "ANNA-1", "1", 4000, ["imported"]],
          ["closed", "luc-2", "2", 1000, ["imported"]],
          ["closed", "STRANGER", null, 500, ["imported", "unknown-id"]],
        ],
      );
      assert.deepEqual(
        sessionIntervals(store, rows[0]!.id).map((i) => [i.startMs, i.mode, i.energyWh]),
        [0, 1, 2, 3].map((k) => [Date.parse("2026-11-10T18:00:00+01:00") + k * 900_000, "normal", 1000]),
      );
      assert.deepEqual(
        sessionIntervals(store, rows[1]!.id).map((i) => [i.mode, i.energyWh]),
        [
          ["priority", 500],
          ["priority", 500],
        ],
      );
      assert.ok(
        res.warnings.some((w) => /^s\.csv:4: id STRANGER maps to no unit/.test(w)),
        res.warnings.join("\n"),
      );
      const again = importSessions(store, "drei", parseSessionsCsv(PLAIN, { fileName: "s.csv" }), { fileName: "s.csv", charger: "charger-1", actor: "test" });
      assert.equal(again.stored.length, 0);
      assert.deepEqual(
        again.alreadyStored.map((a) => a.line),
        [2, 3, 4],
      );
      assert.equal(sessionsOfCharger(store, "drei", "charger-1").length, 3);
      assert.equal(auditLog(store, "drei").filter((e) => e.action === "charging-sessions.imported").length, 1);
    } finally {
      store.close();
    }
  });

  it("refuses overlapping sessions on one charger (in the file or with a stored one), naming file and line; nothing is stored", () => {
    const store = openBillingStore(tmp(), def);
    try {
      importSessions(store, "drei", parseSessionsCsv(PLAIN, { fileName: "s.csv" }), { fileName: "s.csv", charger: "charger-1", actor: "test" });
      const clash = "start;end;energy_kwh;id;mode\n2026-11-21 10:00;2026-11-21 11:00;1;ANNA-1;normal\n2026-11-10 18:30;2026-11-10 18:45;2;LUC-2;normal\n";
      assert.throws(
        () => importSessions(store, "drei", parseSessionsCsv(clash, { fileName: "c.csv" }), { fileName: "c.csv", charger: "charger-1", actor: "test" }),
        (e: Error) => e instanceof SessionImportError && /^c\.csv:3: overlaps session \d+ stored for charger charger-1 .*4\.000 kWh, id ANNA-1/.test(e.message),
      );
      const inFile = "start;end;energy_kwh;id;mode\n2026-12-01 10:00;2026-12-01 11:00;1;ANNA-1;normal\n2026-12-01 10:30;2026-12-01 12:00;2;LUC-2;normal\n";
      assert.throws(
        () => importSessions(store, "drei", parseSessionsCsv(inFile, { fileName: "f.csv" }), { fileName: "f.csv", charger: "charger-1", actor: "test" }),
        /f\.csv:3: overlaps line 2 on charger charger-1/,
      );
      assert.equal(sessionsOfCharger(store, "drei", "charger-1").length, 3, "the good line of a refused file is not stored either");
    } finally {
      store.close();
    }
  });

  it("finds the charger by meter id or label, else the only charger meter (said so); a missing mode is normal (said so); a dry run stores nothing", () => {
    const store = openBillingStore(tmp(), { ...def, meters: def.meters!.map((m) => (m.id === "charger-1" ? { ...m, label: "Garage" } : m)) });
    try {
      const evcc = parseSessionsCsv(EVCC_EN, { fileName: "evcc.csv" });
      const dry = importSessions(store, "drei", evcc, { fileName: "evcc.csv", actor: "test", dryRun: true });
      assert.deepEqual(
        dry.toStore.map((p) => [p.line, p.chargerKey, p.fields.unitId, p.fields.energyWh, p.mode]),
        [
          [2, "charger-1", "1", 8250, "normal"],
          [3, "charger-1", null, 1100, "normal"],
        ],
      );
      assert.ok(
        dry.warnings.some((w) => w.startsWith("evcc.csv: 2 session(s) without a mode (the file has no mode column; evcc's export has none) taken as normal")),
        dry.warnings.join("\n"),
      );
      assert.equal(sessionsOfCharger(store, "drei", "charger-1").length, 0, "a dry run stores nothing");
      assert.throws(
        () => importSessions(store, "drei", evcc, { fileName: "evcc.csv", actor: "test", mode: "normal", charger: "unit-1" }),
        /--charger unit-1 is not a charger meter of community drei \(charger meters: charger-1 \(Garage\)\)/,
      );
      const carport = importSessions(store, "drei", parseSessionsCsv(EVCC_EN.replace(/Garage/g, "Carport"), { fileName: "evcc.csv" }), {
        fileName: "evcc.csv",
        actor: "test",
        mode: "priority",
        dryRun: true,
      });
      assert.deepEqual(
        carport.toStore.map((p) => [p.chargerKey, p.mode]),
        [
          ["charger-1", "priority"],
          ["charger-1", "priority"],
        ],
      );
      assert.equal(
        carport.warnings.filter((w) =>
          /charging point "Carport" is no charger meter's id or label: taken as charger-1, the community's only charger meter/.test(w),
        ).length,
        1,
      );
      const plain = importSessions(store, "drei", parseSessionsCsv(PLAIN, { fileName: "s.csv" }), { fileName: "s.csv", actor: "test", dryRun: true });
      assert.ok(
        plain.warnings.includes("s.csv: the file names no charger: its sessions are taken as charged at charger-1, the community's only charger meter"),
      );
    } finally {
      store.close();
    }
  });

  it("with several charger meters the charger must be named; a community without one is told to add it", () => {
    const two = openBillingStore(tmp(), { ...def, meters: [...def.meters!, { id: "charger-2", role: "charger", label: "Carport" }] });
    try {
      assert.throws(
        () => importSessions(two, "drei", parseSessionsCsv(PLAIN, { fileName: "s.csv" }), { fileName: "s.csv", actor: "test" }),
        /s\.csv: the file names no charger; .*--charger <meter id> \(charger meters: charger-1, charger-2 \(Carport\)\)/,
      );
      const evcc = parseSessionsCsv(EVCC_EN, { fileName: "evcc.csv" });
      assert.throws(
        () => importSessions(two, "drei", evcc, { fileName: "evcc.csv", actor: "test" }),
        /evcc\.csv:2: charger "Garage" is no charger meter of community drei \(by id or label/,
      );
      const toCarport = importSessions(two, "drei", parseSessionsCsv(EVCC_EN.replace(/Garage/g, "carport"), { fileName: "evcc.csv" }), {
        fileName: "evcc.csv",
        actor: "test",
      });
      assert.deepEqual(toCarport.stored.length, 2);
      assert.equal(sessionsOfCharger(two, "drei", "charger-2").length, 2, "found by label, any case");
    } finally {
      two.close();
    }
    const noneDir = join(tmp(), "none");
    mkdirSync(noneDir);
    const none = openBillingStore(noneDir, { ...def, meters: def.meters!.filter((m) => m.role !== "charger") });
    try {
      assert.throws(
        () => importSessions(none, "drei", parseSessionsCsv(PLAIN, { fileName: "s.csv" }), { fileName: "s.csv", actor: "test" }),
        /community drei has no charger meter: add the charger to the community as a meter with role charger/,
      );
    } finally {
      none.close();
    }
  });
});
