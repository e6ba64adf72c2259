import type { NodeStatus } from "node-red";
import { udpPortTrouble, type UdpPortCounts } from "../../lib/devices/loxone/udp-hub";
import type { RejectionReport } from "../../lib/readings/meter-input/meter-ingest";
import { swissCount } from "../../lib/util/swiss-number";
import type { StatusView } from "../../lib/readings/meter-input/meter-status";
import { rejectionProblem, type Rejection } from "../../lib/readings/meter-input/rejection";
import { problemText, translator, type Catalog } from "../shared/translate";

type T = Catalog;

/** Translates a status view into the node's status (RED._ with the zev-meter-in catalog); a UDP meter adds its port's drops. */
export function statusFor(_: T, v: StatusView, port?: UdpPortCounts): NodeStatus {
  const t = translator(_, "zev-meter-in");
  const age = v.age ? t(`age.${v.age.unit}`, { n: v.age.n }) : "";
  let text: string;
  switch (v.kind) {
    case "problem":
      text = v.message ?? "";
      break;
    case "waiting":
      text = t("status.waiting");
      break;
    case "error":
      text = age ? `${v.message} · ${t("status.lastValue", { age })}` : (v.message ?? "");
      break;
    case "rejected":
      text = t("status.rejected", { reason: t(`reason.${v.reason}`), count: swissCount(v.rejected) });
      break;
    case "confirming": {
      const c = v.confirming!;
      text = t("status.confirming", { field: t(FIELD_KEYS[c.field]), value: c.value, count: c.count, needed: c.needed, age });
      break;
    }
    case "counterRejected":
      text = t("status.counterRejected", { reason: t(`reason.${v.reason}`), age });
      break;
    case "value": {
      const parts: string[] = [];
      if (v.importKWh) parts.push(t("status.import", { value: v.importKWh }));
      if (v.exportKWh) parts.push(t("status.export", { value: v.exportKWh }));
      if (v.powerW) parts.push(v.powerW);
      parts.push(t("status.ago", { age }));
      if (v.rejected > 0) parts.push(t("status.rejectedCount", { count: swissCount(v.rejected) }));
      text = parts.join(" · ");
      break;
    }
  }
  const trouble = port ? udpPortTrouble(port) : 0;
  if (port && trouble > 0)
    text += ` · ${t("status.port", { port: port.port ?? "", malformed: swissCount(port.malformed), oversized: swissCount(port.oversized), unrouted: swissCount(port.unrouted) })}`;
  return { fill: v.fill, shape: v.shape, text: text.length > 120 ? `${text.slice(0, 119)}…` : text };
}

const FIELD_KEYS = { importKWh: "field.import", exportKWh: "field.export", powerW: "field.power" } as const;

/** One log line for a rejection: meter, reason in words, where it came from and what arrived. */
export function rejectionText(_: T, r: Rejection & Partial<Pick<RejectionReport, "meter" | "origin" | "excerpt">>): string {
  const t = translator(_, "zev-meter-in");
  const p = rejectionProblem(r);
  // the field by its name in the editor's language
  const params = { ...p.params, meter: r.meter ?? "", field: r.field ? t(FIELD_KEYS[r.field]) : "" };
  const reason = problemText(_, "zev-meter-in", "reject", { code: p.code, params }) + (r.confirming ? t("reject.confirming", r.confirming) : "");
  return t("log.rejected", { meter: params.meter, reason, origin: r.origin ?? "", excerpt: r.excerpt ?? "" });
}
