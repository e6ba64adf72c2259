import type { NodeMessage } from "node-red";
import { encodeAscii, encodeRegisters } from "../../lib/devices/modbus/decode";
import type { SessionPayload } from "../../lib/charging/session-message";
import type { Reading } from "../../lib/readings/reading";
import { clock } from "../../lib/util/clock";
import chargerNode from "../../nodes/charger-weidmueller/charger-weidmueller";
import { FakeModbusDevice } from "./modbus-device";
import { ZEV_NODES } from "./zev-nodes";

/** The meter input nodes, config nodes and the charger node. */
export const CHARGER_NODES = [...ZEV_NODES, chargerNode];

export type ReadingMsg = NodeMessage & { payload: Reading };
export type SessionMsg = NodeMessage & { topic: string; payload: SessionPayload };

/** A Weidmüller AC SMART on 127.0.0.1: a modbus-serial ServerTCP with the charger's holding registers. */
export class FakeAcSmart {
  private constructor(
    readonly dev: FakeModbusDevice,
    readonly unit: number,
  ) {}

  static async start(unit = 255): Promise<FakeAcSmart> {
    const ac = new FakeAcSmart(await FakeModbusDevice.start(), unit);
    ac.set({ state: "A", powerW: 0, wh: 0, rfid: "" });
    return ac;
  }

  get port(): number {
    return this.dev.port;
  }

  /** Car state letter, power in W (stored as mW), lifetime energy in Wh, RFID tag ("" = none). */
  set(v: { state?: string; powerW?: number; wh?: number; rfid?: string }): void {
    if (v.state !== undefined) this.dev.setWords(this.unit, 3, 301, [v.state.charCodeAt(0)]);
    if (v.powerW !== undefined) this.dev.setWords(this.unit, 3, 418, encodeRegisters(v.powerW * 1000, "uint32", "lsw"));
    if (v.wh !== undefined) this.dev.setWords(this.unit, 3, 457, encodeRegisters(v.wh, "uint32", "lsw"));
    if (v.rfid !== undefined) this.dev.setWords(this.unit, 3, 1000, encodeAscii(v.rfid, 11));
  }

  /** The current limit last written to 11052. */
  get limit(): number | undefined {
    return this.dev.holding(this.unit, 11052)[0];
  }

  stop(): Promise<void> {
    return this.dev.stop();
  }

  listen(): Promise<void> {
    return this.dev.listen();
  }
}

/**
 * Replaces the charger's clock (lib/util/clock.ts) for one test: time moves
 * only when the test says, so sessions can cross quarter hours in
 * milliseconds while sockets, SQLite and Node-RED stay real.
 */
export function useFakeClock(): { set(ms: number): void; readonly now: number } {
  const real = clock.now;
  let now = 0;
  beforeEach(() => {
    now = Date.UTC(2026, 2, 2, 7, 0);
    clock.now = () => now;
  });
  afterEach(() => {
    clock.now = real;
  });
  return {
    set: (ms) => {
      now = ms;
    },
    get now() {
      return now;
    },
  };
}
