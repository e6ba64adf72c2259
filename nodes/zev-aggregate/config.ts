import type { NodeDef } from "node-red";
import { ALLOCATION_METHODS, AllocationMethod } from "../../lib/allocation/allocate";
import { parseClock } from "../../lib/time/tariff-windows";

/** The editor's configuration of a zev-aggregate node, as Node-RED stores it in the flow. */
export interface AggregateConfig extends NodeDef {
  community: string;
  method?: string;
  gapLimitHours?: string | number;
  maxPowerKW?: string | number;
  graceSeconds?: string | number;
  liveSeconds?: string | number;
  backupFolder?: string;
  backupAt?: string;
  backupKeep?: string | number;
  retentionYears?: string | number;
  /** Advanced, not in the editor: commit interval in ms (default 1000). */
  flushMs?: string | number;
  /** Alerts (docs/alerts.md): how long a condition must hold, in minutes (0 = no alerts). */
  alertDelayMinutes?: string | number;
  /** How often the conditions are checked, in seconds. */
  alertCheckSeconds?: string | number;
  /** Rejected values of one meter within the delay that make a burst. */
  alertBurstCount?: string | number;
}

export interface AggregateSettings {
  method: AllocationMethod;
  gapLimitMs: number;
  maxPowerW: number;
  graceMs: number;
  /** 0 = no live output. */
  liveMs: number;
  backupFolder: string;
  /** "HH:MM" local, or "" for no scheduled backup. */
  backupAt: string;
  backupKeep: number;
  retentionYears: number;
  flushMs: number;
  /** 0 = no alerts. */
  alertDelayMs: number;
  alertCheckMs: number;
  alertBurstCount: number;
}

function num(v: string | number | undefined, dflt: number): number {
  if (v === undefined || v === "") return dflt;
  return typeof v === "number" ? v : Number(String(v).replace(",", "."));
}

/** Editor config -> settings, with every problem named (translated by the caller through the keys). */
export function settingsFromConfig(c: AggregateConfig): { settings: AggregateSettings; problems: { key: string; value: string }[] } {
  const problems: { key: string; value: string }[] = [];
  const positive = (key: string, v: string | number | undefined, dflt: number, min: number, max: number): number => {
    const n = num(v, dflt);
    if (!Number.isFinite(n) || n < min || n > max) {
      problems.push({ key, value: String(v) });
      return dflt;
    }
    return n;
  };
  // The split is the community's (splitMethod, decision 0071): an old value here never stops the node.
  const method = (c.method || "proportional") as AllocationMethod;
  const backupAt = (c.backupAt ?? "").trim();
  if (backupAt) {
    try {
      if (parseClock(backupAt) >= 24 * 60) throw new RangeError("24:00");
    } catch {
      problems.push({ key: "backupAt", value: backupAt });
    }
  }
  return {
    settings: {
      method: ALLOCATION_METHODS.includes(method) ? method : "proportional",
      gapLimitMs: positive("gapLimitHours", c.gapLimitHours, 3, 0.25, 24 * 31) * 3600_000,
      maxPowerW: positive("maxPowerKW", c.maxPowerKW, 1000, 1, 1e6) * 1000,
      graceMs: positive("graceSeconds", c.graceSeconds, 300, 0, 86_400) * 1000,
      liveMs: positive("liveSeconds", c.liveSeconds, 5, 0, 3600) * 1000,
      backupFolder: (c.backupFolder ?? "").trim(),
      backupAt,
      backupKeep: Math.round(positive("backupKeep", c.backupKeep, 7, 1, 1000)),
      retentionYears: positive("retentionYears", c.retentionYears, 10, 1, 100),
      flushMs: positive("flushMs", c.flushMs, 1000, 10, 60_000),
      alertDelayMs: Math.round(positive("alertDelayMinutes", c.alertDelayMinutes, 15, 0, 7 * 24 * 60) * 60_000),
      alertCheckMs: Math.round(positive("alertCheckSeconds", c.alertCheckSeconds, 60, 0.05, 3600) * 1000),
      alertBurstCount: Math.round(positive("alertBurstCount", c.alertBurstCount, 10, 1, 1e6)),
    },
    problems,
  };
}

/**
 * The solar split zev-aggregate uses: always the community's (its Tariffs
 * tab, which billing uses too), so that the dashboard's quarter hours and
 * the invoices split alike (decision 0071). A split set on the node by an
 * earlier version is reported when it differs, never used.
 */
export function splitMethod(community: string | undefined, nodeSetting: string | undefined): { method: AllocationMethod; ignored?: string } {
  const method: AllocationMethod = ALLOCATION_METHODS.includes(community as AllocationMethod) ? (community as AllocationMethod) : "proportional";
  const old = (nodeSetting ?? "").trim();
  return old && old !== method ? { method, ignored: old } : { method };
}
