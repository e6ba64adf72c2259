import { ServerTCP } from "modbus-serial";
import { encodeRegisters } from "../devices/modbus/decode";
import type { MeterProfile, RegisterDef } from "../devices/modbus/types";
import { assertLoopback } from "./loopback";

export type UnitBehaviour = "ok" | "hang" | "exception";

export interface WriteHook {
  /** Called for every FC06/FC16 write to `unit` before the registers change; throw to refuse it. */
  (address: number, words: readonly number[]): void;
}

/**
 * A Modbus TCP device built on modbus-serial's ServerTCP, bound to a
 * loopback address only: register maps per unit id, holding (FC03, written
 * by FC06/FC16) and input (FC04) registers apart. The simulator serves meters
 * and chargers with it; tests also make units hang or answer with an
 * exception, and can stop and restart it on the same port.
 */
export class RegisterServer {
  private server?: ServerTCP;
  private readonly regs = new Map<string, number>();
  private readonly behaviour = new Map<number, UnitBehaviour>();
  private readonly writeHooks = new Map<number, WriteHook>();
  /** Requests currently being answered, and the most at once (serialisation check). */
  inFlight = 0;
  maxInFlight = 0;
  /** Reads as received (kept only with `record`, for tests). */
  readonly requests: { unit: number; fc: 3 | 4; address: number; length: number }[] = [];
  /** FC06/FC16 writes as accepted (kept only with `record`). */
  readonly writes: { unit: number; address: number; words: number[] }[] = [];
  /** Holding registers ("unit/address") that refuse writes with an exception, e.g. a charger without external control. */
  readonly readOnly = new Set<string>();

  constructor(
    readonly port: number,
    readonly host = "127.0.0.1",
    private readonly opts: { record?: boolean; latencyMs?: number } = {},
  ) {
    assertLoopback(host);
  }

  setWords(unit: number, fc: 3 | 4, address: number, words: readonly number[]): void {
    words.forEach((w, i) => this.regs.set(`${unit}/${fc}/${address + i}`, w & 0xffff));
  }

  getWords(unit: number, fc: 3 | 4, address: number, count = 1): (number | undefined)[] {
    return Array.from({ length: count }, (_, i) => this.regs.get(`${unit}/${fc}/${address + i}`));
  }

  /** The holding register words a client wrote (or were set). */
  holding(unit: number, address: number, count = 1): (number | undefined)[] {
    return this.getWords(unit, 3, address, count);
  }

  /** Stores `valueInUnit` (in the register's unit, before scale) as the register's type and word order. */
  setValue(unit: number, def: RegisterDef, valueInUnit: number): void {
    this.setWords(unit, def.fc, def.address, encodeRegisters(valueInUnit / def.scale, def.type, def.order));
  }

  /** Serves a meter profile with import/export in kWh and power in W, converted to the profile's units. */
  serveProfile(unit: number, profile: MeterProfile, v: { importKWh: number; exportKWh?: number; powerW?: number }): void {
    const toUnit = (def: RegisterDef, kwhOrW: number): number => (def.unit === "Wh" ? kwhOrW * 1000 : def.unit === "kW" ? kwhOrW / 1000 : kwhOrW);
    this.setValue(unit, profile.importKWh, toUnit(profile.importKWh, v.importKWh));
    if (profile.exportKWh && v.exportKWh !== undefined) this.setValue(unit, profile.exportKWh, toUnit(profile.exportKWh, v.exportKWh));
    if (profile.powerW && v.powerW !== undefined) this.setValue(unit, profile.powerW, toUnit(profile.powerW, v.powerW));
  }

  setBehaviour(unit: number, b: UnitBehaviour): void {
    this.behaviour.set(unit, b);
  }

  onWrite(unit: number, hook: WriteHook): void {
    this.writeHooks.set(unit, hook);
  }

  get listening(): boolean {
    return this.server !== undefined;
  }

  async listen(): Promise<void> {
    // modbus-serial takes the multi-register readers in callback form only.
    const read = (fc: 3 | 4) => (address: number, length: number, unit: number, cb: (err: Error | null, words: number[]) => void) => {
      this.answer(fc, address, length, unit).then(
        (w) => cb(null, w),
        (e: Error) => cb(e, []),
      );
    };
    const server = new ServerTCP(
      {
        getMultipleHoldingRegisters: read(3),
        getMultipleInputRegisters: read(4),
        getHoldingRegister: (address: number, unit: number) => this.answer(3, address, 1, unit).then((w) => w[0]!),
        getInputRegister: (address: number, unit: number) => this.answer(4, address, 1, unit).then((w) => w[0]!),
        setRegisterArray: (address: number, words: number[], unit: number) => this.write(address, words, unit),
        setRegister: (address: number, word: number, unit: number) => this.write(address, [word], unit),
      },
      { host: this.host, port: this.port, unitID: 255 },
    );
    server.on("socketError", () => undefined);
    server.on("error", () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.on("initialized", () => resolve());
      server.on("serverError", reject);
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private async write(address: number, words: number[], unit: number): Promise<void> {
    if ((this.behaviour.get(unit) ?? "ok") === "hang") await new Promise(() => undefined);
    if (words.some((_, i) => this.readOnly.has(`${unit}/${address + i}`))) throw Object.assign(new Error("illegal function"), { modbusErrorCode: 1 });
    this.writeHooks.get(unit)?.(address, words);
    if (this.opts.record !== false) this.writes.push({ unit, address, words: [...words] });
    this.setWords(unit, 3, address, words);
  }

  private async answer(fc: 3 | 4, address: number, length: number, unit: number): Promise<number[]> {
    if (this.opts.record !== false) this.requests.push({ unit, fc, address, length });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const b = this.behaviour.get(unit) ?? "ok";
      if (b === "hang") await new Promise(() => undefined);
      // A little latency, so that overlapping requests would be visible.
      const latency = this.opts.latencyMs ?? 2;
      if (latency > 0) await new Promise((r) => setTimeout(r, latency));
      if (b === "exception") throw Object.assign(new Error("illegal address"), { modbusErrorCode: 2 });
      const words: number[] = [];
      for (let i = 0; i < length; i++) {
        const w = this.regs.get(`${unit}/${fc}/${address + i}`);
        if (w === undefined) throw Object.assign(new Error("illegal data address"), { modbusErrorCode: 2 });
        words.push(w);
      }
      return words;
    } finally {
      this.inFlight--;
    }
  }
}
