import { ServerTCP } from "modbus-serial";
import { encodeRegisters } from "../../lib/devices/modbus/decode";
import type { MeterProfile, RegisterDef } from "../../lib/devices/modbus/types";
import { freeTcpPort } from "./net";

type Behaviour = "ok" | "hang" | "exception";

/**
 * A Modbus TCP device on 127.0.0.1 built on modbus-serial's ServerTCP:
 * register maps per unit id, holding (FC03) and input (FC04) separately.
 * Units can be made to hang (never answer) or answer with an exception;
 * the device can be stopped and started again on the same port.
 */
export class FakeModbusDevice {
  private server?: ServerTCP;
  private readonly regs = new Map<string, number>();
  private readonly behaviour = new Map<number, Behaviour>();
  /** Requests currently being answered, and the most at once (serialisation check). */
  inFlight = 0;
  maxInFlight = 0;
  requests: { unit: number; fc: 3 | 4; address: number; length: number }[] = [];
  /** FC06/FC16 writes as received; holding registers change accordingly. */
  writes: { unit: number; address: number; words: number[] }[] = [];
  /** Addresses (per unit) that refuse writes with an exception, e.g. a charger without external control. */
  readonly readOnly = new Set<string>();

  private constructor(readonly port: number) {}

  static async start(port?: number): Promise<FakeModbusDevice> {
    const dev = new FakeModbusDevice(port ?? (await freeTcpPort()));
    await dev.listen();
    return dev;
  }

  setWords(unit: number, fc: 3 | 4, address: number, words: number[]): void {
    words.forEach((w, i) => this.regs.set(`${unit}/${fc}/${address + i}`, w));
  }

  /** Stores `value` (in the register's unit, before scale) as the profile's type and word order. */
  setValue(unit: number, def: RegisterDef, valueInUnit: number): void {
    this.setWords(unit, def.fc, def.address, encodeRegisters(valueInUnit / def.scale, def.type, def.order));
  }

  /** Serves a profile with import/export in kWh and power in W, converted to the profile's units. */
  serveProfile(unit: number, profile: MeterProfile, v: { importKWh: number; exportKWh?: number; powerW?: number }): void {
    const toUnit = (def: RegisterDef, kwhOrW: number): number => (def.unit === "Wh" || def.unit === "kW" ? (def.unit === "Wh" ? kwhOrW * 1000 : kwhOrW / 1000) : kwhOrW);
    this.setValue(unit, profile.importKWh, toUnit(profile.importKWh, v.importKWh));
    if (profile.exportKWh && v.exportKWh !== undefined) this.setValue(unit, profile.exportKWh, toUnit(profile.exportKWh, v.exportKWh));
    if (profile.powerW && v.powerW !== undefined) this.setValue(unit, profile.powerW, toUnit(profile.powerW, v.powerW));
  }

  setBehaviour(unit: number, b: Behaviour): void {
    this.behaviour.set(unit, b);
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
      { host: "127.0.0.1", port: this.port, unitID: 255 },
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

  /** The holding register words a client wrote (or the test set). */
  holding(unit: number, address: number, count = 1): (number | undefined)[] {
    return Array.from({ length: count }, (_, i) => this.regs.get(`${unit}/3/${address + i}`));
  }

  private async write(address: number, words: number[], unit: number): Promise<void> {
    if ((this.behaviour.get(unit) ?? "ok") === "hang") await new Promise(() => undefined);
    if (words.some((_, i) => this.readOnly.has(`${unit}/${address + i}`))) throw Object.assign(new Error("illegal function"), { modbusErrorCode: 1 });
    this.writes.push({ unit, address, words: [...words] });
    this.setWords(unit, 3, address, words);
  }

  private async answer(fc: 3 | 4, address: number, length: number, unit: number): Promise<number[]> {
    this.requests.push({ unit, fc, address, length });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const b = this.behaviour.get(unit) ?? "ok";
      if (b === "hang") await new Promise(() => undefined);
      // A little latency so that overlapping requests would be visible.
      await new Promise((r) => setTimeout(r, 2));
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
