import Module from "node:module";
import type ModbusRTU from "modbus-serial";

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;

/**
 * modbus-serial's client class, loaded for Modbus TCP without serialport. Its index requires its serial ports at
 * load whenever serialport is installed (an optional dependency of it, which the palette manager installs): the
 * native binding and its code are about 10 MiB of Node-RED's memory, and the suite speaks Modbus TCP only. While the
 * index loads, "serialport" is not found, which it tolerates (each serial port is required inside try); the TCP
 * ports it loads never ask for it. Loaded once, on the first connection (decision 0143); a process that loaded
 * modbus-serial before keeps what it loaded.
 */
export function modbusTcpClientClass(): typeof ModbusRTU {
  const loader = Module as unknown as { _load: Load };
  const load = loader._load;
  loader._load = function (this: unknown, request: string, parent: unknown, isMain: boolean): unknown {
    if (request === "serialport") throw Object.assign(new Error("serialport: not loaded for Modbus TCP"), { code: "MODULE_NOT_FOUND" });
    return load.call(this, request, parent, isMain);
  };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("modbus-serial") as { default: typeof ModbusRTU }).default;
  } finally {
    loader._load = load;
  }
}
