import { BREAK_CONFIRMATIONS } from "../readings/counter-break";
import {
  addSessionEnergy,
  getSession,
  insertSession,
  loadChargerState,
  saveChargerState,
  sessionsOfCharger,
  updateSession,
} from "../store/charger-session-repo";
import type { Store } from "../store/store";
import {
  currentMode,
  initialState,
  reattribute,
  setMode,
  snapshot,
  step,
  type MachineOptions,
  type MachineState,
  type SessionSnapshot,
  type StepResult,
} from "./session-machine";
import type { ChargerObservation } from "./types";
import type { ChargeMode } from "../model/charging-session";

export interface ChargerSessionsOptions extends MachineOptions {
  store: Store;
  communityId: string;
  chargerKey: string;
  /** Mode of a charger seen for the first time. */
  defaultMode: ChargeMode;
}

/**
 * One charger's sessions in the store: the session machine's state is
 * loaded on start and saved after every step in the same transaction as the
 * session and interval rows the step produced. A step whose write fails
 * leaves the state as it was (the next reading covers the same energy), so a
 * restart or a crash neither loses nor double counts energy.
 */
export class ChargerSessions {
  private state: MachineState;
  /** What was repaired while loading, in English, for the log. */
  readonly notes: string[] = [];

  constructor(
    private readonly o: ChargerSessionsOptions,
    nowMs: number,
  ) {
    const { store, communityId, chargerKey } = o;
    this.state = store.write(() => {
      let s = parseState(loadChargerState(store, communityId, chargerKey)) ?? initialState(o.defaultMode);
      if (s.open?.id != null && getSession(store, s.open.id)?.status !== "open") {
        this.notes.push(`session ${s.open.id} was no longer open in the database; continuing without it`);
        s = { ...s, open: null };
      }
      // An open row that the saved state does not know (state lost): end it where it was last written.
      for (const row of sessionsOfCharger(store, communityId, chargerKey)) {
        if (row.status !== "open" || row.id === s.open?.id) continue;
        updateSession(store, row.id, { ...row, status: "aborted", endedMs: row.updatedMs, flags: [...row.flags, { flag: "state-lost", atMs: nowMs }] }, nowMs);
        this.notes.push(`session ${row.id} was open without saved state and has been aborted`);
      }
      const re = reattribute(s, o, nowMs);
      if (re.changed) {
        s = re.state;
        updateSession(store, s.open!.id!, snapshot(s.open!), nowMs);
      }
      saveChargerState(store, communityId, chargerKey, s, nowMs);
      return s;
    });
  }

  get mode(): ChargeMode {
    return currentMode(this.state);
  }

  get open(): SessionSnapshot | null {
    return this.state.open ? snapshot(this.state.open) : null;
  }

  get lastSeen(): MachineState["lastSeen"] {
    return this.state.lastSeen;
  }

  get lastCounter(): MachineState["lastCounter"] {
    return this.state.lastCounter;
  }

  /** The counter readings held as a possible new counter (lib/readings/counter-break.ts), if any. */
  get pendingBreak(): { valueWh: number; count: number; needed: number } | null {
    const c = this.state.suspect;
    if (!c || c.samples.length === 0) return null;
    return { valueWh: c.samples[c.samples.length - 1]!.imp, count: c.samples.length, needed: BREAK_CONFIRMATIONS };
  }

  /** Applies a reading; returns what changed, with database ids filled in. */
  observe(obs: ChargerObservation, nowMs: number): StepResult {
    const res = step(this.state, obs, this.o);
    if (res.ignored) return res;
    const { store, communityId, chargerKey } = this.o;
    store.write(() => {
      for (const c of res.changes) {
        if (c.session.id === null) {
          c.session.id = insertSession(store, communityId, chargerKey, c.session, nowMs);
          if (res.state.open?.ref === c.session.ref) res.state.open.id = c.session.id;
        } else updateSession(store, c.session.id, c.session, nowMs);
        addSessionEnergy(store, c.session.id, c.rows);
      }
      saveChargerState(store, communityId, chargerKey, res.state, nowMs);
    });
    this.state = res.state;
    return res;
  }

  /** Switches the mode from `ts` on; true if it changed. */
  setMode(mode: ChargeMode, ts: number, nowMs: number): boolean {
    const res = setMode(this.state, mode, ts);
    if (!res.changed) return false;
    this.o.store.write(() => saveChargerState(this.o.store, this.o.communityId, this.o.chargerKey, res.state, nowMs));
    this.state = res.state;
    return true;
  }
}

/** A saved state, or undefined when there is none or it is not one this version wrote. */
function parseState(raw: unknown): MachineState | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const s = raw as Partial<MachineState>;
  if (s.v !== 1 || !Array.isArray(s.modeChanges) || typeof s.nextRef !== "number") return undefined;
  return s as MachineState;
}
