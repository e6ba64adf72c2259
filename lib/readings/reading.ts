/**
 * 2000-01-01T00:00:00Z: no reading is older. An earlier epoch-ms value is
 * almost always seconds sent as milliseconds. The one floor of every reading
 * and observation, meter input and interval building alike.
 */
export const EARLIEST_READING_MS = 946_684_800_000;

/** No meter reads its counter in steps coarser than this; a larger resolutionKWh is a unit mistake. */
export const MAX_RESOLUTION_KWH = 10;

/**
 * The one reading message of the suite (README "Reading messages"): produced
 * by every source node, accepted by zev-aggregate from any node (MQTT, a
 * function node...).
 *
 *   msg.topic   = meter id
 *   msg.payload = Reading
 *
 * Counters are cumulative kWh and the source of truth for energy.
 * `importKWh` counts the meter's primary direction: consumption for unit,
 * common, charger and other meters; production for a production (PV) meter;
 * energy drawn from the grid for the grid meter; charging for a battery.
 * `exportKWh` counts the reverse direction: feed-in for the grid meter,
 * discharging for a battery, standby draw for an inverter.
 */
export interface Reading {
  meter: string;
  /** Epoch ms of the measurement (not of arrival). */
  ts: number;
  importKWh?: number;
  exportKWh?: number;
  /** Instantaneous power in W, for live display; positive in the import direction. */
  powerW?: number;
  /** Meter serial number; a new serial starts a new counter baseline (meter swap). */
  serial?: string;
  /**
   * The step the source reads its counters in, kWh (a float32 register at
   * 41 800 kWh: 0.003907; a register in 0.01 kWh: 0.01; Loxone text "41789.3":
   * 0.1). A counter stepping back by at most this much holds its value; a
   * bigger step back is a reset. Absent: 0.001 kWh (docs/aggregation.md "Resolution").
   */
  resolutionKWh?: number;
}
