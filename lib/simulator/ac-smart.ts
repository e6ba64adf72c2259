import { decodeRegisters, encodeAscii } from "../devices/modbus/decode";
import { AC_SMART } from "../devices/weidmueller/registers";
import type { SiteSimulator } from "./engine";
import type { RegisterServer } from "./modbus-server";

/*
 * A Weidmüller AC SMART (ADVANCED, with MID meter and RFID) as the charger
 * node reads it, on the register table of lib/devices/weidmueller/registers.ts:
 * car state, power, lifetime energy, the session's RFID tag, and the writable
 * heartbeat and current limit, which the simulated charger obeys.
 */

/** Writes the charger's current state into its registers. */
export function serveAcSmart(server: RegisterServer, unitId: number, sim: SiteSimulator): void {
  const c = sim.charger();
  if (!c) return;
  server.setWords(unitId, 3, AC_SMART.carState.address, [c.carState.charCodeAt(0)]);
  server.setValue(unitId, AC_SMART.powerW, c.powerW);
  server.setValue(unitId, AC_SMART.energyKWh, c.energyWh / 1000);
  server.setWords(unitId, 3, AC_SMART.rfid.address, encodeAscii(c.rfid ?? "", AC_SMART.rfid.count));
  // Never written yet: reads as 0 (the charger's own limit), as after power-up.
  if (server.getWords(unitId, 3, AC_SMART.currentLimit.address)[0] === undefined) {
    server.setWords(unitId, 3, AC_SMART.heartbeat.address, [0, 0]);
    server.setWords(unitId, 3, AC_SMART.currentLimit.address, [0]);
  }
}

/**
 * Lets the simulated charger follow the node's writes: the heartbeat sets
 * how long a limit holds (real ms; `speed` simulated ms per real ms), the
 * current limit applies at once.
 */
export function obeyAcSmartWrites(server: RegisterServer, unitId: number, sim: SiteSimulator, speed = 1): void {
  let heartbeatMs: number = AC_SMART.heartbeat.ms;
  server.onWrite(unitId, (address, words) => {
    for (let i = 0; i < words.length; i++) {
      const a = address + i;
      if (a === AC_SMART.heartbeat.address && i + 1 < words.length) heartbeatMs = decodeRegisters([words[i]!, words[i + 1]!], "uint32", "lsw");
      if (a === AC_SMART.currentLimit.address) sim.setCurrentLimit(words[i]!, heartbeatMs * speed);
    }
  });
}
