import { audit } from "../../store/audit-repo";
import type { Store } from "../../store/store";
import { latestCommunity } from "../../store/community-repo";
import { listInvoices } from "../../store/invoice-repo";
import { upsertIntervals } from "../../store/interval-repo";
import type { IntervalEnergy } from "../../model/interval-energy";
import { getMeter } from "../../store/meter-repo";
import { DEFAULT_TIME_ZONE, localDateOf } from "../../time/local-date";
import { orientLoadProfile, type MeterDirection, type OrientedLoadProfile, type ParsedLoadProfile } from "./load-profile-csv";
import { ensureMeter } from "./register-meter";

export interface LoadProfileImportResult {
  rows: number;
  meters: { meter: string; rows: number; registered: boolean }[];
  fromMs: number;
  toMs: number;
  /** Which file column became each meter's primary (and reverse) direction, by its role. */
  directions: MeterDirection[];
  /** Everything a person should look at: ambiguous local times, repeated rows, suspicious directions. */
  warnings: string[];
}

/** The profile in the store's directions for the meters' roles as the community has them now (throws LoadProfileError). */
export function orientForStore(store: Store, communityId: string, p: ParsedLoadProfile, fileName?: string): OrientedLoadProfile {
  const o = orientLoadProfile(p, (meter) => getMeter(store, communityId, meter)?.role, fileName);
  // Issued invoices never change: new values in their period show only as differences on the next billing run.
  const zone = latestCommunity(store, communityId)?.definition.timeZone ?? DEFAULT_TIME_ZONE;
  const from = localDateOf(p.fromMs, zone);
  const to = localDateOf(p.toMs - 1, zone);
  const issued = listInvoices(store, communityId, { from, to }).filter((i) => i.kind === "invoice" && (i.status === "issued" || i.status === "paid"));
  if (issued.length) {
    const periods = [...new Set(issued.map((i) => `${i.periodFrom}..${i.periodTo}`))].sort();
    o.warnings.push(
      `${fileName ?? "load profile"}: covers ${from}..${to}, of which ${periods.join(", ")} ${periods.length === 1 ? "is" : "are"} already invoiced (${issued.length} issued invoice(s)): they do not change; run zev bill for the differences and correct with credit notes and new invoices`,
    );
  }
  return o;
}

/**
 * Writes a parsed load profile as measured intervals, in one transaction.
 * The operator's values replace what the store held for the same meter and
 * quarter hour (they are the billing reference); re-importing a file
 * changes nothing. Each meter's energy goes into its primary direction by
 * its role (orientLoadProfile); nothing is written when that cannot be done
 * without a silent zero.
 */
export function importLoadProfile(store: Store, communityId: string, p: ParsedLoadProfile, opts: { actor: string; source: string; nowMs?: number; fileName?: string }): LoadProfileImportResult {
  const now = opts.nowMs ?? Date.now();
  const oriented = orientForStore(store, communityId, p, opts.fileName ?? opts.source);
  const ids = new Map<string, { id: number; registered: boolean; rows: number }>();
  for (const key of p.meters) {
    const { meter, registered } = ensureMeter(store, communityId, key, opts.actor, now, "a load-profile import");
    ids.set(key, { id: meter.id, registered, rows: 0 });
  }
  const rows: IntervalEnergy[] = oriented.rows.map((r) => {
    const m = ids.get(r.meter)!;
    m.rows++;
    return { meterId: m.id, startMs: r.startMs, importWh: r.importWh, exportWh: r.exportWh, quality: "measured" };
  });
  store.write(() => {
    upsertIntervals(store, rows, now);
    audit(store, {
      communityId,
      actor: opts.actor,
      action: "load-profile.imported",
      entity: "intervals",
      details: { source: opts.source, rows: p.rows.length, meters: p.meters, from: new Date(p.fromMs).toISOString(), to: new Date(p.toMs).toISOString(), timestampIs: p.timestampIs, directions: oriented.directions, warnings: oriented.warnings.length },
      tsMs: now,
    });
  });
  return {
    rows: p.rows.length,
    meters: [...ids].map(([meter, m]) => ({ meter, rows: m.rows, registered: m.registered })),
    fromMs: p.fromMs,
    toMs: p.toMs,
    directions: oriented.directions,
    warnings: oriented.warnings,
  };
}

