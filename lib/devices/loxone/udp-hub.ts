import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import { EventEmitter } from "node:events";
import { BlockList, isIP } from "node:net";
import { excerpt } from "../values";
import { MAX_PACKET_BYTES, parseUdpPacket } from "./udp-parse";
import { UdpRouter, type UdpSubscription } from "./udp-router";

export interface UdpHubOptions {
  /** Address to bind, default 0.0.0.0. */
  bind?: string;
  /** 0 = any free port (tests). */
  port: number;
  /** Source addresses or CIDR ranges allowed to send (list, or text separated by spaces, commas or ;); empty = everyone. */
  allow?: string | string[];
  maxPacketBytes?: number;
}

export type UdpDropReason = "not-allowed" | "malformed" | "too-large";

export interface UdpPortStats {
  packets: number;
  /** Packets that were read as values (whether or not a meter listens for them). */
  accepted: number;
  dropped: Record<UdpDropReason, number>;
  values: { routed: number; unrouted: number };
  /** Exceptions caught from a subscriber (a bug, never expected). */
  internalErrors: number;
  /** When the last packet was dropped or carried a value no meter listens for (epoch ms). */
  lastProblemAt?: number;
}

/** The port's drops in the words of the health answer and the meters' status. */
export interface UdpPortCounts {
  name: string;
  port: number | null;
  malformed: number;
  oversized: number;
  unrouted: number;
  notAllowed: number;
  lastAt: number | null;
}

export function udpPortCounts(name: string, hub: Pick<UdpHub, "stats" | "port">, configuredPort: number): UdpPortCounts {
  const s = hub.stats;
  return {
    name,
    port: hub.port ?? configuredPort,
    malformed: s.dropped.malformed,
    oversized: s.dropped["too-large"],
    unrouted: s.values.unrouted,
    notAllowed: s.dropped["not-allowed"],
    lastAt: s.lastProblemAt ?? null,
  };
}

/** Packets dropped plus values no meter took: what a meter on the port shows next to its own counts. */
export const udpPortTrouble = (c: UdpPortCounts): number => c.malformed + c.oversized + c.unrouted;

/** Emitted as "problem" for the port node to log (rate-limited there). */
export interface UdpProblem {
  reason: UdpDropReason | "unrouted";
  origin: string;
  excerpt: string;
  detail: string;
}

export interface UdpHubEvents {
  problem: [UdpProblem];
  state: [];
}

export function parseAllowList(text: string | string[] | undefined): { list: BlockList; entries: string[]; invalid: string[] } {
  const list = new BlockList();
  const entries: string[] = [];
  const invalid: string[] = [];
  const raw = Array.isArray(text) ? text : (text ?? "").split(/[\s,;]+/);
  for (const e of raw.map((s) => s.trim()).filter(Boolean)) {
    const [addr, bits] = e.split("/");
    const family = isIP(addr ?? "");
    const prefix = bits === undefined ? undefined : Number(bits);
    if (!family || (prefix !== undefined && (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)))) {
      invalid.push(e);
      continue;
    }
    const type = family === 4 ? "ipv4" : "ipv6";
    if (prefix === undefined) list.addAddress(addr!, type);
    else list.addSubnet(addr!, prefix, type);
    entries.push(e);
  }
  return { list, entries, invalid };
}

/**
 * One UDP socket shared by every meter that listens on the port (Loxone
 * Virtual Outputs of one Miniserver usually all send to one port). Opens the
 * socket when the first meter subscribes and closes it when the last one
 * leaves. Nothing that arrives can throw out of the socket handler: every
 * packet is counted as accepted or dropped for one reason.
 */
export class UdpHub extends EventEmitter<UdpHubEvents> {
  readonly stats: UdpPortStats = {
    packets: 0,
    accepted: 0,
    dropped: { "not-allowed": 0, malformed: 0, "too-large": 0 },
    values: { routed: 0, unrouted: 0 },
    internalErrors: 0,
  };
  private readonly router = new UdpRouter();
  private readonly allow: ReturnType<typeof parseAllowList>;
  private socket?: Socket;
  private opening?: Promise<number>;
  private closing?: Promise<void>;
  /** The bound port, once listening. */
  port?: number;
  /** Why the socket is not listening (bind error), if it failed. */
  error?: string;

  constructor(private readonly opts: UdpHubOptions) {
    super();
    this.allow = parseAllowList(opts.allow);
  }

  get invalidAllowEntries(): string[] {
    return this.allow.invalid;
  }

  get listening(): boolean {
    return this.port !== undefined;
  }

  get subscribers(): number {
    return this.router.size;
  }

  /** Adds a meter (or charger); the first one opens the socket. Resolves with the bound port, rejects on a bind error. */
  async subscribe<K extends string>(sub: UdpSubscription<K>): Promise<number> {
    this.router.add(sub);
    return this.open();
  }

  /** Removes a meter; the last one closes the socket. */
  async unsubscribe<K extends string>(sub: UdpSubscription<K>): Promise<void> {
    this.router.remove(sub);
    if (this.router.size === 0) await this.close();
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    this.opening = undefined;
    this.port = undefined;
    if (!socket) return this.closing;
    this.closing = new Promise<void>((resolve) => {
      try {
        socket.close(() => resolve());
      } catch {
        resolve();
      }
    });
    await this.closing;
    this.emit("state");
  }

  private async open(): Promise<number> {
    if (this.opening) return this.opening;
    if (this.closing) await this.closing;
    const bind = this.opts.bind || "0.0.0.0";
    const socket = createSocket({ type: isIP(bind) === 6 ? "udp6" : "udp4" });
    this.socket = socket;
    this.opening = new Promise<number>((resolve, reject) => {
      const onBindError = (err: Error): void => {
        this.error = `${bind}:${this.opts.port}: ${err.message}`;
        if (this.socket === socket) {
          this.socket = undefined;
          this.opening = undefined;
        }
        try {
          socket.close();
        } catch {
          /* already closed */
        }
        this.emit("state");
        reject(new Error(this.error));
      };
      socket.once("error", onBindError);
      socket.bind(this.opts.port, bind, () => {
        socket.removeListener("error", onBindError);
        // Errors after bind (rare on UDP, e.g. ICMP on some platforms) must not crash Node-RED.
        socket.on("error", (err) => {
          this.error = err.message;
          this.emit("state");
        });
        socket.on("message", (msg, rinfo) => this.onPacket(msg, rinfo));
        this.port = socket.address().port;
        this.error = undefined;
        this.emit("state");
        resolve(this.port);
      });
    });
    return this.opening;
  }

  /** Handles one packet; public so that it can be driven without a socket. */
  onPacket(msg: Buffer, rinfo: Pick<RemoteInfo, "address" | "port">): void {
    try {
      this.handle(msg, rinfo);
    } catch (e) {
      // A bug must not take the socket (or Node-RED) down.
      this.internal(e, rinfo, msg);
    }
  }

  private handle(msg: Buffer, rinfo: Pick<RemoteInfo, "address" | "port">): void {
    this.stats.packets++;
    const origin = originOf(rinfo);
    const address = rinfo.address.startsWith("::ffff:") ? rinfo.address.slice(7) : rinfo.address;
    if (this.allow.entries.length > 0 && !this.allow.list.check(address, isIP(address) === 6 ? "ipv6" : "ipv4")) {
      this.stats.dropped["not-allowed"]++;
      this.stats.lastProblemAt = Date.now();
      this.emit("problem", { reason: "not-allowed", origin, excerpt: excerpt(msg), detail: `${address} is not in the allowlist` });
      return;
    }
    const maxBytes = this.opts.maxPacketBytes ?? MAX_PACKET_BYTES;
    const parsed = parseUdpPacket(msg, maxBytes);
    if (!parsed.ok) {
      this.stats.dropped[parsed.reason]++;
      this.stats.lastProblemAt = Date.now();
      this.emit("problem", { reason: parsed.reason, origin, excerpt: excerpt(msg), detail: parsed.detail });
      return;
    }
    this.stats.accepted++;
    const routed = this.router.route(parsed.items);
    this.stats.values.unrouted += routed.unrouted;
    if (routed.unrouted > 0) {
      this.stats.lastProblemAt = Date.now();
      this.emit("problem", {
        reason: "unrouted",
        origin,
        excerpt: excerpt(msg),
        detail: `no meter listens for ${routed.unroutedNames.slice(0, 5).join(", ")}`,
      });
    }
    const text = excerpt(msg);
    for (const d of routed.deliveries) {
      this.stats.values.routed += d.arrival.values.length;
      try {
        d.sub.deliver({ ...d.arrival, origin: `udp ${origin}`, excerpt: text });
      } catch (e) {
        this.internal(e, rinfo, msg);
      }
    }
  }

  private internal(e: unknown, rinfo: Pick<RemoteInfo, "address" | "port">, msg: Buffer): void {
    this.stats.internalErrors++;
    try {
      this.emit("problem", {
        reason: "malformed",
        origin: originOf(rinfo),
        excerpt: excerpt(msg),
        detail: `internal error: ${(e as Error)?.message ?? String(e)}`,
      });
    } catch {
      /* a listener failed too: the count above remains */
    }
  }
}

function originOf(rinfo: Pick<RemoteInfo, "address" | "port">): string {
  return rinfo.address.includes(":") ? `[${rinfo.address}]:${rinfo.port}` : `${rinfo.address}:${rinfo.port}`;
}
