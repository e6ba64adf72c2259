import type { SourceReading } from "../../../lib/charging/observation";
import { ModbusError } from "../../../lib/devices/modbus/connection";
import { AcSmartReader, AcSmartStateError, writeCurrentLimit } from "../../../lib/devices/weidmueller/ac-smart";
import { Poller } from "../../../lib/util/poller";
import type { ChargerSourceFactory, Started } from "./source";
import { problem } from "../../../lib/util/issue";

/** A Weidmüller AC SMART polled over a zev-modbus-connection; it takes the current limit the node writes. */
export const modbusSource: ChargerSourceFactory<"modbus"> = ({ cfg, settings: s, sink, devices }): Started => {
  const handle = devices.modbus(cfg.modbus);
  if (!handle) return { problem: problem("noModbus") };
  const conn = handle.acquire();
  const reader = new AcSmartReader(conn, s.unitId);
  const origin = `modbus ${conn.label} unit ${s.unitId}`;
  let missing = "";
  const poller = new Poller(s.intervalMs, async () => {
    try {
      const r = await reader.read();
      const now = reader.missing.join(", ");
      if (now !== missing && now) sink.note("note.missing", { registers: now });
      missing = now;
      const reading: SourceReading = { connected: r.connected, charging: r.charging, userId: r.rfid };
      if (r.energyKWh !== null) reading.counterWh = Math.round(r.energyKWh * 1000);
      if (r.powerW !== null) reading.powerW = r.powerW;
      sink.reading(reading, origin);
    } catch (e) {
      sink.failed(e instanceof ModbusError ? e.kind : e instanceof AcSmartStateError ? "state" : "internal", (e as Error).message);
    }
  });
  poller.start();
  return {
    source: {
      stop: async () => {
        poller.stop();
        await handle.release(conn);
      },
      poll: () => poller.trigger(),
      writeLimit: (amps) => writeCurrentLimit(conn, s.unitId, amps),
    },
  };
};
