/**
 * Charging modes (docs/chargers.md): priority = charge now at full current,
 * from the grid if needed; normal = follow the solar surplus. Billing prices
 * them differently, per quarter hour.
 */
export type ChargeMode = "priority" | "normal";

export function isChargeMode(v: unknown): v is ChargeMode {
  return v === "priority" || v === "normal";
}

/** Energy of one session in one quarter hour and mode, Wh (a delta when it comes from a step). */
export interface IntervalEnergy {
  startMs: number;
  mode: ChargeMode;
  energyWh: number;
}

export type SessionStatus = "open" | "closed" | "aborted";

/** What a session records (a charger_sessions row, lib/store/charger-session-repo.ts). */
export interface SessionFields {
  status: SessionStatus;
  startedMs: number;
  endedMs: number | null;
  userId: string | null;
  unitId: string | null;
  startCounterWh: number | null;
  endCounterWh: number | null;
  energyWh: number;
  flags: SessionFlag[];
}

/**
 * Why a session needs a human look. Kept on the session (charger_sessions.flags)
 * and shown in the session messages; none of them changes who pays.
 */
export type SessionFlag =
  /** The id maps to no unit in the community: billed to nobody until mapped. */
  | { flag: "unknown-id"; id: string }
  /** The session ended without any id: billed to nobody. */
  | { flag: "no-id" }
  /** Readings stopped for longer than the outage limit while the car stayed; the energy across was interpolated. */
  | { flag: "outage"; count: number; gapMs: number; energyWh: number; lastFromMs: number; lastToMs: number }
  /** The counter went backwards (device reset or replaced): energy so far kept, counting restarted from the new value. */
  | { flag: "counter-reset"; atMs: number; fromWh: number; toWh: number }
  /** The counter rose faster than the charger can charge: not counted, counting restarted from the new value. */
  | { flag: "counter-jump"; atMs: number; fromWh: number; toWh: number }
  /** The charger reported power but the counter did not move: nothing counted for that time. */
  | { flag: "counter-stall"; count: number; sinceMs: number; powerWh: number }
  /** The car left during an outage: the session ends at the last reading; the energy across the gap is not billed to it. */
  | { flag: "ended-in-outage"; lastSeenMs: number; seenGoneMs: number; unassignedWh: number }
  /** The id was mapped to a unit after the session started (community changed). */
  | { flag: "attributed-later"; atMs: number; unit: string }
  /** Found open without its charger's saved state (database edited or restored): ended where it was last written. */
  | { flag: "state-lost"; atMs: number }
  /** Imported from a file (`zev import sessions`), not recorded by a charger node: its energy is spread evenly over the session. */
  | { flag: "imported"; source: string; line: number };
