import type { UdpSubscription } from "../../../lib/devices/loxone/udp-router";
import { readWallbox, WALLBOX_FIELDS, type WallboxField } from "../../../lib/devices/loxone/wallbox";
import { Poller } from "../../../lib/util/poller";
import type { ChargerSourceFactory, Started } from "./source";
import { noteProblems, wallboxReading } from "./wallbox";
import { problem } from "../../../lib/util/issue";

/** A Loxone Wallbox block's outputs sent as UDP text (on change) to a zev-udp-port. */
export const loxoneUdpSource: ChargerSourceFactory<"udpPort"> = ({ cfg, settings: s, sink, held, devices }): Started => {
  const port = devices.udpPort(cfg.udpPort);
  if (!port) return { problem: problem("noUdpPort") };
  // The Miniserver sends a value when it changes: the latest of each holds until the next, across
  // a restart too (the saved values), so that a counter moving after a quiet hour is not spread over the hour.
  const latest: Partial<Record<WallboxField, unknown>> = {};
  if (held.counterWh !== null) latest.total = held.counterWh / 1000;
  if (held.connected !== null) latest.connected = held.connected ? 1 : 0;
  let origin = "udp";
  const emit = (): void => {
    const { values, problems } = readWallbox(latest);
    noteProblems(sink, problems, s.names);
    for (const p of problems) delete latest[p.field];
    const r = wallboxReading(values);
    if (r) sink.reading(r, origin);
  };
  const sub: UdpSubscription<WallboxField> = {
    keys: Object.fromEntries(WALLBOX_FIELDS.map((f) => [f, s.names[f]])),
    deliver: (a) => {
      for (const v of a.values) latest[v.field] = v.raw;
      origin = a.origin;
      emit();
    },
  };
  port.hub.subscribe(sub).catch((e: Error) => sink.failed("bind", e.message));
  // Re-read the held values regularly, so a counter that moves after a quiet hour is spread over seconds, not the hour.
  const ticker = new Poller(s.intervalMs, async () => emit());
  ticker.start(Object.keys(latest).length ? 0 : s.intervalMs);
  return {
    source: {
      stop: async () => {
        ticker.stop();
        await port.hub.unsubscribe(sub);
      },
    },
  };
};
