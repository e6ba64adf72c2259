import { addBreakSample, asBreakCandidate, counterStep, type BreakLimits } from "../readings/counter-break";
import { type BreakCandidate } from "../model/meter-counter";
import { splitEnergy } from "./energy-split";
import type { ChargerObservation } from "./types";
import type { ChargeMode, IntervalEnergy, SessionFields, SessionFlag, SessionStatus } from "../model/charging-session";

/*
 * The charging-session state machine: pure functions from (state,
 * observation) to (new state, what changed). No clock, no I/O: the caller
 * gives every instant and persists the result (lib/charging/charger-sessions.ts).
 *
 * Rules (docs/chargers.md, docs/decisions/0040-charging-sessions-from-the-lifetime-counter.md):
 * - A session opens when a car is seen connected and closes when it is seen
 *   gone. Its energy is the lifetime counter's rise while it is open, spread
 *   over quarter hours and modes (energy-split.ts); it never comes from
 *   comparing one user's rows with each other.
 * - Energy between the last reading without a car and the first with one
 *   belongs to the new session (a car must be plugged in to charge); energy
 *   between the last reading with the car and the first without it belongs to
 *   the ending session.
 * - A different id while connected ends the session and opens one for the
 *   new id, which gets the energy of that reading pair. A first id in a
 *   session that had none is adopted (cards are swiped after plugging in).
 * - A gap between readings longer than `outageMs` is an outage. If the same
 *   session is open on both sides its energy is interpolated across the gap
 *   (flag "outage"); otherwise nobody gets the gap's energy: the old session
 *   ends at its last reading (status aborted when energy was lost) and the
 *   energy is reported as unassigned.
 * - Counter backwards (reset, new device) or faster than `maxPowerW`: the one
 *   rule for counter breaks (lib/readings/counter-break.ts, as zev-meter-in
 *   and zev-aggregate): the reading is held as a candidate, not counted. A
 *   reading that continues the old counter discards it (a glitch, e.g. a
 *   Modbus read of 0: the pair across it is counted, nothing is lost). Once
 *   BREAK_CONFIRMATIONS consecutive candidates agree, the new counter is
 *   taken: flat from the last old reading to the first candidate (flagged
 *   counter-reset / counter-jump there), counted between the candidates. A
 *   session that ends while a candidate is pending is flagged with it. With
 *   no car and no session nobody's energy is at stake: a break is taken at
 *   once.
 *   A step back of at most STEP_BACK_HOLD_WH is the same count rounded
 *   differently at the source: the counter holds its value (no flag, and the
 *   Wh is not counted twice when the counter passes it again).
 */

/** The whole Wh the counter is rounded to: a step back this small is rounding, not a reset (as in lib/readings/intervals/interval-builder.ts). */
export const STEP_BACK_HOLD_WH = 1;

export interface MachineOptions {
  /** A gap between two counter readings longer than this is an outage. */
  outageMs: number;
  /** Counter rises beyond maxPowerW over the elapsed time plus slackWh are implausible. */
  maxPowerW: number;
  slackWh: number;
  /** Energy integrated from the reported power while the counter stands still, before a stall is flagged. */
  stallFlagWh: number;
  /** Maps an id to the unit that pays for it; null = unknown id. */
  unitFor(userId: string): string | null;
}

export interface OpenSession {
  /** Machine-local number, stable across restarts. */
  ref: number;
  /** Database id, once stored. */
  id: number | null;
  startedMs: number;
  userId: string | null;
  unitId: string | null;
  startCounterWh: number | null;
  byMode: Record<ChargeMode, number>;
  flags: SessionFlag[];
  /** Power integrated (Wh) while charging with the counter standing still, since `sinceMs`. */
  stall: { sinceMs: number; powerWh: number; flagged: boolean } | null;
}

export interface MachineState {
  v: 1;
  /** Mode at the last counter reading, and the changes since (ascending), applied to the next span. */
  modeAtCounter: ChargeMode;
  modeChanges: { ts: number; mode: ChargeMode }[];
  /** Last mode the device reported: only a change of it switches the mode (a message may have switched since). */
  deviceMode: ChargeMode | null;
  lastCounter: { ts: number; wh: number } | null;
  lastSeen: { ts: number; connected: boolean; charging: boolean; powerW: number | null; userId: string | null } | null;
  open: OpenSession | null;
  nextRef: number;
  /** Readings of a new counter being confirmed (lib/readings/counter-break.ts); absent in states of older versions. */
  suspect?: BreakCandidate | null;
}

export interface SessionSnapshot extends SessionFields {
  ref: number;
  id: number | null;
  byMode: Record<ChargeMode, number>;
}

export interface SessionChange {
  kind: "start" | "update" | "end";
  session: SessionSnapshot;
  /** Energy added to the session in this step, per interval and mode (deltas). */
  rows: IntervalEnergy[];
}

export interface StepResult {
  state: MachineState;
  /** In order: an ended session before a started one. */
  changes: SessionChange[];
  /** Energy the counter showed that no session gets (no car, outage at a session's end). */
  unassignedWh: number;
  /** Why the observation was ignored, if it was. */
  ignored?: "out-of-order";
}

const MAX_FLAGS = 40;

export function initialState(mode: ChargeMode): MachineState {
  return { v: 1, modeAtCounter: mode, modeChanges: [], deviceMode: null, lastCounter: null, lastSeen: null, open: null, nextRef: 1 };
}

export function currentMode(s: MachineState): ChargeMode {
  return s.modeChanges.length ? s.modeChanges[s.modeChanges.length - 1]!.mode : s.modeAtCounter;
}

export function energyOf(session: Pick<OpenSession, "byMode">): number {
  return session.byMode.priority + session.byMode.normal;
}

export function snapshot(o: OpenSession, end?: { status: SessionStatus; endedMs: number; endCounterWh: number | null }): SessionSnapshot {
  return {
    ref: o.ref,
    id: o.id,
    status: end?.status ?? "open",
    startedMs: o.startedMs,
    endedMs: end?.endedMs ?? null,
    userId: o.userId,
    unitId: o.unitId,
    startCounterWh: o.startCounterWh,
    endCounterWh: end?.endCounterWh ?? null,
    energyWh: energyOf(o),
    byMode: { ...o.byMode },
    flags: o.flags.map((f) => ({ ...f })),
  };
}

/** Switches the mode from `ts` on (a message: dashboard button, Loxone switch). */
export function setMode(state: MachineState, mode: ChargeMode, ts: number): { state: MachineState; changed: boolean } {
  if (currentMode(state) === mode) return { state, changed: false };
  const s = clone(state);
  // Before the last counter reading the energy is already split: the change counts from that reading on.
  s.modeChanges.push({ ts: Math.max(ts, s.lastCounter?.ts ?? ts, s.modeChanges[s.modeChanges.length - 1]?.ts ?? ts), mode });
  return { state: s, changed: true };
}

/** Gives an open session without a unit the unit its id now maps to (community changed). */
export function reattribute(state: MachineState, opts: Pick<MachineOptions, "unitFor">, ts: number): { state: MachineState; changed: boolean } {
  const o = state.open;
  if (!o || o.userId === null || o.unitId !== null) return { state, changed: false };
  const unit = opts.unitFor(o.userId);
  if (unit === null) return { state, changed: false };
  const s = clone(state);
  s.open!.unitId = unit;
  addFlag(s.open!, { flag: "attributed-later", atMs: ts, unit });
  return { state: s, changed: true };
}

export function step(state: MachineState, obs: ChargerObservation, opts: MachineOptions): StepResult {
  if (state.lastSeen && obs.ts < state.lastSeen.ts) return { state, changes: [], unassignedWh: 0, ignored: "out-of-order" };
  const s = clone(state);
  const userId = normalId(obs.userId);
  const last = s.lastCounter;
  const read = obs.counterWh === undefined || !Number.isFinite(obs.counterWh) ? null : Math.round(obs.counterWh);
  let counter = read !== null && last !== null && read < last.wh && last.wh - read <= STEP_BACK_HOLD_WH ? last.wh : read;
  const changes: SessionChange[] = [];
  let unassignedWh = 0;

  // 1. The counter pair since the last reading: plausible rise, or a break the rule confirms (counter-break.ts).
  const limits: BreakLimits = { maxPowerW: opts.maxPowerW, slackWh: opts.slackWh, toleranceWh: STEP_BACK_HOLD_WH };
  let confirmed: BreakCandidate | null = null;
  let immediate: "backwards" | "jump" | null = null;
  if (counter !== null && last !== null) {
    const kind = counterStep({ ts: last.ts, imp: last.wh, exp: null }, { ts: obs.ts, imp: counter, exp: null }, limits);
    if (kind === "continues") s.suspect = null;
    else if (s.open === null && !obs.connected) {
      // No car and no session: no one's energy is at stake, the new value is taken at once (nobody gets the pair).
      s.suspect = null;
      immediate = kind;
    } else {
      const verdict = addBreakSample(asBreakCandidate(s.suspect ?? null), kind, { ts: obs.ts, imp: counter, exp: null }, limits);
      if (verdict.confirmed) {
        confirmed = verdict.candidate;
        s.suspect = null;
        counter = confirmed.samples[confirmed.samples.length - 1]!.imp;
      } else {
        // Held: neither the old counter nor (yet) a new one. The reading still says who is there.
        s.suspect = verdict.candidate;
        counter = null;
      }
    }
  }
  // The counted span starts at the last reading, or after a confirmed break at the first reading of the new counter.
  const base = confirmed ? { ts: confirmed.samples[0]!.ts, wh: confirmed.samples[0]!.imp } : last;
  const beforeObs = confirmed ? { ts: confirmed.samples[confirmed.samples.length - 2]!.ts, wh: confirmed.samples[confirmed.samples.length - 2]!.imp } : last;
  const outage = counter !== null && beforeObs !== null && obs.ts - beforeObs.ts > opts.outageMs;
  let rise: number | null = null;
  let anomaly: SessionFlag | null = null;
  if (counter !== null && last !== null) {
    if (confirmed) anomaly = { flag: confirmed.kind === "backwards" ? "counter-reset" : "counter-jump", atMs: base!.ts, fromWh: last.wh, toWh: base!.wh };
    if (immediate) anomaly = { flag: immediate === "backwards" ? "counter-reset" : "counter-jump", atMs: obs.ts, fromWh: last.wh, toWh: counter };
    else rise = counter - base!.wh;
  }
  const rows = (): IntervalEnergy[] => {
    if (!rise || !base || counter === null) return [];
    const modes = { initial: s.modeAtCounter, changes: s.modeChanges };
    if (!confirmed) return splitEnergy(base.ts, base.wh, obs.ts, counter, modes);
    // Between the candidates, reading by reading, as if each had been taken when it arrived.
    const merged = new Map<string, IntervalEnergy>();
    const c = confirmed.samples;
    for (let i = 1; i < c.length; i++)
      for (const r of splitEnergy(c[i - 1]!.ts, c[i - 1]!.imp, c[i]!.ts, c[i]!.imp, modes)) {
        const key = `${r.startMs}/${r.mode}`;
        const m = merged.get(key);
        if (m) m.energyWh += r.energyWh;
        else merged.set(key, { ...r });
      }
    return [...merged.values()].filter((r) => r.energyWh !== 0);
  };

  // 2. Who was there: continue, end, or start; and who gets the pair's energy.
  const prev = s.open;
  let endPrev: { status: SessionStatus; endedMs: number; endCounterWh: number | null } | null = null;
  let pairGoesTo: "prev" | "next" | "nobody" = "nobody";
  if (prev) {
    const idChanged = obs.connected && userId !== null && prev.userId !== null && !sameId(userId, prev.userId);
    if (!obs.connected || idChanged) {
      if (outage) {
        // Gone (or someone else) after a gap: who charged in it is unknown, so nobody gets its energy.
        const lost = rise ?? 0;
        addFlag(prev, { flag: "ended-in-outage", lastSeenMs: beforeObs!.ts, seenGoneMs: obs.ts, unassignedWh: lost });
        endPrev = { status: lost > 0 ? "aborted" : "closed", endedMs: beforeObs!.ts, endCounterWh: beforeObs!.wh };
        unassignedWh += lost;
      } else if (!obs.connected) {
        pairGoesTo = "prev";
        endPrev = { status: "closed", endedMs: obs.ts, endCounterWh: counter ?? last?.wh ?? null };
      } else {
        pairGoesTo = "next";
        endPrev = { status: "closed", endedMs: obs.ts, endCounterWh: last?.wh ?? counter };
      }
    } else pairGoesTo = "prev";
  } else if (obs.connected && !outage) pairGoesTo = "next";
  else unassignedWh += rise ?? 0;

  if (prev) {
    const seen = (): string => JSON.stringify([prev.userId, prev.unitId, prev.startCounterWh, prev.flags]);
    const before = seen();
    if (anomaly) addFlag(prev, anomaly);
    if (prev.startCounterWh === null && counter !== null) prev.startCounterWh = pairGoesTo === "prev" && base && rise !== null ? base.wh : counter;
    const r = pairGoesTo === "prev" ? rows() : [];
    addRows(prev, r);
    if (pairGoesTo === "prev") {
      if (outage && rise !== null) noteOutage(prev, beforeObs!.ts, obs.ts, rise);
      trackStall(prev, s.lastSeen, obs, rise, opts);
    }
    if (!endPrev && userId !== null && prev.userId === null) adopt(prev, userId, opts);
    if (endPrev) {
      // Ends while a new counter is being confirmed: what it measured since is not counted, and the session says so.
      const pending = asBreakCandidate(s.suspect ?? null);
      if (pending && last)
        addFlag(prev, {
          flag: pending.kind === "backwards" ? "counter-reset" : "counter-jump",
          atMs: pending.samples[0]!.ts,
          fromWh: last.wh,
          toWh: pending.samples[0]!.imp,
        });
      if (prev.userId === null) addFlag(prev, { flag: "no-id" });
      changes.push({ kind: "end", session: snapshot(prev, endPrev), rows: r });
      s.open = null;
    } else if (r.length > 0 || seen() !== before) changes.push({ kind: "update", session: snapshot(prev), rows: r });
  }

  if (!s.open && obs.connected) {
    const fresh: OpenSession = {
      ref: s.nextRef++,
      id: null,
      startedMs: obs.ts,
      userId: null,
      unitId: null,
      startCounterWh: pairGoesTo === "next" && base && rise !== null ? base.wh : counter,
      byMode: { priority: 0, normal: 0 },
      flags: [],
      stall: null,
    };
    if (userId !== null) adopt(fresh, userId, opts);
    const r = pairGoesTo === "next" ? rows() : [];
    addRows(fresh, r);
    s.open = fresh;
    changes.push({ kind: "start", session: snapshot(fresh), rows: r });
  }

  // 3. Advance: the mode changes up to now are in the past of the next span.
  if (counter !== null) {
    s.modeAtCounter = currentMode(s);
    s.modeChanges = [];
    s.lastCounter = { ts: obs.ts, wh: counter };
  }
  s.lastSeen = { ts: obs.ts, connected: obs.connected, charging: obs.charging ?? false, powerW: obs.powerW ?? null, userId };
  if (obs.mode && obs.mode !== s.deviceMode) {
    s.deviceMode = obs.mode;
    // The device's mode counts from this reading on, like a message at this instant.
    if (currentMode(s) !== obs.mode) {
      if (counter !== null) s.modeAtCounter = obs.mode;
      else s.modeChanges.push({ ts: Math.max(obs.ts, s.modeChanges[s.modeChanges.length - 1]?.ts ?? obs.ts), mode: obs.mode });
    }
  }
  return { state: s, changes, unassignedWh };
}

function adopt(o: OpenSession, userId: string, opts: Pick<MachineOptions, "unitFor">): void {
  o.userId = userId;
  o.unitId = opts.unitFor(userId);
  if (o.unitId === null) addFlag(o, { flag: "unknown-id", id: userId });
}

function addRows(o: OpenSession, rows: IntervalEnergy[]): void {
  for (const r of rows) o.byMode[r.mode] += r.energyWh;
}

function noteOutage(o: OpenSession, fromMs: number, toMs: number, wh: number): void {
  const f = o.flags.find((x): x is Extract<SessionFlag, { flag: "outage" }> => x.flag === "outage");
  if (f) {
    f.count++;
    f.gapMs += toMs - fromMs;
    f.energyWh += wh;
    f.lastFromMs = fromMs;
    f.lastToMs = toMs;
  } else addFlag(o, { flag: "outage", count: 1, gapMs: toMs - fromMs, energyWh: wh, lastFromMs: fromMs, lastToMs: toMs });
}

/**
 * Power reported while the counter stands still: integrated, flagged once it
 * adds up to stallFlagWh. Only pairs charging at both ends count (a car that
 * stops in between is not a stall).
 */
function trackStall(o: OpenSession, prev: MachineState["lastSeen"], obs: ChargerObservation, rise: number | null, opts: MachineOptions): void {
  if (rise === null) return;
  if (rise > 0 || !obs.charging || !prev || !prev.charging || !(prev.powerW && prev.powerW > 0)) {
    o.stall = null;
    return;
  }
  o.stall ??= { sinceMs: prev.ts, powerWh: 0, flagged: false };
  o.stall.powerWh += (prev.powerW * (obs.ts - prev.ts)) / 3_600_000;
  if (!o.stall.flagged && o.stall.powerWh >= opts.stallFlagWh) {
    o.stall.flagged = true;
    const f = o.flags.find((x): x is Extract<SessionFlag, { flag: "counter-stall" }> => x.flag === "counter-stall");
    if (f) {
      f.count++;
      f.sinceMs = o.stall.sinceMs;
      f.powerWh = Math.round(o.stall.powerWh);
    } else addFlag(o, { flag: "counter-stall", count: 1, sinceMs: o.stall.sinceMs, powerWh: Math.round(o.stall.powerWh) });
  }
}

function addFlag(o: OpenSession, f: SessionFlag): void {
  if (o.flags.length < MAX_FLAGS && !o.flags.some((x) => x.flag === f.flag && JSON.stringify(x) === JSON.stringify(f))) o.flags.push(f);
}

function normalId(v: string | null | undefined): string | null {
  if (typeof v !== "string") return null;
  const t = v.trim();
  return t === "" ? null : t;
}

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function clone<T>(v: T): T {
  return structuredClone(v);
}
