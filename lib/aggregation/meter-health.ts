import type { MeterRole } from "../model/meter";
import type { UdpPortCounts } from "../devices/loxone/udp-hub";
import type { Quality } from "../model/quality";
import { listMeters } from "../store/meter-repo";
import { lastReadings } from "../store/meter-state-repo";
import type { Store } from "../store/store";
import { INTERVAL_MS } from "../time/interval";
import { localDateOf, startOfLocalDay } from "../time/local-date";
import { dataQuality, MeterDataQuality } from "./data-quality";

/** What a source node (zev-meter-in) counted for a meter in this process. */
export interface SourceCounts {
  received: number;
  accepted: number;
  rejected: number;
}

export type QualityCounts = Pick<MeterDataQuality, "expected" | Quality>;

export interface MeterHealth {
  meter: string;
  role: MeterRole;
  unit: string | null;
  label: string | null;
  /** The last reading stored for the meter (epoch ms), null before any. */
  lastReadingMs: number | null;
  ageMs: number | null;
  lastImportKWh: number | null;
  today: QualityCounts;
  month: QualityCounts;
  /** Counter energy across long gaps this month (known in amount, not in time). */
  unallocatedKWh: number;
  /** Values the source node refused since it started (null when no source node in this Node-RED reports the meter). */
  source: SourceCounts | null;
}

export interface HealthReport {
  community: string;
  ts: number;
  meters: MeterHealth[];
  /** The UDP ports of this Node-RED: packets dropped (malformed, oversized, not allowed) and values no meter listens for. */
  ports: UdpPortCounts[];
}

/** The source counters per meter, optionally with the UDP ports' counters (zev-aggregate passes both as `sources`). */
export type SourceSnapshot = ReadonlyMap<string, SourceCounts> & { readonly ports?: readonly UdpPortCounts[] };

const pick = (m: MeterDataQuality | undefined): QualityCounts =>
  m
    ? { expected: m.expected, measured: m.measured, interpolated: m.interpolated, estimated: m.estimated, missing: m.missing }
    : { expected: 0, measured: 0, interpolated: 0, estimated: 0, missing: 0 };

/**
 * Data health per meter for the dashboard: the last stored reading and its
 * age, today's and this month's quarter hours by quality (up to now), and,
 * when given, what the source nodes rejected.
 */
export function meterHealth(store: Store, communityId: string, nowMs: number, zone: string, sources: SourceSnapshot = new Map()): HealthReport {
  const today = localDateOf(nowMs, zone);
  const dayStart = startOfLocalDay(today, zone);
  const monthStart = startOfLocalDay(`${today.slice(0, 7)}-01`, zone);
  const end = Math.floor(nowMs / INTERVAL_MS) * INTERVAL_MS + INTERVAL_MS;
  const qDay = new Map(dataQuality(store, communityId, dayStart, end, { untilMs: nowMs }).meters.map((m) => [m.meter, m]));
  const qMonth = new Map(dataQuality(store, communityId, monthStart, end, { untilMs: nowMs }).meters.map((m) => [m.meter, m]));
  const last = new Map(lastReadings(store, communityId).map((r) => [r.meterId, r]));
  return {
    community: communityId,
    ts: nowMs,
    meters: listMeters(store, communityId).map((m) => {
      const l = last.get(m.id);
      const lastMs = l?.lastMs ?? null;
      const month = qMonth.get(m.key);
      return {
        meter: m.key,
        role: m.role,
        unit: m.unitId,
        label: m.label,
        lastReadingMs: lastMs,
        ageMs: lastMs === null ? null : Math.max(0, nowMs - lastMs),
        lastImportKWh: l?.lastImportWh == null ? null : l.lastImportWh / 1000,
        today: pick(qDay.get(m.key)),
        month: pick(month),
        unallocatedKWh: (month?.unallocatedImportWh ?? 0) / 1000,
        source: sources.get(m.key) ?? null,
      };
    }),
    ports: [...(sources.ports ?? [])],
  };
}
