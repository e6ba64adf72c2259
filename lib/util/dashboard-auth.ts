import type { IncomingMessage } from "node:http";

/*
 * Dashboard 2.0 serves its pages through Node-RED's httpNode (so
 * httpNodeAuth asks for a password), but its socket.io connection, which
 * carries every widget's data and every button press, bypasses httpNode.
 * This middleware for `settings.dashboard.ioMiddleware` asks the same basic
 * credentials on the socket.io handshake and keeps Dashboard 2's own rules
 * (no direct websocket without the polling handshake, no cross-domain
 * sockets). docs/dashboard.md shows the settings.js lines.
 */

interface IoSocket {
  request: IncomingMessage;
  handshake: { xdomain?: boolean };
  client: { conn: { close(): void } };
  disconnect(close?: boolean): void;
}

export type CredentialCheck = (user: string, password: string) => boolean;

/** The user and password of a Basic Authorization header, or null. */
export function basicCredentials(header: string | undefined): { user: string; password: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "");
  if (!m) return null;
  const text = Buffer.from(m[1]!, "base64").toString("utf8");
  const i = text.indexOf(":");
  return i < 0 ? null : { user: text.slice(0, i), password: text.slice(i + 1) };
}

/**
 * A socket.io middleware that lets a dashboard client connect only with the
 * credentials `check` accepts. `pollingFirst` (default, Dashboard 2's rule)
 * refuses a client that opens a websocket without the polling handshake. Accepted header values are remembered (a
 * bcrypt check takes tens of milliseconds; clients reconnect often).
 */
export function dashboardSocketAuth(check: CredentialCheck, opts: { pollingFirst?: boolean } = {}): (socket: IoSocket, next: (err?: Error) => void) => void {
  const accepted = new Set<string>();
  const pollingFirst = opts.pollingFirst ?? true;
  return (socket, next) => {
    if (pollingFirst && (socket.request.url ?? "").includes("transport=websocket")) {
      // Dashboard 2's default: a client starts with polling, then upgrades.
      socket.client.conn.close();
      return;
    }
    if (socket.handshake.xdomain) {
      socket.disconnect(true);
      return;
    }
    const header = socket.request.headers.authorization;
    if (header && accepted.has(header)) return next();
    const c = basicCredentials(header);
    if (c && check(c.user, c.password)) {
      if (accepted.size > 100) accepted.clear();
      accepted.add(header!);
      return next();
    }
    next(new Error("authentication required"));
  };
}
