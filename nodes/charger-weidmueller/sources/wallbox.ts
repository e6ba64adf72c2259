import type { SourceReading } from "../../../lib/charging/observation";
import type { readWallbox, WallboxField, WallboxValues } from "../../../lib/devices/loxone/wallbox";
import type { ChargerSink } from "./source";

/*
 * What the two Loxone sources (UDP and HTTP) share: both read the outputs of
 * a Loxone Wallbox block.
 */

/**
 * The Wallbox block's values as a reading, null while none has arrived. A
 * connection state not seen yet (UDP sends on change only: after a restart
 * Vc comes again only when the car leaves) is null: the last known holds.
 */
export function wallboxReading(v: WallboxValues): SourceReading | null {
  if (Object.keys(v).length === 0) return null;
  const r: SourceReading = { connected: v.connected ?? null };
  if (v.charging !== undefined) r.charging = v.charging;
  if (v.counterWh !== undefined) r.counterWh = v.counterWh;
  if (v.powerW !== undefined) r.powerW = v.powerW;
  if (v.userId !== undefined) r.userId = v.userId;
  if (v.mode !== undefined) r.modeValue = v.mode;
  if (v.sessionWh !== undefined) r.deviceSessionWh = v.sessionWh;
  return r;
}

export function noteProblems(sink: ChargerSink, problems: ReturnType<typeof readWallbox>["problems"], names: Record<WallboxField, string>): void {
  for (const p of problems) sink.note("note.value", { name: names[p.field], value: p.value, detail: p.detail });
}
