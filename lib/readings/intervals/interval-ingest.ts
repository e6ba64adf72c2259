import type { Quality } from "../../model/quality";
import { audit, type AuditEntry } from "../../store/audit-repo";
import { meterIntervals, upsertIntervalsInWrite } from "../../store/interval-repo";
import { insertMeterEvent, meterEventsSince, supersedeMeterEvent } from "../../store/meter-event-repo";
import { getMeter, listMeters } from "../../store/meter-repo";
import {
  loadMeterState,
  meterStatesWrittenMs,
  meterStateWriteMark,
  meterStateWrittenMs,
  nextStateStampMs,
  saveMeterState,
  type StateWriteMark,
} from "../../store/meter-state-repo";
import type { Store } from "../../store/store";
import { writeWithoutWaiting } from "../../store/write-without-waiting";
import { upsertUnallocated } from "../../store/unallocated-repo";
import {
  BuilderOptions,
  BuilderSink,
  BuiltGap,
  BuiltInterval,
  cloneCounterState,
  CounterEvent,
  DEFAULT_BUILDER_OPTIONS,
  emptyCounterState,
  RejectCode,
} from "./counter-state";
import type { MeterCounterState } from "../../model/meter-counter";
import { applyReading } from "./interval-builder";
import { applyReplacement, correctBreak, ReplacementError, type MeterReplacement, type ReplacementOutcome } from "./meter-replacement";
import { INTERVAL_MS } from "../../time/interval";
import type { Issue } from "../../util/issue";
import { ParsedReading, parseReadingMessage, ReadingScratch } from "./reading-message";
import { CounterReadingLog } from "./counter-reading-log";
import { ensureMeter } from "./register-meter";

/*
 * The ingest path: reading messages -> interval builder -> SQLite, in
 * batches. Rows, gap energy, events and the builder state of every meter
 * touched are written in ONE transaction per flush, so the database is
 * always at a state some prefix of the accepted readings produced: a crash
 * between flushes loses the unflushed readings (never acknowledged), never a
 * closed interval, and never counts anything twice (docs/aggregation.md).
 */

export interface IntervalIngestOptions extends Partial<Omit<BuilderOptions, "nowMs">> {
  /** Who registers unknown meters, for the audit log: "node:<id>", "cli". */
  actor: string;
  now?: () => number;
}

export type IntervalIngestOutcome =
  | { kind: "accepted"; meter: string; closed: number }
  | { kind: "duplicate" | "late" | "live"; meter: string }
  /**
   * A refused reading as a coded problem (lib/util/issue.ts, codes as RejectCode): a message the parser
   * refused ("invalid", the parser's own code in `params.problem`), or one the builder refused (`meter` in front
   * of its text and in `params`).
   */
  | (Issue & { kind: "rejected"; code: RejectCode; meter?: string; confirming?: { count: number; needed: number } });

export interface IntervalIngestStats {
  accepted: number;
  duplicates: number;
  late: number;
  rejected: number;
  live: number;
  intervalsClosed: number;
}

export interface FlushResult {
  intervals: number;
  gaps: number;
  events: number;
  states: number;
}

/** Live view of one meter, for the dashboard's power flows. */
export interface MeterLive {
  meter: string;
  meterId: number;
  ts: number;
  powerW: number | null;
}

interface Slot {
  key: string;
  id: number;
  state: MeterCounterState;
  dirty: boolean;
  liveTs: number;
  powerW: number | null;
  /** meter_state.updated_ms as this ingest read or wrote it. */
  stateMs: number | null;
  /** The stamp the commit under way writes (meter-state-repo.ts nextStateStampMs). */
  writtenMs: number | null;
  /** A flush saw another writer of meter states and did not compare this meter's stamp then: compare it at the next. */
  unchecked: boolean;
  /** Counter readings applied since the last commit, to apply again on a state another process changed. */
  readonly batch: CounterReadingLog;
  /** The outcomes that carry nothing but the meter, made once per meter instead of once per reading. */
  readonly outcomes: { accepted: IntervalIngestOutcome; duplicate: IntervalIngestOutcome; late: IntervalIngestOutcome };
}

interface PendingInterval extends BuiltInterval {
  meterId: number;
  counterWh: number | null;
}

export class IntervalIngest {
  readonly stats: IntervalIngestStats = { accepted: 0, duplicates: 0, late: 0, rejected: 0, live: 0, intervalsClosed: 0 };
  /** Newest reading instant accepted so far (epoch ms), 0 before any. */
  watermarkMs = 0;
  /** Meters registered with role "other" because a reading named them; the caller warns about them. */
  readonly registered: string[] = [];

  private readonly slots = new Map<string, Slot>();
  /** accept()'s parsed reading, filled again for every message (acceptParsed keeps nothing of it). */
  private readonly scratch = new ReadingScratch();
  private readonly builderOpts: BuilderOptions;
  private readonly now: () => number;
  private intervals: PendingInterval[] = [];
  private gaps = new Map<string, BuiltGap & { meterId: number }>();
  private events: (CounterEvent & { meterId: number })[] = [];
  private pendingReadings = 0;
  private audits: AuditEntry[] = [];
  private superseded: { meterId: number; tsMs: number; kind: CounterEvent["kind"]; by: unknown }[] = [];
  private current: Slot | null = null;
  /** The meter states' write mark as this ingest's last commit left it (null before one). */
  private writeMark: StateWriteMark | null = null;
  /** What sink.counter said for the interval that follows (NaN: nothing said). */
  private nextCounterStartMs = NaN;
  private nextCounterWh: number | null = null;
  private readonly sink: BuilderSink = {
    counter: (startMs, wh) => {
      this.nextCounterStartMs = startMs;
      this.nextCounterWh = wh;
    },
    interval: (row) => {
      const s = this.current!;
      const counterWh = this.nextCounterStartMs === row.startMs ? this.nextCounterWh : null;
      this.nextCounterStartMs = NaN;
      this.nextCounterWh = null;
      this.intervals.push({ meterId: s.id, startMs: row.startMs, importWh: row.importWh, exportWh: row.exportWh, quality: row.quality, counterWh });
    },
    gap: (g) => {
      const s = this.current!;
      this.gaps.set(`${s.id}:${g.fromMs}`, { ...g, meterId: s.id });
    },
    event: (e) => {
      this.events.push({ ...e, meterId: this.current!.id });
    },
  };

  constructor(
    private readonly store: Store,
    readonly communityId: string,
    private readonly opts: IntervalIngestOptions,
  ) {
    this.now = opts.now ?? Date.now;
    this.builderOpts = {
      gapLimitMs: opts.gapLimitMs ?? DEFAULT_BUILDER_OPTIONS.gapLimitMs,
      maxMeasuredGapMs: opts.maxMeasuredGapMs ?? DEFAULT_BUILDER_OPTIONS.maxMeasuredGapMs,
      maxPowerW: opts.maxPowerW ?? DEFAULT_BUILDER_OPTIONS.maxPowerW,
      slackWh: opts.slackWh ?? DEFAULT_BUILDER_OPTIONS.slackWh,
      maxFutureMs: opts.maxFutureMs ?? DEFAULT_BUILDER_OPTIONS.maxFutureMs,
      nowMs: 0,
    };
  }

  /** Readings accepted (or rejected with a state change) since the last flush. */
  get pending(): number {
    return this.pendingReadings;
  }

  /** Takes one reading message payload (msg.topic names the meter when payload.meter does not). */
  accept(payload: unknown, topic?: unknown): IntervalIngestOutcome {
    const now = this.now();
    const n = parseReadingMessage(payload, topic, now, this.scratch);
    if (!n.ok) {
      this.stats.rejected++;
      return { kind: "rejected", code: "invalid", params: { problem: n.code, ...n.params }, message: n.message };
    }
    return this.acceptParsed(n.reading, now);
  }

  acceptParsed(r: ParsedReading, now = this.now()): IntervalIngestOutcome {
    const slot = this.slot(r.meter, now);
    if (r.powerW !== null && r.ts >= slot.liveTs && r.ts <= now + this.builderOpts.maxFutureMs) {
      slot.liveTs = r.ts;
      slot.powerW = r.powerW;
    }
    if (r.counter === null) {
      this.stats.live++;
      return { kind: "live", meter: r.meter };
    }
    this.builderOpts.nowMs = now;
    this.current = slot;
    const out = applyReading(slot.state, r.counter, this.builderOpts, this.sink);
    this.current = null;
    slot.batch.push(r.counter, now);
    switch (out.kind) {
      case "accepted":
        this.stats.accepted++;
        this.stats.intervalsClosed += out.closed;
        slot.dirty = true;
        this.pendingReadings++;
        if (r.ts > this.watermarkMs) this.watermarkMs = r.ts;
        return out.closed === 0 ? slot.outcomes.accepted : { kind: "accepted", meter: r.meter, closed: out.closed };
      case "duplicate":
        this.stats.duplicates++;
        return slot.outcomes.duplicate;
      case "late":
        this.stats.late++;
        return slot.outcomes.late;
      case "rejected":
        this.stats.rejected++;
        // the builder may have noted the reading as a suspected counter jump
        if (out.code === "implausible") slot.dirty = true;
        return {
          kind: "rejected",
          meter: r.meter,
          code: out.code,
          params: { meter: r.meter, ...out.params },
          message: `meter ${r.meter}: ${out.message}`,
          ...(out.confirming ? { confirming: out.confirming } : {}),
        };
    }
  }

  /**
   * Records a meter replacement (lib/readings/intervals/meter-replacement.ts) and
   * commits it with the rows it leads to, its meter event and an audit
   * entry, in one transaction. Throws ReplacementError (nothing changed)
   * when the stored readings contradict it; the meter must exist.
   */
  replaceMeter(key: string, rep: MeterReplacement): ReplacementOutcome & { meter: string } {
    if (!getMeter(this.store, this.communityId, key)) throw new RangeError(`community ${this.communityId} has no meter ${key}`);
    this.flush();
    const now = this.now();
    const slot = this.slot(key, now);
    // Another process may have moved this meter's state since this ingest read it.
    if (meterStateWrittenMs(this.store, slot.id) !== slot.stateMs) this.rebase(slot);
    const work = cloneCounterState(slot.state);
    const mark = { intervals: this.intervals.length, events: this.events.length, gaps: new Map(this.gaps) };
    this.builderOpts.nowMs = now;
    this.current = slot;
    let out: ReplacementOutcome;
    try {
      out =
        work.last !== null && work.last.ts > rep.atMs
          ? this.replaceAfterBreak(slot, work, rep)
          : applyReplacement(work, rep, this.builderOpts, this.sink, { actor: this.opts.actor });
    } catch (e) {
      // Nothing of a refused replacement stays pending.
      this.intervals.length = mark.intervals;
      this.events.length = mark.events;
      this.gaps = mark.gaps;
      this.superseded = [];
      throw e;
    } finally {
      this.current = null;
    }
    slot.state = work;
    slot.dirty = true;
    if (rep.atMs > this.watermarkMs) this.watermarkMs = rep.atMs;
    this.audits.push({
      communityId: this.communityId,
      actor: this.opts.actor,
      action: "meter.replaced",
      entity: "meter",
      entityId: key,
      details: { ...rep, ...out },
      tsMs: now,
    });
    this.flush();
    return { meter: key, ...out };
  }

  /**
   * A replacement recorded after the new meter's readings were taken as an
   * automatic reset or jump: the rows across that break get the energy the
   * final and initial readings give (lib/readings/intervals/meter-replacement.ts
   * correctBreak). Only for the meter's last break, outside data gaps.
   */
  private replaceAfterBreak(slot: Slot, work: MeterCounterState, rep: MeterReplacement): ReplacementOutcome {
    const later = meterEventsSince(this.store, slot.id, rep.atMs);
    const brk = later.length === 1 && (later[0]!.kind === "reset" || later[0]!.kind === "jump") ? later[0]! : null;
    const d = (brk?.details ?? {}) as {
      fromTs?: number;
      before?: { importWh?: number; exportWh?: number | null };
      after?: { importWh?: number; exportWh?: number | null };
      source?: string;
      supersededBy?: unknown;
    };
    if (
      brk === null ||
      d.source === "operator" ||
      d.supersededBy !== undefined ||
      typeof d.fromTs !== "number" ||
      d.fromTs > rep.atMs ||
      typeof d.before?.importWh !== "number" ||
      typeof d.after?.importWh !== "number"
    ) {
      throw new ReplacementError(
        "after-readings",
        `readings up to ${new Date(work.last!.ts).toISOString()} were already taken as this meter's counter after the replacement at ${new Date(rep.atMs).toISOString()}, and no single automatic reset or jump explains them: the energy across the swap cannot be rebuilt from the stored state (see docs/meters.md "Meter replacement and resets")`,
      );
    }
    const recorded = {
      ts: brk.tsMs,
      fromTs: d.fromTs,
      beforeImportWh: d.before.importWh,
      beforeExportWh: d.before.exportWh ?? null,
      afterImportWh: d.after.importWh,
      afterExportWh: d.after.exportWh ?? null,
    };
    const fromRow = Math.floor(d.fromTs / INTERVAL_MS) * INTERVAL_MS;
    const rows = work.anchor === null ? [] : meterIntervals(this.store, slot.id, fromRow, work.anchor.ms);
    const fixed = correctBreak(work, recorded, rep, rows);
    // Rows across the break: the counter there was neither the old meter's nor the new one's (decision 0133).
    for (const r of fixed) this.intervals.push({ meterId: slot.id, ...r, counterWh: null });
    const details = {
      source: "operator",
      fromTs: d.fromTs,
      before: d.before,
      oldFinal: { importWh: rep.oldFinalImportWh, exportWh: rep.oldFinalExportWh },
      newInitial: { importWh: rep.newInitialImportWh, exportWh: rep.newInitialExportWh },
      serial: rep.serial,
      actor: this.opts.actor,
      corrects: { kind: brk.kind, ts: brk.tsMs },
    };
    this.events.push({ meterId: slot.id, kind: "swap", ts: rep.atMs, details });
    this.superseded.push({ meterId: slot.id, tsMs: brk.tsMs, kind: brk.kind, by: { kind: "replacement", ts: rep.atMs } });
    if (rep.serial !== null) work.serial = rep.serial;
    return { replayed: 0, discarded: 0, intervals: fixed.length };
  }

  /** Writes everything pending in one transaction. On failure nothing is cleared, so the next flush retries. */
  flush(): FlushResult {
    return this.commit((fn) => {
      this.store.write(fn);
      return true;
    })!;
  }

  /**
   * flush() for Node-RED's thread: when another connection (a billing run or
   * an import in a worker thread) holds the write lock, it returns null at
   * once instead of waiting in SQLite's busy handler, and keeps everything
   * pending for the next try (decision 0117). No reading is lost or counted twice.
   */
  tryFlush(): FlushResult | null {
    return this.commit((fn) => writeWithoutWaiting(this.store, fn).written);
  }

  private commit(write: (fn: () => void) => boolean): FlushResult | null {
    const dirty = [...this.slots.values()].filter((s) => s.dirty);
    const result: FlushResult = { intervals: this.intervals.length, gaps: this.gaps.size, events: this.events.length, states: dirty.length };
    if (result.intervals + result.gaps + result.events + result.states + this.audits.length + this.superseded.length === 0) return result;
    const nowMs = this.now();
    const store = this.store;
    let others = false;
    let mark: StateWriteMark | null = null;
    const written = write(() => {
      // Another process (zev meter replace) changed a meter's state since it was read: build on its state instead.
      // Nobody but this ingest wrote a state since its last commit (same mark): no stamp can have moved, none is read.
      const before = meterStateWriteMark(store);
      const last = this.writeMark;
      others = last === null || before.dataVersion !== last.dataVersion || before.writes !== last.writes;
      const check = others ? dirty : dirty.filter((s) => s.unchecked);
      if (check.length > 0) {
        const stamps = meterStatesWrittenMs(
          store,
          check.map((s) => s.id),
        );
        for (const s of check) if (stamps.get(s.id) !== s.stateMs) this.rebase(s);
      }
      upsertIntervalsInWrite(store, this.intervals, nowMs);
      for (const g of this.gaps.values())
        upsertUnallocated(store, { meterId: g.meterId, fromMs: g.fromMs, toMs: g.toMs, importWh: g.importWh, exportWh: g.exportWh, reason: "gap" }, nowMs);
      for (const e of this.events) insertMeterEvent(store, { meterId: e.meterId, tsMs: e.ts, kind: e.kind, details: e.details });
      // Every stamp compared above equals the stored one (or the meter was rebased onto it): the stamp written is known.
      for (const s of dirty) {
        s.writtenMs = nextStateStampMs(s.stateMs, nowMs);
        saveMeterState(store, s.id, s.state, nowMs);
      }
      for (const a of this.audits) audit(store, a);
      for (const x of this.superseded) supersedeMeterEvent(store, x.meterId, x.tsMs, x.kind, x.by);
      mark = meterStateWriteMark(store);
    });
    if (!written) return null;
    this.writeMark = mark;
    this.audits = [];
    this.superseded = [];
    this.intervals = [];
    this.gaps = new Map();
    this.events = [];
    this.pendingReadings = 0;
    for (const s of this.slots.values()) {
      if (s.dirty) {
        s.dirty = false;
        s.stateMs = s.writtenMs;
        s.unchecked = false;
      } else if (others) s.unchecked = true;
    }
    for (const s of this.slots.values()) s.batch.clear();
    return result;
  }

  /** Reloads a meter's stored state and applies this batch's readings of it again (inside the commit). */
  private rebase(s: Slot): void {
    this.intervals = this.intervals.filter((r) => r.meterId !== s.id);
    this.events = this.events.filter((e) => e.meterId !== s.id);
    for (const [k, g] of this.gaps) if (g.meterId === s.id) this.gaps.delete(k);
    s.state = loadMeterState(this.store, s.id) ?? emptyCounterState();
    s.stateMs = meterStateWrittenMs(this.store, s.id);
    s.unchecked = false;
    this.current = s;
    try {
      for (let i = 0; i < s.batch.length; i++) {
        const { reading, nowMs } = s.batch.at(i);
        this.builderOpts.nowMs = nowMs;
        applyReading(s.state, reading, this.builderOpts, this.sink);
      }
    } finally {
      this.current = null;
    }
  }

  /** Start of each known meter's open interval (null before its first boundary), keyed by meter key. */
  openIntervals(): Map<string, { meterId: number; openStartMs: number | null; lastTs: number | null; openQuality: Quality }> {
    const out = new Map<string, { meterId: number; openStartMs: number | null; lastTs: number | null; openQuality: Quality }>();
    for (const s of this.slots.values()) {
      out.set(s.key, { meterId: s.id, openStartMs: s.state.anchor?.ms ?? null, lastTs: s.state.last?.ts ?? null, openQuality: s.state.openQuality });
    }
    return out;
  }

  live(): MeterLive[] {
    return [...this.slots.values()].map((s) => ({ meter: s.key, meterId: s.id, ts: s.liveTs, powerW: s.powerW }));
  }

  /** Loads the stored state of every meter of the community, so that closing and live views know them before they report. */
  loadAll(): void {
    const now = this.now();
    for (const m of listMeters(this.store, this.communityId)) this.slot(m.key, now);
  }

  private slot(key: string, now: number): Slot {
    let s = this.slots.get(key);
    if (s) return s;
    const { meter, registered } = ensureMeter(this.store, this.communityId, key, this.opts.actor, now, "a reading");
    if (registered) this.registered.push(key);
    const state = loadMeterState(this.store, meter.id);
    s = {
      key,
      id: meter.id,
      state: state ?? emptyCounterState(),
      dirty: false,
      liveTs: 0,
      powerW: null,
      stateMs: meterStateWrittenMs(this.store, meter.id),
      writtenMs: null,
      unchecked: false,
      batch: new CounterReadingLog(),
      outcomes: {
        accepted: Object.freeze({ kind: "accepted", meter: key, closed: 0 }),
        duplicate: Object.freeze({ kind: "duplicate", meter: key }),
        late: Object.freeze({ kind: "late", meter: key }),
      },
    };
    if (state?.last && state.last.ts > this.watermarkMs) this.watermarkMs = state.last.ts;
    this.slots.set(key, s);
    return s;
  }
}
