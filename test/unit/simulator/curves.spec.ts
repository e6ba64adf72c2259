import assert from "node:assert/strict";
import { chargerState, householdPowerW, solarPowerW } from "../../../lib/simulator/curves";

const zone = "Europe/Zurich";
const plant = { peakW: 10000, zone };
const dayEnergyKWh = (date: string, f: (ms: number) => number): number => {
  const start = Date.parse(`${date}T00:00:00+01:00`);
  let wh = 0;
  for (let m = 0; m < 24 * 60; m += 1) wh += f(start + m * 60000) / 60;
  return wh / 1000;
};

describe("simulator curves", () => {
  it("solar: nothing at night, most at midday, more in summer than in winter", () => {
    assert.equal(solarPowerW(Date.parse("2026-06-21T02:00:00+02:00"), plant), 0);
    assert.ok(solarPowerW(Date.parse("2026-06-21T13:15:00+02:00"), plant) > 500);
    const june = dayEnergyKWh("2026-06-22", (t) => solarPowerW(t, plant));
    const dec = dayEnergyKWh("2026-12-22", (t) => solarPowerW(t, plant));
    assert.ok(june > 3 * dec && june < 80 && dec > 0.5, `june ${june} dec ${dec}`);
  });

  it("is deterministic: the same instant gives the same value", () => {
    const t = Date.parse("2026-05-05T11:11:00+02:00");
    assert.equal(solarPowerW(t, plant), solarPowerW(t, plant));
    const h = { baseW: 150, peakW: 1200, seed: "unit-1" };
    assert.equal(householdPowerW(t, h, zone), householdPowerW(t, h, zone));
  });

  it("a household uses a plausible 5-15 kWh a day", () => {
    const kwh = dayEnergyKWh("2026-03-10", (t) => householdPowerW(t, { baseW: 150, peakW: 1200, seed: "unit-2" }, zone));
    assert.ok(kwh > 5 && kwh < 15, `${kwh} kWh`);
  });

  it("a car is connected in its window and stops charging when full", () => {
    const plan = { rfid: "RFID-1", plugIn: 18, plugOut: 7, powerW: 11000, sessionWh: 20000, days: [1, 2, 3, 4, 5] };
    const monEvening = Date.parse("2026-11-02T19:00:00+01:00");
    assert.deepEqual(chargerState(monEvening, plan, 0, zone), { connected: true, charging: true, powerW: 11000, rfid: "RFID-1" });
    assert.equal(chargerState(monEvening, plan, 20000, zone).charging, false);
    // Tuesday 06:00 is still Monday's session; Saturday 01:00 belongs to Friday's
    assert.equal(chargerState(Date.parse("2026-11-03T06:00:00+01:00"), plan, 0, zone).connected, true);
    assert.equal(chargerState(Date.parse("2026-11-07T01:00:00+01:00"), plan, 0, zone).connected, true);
    assert.equal(chargerState(Date.parse("2026-11-08T01:00:00+01:00"), plan, 0, zone).connected, false);
    assert.equal(chargerState(Date.parse("2026-11-02T12:00:00+01:00"), plan, 0, zone).connected, false);
  });
});
