import { RegisterServer } from "../../lib/simulator/modbus-server";
import { freeTcpPort } from "./net";

/**
 * A Modbus TCP device on 127.0.0.1 for tests: the simulator's RegisterServer
 * (register maps per unit id, holding and input registers, units that hang
 * or answer with an exception, stop and start on the same port), on a free
 * port, recording every request.
 */
export class FakeModbusDevice extends RegisterServer {
  static async start(port?: number): Promise<FakeModbusDevice> {
    const dev = new FakeModbusDevice(port ?? (await freeTcpPort()), "127.0.0.1", { record: true });
    await dev.listen();
    return dev;
  }
}
