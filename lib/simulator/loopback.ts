import { isIP } from "node:net";

/** True for 127.0.0.0/8, ::1 and "localhost": the only places the simulator talks to. */
export function isLoopback(host: string): boolean {
  if (host === "localhost" || host === "::1") return true;
  return isIP(host) === 4 && host.split(".")[0] === "127";
}

/** The simulator never listens on or sends to anything but loopback: it must not be mistaken for real devices on a LAN. */
export function assertLoopback(host: string): void {
  if (!isLoopback(host)) throw new RangeError(`the simulator only uses loopback addresses (127.x.x.x, ::1), not ${host}`);
}
