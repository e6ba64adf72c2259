import { arrivalsFromPayload } from "../../../lib/readings/meter-input/payload";
import type { Rejection } from "../../../lib/readings/meter-input/rejection";
import type { PushTarget } from "../http-push";
import type { MeterSourceFactory, Started } from "./source";
import { problem } from "../../../lib/util/issue";

/** Devices POST readings with a bearer token: to the route on Node-RED's HTTP, or to a push port of its own (decision 0070). */
export const httpPushSource: MeterSourceFactory<"pushPort"> = ({ cfg, meter, sink, push, token }): Started => {
  if (!token()) return { problem: problem("noToken") };
  const target: PushTarget = {
    meter,
    token,
    refuse: (r, origin, ex) => sink.refuse(r, origin, ex),
    accept: (body, origin, ex) => {
      const parsed = arrivalsFromPayload(body, { meter, allowArray: true, maxItems: 1000 });
      if (!parsed.ok) {
        sink.refuse(parsed.rejection, origin, ex);
        return { accepted: 0, rejections: [parsed.rejection], refused: parsed.rejection.reason };
      }
      let accepted = 0;
      const rejections: Rejection[] = [];
      for (const a of parsed.arrivals) {
        const out = sink.arrival({ ...a, origin, excerpt: ex });
        accepted += out.accepted;
        rejections.push(...out.rejections);
      }
      return { accepted, rejections };
    },
  };
  const portText = String(cfg.pushPort ?? "").trim();
  if (portText === "") {
    // httpNodeAuth wants Basic in the Authorization header that carries our Bearer: no push could pass both.
    if (push.nodeAuth) return { problem: problem("pushNodeAuth") };
    if (!push.endpoints.nodeRoute.add(target)) return { problem: problem("pushTaken", { meter }) };
    return { source: { stop: async () => push.endpoints.nodeRoute.remove(target) } };
  }
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { problem: problem("pushPort", { port: portText }) };
  const endpoint = push.endpoints.acquire(port);
  if (!endpoint.registry.add(target)) {
    void endpoint.release();
    return { problem: problem("pushTaken", { meter }) };
  }
  endpoint.ready.catch((e: NodeJS.ErrnoException) => sink.failed("pushBind", `${port}: ${e.code ?? e.message}`));
  return {
    source: {
      stop: async () => {
        endpoint.registry.remove(target);
        await endpoint.release();
      },
    },
  };
};
