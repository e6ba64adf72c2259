import { ModbusError } from "../../../lib/devices/modbus/connection";
import { customProfile } from "../../../lib/devices/modbus/custom-profile";
import { planReads, readMeter } from "../../../lib/devices/modbus/meter-reader";
import { findProfile } from "../../../lib/devices/modbus/profiles";
import { Poller } from "../../../lib/util/poller";
import { seconds, type MeterSourceFactory, type Started } from "./source";
import { problem } from "../../../lib/util/issue";

/** A Modbus meter polled over a zev-modbus-connection, read by a built-in profile or the editor's custom one. */
export const modbusSource: MeterSourceFactory<"modbus" | "mbUnitId" | "mbProfile" | "mbCustom" | "mbInterval"> = ({ cfg, sink, devices }): Started => {
  const handle = devices.modbus(cfg.modbus);
  if (!handle) return { problem: problem("noModbus") };
  const built = cfg.mbProfile === "custom" ? customProfile(cfg.mbCustom ?? {}) : findProfile(cfg.mbProfile ?? "");
  if (!built) return { problem: problem("unknownProfile", { profile: String(cfg.mbProfile) }) };
  if ("errors" in built) return { problem: problem("customProfile", { errors: built.errors.join("; ") }) };
  const profile = "profile" in built ? built.profile : built;
  const unitId = cfg.mbUnitId === undefined || cfg.mbUnitId === "" ? profile.defaultUnitId : Number(cfg.mbUnitId);
  if (!Number.isInteger(unitId) || unitId < 0 || unitId > 255) return { problem: problem("unitId", { unit: String(cfg.mbUnitId) }) };
  const conn = handle.acquire();
  const blocks = planReads(profile);
  const origin = `modbus ${conn.label} unit ${unitId}`;
  const poller = new Poller(seconds(cfg.mbInterval, 10), async () => {
    try {
      const r = await readMeter(conn, unitId, profile, blocks);
      sink.arrival({ values: r.values, origin, excerpt: r.raw });
      for (const pe of r.partialErrors) sink.note(pe.message);
    } catch (e) {
      sink.failed(e instanceof ModbusError ? e.kind : "internal", (e as Error).message);
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
    },
  };
};
