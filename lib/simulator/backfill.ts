import { CommunityAggregator } from "../aggregation/community-aggregator";
import { unitResolver } from "../charging/attribution";
import { ChargerSessions } from "../charging/charger-sessions";
import type { AllocationMethod } from "../allocation/allocate";
import { latestCommunity } from "../store/community-repo";
import { loadMeterState } from "../store/meter-state-repo";
import { getMeter } from "../store/meter-repo";
import type { Store } from "../store/store";
import { addDays, localDateOf, startOfLocalDay } from "../time/local-date";
import { noise } from "./random";
import { SimState, SiteSimulator } from "./engine";
import { SiteModel, siteMeters } from "./site";

/*
 * History for the demo: the simulated building's readings for past weeks,
 * fed through the same ingest path as live readings (CommunityAggregator ->
 * IntervalIngest -> SQLite), never written to the tables directly. The
 * dashboard and a billing run then show real numbers at once.
 */

export interface BackfillOptions {
  communityId: string;
  site: SiteModel;
  fromMs: number;
  toMs: number;
  /** Simulator state to continue from; without it the site starts afresh at fromMs (or from the store's last readings). */
  state?: SimState | null;
  /** A reading of every meter this often (default 5 min: every quarter hour measured). */
  readingEveryMs?: number;
  /** Integration step (default 1 min). */
  stepMs?: number;
  /** Realistic faults: short outages (interpolated intervals) and now and then a long one (missing). Default true. */
  faults?: boolean;
  actor?: string;
  method?: AllocationMethod;
  now?: () => number;
  /** Record the charger's sessions through lib/charging (as zev-charger-weidmueller does). Default true. */
  chargerSessions?: boolean;
}

export interface BackfillResult {
  fromMs: number;
  toMs: number;
  readings: number;
  accepted: number;
  rejected: number;
  /** Readings left out on purpose (simulated outages). */
  dropped: number;
  intervals: number;
  /** Charging sessions started in the range. */
  sessions: number;
  /** The simulator's state at toMs: the live simulator continues from here. */
  state: SimState;
}

/** Start of the first of the previous month (local), a quarter hour early so that its first interval is measured. */
export function demoBackfillStart(nowMs: number, zone: string): number {
  const today = localDateOf(nowMs, zone);
  const firstOfPrev = addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7) + "-01";
  return startOfLocalDay(firstOfPrev, zone) - 15 * 60_000;
}

/** Whether a meter is silent at `ms` in the simulated history (SiteModel.outages). */
export function simulatedOutage(meter: string, ms: number, site: SiteModel): boolean {
  const kind = site.outages?.find((o) => o.meter === meter)?.kind;
  if (!kind) return false;
  const day = Math.floor(ms / 86_400_000);
  const minuteOfDay = Math.floor((ms % 86_400_000) / 60_000);
  if (kind === "short") return noise(`outage:${meter}`, day) < 0.33 && minuteOfDay >= 60 && minuteOfDay < 100;
  return day % 16 === 5 && minuteOfDay >= 120 && minuteOfDay < 360;
}

/**
 * Without a simulator state, but with a database that already holds
 * readings: continue the counters from the last stored reading of each
 * meter, so the simulated counters never run back below what was stored.
 */
export function stateFromStore(store: Store, communityId: string, site: SiteModel): SimState | null {
  let ts = 0;
  const counters: SimState["counters"] = {};
  for (const m of siteMeters(site)) {
    const rec = getMeter(store, communityId, m.id);
    const st = rec ? loadMeterState(store, rec.id) : null;
    if (!st?.last) continue;
    ts = Math.max(ts, st.last.ts);
    counters[m.id] = { importWh: st.last.imp + 1, exportWh: (st.last.exp ?? 0) + 1 };
  }
  if (!ts) return null;
  const init = SiteSimulator.initialState(site, ts);
  return { ...init, counters: { ...init.counters, ...counters } };
}

export function backfill(store: Store, o: BackfillOptions): BackfillResult {
  const every = o.readingEveryMs ?? 5 * 60_000;
  const step = o.stepMs ?? 60_000;
  const faults = o.faults ?? true;
  const def = latestCommunity(store, o.communityId)?.definition;
  if (!def) throw new Error(`community ${o.communityId} is not in ${store.path}; import or deploy it first`);
  const start = o.state ?? stateFromStore(store, o.communityId, o.site);
  const sim = new SiteSimulator(o.site, start ? Math.max(start.ts, 0) : o.fromMs, start);
  // A state from before the range is carried forward without readings; one after it starts where it is.
  if (sim.now < o.fromMs) sim.advanceTo(o.fromMs, step);
  const agg = new CommunityAggregator(store, o.communityId, {
    actor: o.actor ?? "simulator",
    method: o.method ?? def.billing?.allocation ?? "proportional",
    ...(o.now ? { now: o.now } : {}),
  });
  const result: BackfillResult = {
    fromMs: sim.now,
    toMs: o.toMs,
    readings: 0,
    accepted: 0,
    rejected: 0,
    dropped: 0,
    intervals: 0,
    sessions: 0,
    state: sim.state(),
  };
  const ch = o.site.charger;
  const sessions =
    ch && (o.chargerSessions ?? true)
      ? new ChargerSessions(
          // The node's defaults, with an outage limit above the reading step of the history.
          {
            store,
            communityId: o.communityId,
            chargerKey: ch.meter.id,
            defaultMode: "normal",
            outageMs: 2 * every + 60_000,
            maxPowerW: 22_000,
            slackWh: 1000,
            stallFlagWh: 100,
            unitFor: unitResolver(def),
          },
          sim.now,
        )
      : null;
  let lastRfid: string | null = sessions?.open?.userId ?? null;
  // Continuing from a state: the reading at its instant was sent by the run that left it.
  let t = start ? Math.floor(sim.now / every) * every + every : Math.ceil(sim.now / every) * every;
  const dayMs = 86_400_000;
  while (t <= o.toMs) {
    const chunkEnd = Math.min(o.toMs, t + dayMs);
    // A day per transaction: the charger's steps and the interval rows are committed together.
    store.write(() => {
      for (; t <= chunkEnd; t += every) {
        sim.advanceTo(t, step);
        for (const s of sim.snapshot()) {
          if (faults && simulatedOutage(s.meter, t, o.site)) {
            result.dropped++;
            continue;
          }
          result.readings++;
          const out = agg.accept({ meter: s.meter, ts: t, importKWh: s.importKWh, exportKWh: s.exportKWh, powerW: s.powerW });
          if (out.kind === "accepted") {
            result.accepted++;
            result.intervals += out.closed;
          } else if (out.kind === "rejected") result.rejected++;
        }
        const c = sessions ? sim.charger() : null;
        if (sessions && c) {
          if (c.rfid && c.rfid !== lastRfid) {
            // The driver picks the mode when plugging in.
            const plan = ch!.plans.find((p) => p.rfid === c.rfid);
            if (plan?.mode) sessions.setMode(plan.mode, t, t);
            result.sessions++;
          }
          lastRfid = c.rfid;
          sessions.observe({ ts: t, connected: c.carState !== "A", charging: c.carState === "C", counterWh: c.energyWh, powerW: c.powerW, userId: c.rfid }, t);
        }
      }
      agg.flush(() => undefined);
    });
  }
  if (sim.now < o.toMs) sim.advanceTo(o.toMs, step);
  agg.flush(() => undefined);
  result.state = sim.state();
  return result;
}
