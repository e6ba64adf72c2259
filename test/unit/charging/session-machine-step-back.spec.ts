import assert from "node:assert/strict";
import { initialState, step, type MachineOptions, type MachineState, type SessionChange } from "../../../lib/charging/session-machine";
import type { ChargerObservation } from "../../../lib/charging/types";

const T0 = Date.UTC(2026, 2, 2, 7, 0);
const MIN = 60_000;
const OPTS: MachineOptions = { outageMs: 26 * MIN, maxPowerW: 22_000, slackWh: 1000, stallFlagWh: 100, unitFor: () => "1" };

function run(observations: [number, Omit<ChargerObservation, "ts">][]): { changes: SessionChange[]; state: MachineState } {
  let state = initialState("normal");
  const changes: SessionChange[] = [];
  for (const [m, o] of observations) {
    const r = step(state, { ts: T0 + m * MIN, ...o }, OPTS);
    state = r.state;
    changes.push(...r.changes);
  }
  return { changes, state };
}

describe("lib/charging counter stepping back by a rounding step", () => {
  it("a charger counter 1 Wh below the last reading holds: no reset flag, the Wh is not counted twice", () => {
    const car = { connected: true, charging: true, userId: "RFID-ANNA" };
    const { changes } = run([
      [0, { ...car, counterWh: 1000 }],
      [5, { ...car, counterWh: 1500 }],
      [10, { ...car, counterWh: 1499 }],
      [15, { ...car, counterWh: 1600 }],
      [20, { connected: false, counterWh: 1600 }],
    ]);
    const end = changes.find((c) => c.kind === "end")!;
    assert.deepEqual(end.session.flags, []);
    const energy = changes.flatMap((c) => c.rows).reduce((s, r) => s + r.energyWh, 0);
    assert.equal(energy, 600);
    assert.equal(end.session.energyWh, 600);
  });

  it("a bigger step back is still a counter reset, flagged", () => {
    const car = { connected: true, charging: true, userId: "RFID-ANNA" };
    const { changes } = run([
      [0, { ...car, counterWh: 1000 }],
      [5, { ...car, counterWh: 1500 }],
      [10, { ...car, counterWh: 1400 }],
      [20, { connected: false, counterWh: 1450 }],
    ]);
    const end = changes.find((c) => c.kind === "end")!;
    assert.equal(end.session.flags[0]!.flag, "counter-reset");
  });
});
