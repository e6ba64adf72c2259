import { parseArgs } from "node:util";
import { backfill } from "../../lib/simulator/backfill";
import { SONNENHOF_DEVICES } from "../../lib/simulator/devices";
import { loadSimState, saveSimState, startSimulator } from "../../lib/simulator/run";
import { SONNENHOF_SITE } from "../../lib/simulator/site";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { swissCount, swissNumber } from "../../lib/util/swiss-number";
import { CommandIO, UsageError } from "./io";

export const SIMULATE_USAGE = `zev simulate [--modbus-port 1502] [--udp-port 7000] [--speed 1] [--state <file>] [--no-faults]
           [--backfill-days N --db <file.sqlite> --community <id> [--no-live]]
      a simulated ZEV on loopback (docs/demo.md): Modbus TCP meters (SDM630 units, SunSpec PV), Loxone UDP
      packets, a Weidmueller AC SMART charger; solar day, households, a car charging. Stops on Ctrl+C.
      --backfill-days writes that many days of 15-minute history into the database through the ingest path
      first (Node-RED stopped), then runs live unless --no-live. Counters continue across runs (--state).`;

function port(v: string | undefined, name: string, dflt: number | null): number | null {
  if (v === undefined) return dflt;
  if (v === "" || v === "off") return null;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`${name} must be a port number (1-65535)`);
  return n;
}

/** Resolves when the process receives SIGINT or SIGTERM (tests pass their own signal). */
export type StopSignal = () => Promise<void>;
const processSignal: StopSignal = () =>
  new Promise((resolve) => {
    const on = (): void => {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
      resolve();
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  });

export async function simulateCommand(args: string[], io: CommandIO, untilStopped: StopSignal = processSignal): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      "modbus-port": { type: "string" },
      "udp-port": { type: "string" },
      host: { type: "string" },
      speed: { type: "string" },
      state: { type: "string" },
      "no-faults": { type: "boolean" },
      "backfill-days": { type: "string" },
      db: { type: "string" },
      community: { type: "string" },
      "no-live": { type: "boolean" },
    },
  });
  const modbusPort = port(values["modbus-port"], "--modbus-port", 1502)!;
  const udpPort = port(values["udp-port"], "--udp-port", 7000);
  const speed = values.speed === undefined ? 1 : Number(values.speed);
  if (!(speed > 0 && speed <= 3600)) throw new UsageError("--speed must be a number above 0 and at most 3600");
  const stateFile = values.state ?? (values.db ? `${values.db}.simulator.json` : "zev-simulator-state.json");
  const faults = !values["no-faults"];
  let state = loadSimState(stateFile);

  if (values["backfill-days"] !== undefined) {
    const days = Number(values["backfill-days"]);
    if (!Number.isInteger(days) || days < 1 || days > 400) throw new UsageError("--backfill-days must be a whole number of days (1-400)");
    if (!values.db) throw new UsageError("--backfill-days needs --db <file.sqlite>");
    if (!values.community) throw new UsageError("--backfill-days needs --community <id>");
    const store = SqliteStore.open(values.db);
    try {
      const toMs = Date.now();
      const fromMs = state ? state.ts : toMs - days * 86_400_000;
      const t0 = Date.now();
      const r = backfill(store, { communityId: values.community, site: SONNENHOF_SITE, fromMs, toMs, state, faults, actor: "cli:simulate" });
      state = r.state;
      saveSimState(stateFile, state);
      io.out(
        `backfill ${new Date(r.fromMs).toISOString()} .. ${new Date(r.toMs).toISOString()}: ${swissCount(r.readings)} readings through the ingest path, ` +
          `${swissCount(r.intervals)} quarter hours, ${swissCount(r.rejected)} rejected, ${swissCount(r.dropped)} left out as simulated outages (${swissNumber((Date.now() - t0) / 1000, 1)} s)\n`,
      );
    } finally {
      store.close();
    }
    if (values["no-live"]) return 0;
  }

  const sim = await startSimulator({
    site: SONNENHOF_SITE,
    devices: SONNENHOF_DEVICES,
    host: values.host ?? "127.0.0.1",
    modbusPort,
    udpPort,
    speed,
    stateFile,
    state,
    faults,
    log: (l) => io.out(`${l}\n`),
  });
  io.out(`  meter       via      address\n`);
  for (const b of SONNENHOF_DEVICES.meters) {
    const where =
      b.via === "modbus"
        ? `${values.host ?? "127.0.0.1"}:${modbusPort} unit ${b.unitId} (${b.profile})`
        : udpPort
          ? `UDP to port ${udpPort}: ${b.powerName ? `"${b.powerName}:<W>", ` : ""}"${b.importName ?? b.meter}:<kWh>"`
          : "(UDP off)";
    io.out(`  ${b.meter.padEnd(11)} ${b.via.padEnd(8)} ${where}\n`);
  }
  io.out(`counters continue from ${stateFile} at the next start; Ctrl+C stops\n`);
  // A closed pipe (`zev simulate | head`) stops the simulator as Ctrl+C does.
  await (io.outputClosed ? Promise.race([untilStopped(), io.outputClosed]) : untilStopped());
  await sim.stop();
  io.out("simulator stopped\n");
  return 0;
}
