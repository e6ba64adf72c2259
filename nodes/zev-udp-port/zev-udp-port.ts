import type { NodeAPI, NodeDef } from "node-red";
import { UdpHub, udpPortCounts, type UdpProblem } from "../../lib/devices/loxone/udp-hub";
import { RateLimiter } from "../../lib/util/rate-limit";
import { announceUdpPort } from "../shared/source-counts";
import { translator } from "../shared/translate";
import type { UdpPortHandle } from "../shared/source-handles";

interface UdpPortConfig extends NodeDef {
  bind?: string;
  port?: string | number;
  allow?: string;
}

export = function register(RED: NodeAPI): void {
  function ZevUdpPortNode(this: UdpPortHandle, config: UdpPortConfig): void {
    RED.nodes.createNode(this, config);
    const port = config.port === undefined || config.port === "" ? 8888 : Number(config.port);
    const portNo = Number.isInteger(port) && port >= 0 && port < 65536 ? port : 8888;
    this.hub = new UdpHub({ bind: config.bind || "0.0.0.0", port: portNo, allow: config.allow ?? "" });
    const name = config.name || `${config.bind || "0.0.0.0"}:${portNo}`;
    this.counts = () => udpPortCounts(name, this.hub, portNo);
    const withdraw = announceUdpPort(this.counts);
    if (this.hub.invalidAllowEntries.length > 0) this.warn(RED._("zev-udp-port.errors.allow", { entries: this.hub.invalidAllowEntries.join(", ") }));
    const limiter = new RateLimiter(5, 60_000);
    const t = translator(RED._, "zev-udp-port");
    this.hub.on("problem", (p: UdpProblem) => {
      const { allowed, suppressed } = limiter.take(Date.now());
      if (!allowed) return;
      const text = t(`problem.${p.reason}`, { origin: p.origin, excerpt: p.excerpt, detail: p.detail });
      this.warn(suppressed > 0 ? `${text} ${t("problem.suppressed", { count: suppressed })}` : text);
    });
    this.on("close", (done: () => void) => {
      withdraw();
      this.hub.close().then(done, done);
    });
  }
  RED.nodes.registerType("zev-udp-port", ZevUdpPortNode as never);
};
