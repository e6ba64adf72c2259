import type { NodeAPI, NodeDef } from "node-red";
import { ModbusConnection } from "../../lib/devices/modbus/connection";
import type { ModbusConnectionHandle } from "../shared/source-handles";

interface ModbusConnectionConfig extends NodeDef {
  host: string;
  port?: string | number;
  timeout?: string | number;
  reconnectMin?: string | number;
  reconnectMax?: string | number;
  unitPause?: string | number;
}

const num = (v: string | number | undefined): number | undefined => {
  const n = Number(v);
  return v === undefined || v === "" || !Number.isFinite(n) || n <= 0 ? undefined : n;
};

export = function register(RED: NodeAPI): void {
  function ZevModbusConnectionNode(this: ModbusConnectionHandle, config: ModbusConnectionConfig): void {
    RED.nodes.createNode(this, config);
    let conn: ModbusConnection | undefined;
    let users = 0;
    this.acquire = () => {
      users++;
      conn ??= new ModbusConnection({
        host: config.host,
        port: num(config.port) ?? 502,
        timeoutMs: num(config.timeout),
        backoffMinMs: num(config.reconnectMin),
        backoffMaxMs: num(config.reconnectMax),
        unitPauseMinMs: num(config.unitPause),
      });
      return conn;
    };
    this.release = async (c) => {
      if (c !== conn) return c.close();
      users = Math.max(0, users - 1);
      if (users === 0 && conn) {
        conn = undefined;
        await c.close();
      }
    };
    this.on("close", (done: () => void) => {
      const c = conn;
      conn = undefined;
      users = 0;
      (c ? c.close() : Promise.resolve()).then(done, done);
    });
  }
  RED.nodes.registerType("zev-modbus-connection", ZevModbusConnectionNode as never);
};
