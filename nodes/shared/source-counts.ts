import type { SourceCounts } from "../../lib/aggregation/meter-health";
import type { UdpPortCounts } from "../../lib/devices/loxone/udp-hub";

/*
 * The zev-meter-in nodes of this Node-RED announce their counters here, so
 * that zev-aggregate's "health" command can show rejected values per meter
 * next to the stored data (the dashboard's data-health table). In-process
 * only: nothing is stored.
 */

type Counts = () => SourceCounts;
const sources = new Map<string, Set<Counts>>();

const key = (communityId: string | null, meter: string): string => `${communityId ?? ""}\u0000${meter}`;

/** Returns the function that withdraws the announcement (call it on close). */
export function announceMeterSource(communityId: string | null, meter: string, counts: Counts): () => void {
  const k = key(communityId, meter);
  const set = sources.get(k) ?? new Set<Counts>();
  set.add(counts);
  sources.set(k, set);
  return () => {
    set.delete(counts);
    if (!set.size) sources.delete(k);
  };
}

/** Counters of the source nodes of a community's meters (nodes without a community count for every community). */
export function sourceCounts(communityId: string): Map<string, SourceCounts> {
  const out = new Map<string, SourceCounts>();
  for (const [k, set] of sources) {
    const [c, meter] = k.split("\u0000") as [string, string];
    if (c !== communityId && c !== "") continue;
    const acc = out.get(meter) ?? { received: 0, accepted: 0, rejected: 0 };
    for (const f of set) {
      const s = f();
      acc.received += s.received;
      acc.accepted += s.accepted;
      acc.rejected += s.rejected;
    }
    out.set(meter, acc);
  }
  return out;
}

/*
 * The zev-udp-port config nodes announce their drop counters the same way:
 * a port belongs to no community, so every community's health answer lists
 * every port.
 */
const ports = new Set<() => UdpPortCounts>();

/** Returns the function that withdraws the announcement (call it on close). */
export function announceUdpPort(counts: () => UdpPortCounts): () => void {
  ports.add(counts);
  return () => void ports.delete(counts);
}

export function udpPortCountsAll(): UdpPortCounts[] {
  return [...ports].map((f) => f());
}
