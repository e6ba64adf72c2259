import type { AllocationMethod } from "../allocation/allocate";
import { FlushResult, IntervalIngestOptions, IntervalIngestOutcome, IntervalIngest } from "../readings/intervals/interval-ingest";
import { loadAggregateState, saveAggregateState } from "../store/aggregate-state-repo";
import { listMeters } from "../store/meter-repo";
import { sqlite } from "../store/sqlite-store";
import type { Store } from "../store/store";
import { writeWithoutWaiting } from "../store/write-without-waiting";
import { INTERVAL_MS } from "../time/interval";
import { closedThrough } from "./closing";
import { intervalsOfLayout, layoutOf } from "./community-intervals";
import { dataQuality, DataQualityReport } from "./data-quality";
import { IntervalSummary, intervalSummary } from "./interval-summary";
import { LiveFlows, liveFlows } from "./live-flows";

export interface AggregatorOptions extends IntervalIngestOptions {
  method?: AllocationMethod;
  /** A community interval closes this long (reading time) after its end even if a meter is silent. Default 5 min. */
  graceMs?: number;
  /** Power values older than this are stale in the live view. Default 2 min. */
  liveMaxAgeMs?: number;
  /** After a long stop, at most this many interval summaries are sent; older ones are skipped (the data is in the store). Default 96. */
  maxBacklogIntervals?: number;
}

export interface AggregatorFlush {
  flushed: FlushResult;
  /** Summaries sent through `emit`, in time order. */
  summarized: number;
  /** Closed intervals not summarized because of the backlog limit. */
  skipped: number;
  closedThroughMs: number | null;
}

/**
 * One community's aggregation, without Node-RED: the ingest path, the
 * closing of community intervals and their summaries, live flows and the
 * data-quality view. zev-aggregate only adds timers and messages.
 */
export class CommunityAggregator {
  readonly ingest: IntervalIngest;
  private readonly method: AllocationMethod;
  private readonly graceMs: number;
  private readonly liveMaxAgeMs: number;
  private readonly maxBacklog: number;
  private readonly now: () => number;
  private summarizedThroughMs: number;

  constructor(
    private readonly store: Store,
    readonly communityId: string,
    opts: AggregatorOptions,
  ) {
    this.ingest = new IntervalIngest(sqlite(store), communityId, opts);
    this.ingest.loadAll();
    this.method = opts.method ?? "proportional";
    this.graceMs = opts.graceMs ?? 5 * 60_000;
    this.liveMaxAgeMs = opts.liveMaxAgeMs ?? 2 * 60_000;
    this.maxBacklog = opts.maxBacklogIntervals ?? 96;
    this.now = opts.now ?? Date.now;
    // First start: summaries begin with the interval we are in, not with the whole stored history.
    this.summarizedThroughMs = loadAggregateState(store, communityId).summarizedThroughMs ?? Math.floor(this.now() / INTERVAL_MS) * INTERVAL_MS;
  }

  accept(payload: unknown, topic?: unknown): IntervalIngestOutcome {
    return this.ingest.accept(payload, topic);
  }

  /**
   * Commits pending readings, then summarizes every community interval that
   * closed, from the committed rows: a summary never precedes its data.
   * `emit` is called per summary before the progress is stored, so a crash
   * in between repeats a summary rather than losing it (at least once).
   */
  flush(emit: (s: IntervalSummary) => void): AggregatorFlush {
    return this.summarize(this.ingest.flush(), emit, true);
  }

  /**
   * flush() that never waits for another connection's write lock (a worker
   * thread's billing run or import): null when it is taken, everything kept
   * for the next try (decision 0117).
   */
  tryFlush(emit: (s: IntervalSummary) => void): AggregatorFlush | null {
    const flushed = this.ingest.tryFlush();
    return flushed && this.summarize(flushed, emit, false);
  }

  private summarize(flushed: FlushResult, emit: (s: IntervalSummary) => void, wait: boolean): AggregatorFlush {
    const open = [...this.ingest.openIntervals().values()].map((m) => m.openStartMs);
    const through = closedThrough(open, this.ingest.watermarkMs, this.graceMs);
    const result: AggregatorFlush = { flushed, summarized: 0, skipped: 0, closedThroughMs: Number.isFinite(through) ? through : null };
    if (!Number.isFinite(through)) return result;
    let from = this.summarizedThroughMs;
    if (through <= from) return result;
    const backlog = (through - from) / INTERVAL_MS;
    if (backlog > this.maxBacklog) {
      result.skipped = backlog - this.maxBacklog;
      from = through - this.maxBacklog * INTERVAL_MS;
    }
    const layout = layoutOf(this.store, this.communityId);
    for (const ci of intervalsOfLayout(this.store, layout, from, through, this.method)) {
      emit(intervalSummary(ci, layout));
      result.summarized++;
    }
    this.saveProgress(through, wait);
    return result;
  }

  live(nowMs = this.now()): LiveFlows {
    const roles = new Map(listMeters(this.store, this.communityId).map((m) => [m.key, m]));
    return liveFlows(
      this.ingest
        .live()
        .map((l) => ({ meter: l.meter, role: roles.get(l.meter)?.role ?? "other", unit: roles.get(l.meter)?.unitId ?? null, ts: l.ts, powerW: l.powerW })),
      nowMs,
      this.liveMaxAgeMs,
    );
  }

  quality(fromMs: number, toMs: number): DataQualityReport {
    return dataQuality(this.store, this.communityId, fromMs, toMs, { untilMs: this.now() });
  }

  private saveProgress(through: number, wait: boolean): void {
    this.summarizedThroughMs = through;
    const save = (): void =>
      saveAggregateState(this.store, this.communityId, { ...loadAggregateState(this.store, this.communityId), summarizedThroughMs: through }, this.now());
    // Without waiting, a taken lock leaves the stored progress behind: after a crash a summary repeats (at least once), none is lost.
    if (wait) this.store.write(save);
    else writeWithoutWaiting(this.store, save);
  }
}
