import type { Alert, AlertSubject } from "../model/alert";
import { buildAlert, type AlertContext, type AlertData } from "./build";
import { IncidentTracker } from "./tracker";

/*
 * `device-silent` of a device node (zev-meter-in, zev-charger-weidmueller):
 * no usable value (a meter) or no answer (a charger) for `delayMs`,
 * counted from the last one, or from the node's start when there was none.
 */
export class DeviceSilence {
  private readonly tracker: IncidentTracker<AlertData>;

  constructor(
    private readonly ctx: AlertContext,
    private readonly device: { id: string; kind: "meter" | "charger"; subject: AlertSubject },
    private readonly delayMs: number,
  ) {
    this.tracker = new IncidentTracker(delayMs);
  }

  check(lastAt: number | undefined, startedAt: number, now: number): Alert[] {
    const since = lastAt ?? startedAt;
    const silentMs = now - since;
    const t = this.tracker.observe(`device-silent:${this.device.id}`, silentMs >= this.delayMs, now, {
      code: "device-silent",
      since,
      data: {
        subject: this.device.subject,
        params: { device: this.device.id, minutes: Math.floor(Math.max(0, silentMs) / 60_000) },
        ...(this.device.kind === "charger" ? { variant: "charger" } : {}),
      },
    });
    return t ? [buildAlert(t, this.ctx)] : [];
  }
}

/** The alert timing of a device node's settings: delay in minutes (0 = no alerts, default 15), check in seconds (default 60). */
export function deviceAlertTiming(delayMinutes: unknown, checkSeconds: unknown): { delayMs: number; checkMs: number; invalid: string[] } {
  const invalid: string[] = [];
  const read = (v: unknown, dflt: number, min: number, max: number, name: string): number => {
    if (v === undefined || v === null || v === "") return dflt;
    const n = typeof v === "number" ? v : Number(String(v).replace(",", "."));
    if (Number.isFinite(n) && n >= min && n <= max) return n;
    invalid.push(name);
    return dflt;
  };
  return {
    delayMs: Math.round(read(delayMinutes, 15, 0, 7 * 24 * 60, "alertDelayMinutes") * 60_000),
    checkMs: Math.round(read(checkSeconds, 60, 0.05, 3600, "alertCheckSeconds") * 1000),
    invalid,
  };
}
