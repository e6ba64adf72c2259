import type { RegisterDef } from "../modbus/types";

/**
 * Weidmüller AC SMART over Modbus TCP: holding registers (FC03 read, FC16
 * write), wire addresses. Facts from the public evcc driver (register
 * reference only; docs/chargers.md shows the same table). Values of 32 bits
 * come LSW first. Changing a register = changing this table.
 */
export const AC_SMART = {
  label: "Weidmüller AC SMART",
  defaultUnitId: 255,
  /** IEC 61851 state letter in the low byte. */
  carState: { address: 301, count: 1 },
  /** mW as UINT32, LSW first. */
  powerW: { fc: 3, address: 418, type: "uint32", order: "lsw", scale: 0.001, unit: "W" } satisfies RegisterDef,
  /** Lifetime energy, Wh as UINT32, LSW first (only on devices with the MID meter). */
  energyKWh: { fc: 3, address: 457, type: "uint32", order: "lsw", scale: 0.001, unit: "kWh" } satisfies RegisterDef,
  /** RFID tag UID of the current session, ASCII, 11 registers. */
  rfid: { address: 1000, count: 11 },
  /**
   * External current control: 11050 is the heartbeat (UINT32, ms until the
   * charger falls back to its own limit), 11052 the limit in A (UINT16,
   * 0 = stop, >= 6 = limit; volatile). Sources disagree on the word order of
   * 11050, so the same word is written twice: 0x0001 0x0001 = 65537 ms read
   * either way.
   */
  heartbeat: { address: 11050, words: [0x0001, 0x0001], ms: 65_537 },
  currentLimit: { address: 11052 },
} as const;

/** What each IEC 61851 state means for a session; null = keep what was known (the device reports a fault). */
export const CAR_STATES: Readonly<Record<string, { connected: boolean | null; charging: boolean }>> = {
  A: { connected: false, charging: false },
  B: { connected: true, charging: false },
  C: { connected: true, charging: true },
  D: { connected: true, charging: true },
  E: { connected: null, charging: false },
  F: { connected: null, charging: false },
};
