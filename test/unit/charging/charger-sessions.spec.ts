import assert from "node:assert/strict";
import { join } from "node:path";
import { ChargerSessions, type ChargerSessionsOptions } from "../../../lib/charging/charger-sessions";
import type { ChargerObservation } from "../../../lib/charging/types";
import { auditLog } from "../../../lib/store/audit-repo";
import { attributeLater, getSession, sessionEnergyInRange, sessionIntervals, sessionsOfCharger } from "../../../lib/store/charger-session-repo";
import { saveCommunity } from "../../../lib/store/community-repo";
import { SqliteStore } from "../../../lib/store/sqlite-store";
import { minimalCommunity } from "../../support/community-fixture";
import { useTmpDir } from "../../support/tmp";

const T0 = Date.UTC(2026, 2, 2, 7, 0);
const MIN = 60_000;
const at = (m: number): number => T0 + m * MIN;

describe("lib/charging sessions in SQLite (restart, failed writes, billing's view)", () => {
  const tmp = useTmpDir();
  let store: SqliteStore;
  const ids = new Map([
    ["anna", "u1"],
    ["ben", "u2"],
  ]);
  const opts = (): ChargerSessionsOptions => ({
    store,
    communityId: "test-zev",
    chargerKey: "wb-1",
    defaultMode: "normal",
    outageMs: 20 * MIN,
    maxPowerW: 22_000,
    slackWh: 1000,
    stallFlagWh: 100,
    unitFor: (id) => ids.get(id.toLowerCase()) ?? null,
  });
  const obs = (cs: ChargerSessions, m: number, o: Partial<ChargerObservation> & { connected: boolean }) => cs.observe({ ts: at(m), ...o }, at(m));

  beforeEach(() => {
    store = SqliteStore.open(join(tmp(), "zev.sqlite"));
    saveCommunity(store, minimalCommunity(), { source: "test", actor: "test" });
  });
  afterEach(() => store.close());

  it("a restart mid-session continues the same session without losing or double counting a Wh", () => {
    let cs = new ChargerSessions(opts(), at(0));
    obs(cs, 0, { connected: false, counterWh: 50_000 });
    obs(cs, 1, { connected: true, counterWh: 50_000, userId: "anna" });
    cs.setMode("priority", at(5), at(5));
    obs(cs, 10, { connected: true, counterWh: 51_800 });
    // Restart: a new instance on a reopened database file.
    store.close();
    store = SqliteStore.open(join(tmp(), "zev.sqlite"));
    cs = new ChargerSessions(opts(), at(11));
    assert.equal(cs.mode, "priority");
    assert.equal(cs.open?.id, 1);
    obs(cs, 14, { connected: true, counterWh: 52_600 });
    cs.setMode("normal", at(20), at(20));
    obs(cs, 25, { connected: true, counterWh: 54_800 });
    obs(cs, 26, { connected: false, counterWh: 54_800 });
    const sessions = sessionsOfCharger(store, "test-zev", "wb-1");
    assert.equal(sessions.length, 1);
    assert.deepEqual(
      {
        status: sessions[0]!.status,
        start: sessions[0]!.startCounterWh,
        end: sessions[0]!.endCounterWh,
        energy: sessions[0]!.energyWh,
        unit: sessions[0]!.unitId,
      },
      { status: "closed", start: 50_000, end: 54_800, energy: 4800, unit: "u1" },
    );
    // 1-10: 1800 Wh, cut at 5 (4/9 -> 800 normal, 1000 priority); 10-14: 800 priority;
    // 14-25: 2200 Wh, 200 a minute: 200 priority before 15, 1000 priority 15-20, 1000 normal from 20.
    assert.deepEqual(
      sessionIntervals(store, 1).map((r) => [(r.startMs - T0) / MIN, r.mode, r.energyWh]),
      [
        [0, "normal", 800],
        [0, "priority", 1800 + 200],
        [15, "normal", 1000],
        [15, "priority", 1000],
      ],
    );
    assert.deepEqual(
      sessionEnergyInRange(store, "test-zev", at(0), at(30)).map(
        (e) => `${e.sessionId} ${e.chargerKey} ${e.userId} ${e.unitId} ${(e.startMs - T0) / MIN} ${e.mode} ${e.energyWh}`,
      ),
      ["1 wb-1 anna u1 0 normal 800", "1 wb-1 anna u1 0 priority 2000", "1 wb-1 anna u1 15 normal 1000", "1 wb-1 anna u1 15 priority 1000"],
    );
  });

  it("a step whose write fails changes nothing; the next reading covers its energy exactly once", () => {
    const cs = new ChargerSessions(opts(), at(0));
    obs(cs, 0, { connected: true, counterWh: 1000, userId: "ben" });
    store.db.exec("CREATE TRIGGER boom BEFORE INSERT ON charger_session_intervals WHEN NEW.energy_wh = 777 BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
    assert.throws(() => obs(cs, 2, { connected: true, counterWh: 1777 }), /disk says no/);
    assert.equal(getSession(store, 1)!.energyWh, 0);
    store.db.exec("DROP TRIGGER boom");
    obs(cs, 3, { connected: true, counterWh: 1900 });
    obs(cs, 4, { connected: false, counterWh: 1900 });
    assert.equal(getSession(store, 1)!.energyWh, 900);
    assert.equal(
      sessionIntervals(store, 1).reduce((a, r) => a + r.energyWh, 0),
      900,
    );
  });

  it("an unknown id is stored with no unit and the flag; mapping it later attributes the session", () => {
    const cs = new ChargerSessions(opts(), at(0));
    obs(cs, 0, { connected: true, counterWh: 0, userId: "CARL" });
    obs(cs, 5, { connected: true, counterWh: 500 });
    obs(cs, 6, { connected: false, counterWh: 500 });
    const s = getSession(store, 1)!;
    assert.deepEqual({ user: s.userId, unit: s.unitId, flags: s.flags }, { user: "CARL", unit: null, flags: [{ flag: "unknown-id", id: "CARL" }] });
    assert.deepEqual(sessionEnergyInRange(store, "test-zev", at(0), at(15))[0]!.unitId, null);
    assert.deepEqual(
      attributeLater(store, "test-zev", (id) => (id === "CARL" ? "u2" : null), "test", at(60)),
      [1],
    );
    assert.equal(getSession(store, 1)!.unitId, "u2");
    assert.deepEqual(getSession(store, 1)!.flags.at(-1), { flag: "attributed-later", atMs: at(60), unit: "u2" });
    assert.equal(auditLog(store, "test-zev")[0]!.action, "charging-session.attributed");
    assert.deepEqual(
      attributeLater(store, "test-zev", () => "u1", "test", at(61)),
      [],
      "attributed sessions stay as they are",
    );
  });

  it("an open session whose id becomes known is attributed when the charger starts again", () => {
    let cs = new ChargerSessions(opts(), at(0));
    obs(cs, 0, { connected: true, counterWh: 0, userId: "dora" });
    ids.set("dora", "u2");
    cs = new ChargerSessions(opts(), at(1));
    ids.delete("dora");
    assert.equal(cs.open!.unitId, "u2");
    assert.equal(getSession(store, 1)!.unitId, "u2");
  });

  it("an open session the saved state does not know is aborted, not continued blindly", () => {
    const cs = new ChargerSessions(opts(), at(0));
    obs(cs, 0, { connected: true, counterWh: 0, userId: "anna" });
    store.db.exec("DELETE FROM charger_state");
    const again = new ChargerSessions(opts(), at(5));
    assert.match(again.notes.join(), /session 1 was open without saved state/);
    assert.equal(getSession(store, 1)!.status, "aborted");
    assert.equal(again.open, null);
  });
});
