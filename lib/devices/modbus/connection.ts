import { EventEmitter } from "node:events";
import type ModbusRTU from "modbus-serial";
import { modbusTcpClientClass } from "./tcp-client";
import type { ReadFunction } from "./types";

export interface ModbusConnectionOptions {
  host: string;
  port?: number;
  /** Per request. */
  timeoutMs?: number;
  connectTimeoutMs?: number;
  /** Reconnect backoff after a failed connect: doubles from min to max. */
  backoffMinMs?: number;
  backoffMaxMs?: number;
  /** A unit id that failed this many times in a row is skipped for a while... */
  unitFailuresBeforePause?: number;
  /** ...from min, doubling to max, so that it does not hold up the others. */
  unitPauseMinMs?: number;
  unitPauseMaxMs?: number;
  /** This many timeouts in a row (any unit, no answer in between) recycle the TCP connection. */
  timeoutsBeforeReconnect?: number;
}

export type ModbusErrorKind = "connect" | "disconnected" | "timeout" | "exception" | "unit-paused" | "closed";

export class ModbusError extends Error {
  constructor(
    readonly kind: ModbusErrorKind,
    message: string,
    readonly unitId?: number,
    readonly retryInMs?: number,
  ) {
    super(message);
    this.name = "ModbusError";
  }
}

export type ConnectionState = "idle" | "connecting" | "connected" | "waiting" | "closed";

interface Job {
  unitId: number;
  /** 16 = write multiple registers (`words`); 3/4 = read `count` registers. */
  fc: ReadFunction | 16;
  address: number;
  count: number;
  words?: readonly number[];
  /** A refused read of an optional register proves the unit alive: it does not count towards pausing it. */
  optional?: boolean;
  resolve(words: number[]): void;
  reject(err: Error): void;
}

interface UnitHealth {
  failures: number;
  pausedUntil: number;
}

const DEFAULTS = {
  port: 502,
  timeoutMs: 2000,
  connectTimeoutMs: 3000,
  backoffMinMs: 1000,
  backoffMaxMs: 60_000,
  unitFailuresBeforePause: 2,
  unitPauseMinMs: 10_000,
  unitPauseMaxMs: 300_000,
  timeoutsBeforeReconnect: 3,
};

/**
 * One Modbus TCP connection to a device or gateway, shared by every meter
 * behind it (by unit id). Requests are queued and sent one at a time, each
 * with a timeout. A failed connect is retried with exponential backoff; while
 * waiting, reads fail at once instead of queueing up. A unit id that keeps
 * failing is paused (exponentially) so it never holds up the others; repeated
 * timeouts with no answer at all recycle the TCP connection (half-open
 * sockets after a gateway reboot).
 */
export class ModbusConnection extends EventEmitter<{ state: [] }> {
  private readonly o: typeof DEFAULTS & { host: string };
  private client?: ModbusRTU;
  private readonly queue: Job[] = [];
  private busy = false;
  private connectFailures = 0;
  private reconnectAt = 0;
  private timeoutsInARow = 0;
  private readonly units = new Map<number, UnitHealth>();
  private abortCurrent?: (e: Error) => void;
  state: ConnectionState = "idle";
  lastError?: string;
  /** Connections opened so far (tests check reconnects). */
  connects = 0;

  constructor(opts: ModbusConnectionOptions) {
    super();
    const defined = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined && !(typeof v === "number" && Number.isNaN(v))));
    this.o = { ...DEFAULTS, ...defined } as typeof DEFAULTS & { host: string };
  }

  get label(): string {
    return `${this.o.host}:${this.o.port}`;
  }

  /**
   * Reads `count` registers; resolves with the raw 16-bit words. With
   * `optional`, a Modbus exception (a register this variant lacks) does not
   * count towards pausing the unit.
   */
  read(unitId: number, fc: ReadFunction, address: number, count: number, opts: { optional?: boolean } = {}): Promise<number[]> {
    return new Promise((resolve, reject) => {
      if (this.state === "closed") return reject(new ModbusError("closed", "connection closed"));
      this.queue.push({ unitId, fc, address, count, optional: opts.optional, resolve, reject });
      void this.pump();
    });
  }

  /**
   * Writes holding registers (FC16) through the same queue as the reads, with
   * the same timeouts, backoff and unit pause (a charger's current limit).
   */
  write(unitId: number, address: number, words: readonly number[]): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.state === "closed") return reject(new ModbusError("closed", "connection closed"));
      this.queue.push({ unitId, fc: 16, address, count: words.length, words, resolve: () => resolve(), reject });
      void this.pump();
    });
  }

  /** Milliseconds until the unit is tried again, 0 if it is not paused. */
  unitPauseLeft(unitId: number, now = Date.now()): number {
    const h = this.units.get(unitId);
    return h ? Math.max(0, h.pausedUntil - now) : 0;
  }

  async close(): Promise<void> {
    this.state = "closed";
    for (const job of this.queue.splice(0)) job.reject(new ModbusError("closed", "connection closed"));
    this.abortCurrent?.(new ModbusError("closed", "connection closed"));
    await this.drop();
    this.emit("state");
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (let job = this.queue.shift(); job; job = this.queue.shift()) {
        try {
          job.resolve(await this.exec(job));
        } catch (e) {
          job.reject(e instanceof Error ? e : new Error(String(e)));
        }
      }
    } finally {
      this.busy = false;
    }
  }

  private async exec(job: Job): Promise<number[]> {
    if (this.state === "closed") throw new ModbusError("closed", "connection closed");
    const now = Date.now();
    const paused = this.unitPauseLeft(job.unitId, now);
    if (paused > 0)
      throw new ModbusError("unit-paused", `unit ${job.unitId} paused after repeated failures, next try in ${Math.ceil(paused / 1000)} s`, job.unitId, paused);
    const client = await this.connected();
    client.setID(job.unitId);
    try {
      const request =
        job.fc === 16
          ? client.writeRegisters(job.address, [...job.words!]).then(() => ({ data: [...job.words!] }))
          : job.fc === 3
            ? client.readHoldingRegisters(job.address, job.count)
            : client.readInputRegisters(job.address, job.count);
      const res = await withTimeout<{ data: number[] }>(
        request,
        this.o.timeoutMs + 250,
        () => new ModbusError("timeout", "no answer", job.unitId),
        (abort) => {
          this.abortCurrent = abort;
        },
      );
      if (!Array.isArray(res.data) || res.data.length !== job.count)
        throw new ModbusError("exception", `unit ${job.unitId}: ${res.data?.length ?? 0} registers instead of ${job.count}`, job.unitId);
      this.timeoutsInARow = 0;
      this.units.delete(job.unitId);
      this.setError(undefined);
      return res.data;
    } catch (e) {
      if (e instanceof ModbusError && e.kind === "closed") throw e;
      throw await this.failure(job, e);
    } finally {
      this.abortCurrent = undefined;
    }
  }

  private async failure(job: Job, e: unknown): Promise<ModbusError> {
    const err = (e ?? {}) as { message?: string; modbusCode?: number; name?: string };
    const where = `unit ${job.unitId} FC${job.fc} @${job.address}+${job.count}`;
    if (e instanceof ModbusError && e.kind === "exception") return this.unitFailed(job.unitId, e);
    if (typeof err.modbusCode === "number") {
      this.timeoutsInARow = 0;
      const refused = new ModbusError("exception", `${where}: Modbus exception ${err.modbusCode} (${err.message})`, job.unitId);
      // A refused write (a charger without external current control) or optional read says the unit is alive.
      return job.fc === 16 || job.optional ? refused : this.unitFailed(job.unitId, refused);
    }
    if ((e instanceof ModbusError && e.kind === "timeout") || err.name === "TransactionTimedOutError" || err.message === "Timed out") {
      this.timeoutsInARow++;
      if (this.timeoutsInARow >= this.o.timeoutsBeforeReconnect) {
        this.timeoutsInARow = 0;
        await this.drop();
      }
      return this.unitFailed(job.unitId, new ModbusError("timeout", `${where}: no answer within ${this.o.timeoutMs} ms`, job.unitId));
    }
    // Anything else means the socket is gone (closed, reset, not open).
    await this.drop();
    this.setState("idle");
    return new ModbusError("disconnected", `${this.label}: ${err.message || "connection lost"}`, job.unitId);
  }

  private unitFailed(unitId: number, err: ModbusError): ModbusError {
    const h = this.units.get(unitId) ?? { failures: 0, pausedUntil: 0 };
    h.failures++;
    const over = h.failures - this.o.unitFailuresBeforePause;
    if (over >= 0) h.pausedUntil = Date.now() + Math.min(this.o.unitPauseMinMs * 2 ** Math.min(over, 20), this.o.unitPauseMaxMs);
    this.units.set(unitId, h);
    return err;
  }

  private async connected(): Promise<ModbusRTU> {
    if (this.client?.isOpen) return this.client;
    const wait = this.reconnectAt - Date.now();
    // Still the failed connect: same kind, so a device that stays away is one error, not one per poll.
    if (wait > 0)
      throw new ModbusError("connect", `${this.lastError ?? `${this.label}: not connected`}; retry in ${Math.ceil(wait / 1000)} s`, undefined, wait);
    await this.drop();
    this.setState("connecting");
    // Loaded once a connection opens (decision 0143), and without serialport (tcp-client.ts).
    const Client = modbusTcpClientClass();
    const client = new Client();
    client.on("error", (e: unknown) => this.setError(String((e as Error)?.message ?? e)));
    client.on("close", () => {
      if (this.client === client) {
        this.client = undefined;
        if (this.state !== "closed") this.setState("idle");
      }
    });
    try {
      await withTimeout(
        client.connectTCP(this.o.host, { port: this.o.port }),
        this.o.connectTimeoutMs,
        () => new Error(`connect timed out after ${this.o.connectTimeoutMs} ms`),
      );
    } catch (e) {
      destroy(client);
      this.connectFailures++;
      const backoff = Math.min(this.o.backoffMinMs * 2 ** Math.min(this.connectFailures - 1, 20), this.o.backoffMaxMs);
      this.reconnectAt = Date.now() + backoff;
      this.setError(`${this.label}: ${(e as Error).message || String(e)}`);
      this.setState("waiting");
      throw new ModbusError("connect", `${this.lastError}; retry in ${Math.ceil(backoff / 1000)} s`, undefined, backoff);
    }
    if (this.state === "closed") {
      destroy(client);
      throw new ModbusError("closed", "connection closed");
    }
    client.setTimeout(this.o.timeoutMs);
    this.client = client;
    this.connectFailures = 0;
    this.reconnectAt = 0;
    this.timeoutsInARow = 0;
    this.connects++;
    this.setError(undefined);
    this.setState("connected");
    return client;
  }

  private async drop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) destroy(client);
  }

  private setState(s: ConnectionState): void {
    if (this.state === "closed" || this.state === s) return;
    this.state = s;
    this.emit("state");
  }

  private setError(e: string | undefined): void {
    if (this.lastError === e) return;
    this.lastError = e;
    this.emit("state");
  }
}

function destroy(client: ModbusRTU): void {
  try {
    (client as unknown as EventEmitter).removeAllListeners("close");
    client.on("error", () => undefined);
    client.destroy(() => undefined);
  } catch {
    /* already gone */
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, error: () => Error, onAbortable?: (abort: (e: Error) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(error()), ms);
    onAbortable?.((e) => {
      clearTimeout(timer);
      reject(e);
    });
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
