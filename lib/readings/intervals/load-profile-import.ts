import { audit } from "../../store/audit-repo";
import type { Store } from "../../store/store";
import { latestCommunity } from "../../store/community-repo";
import { listInvoices } from "../../store/invoice-repo";
import { upsertIntervals } from "../../store/interval-repo";
import type { IntervalEnergy } from "../../model/interval-energy";
import { getMeter } from "../../store/meter-repo";
import { DEFAULT_TIME_ZONE, localDateOf } from "../../time/local-date";
import { LoadProfileError, orientLoadProfile, type MeterDirection, type OrientedLoadProfile, type ParsedLoadProfile } from "./load-profile-csv";
import { feedInIsPrimary } from "../../model/meter";
import type { MeterDefinition } from "../../community/types";
import type { MeterRole } from "../../model/meter";
import { importSdat, type SdatImportReport } from "../../operator/sdat-import";
import type { SdatObservation, SdatSeries } from "../../operator/sdat";
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
  /** A file with a quality column is merged by the SDAT rules: per meter and direction stored, replaced, kept, unchanged, by quality. */
  merge?: SdatImportReport;
}

/**
 * The community meter a file's metering-point column names: the meter with
 * that meteringPoint (as SDAT-CH maps), else the meter with that id.
 */
export function meterForKey(store: Store, communityId: string, key: string): MeterDefinition | undefined {
  const meters = latestCommunity(store, communityId)?.definition.meters ?? [];
  return meters.find((m) => m.meteringPoint === key) ?? meters.find((m) => m.id === key);
}

function roleOf(store: Store, communityId: string, key: string): MeterRole | undefined {
  return (meterForKey(store, communityId, key) ?? getMeter(store, communityId, key))?.role;
}

/** The profile in the store's directions for the meters' roles as the community has them now (throws LoadProfileError). */
export function orientForStore(store: Store, communityId: string, p: ParsedLoadProfile, fileName?: string): OrientedLoadProfile {
  const o = orientLoadProfile(p, (meter) => roleOf(store, communityId, meter), fileName);
  // Issued invoices never change: new values in their period show only as differences on the next billing run.
  const zone = latestCommunity(store, communityId)?.definition.timeZone ?? DEFAULT_TIME_ZONE;
  const from = localDateOf(p.fromMs, zone);
  const to = localDateOf(p.toMs - 1, zone);
  const issued = listInvoices(store, communityId, { from, to }).filter((i) => i.kind === "invoice" && (i.status === "issued" || i.status === "paid"));
  if (issued.length) {
    const periods = [...new Set(issued.map((i) => `${i.periodFrom}..${i.periodTo}`))].sort();
    o.warnings.push(
      `${fileName ?? "load profile"}: covers ${from}..${to}, of which ${periods.join(", ")} ${periods.length === 1 ? "is" : "are"} already invoiced (${issued.length} issued invoice(s)): they do not change; list the differences with zev invoice corrections and correct them with --apply (credit note and new invoice)`,
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
export function importLoadProfile(
  store: Store,
  communityId: string,
  p: ParsedLoadProfile,
  opts: { actor: string; source: string; nowMs?: number; fileName?: string; dryRun?: boolean },
): LoadProfileImportResult {
  const now = opts.nowMs ?? Date.now();
  if (p.qualityColumn) return importWithQuality(store, communityId, p, { ...opts, nowMs: now });
  const oriented = orientForStore(store, communityId, p, opts.fileName ?? opts.source);
  const ids = new Map<string, { id: number; registered: boolean; rows: number }>();
  for (const key of p.meters) {
    const { meter, registered } = ensureMeter(store, communityId, meterForKey(store, communityId, key)?.id ?? key, opts.actor, now, "a load-profile import");
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
      details: {
        source: opts.source,
        rows: p.rows.length,
        meters: p.meters,
        from: new Date(p.fromMs).toISOString(),
        to: new Date(p.toMs).toISOString(),
        timestampIs: p.timestampIs,
        directions: oriented.directions,
        warnings: oriented.warnings.length,
      },
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

/**
 * A file with a quality column (BKW: Messdatengüte) carries substitutes and
 * gaps: it is merged by the one rule of the SDAT-CH import (importSdat,
 * docs/operator-data.md "Merge rules"), as a document created at the import
 * time: a substitute or placeholder never overwrites a measured value, a
 * later true value replaces a substitute, identical data changes nothing.
 * Only meters of the community take part (by meteringPoint, else id): a
 * substitute for a meter nobody configured has nothing to be merged with.
 */
function importWithQuality(
  store: Store,
  communityId: string,
  p: ParsedLoadProfile,
  opts: { actor: string; source: string; nowMs: number; fileName?: string; dryRun?: boolean },
): LoadProfileImportResult {
  const file = opts.fileName ?? opts.source;
  const defs = new Map<string, MeterDefinition>();
  for (const key of p.meters) {
    const def = meterForKey(store, communityId, key);
    if (!def) {
      throw new LoadProfileError(
        `${file}: ${key} is no meter of community ${communityId} (neither a meteringPoint nor a meter id); a file with a quality column (${JSON.stringify(p.qualityColumn)}) is merged only into configured meters: add the meter with its meteringPoint to the community (zev community import) and import the file again`,
      );
    }
    defs.set(key, def);
  }
  const oriented = orientLoadProfile(p, (key) => defs.get(key)!.role, file);
  const series: SdatSeries[] = [];
  const byMeter = new Map<string, typeof oriented.rows>();
  for (const r of oriented.rows) {
    const list = byMeter.get(r.meter) ?? [];
    list.push(r);
    byMeter.set(r.meter, list);
  }
  for (const d of oriented.directions) {
    const list = byMeter.get(d.meter) ?? [];
    const def = defs.get(d.meter)!;
    // The primary direction lands in the import column (importSdat's rule: production is primary for a production meter).
    const primary: SdatSeries["direction"] = feedInIsPrimary(def.role) ? "production" : "consumption";
    const reverse: SdatSeries["direction"] = primary === "production" ? "consumption" : "production";
    const obs = (pick: (r: (typeof list)[number]) => number | null): SdatObservation[] =>
      list
        // an empty cell of the reverse direction was never delivered: it stays empty, not 0 and not a gap
        .filter((r) => pick(r) !== null || r.quality === "missing")
        .map((r, i) => ({
          sequence: i + 1,
          startMs: r.startMs,
          wh: r.quality === "missing" ? null : pick(r),
          quality: r.quality ?? "measured",
          condition: null,
          unknownCondition: false,
        }));
    const mk = (direction: SdatSeries["direction"], observations: SdatObservation[]): SdatSeries => ({
      meteringPoint: d.meter,
      direction,
      startMs: p.fromMs,
      endMs: p.toMs,
      product: null,
      observations,
    });
    series.push(
      mk(
        primary,
        obs((r) => r.importWh),
      ),
    );
    if (d.reverse !== null)
      series.push(
        mk(
          reverse,
          obs((r) => r.exportWh),
        ),
      );
  }
  const report = importSdat(
    store,
    communityId,
    { fileName: file, version: "csv", documentId: `${opts.source}@${new Date(opts.nowMs).toISOString()}`, createdMs: opts.nowMs, series, notes: [] },
    { actor: opts.actor, nowMs: opts.nowMs, dryRun: opts.dryRun, meterOf: (key) => defs.get(key), auditAction: "load-profile.imported" },
  );
  const rowsOf = (key: string): number => byMeter.get(key)?.length ?? 0;
  return {
    rows: p.rows.length,
    meters: p.meters.map((meter) => ({ meter, rows: rowsOf(meter), registered: false })),
    fromMs: p.fromMs,
    toMs: p.toMs,
    directions: oriented.directions,
    warnings: [...oriented.warnings, ...report.warnings],
    merge: report,
  };
}
