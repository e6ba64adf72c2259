import { MiniserverAnswerError, MiniserverError } from "../../../lib/devices/loxone/http-client";
import { readWallbox, WALLBOX_FIELDS, type WallboxField } from "../../../lib/devices/loxone/wallbox";
import { Poller } from "../../../lib/util/poller";
import type { ChargerSourceFactory, Started } from "./source";
import { noteProblems, wallboxReading } from "./wallbox";
import { problem } from "../../../lib/util/issue";

/** A Loxone Wallbox block's outputs polled from the Miniserver over HTTP (/all). */
export const loxoneHttpSource: ChargerSourceFactory<"miniserver"> = ({ cfg, settings: s, sink, devices }): Started => {
  const ms = devices.miniserver(cfg.miniserver);
  if (!ms) return { problem: problem("noMiniserver") };
  const origin = `loxone ${ms.client.label}`;
  const poller = new Poller(s.intervalMs, async () => {
    try {
      const answer = await ms.client.io(s.lxBlock, "all");
      const raw: Partial<Record<WallboxField, unknown>> = {};
      for (const f of WALLBOX_FIELDS) if (s.names[f] in answer.outputs) raw[f] = answer.outputs[s.names[f]];
      const { values, problems } = readWallbox(raw);
      noteProblems(sink, problems, s.names);
      const r = wallboxReading(values);
      if (r && values.connected !== undefined) sink.reading(r, origin);
      else
        sink.failed(
          "ll-code",
          `block ${s.lxBlock} has no output ${s.names.connected} (outputs: ${Object.keys(answer.outputs).slice(0, 12).join(", ") || "none"})`,
        );
    } catch (e) {
      if (e instanceof MiniserverAnswerError) sink.failed("malformed", e.message);
      else if (e instanceof MiniserverError) sink.failed(e.kind, e.message);
      else sink.failed("internal", (e as Error).message);
    }
  });
  poller.start();
  return { source: { stop: async () => poller.stop(), poll: () => poller.trigger() } };
};
