import type { NodeMessage } from "node-red";
import { alertLanguage, alertMessage } from "../../lib/alerts/build";
import { DataHealthAlerts } from "../../lib/alerts/data-health";
import { meterHealth } from "../../lib/aggregation/meter-health";
import type { CommunityDefinition } from "../../lib/community/types";
import type { SqliteStore } from "../../lib/store/sqlite-store";
import { DEFAULT_BILLING_RULES } from "../../lib/tariffs/types";
import { sourceCounts } from "../shared/source-counts";
import type { AggregateSettings } from "./config";

/** What zev-aggregate tells its alerts (docs/alerts.md); they go out on its last output. */
export interface AggregateAlerts {
  /** One check of every condition (on the node's timer). */
  check(): void;
  /** The outcome of a backup, scheduled or commanded: null = it worked. */
  backup(err: Error | null): void;
  /** A reading of `meter` that zev-aggregate refused. */
  refused(meter: string): void;
}

export function aggregateAlerts(opts: {
  settings: AggregateSettings;
  communityId: string;
  definition: CommunityDefinition | undefined;
  zone: string;
  store: SqliteStore;
  send: (msg: NodeMessage) => void;
  /** The health report could not be read (reported once until it can again). */
  failed: (e: unknown) => void;
}): AggregateAlerts | null {
  const { settings, communityId, zone, store } = opts;
  if (settings.alertDelayMs <= 0) return null;
  const alerts = new DataHealthAlerts(
    { community: communityId, language: alertLanguage(opts.definition), timeZone: zone },
    {
      delayMs: settings.alertDelayMs,
      minCoverage: opts.definition?.billing?.minCoverage ?? DEFAULT_BILLING_RULES.minCoverage,
      burstCount: settings.alertBurstCount,
    },
  );
  const refused = new Map<string, number>();
  let failing = false;
  const check = (): void => {
    const now = Date.now();
    let health = null;
    try {
      health = meterHealth(store, communityId, now, zone, sourceCounts(communityId));
      failing = false;
    } catch (e) {
      if (!failing) opts.failed(e);
      failing = true;
    }
    for (const a of alerts.check(health, refused, now)) opts.send(alertMessage(a) as NodeMessage);
  };
  return {
    check,
    backup(err) {
      if (err) alerts.backupFailed(settings.backupFolder, Date.now());
      else alerts.backupSucceeded();
      check();
    },
    refused(meter) {
      refused.set(meter, (refused.get(meter) ?? 0) + 1);
    },
  };
}
