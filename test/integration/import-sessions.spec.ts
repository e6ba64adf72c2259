import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCliCaptured as run } from "../support/cli";
import { sessionIntervals, sessionsOfCharger } from "../../lib/store/charger-session-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { fillMeter, openBillingStore, threeUnitCommunity } from "../support/billing-fixture";
import { useTmpDir } from "../support/tmp";

/** evcc's export in German (';', decimal comma, local times of the evcc server). */
const EVCC_DE =
  "\uFEFFStartzeit;Endzeit;Ladepunkt;Kennung;Fahrzeug;Kilometerstand (km);Anfangszählerstand (kWh);Endzählerstand (kWh);Energie (kWh);Ladedauer;Ladestand Start (%);Soc Stop (%);Sonne (%);Kosten;Preis/kWh;CO₂/kWh\n" +
  "2026-11-10 18:00:00;2026-11-10 19:00:00;Garage;ANNA-1;e-Golf;;40;44;4;1h0m0s;;;50;;;\n" +
  "2026-11-10 19:00:00;2026-11-10 19:30:00;Garage;;Zoe;;44;45;1;30m0s;;;0;;;\n" +
  "2026-11-12 07:00:00;;Garage;LUC-2;;;45;;;;;;;;;\n";

describe("zev import sessions (real SQLite file)", () => {
  const tmp = useTmpDir();
  function db(): string {
    const dir = tmp();
    const def = threeUnitCommunity({
      chargingIds: [
        { id: "ANNA-1", unit: "1" },
        { id: "zoe", unit: "2" },
      ],
    });
    openBillingStore(dir, def).close();
    return join(dir, "billing.sqlite");
  }

  it("imports evcc's export: a dry run shows what would be stored and stores nothing, the import stores it, a second import books nothing", async () => {
    const file = join(tmp(), "evcc-sessions.csv");
    writeFileSync(file, EVCC_DE);
    const d = db();
    const args = ["import", "sessions", file, "--db", d, "--community", "drei", "--charger", "charger-1", "--mode", "normal"];
    const dry = await run([...args, "--dry-run"]);
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /evcc export, 2 session\(s\), 5\.000 kWh would be stored \(dry run, nothing written\); 0 already stored/);
    assert.match(dry.out, /line 2\tcharger-1\t2026-11-10T17:00:00\.000Z \.\. 2026-11-10T18:00:00\.000Z\t4\.000 kWh normal\tANNA-1 -> unit 1/);
    assert.match(dry.out, /line 3\tcharger-1\t.*\t1\.000 kWh normal\tZoe -> unit 2/);
    assert.match(dry.err, /warning: .*evcc-sessions\.csv:4: session without an end/);
    let s = SqliteStore.open(d);
    assert.equal(sessionsOfCharger(s, "drei", "charger-1").length, 0);
    s.close();

    const real = await run(args);
    assert.equal(real.code, 0, real.err);
    assert.match(real.out, /2 session\(s\), 5\.000 kWh stored; 0 already stored/);
    assert.match(real.out, /line 2\t.*\tsession \d+/);
    const again = await run(args);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /0 session\(s\), 0\.000 kWh stored; 2 already stored/);
    s = SqliteStore.open(d);
    try {
      const rows = sessionsOfCharger(s, "drei", "charger-1");
      assert.deepEqual(
        rows.map((r) => [r.userId, r.unitId, r.energyWh, r.startCounterWh, r.endCounterWh]),
        [
          ["ANNA-1", "1", 4000, 40_000, 44_000],
          ["Zoe", "2", 1000, 44_000, 45_000],
        ],
      );
      assert.equal(
        sessionIntervals(s, rows[0]!.id).reduce((a, i) => a + i.energyWh, 0),
        4000,
      );
    } finally {
      s.close();
    }
  });

  it("sessions or a load profile imported into an already invoiced month are stored and said to be on no issued invoice", async () => {
    const dir = tmp();
    const store = openBillingStore(dir, threeUnitCommunity({ chargingIds: [{ id: "ANNA-1", unit: "1" }] }));
    for (const [m, wh] of [
      ["unit-1", 100],
      ["unit-2", 200],
      ["unit-3", 100],
      ["common", 40],
      ["charger-1", 0],
      ["pv", 0],
      ["grid", 300],
    ] as const)
      fillMeter(store, "drei", m, "2026-11", () => wh);
    const db = store.path;
    store.close();
    const issued = await run([
      "bill",
      "--db",
      db,
      "--community",
      "drei",
      "--period",
      "2026-11",
      "--issue",
      "--invoice-date",
      "2026-12-01",
      "--out",
      join(dir, "out"),
    ]);
    assert.equal(issued.code, 0, issued.err);
    const sessions = join(dir, "late.csv");
    writeFileSync(
      sessions,
      "start;end;energy_kwh;id;mode\n2026-11-10 18:00;2026-11-10 19:00;4;ANNA-1;normal\n2026-12-02 18:00;2026-12-02 19:00;4;ANNA-1;normal\n",
    );
    const late = await run(["import", "sessions", sessions, "--db", db, "--community", "drei", "--charger", "charger-1"]);
    assert.equal(late.code, 0, late.err);
    assert.match(
      late.err,
      /warning: .*late\.csv:2: falls in a period already invoiced for unit 1 \(2026-0001 2026-11-01\.\.2026-11-30\): issued invoices do not change/,
    );
    assert.doesNotMatch(late.err, /late\.csv:3/);
    const profile = join(dir, "pv.csv");
    writeFileSync(profile, "Zeit;Messpunkt;Bezug;Einspeisung\n2026-11-15 12:00;pv;0;1,5\n");
    const lp = await run(["import", "load-profile", profile, "--db", db, "--community", "drei"]);
    assert.equal(lp.code, 0, lp.err);
    assert.match(
      lp.err,
      /warning: .*pv\.csv: covers 2026-11-15\.\.2026-11-15, of which 2026-11-01\.\.2026-11-30 is already invoiced \(3 issued invoice\(s\)\): they do not change/,
    );
  });

  it("errors name file and line and store nothing; missing options are usage errors", async () => {
    const d = db();
    const file = join(tmp(), "plain.csv");
    writeFileSync(
      file,
      "start;end;energy_kwh;id;mode;charger\n2026-11-10 18:00;2026-11-10 19:00;4;ANNA-1;normal;charger-1\n2026-11-10 18:30;2026-11-10 19:30;1;LUC-2;normal;charger-1\n",
    );
    const overlap = await run(["import", "sessions", file, "--db", d, "--community", "drei"]);
    assert.equal(overlap.code, 1);
    assert.match(overlap.err, /plain\.csv:3: overlaps line 2 on charger charger-1/);
    writeFileSync(
      file,
      "start;end;energy_kwh;id;mode;charger\n2026-11-10 18:00;2026-11-10 19:00;4;ANNA-1;normal;charger-1\n2026-11-10 20:00;2026-11-10 21:00;x;LUC-2;normal;charger-1\n",
    );
    const bad = await run(["import", "sessions", file, "--db", d, "--community", "drei"]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /plain\.csv:3: energy_kwh: "x" is not a number of kWh/);
    const s = SqliteStore.open(d);
    assert.equal(sessionsOfCharger(s, "drei", "charger-1").length, 0);
    s.close();
    assert.equal((await run(["import", "sessions", file, "--db", d])).code, 2);
    assert.equal((await run(["import", "sessions", file, "--db", d, "--community", "drei", "--mode", "fast"])).code, 2);
    const none = await run(["import", "sessions", file, "--db", d, "--community", "nope"]);
    assert.equal(none.code, 1);
    assert.match(none.err, /no community nope/);
    assert.match((await run(["help"])).out, /zev import sessions <file\.csv> --db <file\.sqlite> --community <id> \[--charger <meter id>\]/);
  });
});
