import type { CommunityDefinition } from "../community/types";
import { audit } from "../store/audit-repo";
import { latestCommunity } from "../store/community-repo";
import { upsertOperatorSplit, type OperatorSplitRow } from "../store/leg-repo";
import { getMeter, upsertMeter } from "../store/meter-repo";
import type { Store } from "../store/store";
import { INTERVAL_MS } from "../time/interval";
import { SdatError, type SdatDocument, type SdatQuality } from "./sdat";

/*
 * The grid operator's per-member split of a LEG (docs/decisions/0132): for
 * each member's metering point and quarter hour the local share and the
 * residual, delivered as SDAT-CH series with their own product ids (E66).
 * Which product is which differs between operators, so the community names
 * them (`legProducts`). They go to their own table, never into the metered
 * intervals; the merge rule is the import's (a substitute never overwrites a
 * true value).
 */

export interface LegSplitSeriesReport {
  meteringPoint: string;
  meter: string;
  product: string;
  share: "local" | "residual";
  fromMs: number;
  toMs: number;
  observations: number;
  stored: number;
  replaced: number;
  kept: number;
  /** Placeholders: no value, nothing stored. */
  placeholders: number;
  byQuality: Record<SdatQuality, number>;
}

/** The product ids the community names as local or residual, or an empty set. */
export function legSplitProducts(def: CommunityDefinition | undefined): Set<string> {
  return new Set([...(def?.legProducts?.local ?? []), ...(def?.legProducts?.residual ?? [])]);
}

/** Merges a document's split series; call inside the file's transaction. */
export function importLegSplit(
  store: Store,
  communityId: string,
  doc: SdatDocument,
  opts: { actor: string; dryRun?: boolean; nowMs?: number },
): { series: LegSplitSeriesReport[]; notes: string[] } {
  const now = opts.nowMs ?? Date.now();
  const file = doc.fileName;
  const def = latestCommunity(store, communityId)?.definition;
  const local = new Set(def?.legProducts?.local ?? []);
  const byPoint = new Map((def?.meters ?? []).filter((m) => m.meteringPoint).map((m) => [m.meteringPoint!, m]));
  const unknown = [...new Set((doc.splitSeries ?? []).map((s) => s.meteringPoint).filter((p) => !byPoint.has(p)))];
  if (unknown.length)
    throw new SdatError(
      "sdat.unknownMeteringPoint",
      { file, points: unknown.join(", "), community: communityId },
      `${file}: metering point ${unknown.join(", ")} belongs to no meter of community ${communityId}; nothing of this file was stored: give that meter its meteringPoint in the community and import the file again`,
    );
  const series: LegSplitSeriesReport[] = [];
  const notes: string[] = [];
  for (const s of doc.splitSeries ?? []) {
    const m = byPoint.get(s.meteringPoint)!;
    if (s.direction !== "consumption" || m.role !== "unit") {
      // The split divides a member's draw; a producer's local feed-in share is the suite's own credit computation.
      notes.push(`${s.meteringPoint} product ${s.product}: a ${s.direction} series of a ${m.role} meter is not a member's draw split: not imported`);
      continue;
    }
    const share = local.has(s.product!) ? "local" : "residual";
    const meter = getMeter(store, communityId, m.id) ?? (opts.dryRun ? { id: -1 } : upsertMeter(store, communityId, m, opts.actor, now));
    const byQuality: Record<SdatQuality, number> = { measured: 0, estimated: 0, missing: 0 };
    const rows: OperatorSplitRow[] = [];
    let placeholders = 0;
    for (const o of s.observations) {
      byQuality[o.quality]++;
      if (o.wh === null) {
        placeholders++;
        continue;
      }
      rows.push({ meterId: meter.id, startMs: o.startMs, share, wh: o.wh, quality: o.quality });
    }
    const w = upsertOperatorSplit(store, rows, doc.documentId, now, opts.dryRun ?? false);
    series.push({
      meteringPoint: s.meteringPoint,
      meter: m.id,
      product: s.product!,
      share,
      fromMs: s.observations[0]?.startMs ?? s.startMs,
      toMs: s.observations.length ? s.observations[s.observations.length - 1]!.startMs + INTERVAL_MS : s.endMs,
      observations: s.observations.length,
      ...w,
      placeholders,
      byQuality,
    });
  }
  if (!opts.dryRun && series.length)
    audit(store, {
      communityId,
      actor: opts.actor,
      action: "leg.operatorSplit.imported",
      entity: "sdat_document",
      entityId: doc.documentId,
      details: { file, series: series.map((x) => ({ point: x.meteringPoint, share: x.share, stored: x.stored, replaced: x.replaced, kept: x.kept })) },
      tsMs: now,
    });
  return { series, notes };
}
