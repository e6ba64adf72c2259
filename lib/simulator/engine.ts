import { chargerState, commonAreaPowerW, householdPowerW, solarPowerW } from "./curves";
import { SiteModel, siteMeters } from "./site";

/*
 * The simulated building over time: the curves give each consumer's power,
 * a battery takes the surplus and covers the deficit, the grid meter sees
 * the rest, the charger follows its cars' plans and an external current
 * limit. Power is integrated into counters (Wh, never decreasing) step by
 * step, so every counter a device server or a backfill reports is the exact
 * integral of the powers it reported before. The whole state fits in a small
 * JSON (SimState): a restart continues where the last run stopped.
 */

export interface MeterCounters {
  importWh: number;
  exportWh: number;
}

export interface ChargerSession {
  rfid: string;
  startMs: number;
  /** Energy of this session so far, Wh. */
  energyWh: number;
}

export interface SimState {
  version: 1;
  /** Simulated instant the counters belong to, epoch ms. */
  ts: number;
  counters: Record<string, MeterCounters>;
  batterySocWh: number;
  session: ChargerSession | null;
}

/** What a meter shows at the current instant. */
export interface MeterSnapshot {
  meter: string;
  /** Counters in kWh, whole Wh (what a meter display or register shows). */
  importKWh: number;
  exportKWh: number;
  /** Instantaneous power in the import direction, W (negative = export). */
  powerW: number;
}

/** What the charger emulation reports. */
export interface ChargerView {
  /** IEC 61851: A = no car, B = car connected, not charging, C = charging. */
  carState: "A" | "B" | "C";
  powerW: number;
  /** Lifetime energy, Wh. */
  energyWh: number;
  rfid: string | null;
  session: ChargerSession | null;
  /** The external current limit in force (A), null when the charger follows its own maximum. */
  limitA: number | null;
}

interface Powers {
  byMeter: Map<string, number>;
  /** Battery: + charging, - discharging (AC side). */
  batteryW: number;
  chargerW: number;
  carState: "A" | "B" | "C";
  rfid: string | null;
}

export const DEFAULT_STEP_MS = 1000;

export class SiteSimulator {
  private st: SimState;
  private powers: Powers;
  /** External current limit (A) and until when it holds (heartbeat), simulated ms. */
  private limit: { amps: number; untilMs: number } | null = null;

  constructor(
    readonly site: SiteModel,
    startMs: number,
    state?: SimState | null,
  ) {
    this.st = state && state.version === 1 ? structuredClone(state) : SiteSimulator.initialState(site, startMs);
    for (const m of siteMeters(site)) {
      if (!this.st.counters[m.id]) {
        const init = site.initialKWh[m.id] ?? { importKWh: 0, exportKWh: 0 };
        this.st.counters[m.id] = { importWh: init.importKWh * 1000, exportWh: init.exportKWh * 1000 };
      }
    }
    this.powers = this.powersAt(this.st.ts, 0);
  }

  static initialState(site: SiteModel, startMs: number): SimState {
    const counters: Record<string, MeterCounters> = {};
    for (const m of siteMeters(site)) {
      const init = site.initialKWh[m.id] ?? { importKWh: 0, exportKWh: 0 };
      counters[m.id] = { importWh: init.importKWh * 1000, exportWh: init.exportKWh * 1000 };
    }
    return { version: 1, ts: startMs, counters, batterySocWh: site.battery ? site.battery.capacityWh / 2 : 0, session: null };
  }

  get now(): number {
    return this.st.ts;
  }

  /** A copy of the state, for the state file. */
  state(): SimState {
    return structuredClone(this.st);
  }

  /**
   * Integrates from the current instant to `toMs` in steps of `stepMs`
   * (power held over each step). Going backwards does nothing: counters never
   * run back.
   */
  advanceTo(toMs: number, stepMs = DEFAULT_STEP_MS): void {
    if (!(stepMs > 0)) throw new RangeError("stepMs must be positive");
    while (this.st.ts < toMs) {
      const dt = Math.min(stepMs, toMs - this.st.ts);
      this.powers = this.powersAt(this.st.ts, dt);
      this.integrate(this.powers, dt);
      this.st.ts += dt;
    }
    this.powers = this.powersAt(this.st.ts, 0);
  }

  /** Every meter's counters and power now. */
  snapshot(): MeterSnapshot[] {
    return siteMeters(this.site).map((m) => this.meter(m.id));
  }

  meter(id: string): MeterSnapshot {
    const c = this.st.counters[id];
    if (!c) throw new RangeError(`no simulated meter ${id}`);
    return {
      meter: id,
      importKWh: Math.floor(c.importWh) / 1000,
      exportKWh: Math.floor(c.exportWh) / 1000,
      powerW: Math.round(this.powers.byMeter.get(id) ?? 0),
    };
  }

  charger(): ChargerView | null {
    const ch = this.site.charger;
    if (!ch) return null;
    return {
      carState: this.powers.carState,
      powerW: Math.round(this.powers.chargerW),
      energyWh: Math.floor(this.st.counters[ch.meter.id]!.importWh),
      rfid: this.powers.rfid,
      session: this.st.session ? { ...this.st.session, energyWh: Math.floor(this.st.session.energyWh) } : null,
      limitA: this.limit && this.limit.untilMs > this.st.ts ? this.limit.amps : null,
    };
  }

  /**
   * An external current limit (the AC SMART's register 11052): 0 pauses
   * charging, 6..max limits it. It holds for `holdMs` (the heartbeat), then
   * the charger falls back to its own maximum.
   */
  setCurrentLimit(amps: number, holdMs: number): void {
    this.limit = { amps: Math.max(0, amps), untilMs: this.st.ts + holdMs };
    this.powers = this.powersAt(this.st.ts, 0);
  }

  private chargerLimitW(tMs: number): number {
    const ch = this.site.charger!;
    const amps = this.limit && this.limit.untilMs > tMs ? Math.min(this.limit.amps, ch.maxCurrentA) : ch.maxCurrentA;
    // IEC 61851: below 6 A a car does not charge.
    return amps < 6 ? 0 : amps * ch.phases * ch.voltageV;
  }

  /** Powers over [t, t + dt); with dt = 0 only the instant (no state change). */
  private powersAt(t: number, dt: number): Powers {
    const s = this.site;
    const byMeter = new Map<string, number>();
    const pv = solarPowerW(t, s.pv.plant);
    byMeter.set(s.pv.meter.id, pv);
    let consumption = 0;
    for (const h of s.households) {
      const p = householdPowerW(t, h.household, s.zone);
      byMeter.set(h.meter.id, p);
      consumption += p;
    }
    if (s.common) {
      const p = commonAreaPowerW(t, s.zone);
      byMeter.set(s.common.meter.id, p);
      consumption += p;
    }
    let chargerW = 0;
    let carState: Powers["carState"] = "A";
    let rfid: string | null = null;
    if (s.charger) {
      const sessionWh = this.st.session?.energyWh ?? 0;
      const plan = s.charger.plans.find((p) => chargerState(t, p, this.st.session?.rfid === p.rfid ? sessionWh : 0, s.zone).connected);
      if (plan) {
        const cs = chargerState(t, plan, this.st.session?.rfid === plan.rfid ? sessionWh : 0, s.zone);
        rfid = plan.rfid;
        chargerW = cs.charging ? Math.min(cs.powerW, this.chargerLimitW(t)) : 0;
        carState = chargerW > 0 ? "C" : "B";
      }
      if (dt > 0) {
        // Sessions begin when a car is plugged in and end when it leaves (or another car comes).
        if (!rfid) this.st.session = null;
        else if (this.st.session?.rfid !== rfid) this.st.session = { rfid, startMs: t, energyWh: 0 };
      }
      byMeter.set(s.charger.meter.id, chargerW);
      consumption += chargerW;
    }
    let batteryW = 0;
    if (s.battery) {
      const b = s.battery;
      const surplus = pv - consumption;
      // Power limited by the inverter only: a full battery takes nothing, an empty one gives nothing
      // (a step may overshoot by a few Wh, which the state of charge absorbs).
      if (surplus > 0 && this.st.batterySocWh < b.capacityWh) batteryW = Math.min(surplus, b.maxChargeW);
      else if (surplus < 0 && this.st.batterySocWh > b.reserveWh) batteryW = -Math.min(-surplus, b.maxDischargeW);
      byMeter.set(b.meter.id, batteryW);
    }
    const grid = consumption + batteryW - pv + s.grid.unmeteredW;
    byMeter.set(s.grid.meter.id, grid);
    return { byMeter, batteryW, chargerW, carState, rfid };
  }

  private integrate(p: Powers, dtMs: number): void {
    const h = dtMs / 3_600_000;
    for (const [id, w] of p.byMeter) {
      const c = this.st.counters[id]!;
      if (w >= 0) c.importWh += w * h;
      else c.exportWh += -w * h;
    }
    if (this.site.battery) {
      const eff = Math.sqrt(this.site.battery.efficiency);
      this.st.batterySocWh += p.batteryW >= 0 ? p.batteryW * h * eff : (p.batteryW * h) / eff;
      this.st.batterySocWh = Math.min(this.site.battery.capacityWh, Math.max(0, this.st.batterySocWh));
    }
    if (this.st.session) this.st.session.energyWh += p.chargerW * h;
  }
}
