import type { ChargeMode } from "../model/charging-session";

/** What a charger source saw at one moment; any source (Modbus, Loxone, msg) becomes this. */
export interface ChargerObservation {
  /** Epoch ms of the measurement. */
  ts: number;
  /** A car is plugged in (IEC 61851 state B or C, Loxone Vc). */
  connected: boolean;
  /** Energy is flowing (state C, Loxone Cac); for the status and the stall check only. */
  charging?: boolean;
  /** Lifetime energy counter in whole Wh; absent when the source has none at this moment. */
  counterWh?: number;
  powerW?: number;
  /** RFID tag or user id of the session; null, absent or "" = none reported. */
  userId?: string | null;
  /** Mode reported by the device (already mapped); a change applies from `ts` on. */
  mode?: ChargeMode;
}

/** Who pays for a unit at a moment: its tenant, or the owner while it is vacant. */
export interface PayerRef {
  name: string;
  kind: "tenant" | "owner";
}
