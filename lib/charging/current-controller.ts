import { currentLimit, type CurrentControlOptions, type LimitReason } from "./current-control";
import type { ChargeMode } from "../model/charging-session";

export interface ControlResult {
  amps: number;
  reason: LimitReason;
  at: number;
  /** Why the write failed, if it did. */
  error?: string;
}

/**
 * Keeps a charger under external current control: on every `apply()` (a
 * timer well inside the heartbeat, and at once on a mode or surplus change)
 * it computes the limit for the mode in force and writes it. The write
 * function carries the device specifics (AC SMART: heartbeat + 11052).
 */
export class CurrentController {
  private surplus: { w: number; ts: number } | null = null;
  last?: ControlResult;

  constructor(
    private readonly write: (amps: number) => Promise<void>,
    private readonly opts: CurrentControlOptions,
    private readonly mode: () => ChargeMode,
    private readonly now: () => number,
  ) {}

  setSurplus(w: number): void {
    this.surplus = { w, ts: this.now() };
  }

  async apply(): Promise<ControlResult> {
    const at = this.now();
    const { amps, reason } = currentLimit(this.mode(), this.surplus, at, this.opts);
    try {
      await this.write(amps);
      this.last = { amps, reason, at };
    } catch (e) {
      this.last = { amps, reason, at, error: (e as Error).message };
    }
    return this.last;
  }
}
