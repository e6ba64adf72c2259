import { instantsOfWallClock } from "../../time/wall-clock";
import { asBreakCandidate } from "../counter-break";
import type { BuilderOptions, BuilderSink } from "./counter-state";
import type { MeterCounterState } from "../../model/meter-counter";
import { applyReading, breakLimits } from "./interval-builder";
import { worstQuality } from "../../model/quality";

/*
 * A meter replacement as operators record it (docs/meters.md "Meter
 * replacement and resets", decision 0063): at `atMs` the old meter was read
 * a last time (its final reading) and the new one started at its initial
 * reading. Energy across the swap is exact: the old meter's counter runs
 * from its last reading to the final one at `atMs`, the new meter's from the
 * initial one at `atMs` to its first reading; both are interpolated to the
 * quarter hours like any other reading.
 */

export interface MeterReplacement {
  atMs: number;
  oldFinalImportWh: number;
  newInitialImportWh: number;
  oldFinalExportWh: number | null;
  newInitialExportWh: number | null;
  /** The new meter's serial, when it reports one. */
  serial: string | null;
}

export type ReplacementErrorCode = "future" | "old-final-below-last" | "old-final-implausible" | "conflict" | "export-needed" | "after-readings" | "negative";

export class ReplacementError extends Error {
  constructor(
    readonly code: ReplacementErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ReplacementError";
  }
}

export interface ReplacementOutcome {
  /** Readings of the new meter, held as a possible new counter, now taken from its initial reading. */
  replayed: number;
  /** Held readings from before the replacement time, dropped (they were neither meter's counter). */
  discarded: number;
  /** Interval rows written (old meter up to the swap, new meter from it). */
  intervals: number;
}

const kwh = (wh: number): string => `${wh / 1000} kWh`;
const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Applies a replacement to the builder state of the meter. The state must
 * not have accepted readings after `atMs`; readings of the new meter that
 * were held as a possible new counter (lib/readings/counter-break.ts) are
 * taken from its initial reading, so they count exactly. Throws a
 * ReplacementError (nothing changed) when the data contradict it.
 */
export function applyReplacement(
  state: MeterCounterState,
  rep: MeterReplacement,
  opts: BuilderOptions,
  sink: BuilderSink,
  details: Record<string, unknown> = {},
): ReplacementOutcome {
  for (const [name, v] of [
    ["old final", rep.oldFinalImportWh],
    ["new initial", rep.newInitialImportWh],
    ["old final export", rep.oldFinalExportWh],
    ["new initial export", rep.newInitialExportWh],
  ] as const) {
    if (v !== null && (!Number.isFinite(v) || v < 0))
      throw new ReplacementError("negative", `the ${name} reading must be a counter value of at least 0 kWh, got ${String(v)}`);
  }
  if (rep.atMs > opts.nowMs + opts.maxFutureMs) throw new ReplacementError("future", `the replacement time ${iso(rep.atMs)} is in the future`);
  const candidate = asBreakCandidate(state.suspect);
  const last = state.last;
  let intervals = 0;
  const counting: BuilderSink = {
    counter: (ms, wh) => sink.counter?.(ms, wh),
    interval: (r) => (intervals++, sink.interval(r)),
    gap: (g) => sink.gap(g),
    event: (e) => sink.event(e),
  };
  const event = (fromTs: number | null, before: unknown): void =>
    sink.event({
      kind: "swap",
      ts: rep.atMs,
      details: {
        source: "operator",
        fromTs,
        before,
        oldFinal: { importWh: rep.oldFinalImportWh, exportWh: rep.oldFinalExportWh },
        newInitial: { importWh: rep.newInitialImportWh, exportWh: rep.newInitialExportWh },
        serial: rep.serial,
        ...details,
      },
    });

  if (last === null) {
    // No reading of the old meter here: the new meter's initial reading is the first one.
    applyReading(state, { ts: rep.atMs, imp: rep.newInitialImportWh, exp: rep.newInitialExportWh, serial: rep.serial }, opts, counting);
    event(null, null);
    return { replayed: 0, discarded: 0, intervals };
  }
  if (last.ts > rep.atMs) {
    throw new ReplacementError(
      "after-readings",
      `readings up to ${iso(last.ts)} were already taken as this meter's counter, after the replacement at ${iso(rep.atMs)}: the replacement cannot be placed before them (see docs/meters.md "A replacement recorded late")`,
    );
  }
  const tol = breakLimits(opts).toleranceWh;
  if (rep.oldFinalImportWh < last.imp - tol) {
    throw new ReplacementError(
      "old-final-below-last",
      `the old meter's final reading ${kwh(rep.oldFinalImportWh)} is below its last accepted reading ${kwh(last.imp)} at ${iso(last.ts)}`,
    );
  }
  if (last.exp !== null && (rep.oldFinalExportWh === null || rep.newInitialExportWh === null)) {
    throw new ReplacementError(
      "export-needed",
      `the meter counts export too (last ${kwh(last.exp)}): give the old meter's final and the new meter's initial export reading`,
    );
  }
  if (last.exp !== null && rep.oldFinalExportWh! < last.exp - tol) {
    throw new ReplacementError(
      "old-final-below-last",
      `the old meter's final export reading ${kwh(rep.oldFinalExportWh!)} is below its last accepted export reading ${kwh(last.exp)} at ${iso(last.ts)}`,
    );
  }
  const final = { ts: rep.atMs, imp: rep.oldFinalImportWh, exp: last.exp === null ? null : rep.oldFinalExportWh, serial: null };
  if (rep.atMs === last.ts) {
    if (Math.abs(final.imp - last.imp) > tol || (final.exp !== null && last.exp !== null && Math.abs(final.exp - last.exp) > tol)) {
      throw new ReplacementError(
        "conflict",
        `a reading of ${kwh(last.imp)} was accepted at ${iso(last.ts)}, the replacement's final reading at the same instant says ${kwh(final.imp)}`,
      );
    }
  } else {
    const limit = (opts.maxPowerW * (rep.atMs - last.ts)) / 3_600_000 + breakLimits(opts).slackWh;
    if (final.imp - last.imp > limit || (final.exp !== null && last.exp !== null && final.exp - last.exp > limit)) {
      throw new ReplacementError(
        "old-final-implausible",
        `the old meter's final reading ${kwh(final.imp)} is ${kwh(final.imp - last.imp)} above its last reading at ${iso(last.ts)}: more than ${opts.maxPowerW / 1000} kW could draw in that time (a value in Wh given as kWh?)`,
      );
    }
  }
  const before = { serial: state.serial, importWh: last.imp, exportWh: last.exp };
  const fromTs = last.ts;
  state.suspect = null;
  // The old meter up to its final reading: an ordinary reading, interpolated to the boundaries.
  if (rep.atMs > last.ts) {
    const out = applyReading(state, final, opts, counting);
    if (out.kind !== "accepted")
      throw new ReplacementError(
        "conflict",
        `the old meter's final reading was not accepted after its last reading (${out.kind === "rejected" ? out.message : out.kind})`,
      );
  }
  // Then the new meter's counter continues the old one's.
  const at = state.last!;
  state.offset.imp = at.imp + state.offset.imp - rep.newInitialImportWh;
  if (rep.newInitialExportWh !== null) state.offset.exp = at.exp === null ? state.offset.exp : at.exp + state.offset.exp - rep.newInitialExportWh;
  state.last = { ts: rep.atMs, imp: rep.newInitialImportWh, exp: rep.newInitialExportWh };
  state.serial = rep.serial;
  // The split of the swap interval between the two meters is interpolated, not measured.
  if (state.anchor !== null && state.anchor.ms < rep.atMs) state.openQuality = worstQuality(state.openQuality, "interpolated");
  event(fromTs, before);

  let replayed = 0;
  let discarded = 0;
  for (const s of candidate?.samples ?? []) {
    if (s.ts <= rep.atMs) {
      discarded++;
      continue;
    }
    const out = applyReading(state, { ts: s.ts, imp: s.imp, exp: s.exp, serial: null }, opts, counting);
    if (out.kind === "accepted") replayed++;
  }
  return { replayed, discarded, intervals };
}

/**
 * The instant an operator means by `text`: an ISO time with offset or Z, or
 * a local time "YYYY-MM-DD HH:MM[:SS]" / "YYYY-MM-DDTHH:MM" in the
 * community's zone (refused when the clock change makes it ambiguous or
 * skipped, naming the offsets to add).
 */
export function parseInstant(text: string, zone: string): number {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(t)) {
    const ms = Date.parse(t.replace(" ", "T"));
    if (Number.isFinite(ms)) return ms;
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  if (!m) throw new RangeError(`time "${text}" is neither "YYYY-MM-DD HH:MM" (local time, ${zone}) nor an ISO time with offset`);
  const [, y, mo, d, h, mi, s] = m;
  const found = instantsOfWallClock(Number(y), Number(mo), Number(d), Number(h), Number(mi), zone);
  if (found.length === 0) throw new RangeError(`${t} does not exist in ${zone} (the clock skips that hour)`);
  if (found.length > 1)
    throw new RangeError(`${t} happens twice in ${zone} (the clock goes back): give the offset, ${found.map((x) => new Date(x).toISOString()).join(" or ")}`);
  return found[0]! + Number(s ?? 0) * 1000;
}

/** A replacement as an operator gives it: readings in kWh (numbers or decimal text with a dot), a time text or epoch ms. */
export interface ReplacementInput {
  at: unknown;
  oldFinal: unknown;
  newInitial: unknown;
  oldFinalExport?: unknown;
  newInitialExport?: unknown;
  serial?: unknown;
}

function kwhToWh(v: unknown, name: string, optional: boolean): number | null {
  if ((v === undefined || v === null || v === "") && optional) return null;
  const n = typeof v === "number" ? v : typeof v === "string" && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`${name} must be a counter reading in kWh (e.g. 12345.678), got ${JSON.stringify(v)}`);
  return Math.round(n * 1e6) / 1e3;
}

export function replacementFromInput(input: ReplacementInput, zone: string): MeterReplacement {
  const atMs = typeof input.at === "number" && Number.isFinite(input.at) ? input.at : typeof input.at === "string" ? parseInstant(input.at, zone) : NaN;
  if (!Number.isFinite(atMs))
    throw new RangeError(`at must be the time of the replacement ("YYYY-MM-DD HH:MM" local, ISO with offset, or epoch ms), got ${JSON.stringify(input.at)}`);
  const oldExp = kwhToWh(input.oldFinalExport, "old-final-export", true);
  const newExp = kwhToWh(input.newInitialExport, "new-initial-export", true);
  if ((oldExp === null) !== (newExp === null)) throw new RangeError("give both export readings (old-final-export and new-initial-export) or neither");
  const serial = input.serial === undefined || input.serial === null || input.serial === "" ? null : String(input.serial);
  if (serial !== null && !/^[\x20-\x7e]{1,64}$/.test(serial)) throw new RangeError("serial must be 1-64 printable characters");
  return {
    atMs,
    oldFinalImportWh: kwhToWh(input.oldFinal, "old-final", false)!,
    newInitialImportWh: kwhToWh(input.newInitial, "new-initial", false)!,
    oldFinalExportWh: oldExp,
    newInitialExportWh: newExp,
    serial,
  };
}

/** The automatic break (reset or jump, lib/readings/counter-break.ts) a late replacement explains. */
export interface RecordedBreak {
  ts: number;
  /** The last reading of the old meter, raw. */
  fromTs: number;
  beforeImportWh: number;
  beforeExportWh: number | null;
  /** The first reading of the new meter, raw (at `ts`). */
  afterImportWh: number;
  afterExportWh: number | null;
}

/** A stored interval row of the meter. */
export interface StoredRow {
  startMs: number;
  importWh: number | null;
  exportWh: number | null;
  quality: "measured" | "interpolated" | "estimated" | "missing";
}

const INTERVAL = 15 * 60_000;

/**
 * A replacement recorded after the new meter's readings were already taken
 * as an automatic reset or jump: the counter was flat from the old meter's
 * last reading to the new meter's first one. With the final and the initial
 * reading the rise across that span is known: the old meter's counter from
 * its last to its final reading, the new one's from its initial to its first.
 * The rows that cover the span get that energy (interpolated to their
 * boundaries as if the replacement had been recorded in time) and the state's
 * counter moves up by the whole rise, so later rows stay as they are.
 *
 * `rows` are the stored rows from the interval holding `brk.fromTs` up to the
 * open interval. Returns the rows to write; mutates `state`. The break must be
 * the meter's last one (the state's offset still the one it set).
 */
export function correctBreak(state: MeterCounterState, brk: RecordedBreak, rep: MeterReplacement, rows: readonly StoredRow[]): StoredRow[] {
  if (rep.atMs < brk.fromTs || rep.atMs > brk.ts) {
    throw new ReplacementError(
      "after-readings",
      `the replacement at ${iso(rep.atMs)} lies outside the break it would explain (${iso(brk.fromTs)} to ${iso(brk.ts)})`,
    );
  }
  if (rep.oldFinalImportWh < brk.beforeImportWh) {
    throw new ReplacementError(
      "old-final-below-last",
      `the old meter's final reading ${kwh(rep.oldFinalImportWh)} is below its last reading ${kwh(brk.beforeImportWh)} at ${iso(brk.fromTs)}`,
    );
  }
  if (rep.newInitialImportWh > brk.afterImportWh) {
    throw new ReplacementError(
      "conflict",
      `the new meter's initial reading ${kwh(rep.newInitialImportWh)} is above its first reading ${kwh(brk.afterImportWh)} at ${iso(brk.ts)}`,
    );
  }
  const hasExp = brk.beforeExportWh !== null && brk.afterExportWh !== null && state.anchor?.exp !== null;
  if (hasExp && (rep.oldFinalExportWh === null || rep.newInitialExportWh === null)) {
    throw new ReplacementError("export-needed", "the meter counts export too: give the old meter's final and the new meter's initial export reading");
  }
  if (rows.some((r) => r.quality === "missing")) {
    throw new ReplacementError(
      "after-readings",
      `the break from ${iso(brk.fromTs)} to ${iso(brk.ts)} lies in a data gap: its energy is kept as unallocated, import the meter's load profile for that time instead`,
    );
  }
  // The rise since the old meter's last reading, at instant x (raw counters, two segments).
  const rise = (x: number, last: number, final: number, initial: number, first: number): number => {
    if (x <= brk.fromTs) return 0;
    if (x <= rep.atMs) return rep.atMs === brk.fromTs ? final - last : ((final - last) * (x - brk.fromTs)) / (rep.atMs - brk.fromTs);
    const tail = brk.ts === rep.atMs ? first - initial : ((first - initial) * (Math.min(x, brk.ts) - rep.atMs)) / (brk.ts - rep.atMs);
    return final - last + tail;
  };
  // The continuous counter was flat at c0 across the break; its boundaries there were round(c0).
  const shifts = (c0: number, last: number, final: number, initial: number, first: number) => {
    const total = Math.round(final - last + first - initial);
    return { total, at: (b: number): number => (b >= brk.ts ? total : Math.round(c0 + rise(b, last, final, initial, first)) - Math.round(c0)) };
  };
  const imp = shifts(brk.afterImportWh + state.offset.imp, brk.beforeImportWh, rep.oldFinalImportWh, rep.newInitialImportWh, brk.afterImportWh);
  const exp = hasExp
    ? shifts(brk.afterExportWh! + state.offset.exp, brk.beforeExportWh!, rep.oldFinalExportWh!, rep.newInitialExportWh!, brk.afterExportWh!)
    : null;

  const out: StoredRow[] = [];
  for (const r of rows) {
    const end = r.startMs + INTERVAL;
    if (end <= brk.fromTs || r.startMs >= brk.ts) continue;
    out.push({
      startMs: r.startMs,
      importWh: r.importWh === null ? null : r.importWh + imp.at(end) - imp.at(r.startMs),
      exportWh: r.exportWh === null || exp === null ? r.exportWh : r.exportWh + exp.at(end) - exp.at(r.startMs),
      quality: "interpolated",
    });
  }
  const a = state.anchor;
  if (a !== null) {
    a.imp += imp.at(a.ms);
    if (a.exp !== null && exp !== null) a.exp += exp.at(a.ms);
    if (a.ms < brk.ts) state.openQuality = worstQuality(state.openQuality, "interpolated");
  }
  state.offset.imp += imp.total;
  if (exp !== null) state.offset.exp += exp.total;
  return out;
}
