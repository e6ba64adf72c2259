import type { MeterDefinition } from "../community/types";
import type { MeterRole } from "../model/meter";
import { feedInIsPrimary } from "../model/meter";
import { qualityRank, worstQuality } from "../model/quality";
import { audit } from "../store/audit-repo";
import { latestCommunity } from "../store/community-repo";
import { listInvoices } from "../store/invoice-repo";
import { localDateOf } from "../time/local-date";
import type { Quality } from "../model/quality";
import { meterIntervals } from "../store/interval-repo";
import { getMeter, upsertMeter } from "../store/meter-repo";
import { operatorDeliveries, writeOperatorMerge, type MergedInterval, type OperatorDelivery, type StoreDirection } from "../store/operator-delivery-repo";
import type { Store } from "../store/store";
import { INTERVAL_MS } from "../time/interval";
import type { LegSplitSeriesReport } from "./leg-split";
import { SdatError, type SdatDocument, type SdatQuality } from "./sdat";

/** What happened to the observations of one series (one metering point and direction) of a file. */
export interface SdatSeriesReport {
  meteringPoint: string;
  meter: string;
  role: MeterRole;
  /** The document's direction: consumption = drawn from the grid, production = fed in. */
  direction: "consumption" | "production";
  /** The intervals column it went into (by the meter's role, feedInIsPrimary). */
  column: StoreDirection;
  fromMs: number;
  toMs: number;
  observations: number;
  /** Written where the store had no value. */
  stored: number;
  /** Written over a different stored value (a better quality, or a later document of the same quality). */
  replaced: number;
  /** Identical to what was stored: nothing changed. */
  unchanged: number;
  /** Not taken: the stored value is better, or from a later document. */
  kept: number;
  byQuality: Record<SdatQuality, number>;
  /** Condition codes not in CONDITION_QUALITY, read as not a true value, with their count. */
  unknownConditions: Record<string, number>;
  /** True values replaced by the true values of a later document (the first few). */
  trueValueReplacements: { startMs: number; oldWh: number; newWh: number; previousDocument: string | null }[];
  trueValuesReplaced: number;
}

export interface SdatImportReport {
  fileName: string;
  documentId: string;
  version: string;
  createdMs: number;
  dryRun: boolean;
  series: SdatSeriesReport[];
  notes: string[];
  warnings: string[];
  /** A LEG's per-member split series of the file (E66 local/residual, lib/operator/leg-split.ts); absent when it had none. */
  legSplit?: LegSplitSeriesReport[];
}

const SAMPLE = 20;

/**
 * Merges one parsed SDAT-CH document into the interval store, in one
 * transaction (nothing is written when anything fails; docs/operator-data.md
 * "Merge rules"): per quarter hour and direction the better quality wins
 * (a substitute or placeholder never overwrites a measured value, a true
 * value replaces a substitute); of two values of the same quality the later
 * document (Creation) wins; identical data changes nothing. Values from the
 * community's own meters count as older than any operator document.
 */
export function importSdat(
  store: Store,
  communityId: string,
  doc: SdatDocument,
  opts: {
    actor: string;
    dryRun?: boolean;
    nowMs?: number;
    /** The meter a series' metering point stands for; default: the meter whose meteringPoint it is (a load-profile CSV also names meters by id). */
    meterOf?: (point: string) => MeterDefinition | undefined;
    /** The audit action; a load-profile CSV with a quality column merges by these rules too. */
    auditAction?: string;
  },
): SdatImportReport {
  const now = opts.nowMs ?? Date.now();
  const file = doc.fileName;
  const community = latestCommunity(store, communityId);
  if (!community) {
    throw new SdatError(
      "sdat.noCommunity",
      { file, community: communityId },
      `${file}: community ${communityId} is not in ${store.path}; import the community first (zev community import)`,
    );
  }
  const byPoint = new Map<string, MeterDefinition>();
  for (const m of community.definition.meters ?? []) if (m.meteringPoint) byPoint.set(m.meteringPoint, m);
  const points = [...new Set(doc.series.map((s) => s.meteringPoint))];
  const meterOf = opts.meterOf ?? ((p: string): MeterDefinition | undefined => byPoint.get(p));
  const unknown = points.filter((p) => !meterOf(p));
  if (unknown.length === points.length) {
    throw new SdatError(
      "sdat.otherCommunity",
      { file, points: unknown.join(", "), community: communityId },
      `${file}: no meter of community ${communityId} has metering point ${unknown.join(", ")}: the document is for another community, or the meter lacks its meteringPoint; give the meter its metering point in the community (zev community import) and import the file again`,
    );
  }
  if (unknown.length) {
    throw new SdatError(
      "sdat.unknownMeteringPoint",
      { file, points: unknown.join(", "), community: communityId },
      `${file}: metering point ${unknown.join(", ")} belongs to no meter of community ${communityId}; nothing of this file was stored: give that meter its meteringPoint in the community and import the file again`,
    );
  }

  const warnings: string[] = [];
  const reports: SdatSeriesReport[] = [];
  const deliveries: OperatorDelivery[] = [];
  // rows per meter id and start, so that two series of one quarter hour (both directions) end in one row
  const rows = new Map<string, WorkRow>();
  const taken = new Set<string>();

  const run = (): void => {
    for (const s of doc.series) {
      const def = meterOf(s.meteringPoint)!;
      // saveCommunity mirrors the definition's meters into the meters table; a dry run creates nothing (id -1 reads nothing)
      const meter = getMeter(store, communityId, def.id) ?? (opts.dryRun ? { id: -1 } : upsertMeter(store, communityId, def, opts.actor, now));
      const column: StoreDirection = (s.direction === "production") === feedInIsPrimary(def.role) ? "import" : "export";
      const report: SdatSeriesReport = {
        meteringPoint: s.meteringPoint,
        meter: def.id,
        role: def.role,
        direction: s.direction,
        column,
        fromMs: s.observations.length ? s.observations[0]!.startMs : s.startMs,
        toMs: s.observations.length ? s.observations[s.observations.length - 1]!.startMs + INTERVAL_MS : s.endMs,
        observations: s.observations.length,
        stored: 0,
        replaced: 0,
        unchanged: 0,
        kept: 0,
        byQuality: { measured: 0, estimated: 0, missing: 0 },
        unknownConditions: {},
        trueValueReplacements: [],
        trueValuesReplaced: 0,
      };
      reports.push(report);
      if (!s.observations.length) continue;
      const from = report.fromMs;
      const to = report.toMs;
      const existing = new Map(meterIntervals(store, meter.id, from, to).map((r) => [r.startMs, r]));
      const delivered = new Map(operatorDeliveries(store, meter.id, from, to).map((d) => [`${d.startMs}:${d.direction}`, d]));
      for (const o of s.observations) {
        report.byQuality[o.quality]++;
        if (o.unknownCondition && o.condition) report.unknownConditions[o.condition] = (report.unknownConditions[o.condition] ?? 0) + 1;
        const key = `${meter.id}:${o.startMs}`;
        const cellKey = `${key}:${column}`;
        if (taken.has(cellKey)) {
          throw new SdatError(
            "sdat.sequence",
            { file, point: s.meteringPoint, sequence: o.sequence },
            `${file}: ${s.meteringPoint} (${s.direction}) delivers ${new Date(o.startMs).toISOString()} twice in this document; ask the grid operator for a corrected file`,
          );
        }
        taken.add(cellKey);
        const row = rows.get(key) ?? fromStored(meter.id, o.startMs, existing.get(o.startMs), delivered);
        const cur = cellOf(row, column);
        const prev = cur.delivery;
        const fromOperator = prev !== undefined;
        const curQuality: Quality | null = cur.quality;
        const incoming: Quality = o.quality;
        let take: boolean;
        if (curQuality === null || (cur.wh === null && curQuality !== "missing")) {
          take = true;
          report.stored++;
        } else if (o.wh === cur.wh && incoming === curQuality) {
          take = false;
          report.unchanged++;
        } else if (qualityRank(incoming) < qualityRank(curQuality)) {
          take = true;
          report.replaced++;
        } else if (qualityRank(incoming) > qualityRank(curQuality)) {
          take = false;
          report.kept++;
        } else if (!fromOperator || doc.createdMs > prev.createdMs) {
          take = true;
          report.replaced++;
          if (incoming === "measured" && cur.wh !== null && o.wh !== null) {
            report.trueValuesReplaced++;
            if (report.trueValueReplacements.length < SAMPLE)
              report.trueValueReplacements.push({ startMs: o.startMs, oldWh: cur.wh, newWh: o.wh, previousDocument: fromOperator ? prev.documentId : null });
          }
        } else {
          take = false;
          report.kept++;
          if (doc.createdMs === prev.createdMs && o.wh !== cur.wh) {
            warnings.push(
              `${file}: ${s.meteringPoint} ${new Date(o.startMs).toISOString()}: ${o.wh ?? "no value"} Wh differs from ${cur.wh ?? "no value"} Wh of document ${prev.documentId} created at the same instant; the stored value is kept, ask the grid operator which one is right`,
            );
          }
        }
        if (!take) continue;
        const d: OperatorDelivery = {
          meterId: meter.id,
          startMs: o.startMs,
          direction: column,
          wh: o.wh,
          quality: o.quality,
          condition: o.condition,
          documentId: doc.documentId,
          createdMs: doc.createdMs,
        };
        deliveries.push(d);
        setCell(row, column, { wh: o.wh, quality: o.quality, delivery: d });
        rows.set(key, row);
      }
    }
    for (const r of rows.values()) r.quality = rowQuality(r);
    const bad = reports.filter((r) => Object.keys(r.unknownConditions).length);
    for (const r of bad) {
      warnings.push(
        `${file}: ${r.meteringPoint}: condition code(s) ${Object.entries(r.unknownConditions)
          .map(([c, n]) => `${c} (${n}x)`)
          .join(", ")} are not known; these values were read as not a true value (estimated): ask the grid operator what they mean`,
      );
    }
    if (deliveries.length) {
      // Issued invoices never change: new values in their period show only as differences on the next billing run.
      const zone = community.definition.timeZone;
      const from = localDateOf(Math.min(...deliveries.map((d) => d.startMs)), zone);
      const to = localDateOf(Math.max(...deliveries.map((d) => d.startMs)), zone);
      const issued = listInvoices(store, communityId, { from, to }).filter((i) => i.kind === "invoice" && (i.status === "issued" || i.status === "paid"));
      if (issued.length) {
        const periods = [...new Set(issued.map((i) => `${i.periodFrom}..${i.periodTo}`))].sort();
        warnings.push(
          `${file}: changes ${from}..${to}, of which ${periods.join(", ")} ${periods.length === 1 ? "is" : "are"} already invoiced (${issued.length} issued invoice(s)): they do not change; list the differences with zev invoice corrections and correct them with --apply (credit note and new invoice)`,
        );
      }
    }
    if (opts.dryRun) return;
    writeOperatorMerge(store, deliveries, [...rows.values()], now);
    audit(store, {
      communityId,
      actor: opts.actor,
      action: opts.auditAction ?? "sdat.imported",
      entity: "intervals",
      entityId: doc.documentId,
      details: {
        file,
        version: doc.version,
        created: new Date(doc.createdMs).toISOString(),
        series: reports.map((r) => ({
          point: r.meteringPoint,
          meter: r.meter,
          direction: r.direction,
          column: r.column,
          stored: r.stored,
          replaced: r.replaced,
          kept: r.kept,
          unchanged: r.unchanged,
          trueValuesReplaced: r.trueValuesReplaced,
        })),
      },
      tsMs: now,
    });
  };
  // one transaction per file; a dry run reads the same way and writes nothing
  if (opts.dryRun) store.read(run);
  else store.write(run);
  return {
    fileName: file,
    documentId: doc.documentId,
    version: doc.version,
    createdMs: doc.createdMs,
    dryRun: opts.dryRun ?? false,
    series: reports,
    notes: doc.notes,
    warnings,
  };
}

/** Per-cell state of a row. Row-level quality stands for a column no operator delivered. */
interface WorkRow extends MergedInterval {
  cells: Partial<Record<StoreDirection, Cell>>;
}

interface Cell {
  wh: number | null;
  quality: Quality | null;
  /** The operator delivery this value came from, if it did. */
  delivery?: OperatorDelivery;
}

function fromStored(
  meterId: number,
  startMs: number,
  r: { importWh: number | null; exportWh: number | null; quality: Quality } | undefined,
  delivered: ReadonlyMap<string, OperatorDelivery>,
): WorkRow {
  const row: WorkRow = r
    ? { meterId, startMs, importWh: r.importWh, exportWh: r.exportWh, quality: r.quality, cells: {} }
    : { meterId, startMs, importWh: null, exportWh: null, quality: "missing", cells: {} };
  for (const column of ["import", "export"] as const) {
    const wh = column === "import" ? row.importWh : row.exportWh;
    const d = delivered.get(`${startMs}:${column}`);
    // a delivery record counts only while the interval still holds its value (another import may have written since)
    if (d && d.wh === wh && (wh !== null || d.quality === "missing")) row.cells[column] = { wh, quality: d.quality, delivery: d };
    else if (!r) row.cells[column] = { wh: null, quality: null };
    else if (wh !== null) row.cells[column] = { wh, quality: r.quality };
    // a missing row's import is a known gap; an empty export says nothing
    else row.cells[column] = { wh: null, quality: column === "import" && r.quality === "missing" ? "missing" : null };
  }
  return row;
}

function cellOf(row: WorkRow, column: StoreDirection): Cell {
  return row.cells[column] ?? { wh: null, quality: null };
}

function setCell(row: WorkRow, column: StoreDirection, cell: Cell): void {
  row.cells[column] = cell;
  if (column === "import") row.importWh = cell.wh;
  else row.exportWh = cell.wh;
}

/** The worse quality of the directions that carry a value; no primary (import) value = missing (the schema's rule). */
function rowQuality(r: WorkRow): Quality {
  if (r.importWh === null) return "missing";
  const known = (c: Cell | undefined): Quality => (c?.quality && c.quality !== "missing" ? c.quality : "estimated");
  let q = known(r.cells.import);
  if (r.exportWh !== null) q = worstQuality(q, known(r.cells.export));
  return q;
}
