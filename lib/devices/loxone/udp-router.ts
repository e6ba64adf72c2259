import type { Arrival, ValueInput } from "../../readings/ingest";
import type { Field } from "../../readings/rejection";
import type { UdpItem } from "./udp-parse";

/**
 * What one meter listens for on a UDP port: a text name per field
 * (`unit-3:<v>` -> import when keys.importKWh is "unit-3"), and the name used
 * in JSON objects with a "meter" key (all fields of that object go to it).
 */
export interface UdpSubscription {
  jsonName: string;
  keys: Partial<Record<Field, string>>;
  deliver(arrival: Arrival): void;
}

export interface RouteResult {
  deliveries: { sub: UdpSubscription; arrival: Omit<Arrival, "origin" | "excerpt"> }[];
  /** Values whose name no meter listens for. */
  unrouted: number;
  unroutedNames: string[];
}

export class UdpRouter {
  private readonly subs = new Set<UdpSubscription>();

  add(sub: UdpSubscription): void {
    this.subs.add(sub);
  }

  remove(sub: UdpSubscription): void {
    this.subs.delete(sub);
  }

  get size(): number {
    return this.subs.size;
  }

  /** All pairs of a packet for one meter become one arrival; each JSON meter object its own. */
  route(items: UdpItem[]): RouteResult {
    const pairs = new Map<UdpSubscription, ValueInput[]>();
    const result: RouteResult = { deliveries: [], unrouted: 0, unroutedNames: [] };
    const missed = (name: string, n: number): void => {
      result.unrouted += n;
      if (!result.unroutedNames.includes(name)) result.unroutedNames.push(name);
    };
    for (const item of items) {
      if (item.kind === "meter") {
        let hit = false;
        for (const sub of this.subs) {
          if (sub.jsonName !== item.name) continue;
          hit = true;
          result.deliveries.push({ sub, arrival: { values: item.values.map((v) => ({ ...v })), ts: item.ts, serial: item.serial } });
        }
        if (!hit) missed(item.name, item.values.length);
        continue;
      }
      let hit = false;
      for (const sub of this.subs) {
        for (const [field, key] of Object.entries(sub.keys) as [Field, string | undefined][]) {
          if (key !== item.name) continue;
          hit = true;
          const list = pairs.get(sub) ?? [];
          list.push({ field, raw: item.raw });
          pairs.set(sub, list);
        }
      }
      if (!hit) missed(item.name, 1);
    }
    for (const [sub, values] of pairs) result.deliveries.push({ sub, arrival: { values } });
    return result;
  }
}
