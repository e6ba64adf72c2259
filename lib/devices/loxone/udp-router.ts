import type { Arrival } from "../../readings/meter-input/meter-ingest";
import type { Field } from "../../readings/meter-input/rejection";
import type { UdpItem } from "./udp-parse";

/**
 * What one node listens for on a UDP port: a text name per field
 * (`unit-3:<v>` -> import when keys.importKWh is "unit-3"), and the name used
 * in JSON objects with a "meter" key (all fields of that object go to it).
 * Meters use the reading fields; a charger listens for its own fields (the
 * Loxone Wallbox block's outputs) by name only and has no `jsonName`.
 */
export interface UdpSubscription<K extends string = Field> {
  jsonName?: string;
  keys: Partial<Record<K, string>>;
  deliver(arrival: UdpArrival<K>): void;
}

/** An Arrival (lib/readings/meter-input/meter-ingest.ts) whose values carry the subscriber's own field names. */
export type UdpArrival<K extends string = Field> = Omit<Arrival, "values"> & { values: { field: K; raw: unknown }[] };

type AnySubscription = UdpSubscription<string>;

export interface RouteResult {
  deliveries: { sub: AnySubscription; arrival: Omit<UdpArrival<string>, "origin" | "excerpt"> }[];
  /** Values whose name no meter listens for. */
  unrouted: number;
  unroutedNames: string[];
}

export class UdpRouter {
  private readonly subs = new Set<AnySubscription>();

  add<K extends string>(sub: UdpSubscription<K>): void {
    this.subs.add(sub as AnySubscription);
  }

  remove<K extends string>(sub: UdpSubscription<K>): void {
    this.subs.delete(sub as AnySubscription);
  }

  get size(): number {
    return this.subs.size;
  }

  /** All pairs of a packet for one meter become one arrival; each JSON meter object its own. */
  route(items: UdpItem[]): RouteResult {
    const pairs = new Map<AnySubscription, { field: string; raw: unknown }[]>();
    const result: RouteResult = { deliveries: [], unrouted: 0, unroutedNames: [] };
    const missed = (name: string, n: number): void => {
      result.unrouted += n;
      if (!result.unroutedNames.includes(name)) result.unroutedNames.push(name);
    };
    for (const item of items) {
      if (item.kind === "meter") {
        let hit = false;
        for (const sub of this.subs) {
          if (sub.jsonName === undefined || sub.jsonName !== item.name) continue;
          hit = true;
          result.deliveries.push({ sub, arrival: { values: item.values.map((v) => ({ ...v })), ts: item.ts, serial: item.serial } });
        }
        if (!hit) missed(item.name, item.values.length);
        continue;
      }
      let hit = false;
      for (const sub of this.subs) {
        for (const [field, key] of Object.entries(sub.keys) as [string, string | undefined][]) {
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
