import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/*
 * Listening on a port of the suite's own (HTTP push, the tenant portal): the
 * socket error of the start (EADDRINUSE, EACCES) rejects, later ones are the
 * request handlers' business and never an unhandled 'error' event that would
 * take Node-RED down; closing also ends kept-alive connections.
 */

export function startListening(server: Server, port: number, host: string | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (e: Error): void => reject(e);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      server.on("error", () => undefined);
      resolve();
    });
  });
}

export function listeningAddress(server: Server): AddressInfo | undefined {
  const a = server.address();
  return a && typeof a === "object" ? a : undefined;
}

export function stopListening(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
