import { createSocket, type Socket } from "node:dgram";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { obeyAcSmartWrites, serveAcSmart } from "./ac-smart";
import { DeviceLayout, serveMeter, udpPackets } from "./devices";
import { SimState, SiteSimulator } from "./engine";
import { assertLoopback } from "./loopback";
import { RegisterServer } from "./modbus-server";
import type { SiteModel } from "./site";

/*
 * The live simulator: a Modbus TCP server with the site's meters and its
 * charger (a Weidmüller AC SMART at its own unit id, as behind a gateway),
 * Loxone UDP packets to a port, all on loopback, driven by SiteSimulator in real time
 * (or faster with `speed`). `zev simulate` and the demo start it.
 */

export interface SimulatorOptions {
  site: SiteModel;
  devices: DeviceLayout;
  /** Loopback address the servers listen on and the packets go to. */
  host?: string;
  modbusPort: number;
  /** UDP port of the zev-udp-port node; null = no UDP meters. */
  udpPort?: number | null;
  /** Simulated seconds per real second (1 = real time). */
  speed?: number;
  /** How often the registers are refreshed, real ms (default 1000). */
  tickMs?: number;
  /** How often each UDP meter sends its values, real ms (default 2000). */
  udpEveryMs?: number;
  /** Keeps the counters across restarts (only at speed 1: faster runs would put the counters ahead of the clock). */
  stateFile?: string;
  /** A state to start from (e.g. the backfill's end); wins over the state file. */
  state?: SimState | null;
  /** Now and then an unreadable UDP packet, as a misconfigured Virtual Output would send. Default false. */
  faults?: boolean;
  log?: (line: string) => void;
  now?: () => number;
}

export interface RunningSimulator {
  readonly engine: SiteSimulator;
  readonly modbus: RegisterServer;
  /** Simulated now, epoch ms. */
  simNow(): number;
  /** Advances the engine to now and refreshes every register (also runs on each tick). */
  refresh(): void;
  stop(): Promise<void>;
}

export function loadSimState(file: string): SimState | null {
  if (!existsSync(file)) return null;
  try {
    const s = JSON.parse(readFileSync(file, "utf8")) as SimState;
    return s && s.version === 1 && typeof s.ts === "number" ? s : null;
  } catch {
    return null;
  }
}

export function saveSimState(file: string, s: SimState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(s));
  renameSync(tmp, file);
}

export async function startSimulator(o: SimulatorOptions): Promise<RunningSimulator> {
  const host = o.host ?? "127.0.0.1";
  assertLoopback(host);
  const speed = o.speed ?? 1;
  if (!(speed > 0 && speed <= 3600)) throw new RangeError("speed must be between 0 and 3600");
  const now = o.now ?? Date.now;
  const log = o.log ?? (() => undefined);
  const persist = o.stateFile && speed === 1 ? o.stateFile : undefined;
  const initial = o.state ?? (o.stateFile ? loadSimState(o.stateFile) : null);
  const wallStart = now();
  const engine = new SiteSimulator(o.site, initial?.ts ?? wallStart, initial);
  // A state from the past is brought up to now (minute steps); the clock then runs from there.
  if (engine.now < wallStart) engine.advanceTo(wallStart, 60_000);
  const simStart = engine.now;
  const simNow = (): number => simStart + (now() - wallStart) * speed;

  const modbus = new RegisterServer(o.modbusPort, host, { record: false, latencyMs: 0 });
  const refresh = (): void => {
    engine.advanceTo(simNow(), 1000 * Math.max(1, Math.min(60, speed)));
    const snaps = new Map(engine.snapshot().map((s) => [s.meter, s]));
    for (const b of o.devices.meters) if (b.via === "modbus") serveMeter(modbus, b, snaps.get(b.meter)!);
    if (o.devices.charger) serveAcSmart(modbus, o.devices.charger.unitId, engine);
  };
  if (o.devices.charger) obeyAcSmartWrites(modbus, o.devices.charger.unitId, engine, speed);
  refresh();
  await modbus.listen();

  let udp: Socket | null = null;
  const udpMeters = o.devices.meters.filter((b) => b.via === "udp");
  if (o.udpPort && udpMeters.length) {
    const sock = createSocket("udp4");
    await new Promise<void>((resolve, reject) => {
      sock.once("error", reject);
      sock.bind(0, host, () => resolve());
    });
    sock.on("error", (e) => log(`udp: ${e.message}`));
    udp = sock;
  }
  let udpSent = 0;
  const sendUdp = (): void => {
    if (!udp || !o.udpPort) return;
    for (const b of udpMeters) {
      if (b.via !== "udp") continue;
      const packets = udpPackets(b, engine.meter(b.meter));
      // About one packet in 150 is unreadable (a Virtual Output command with a typo), when faults are on.
      if (o.faults && udpSent % 150 === 149) packets.push(`${b.importName ?? b.meter}:n/a`);
      for (const p of packets) {
        udp.send(p, o.udpPort, host);
        udpSent++;
      }
    }
  };

  const timers: NodeJS.Timeout[] = [];
  timers.push(setInterval(refresh, o.tickMs ?? 1000));
  if (udp) {
    sendUdp();
    timers.push(setInterval(sendUdp, o.udpEveryMs ?? 2000));
  }
  if (persist) timers.push(setInterval(() => saveSimState(persist, engine.state()), 10_000));
  for (const t of timers) t.unref();
  log(`simulator: Modbus TCP on ${host}:${o.modbusPort}${udp ? `, Loxone UDP to ${host}:${o.udpPort}` : ""}, speed ${speed}x`);

  let stopped = false;
  return {
    engine,
    modbus,
    simNow,
    refresh,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      for (const t of timers) clearInterval(t);
      refresh();
      if (persist) saveSimState(persist, engine.state());
      await modbus.stop();
      if (udp) await new Promise<void>((r) => udp!.close(() => r()));
    },
  };
}
