import { ModbusError, type ModbusConnection } from "../modbus/connection";
import { decodeAscii, decodeValue, registerCount, wordsHex } from "../modbus/decode";
import type { RegisterDef } from "../modbus/types";
import { AC_SMART, CAR_STATES } from "./registers";

/** One poll of an AC SMART. */
export interface AcSmartReading {
  /** The IEC 61851 state letter as the device sent it. */
  carState: string;
  /** null = fault state (E, F): what was known before still holds. */
  connected: boolean | null;
  charging: boolean;
  powerW: number | null;
  /** null when the device has no energy meter (register refused). */
  energyKWh: number | null;
  rfid: string | null;
  /** Register contents, hex, for messages. */
  raw: string;
}

export class AcSmartStateError extends Error {
  constructor(readonly raw: string) {
    super(`unknown car state register contents 0x${raw}`);
    this.name = "AcSmartStateError";
  }
}

type OptionalBlock = "power" | "energy" | "rfid";

/**
 * Reads state, power, energy and RFID, one request each (the blocks are far
 * apart and gaps are never bridged). The car state must read; a register the
 * device refuses (power, energy, RFID on variants without them) reads as
 * null and is asked for again only after `recheckMs`, so a variant without
 * them costs no requests on every poll.
 */
export class AcSmartReader {
  private readonly missingUntil = new Map<OptionalBlock, number>();

  constructor(
    private readonly conn: ModbusConnection,
    readonly unitId: number,
    private readonly recheckMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Blocks the device refused at the last try. */
  get missing(): OptionalBlock[] {
    return [...this.missingUntil.keys()];
  }

  async read(): Promise<AcSmartReading> {
    const stateWords = await this.conn.read(this.unitId, 3, AC_SMART.carState.address, AC_SMART.carState.count);
    const letter = String.fromCharCode(stateWords[0]! & 0xff);
    const state = CAR_STATES[letter];
    if (!state) throw new AcSmartStateError(wordsHex(stateWords));
    const raw = [`state=${wordsHex(stateWords)}`];
    const power = await this.optional(raw, "power", AC_SMART.powerW.address, registerCount(AC_SMART.powerW.type));
    const energy = await this.optional(raw, "energy", AC_SMART.energyKWh.address, registerCount(AC_SMART.energyKWh.type));
    const rfid = await this.optional(raw, "rfid", AC_SMART.rfid.address, AC_SMART.rfid.count);
    const tag = rfid ? decodeAscii(rfid) : "";
    return {
      carState: letter,
      connected: state.connected,
      charging: state.charging,
      powerW: value(power, AC_SMART.powerW),
      energyKWh: value(energy, AC_SMART.energyKWh),
      rfid: tag === "" ? null : tag,
      raw: raw.join(" "),
    };
  }

  private async optional(raw: string[], name: OptionalBlock, address: number, count: number): Promise<number[] | null> {
    const until = this.missingUntil.get(name);
    if (until !== undefined && this.now() < until) return null;
    try {
      const w = await this.conn.read(this.unitId, 3, address, count, { optional: true });
      this.missingUntil.delete(name);
      raw.push(`${name}=${wordsHex(w)}`);
      return w;
    } catch (e) {
      if (!(e instanceof ModbusError && e.kind === "exception")) throw e;
      this.missingUntil.set(name, this.now() + this.recheckMs);
      return null;
    }
  }
}

function value(words: number[] | null, def: RegisterDef): number | null {
  if (!words) return null;
  const d = decodeValue(words, def);
  return d.ok ? d.value : null;
}

/** Sets the current limit (A; 0 = pause) with the heartbeat that keeps the charger under external control. */
export async function writeCurrentLimit(conn: ModbusConnection, unitId: number, amps: number): Promise<void> {
  await conn.write(unitId, AC_SMART.heartbeat.address, AC_SMART.heartbeat.words);
  await conn.write(unitId, AC_SMART.currentLimit.address, [Math.max(0, Math.min(0xffff, Math.floor(amps)))]);
}
