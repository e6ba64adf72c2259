import type { NodeStatus } from "node-red";
import type { ChargerStatusView } from "../../lib/charging/charger-status";
import { translator, type Catalog } from "../shared/translate";

type T = Catalog;

/** Translates a charger status view into the node's status (RED._ with the zev-charger-weidmueller catalog). */
export function statusFor(_: T, v: ChargerStatusView): NodeStatus {
  const t = translator(_, "zev-charger-weidmueller");
  const parts: string[] = [];
  const mode = t(`modes.${v.mode}`);
  switch (v.kind) {
    case "problem":
      parts.push(v.message ?? "");
      break;
    case "waiting":
      parts.push(t("status.waiting"), mode);
      break;
    case "error":
      parts.push(v.message ?? "");
      if (v.sessionKWh) parts.push(t("status.sessionOpen", { kwh: v.sessionKWh }));
      break;
    case "no-counter":
      parts.push(t("status.noCounter"));
      break;
    case "idle":
      parts.push(t("status.idle"), mode);
      break;
    case "connected":
    case "charging":
      parts.push(v.kind === "charging" ? t("status.charging", { power: v.power ?? "" }).trim() : t("status.connected"), mode);
      if (v.sessionKWh) parts.push(t("status.kwh", { kwh: v.sessionKWh }));
      if (v.unit) parts.push(t("status.unit", { unit: v.unit }));
      if (v.unknownId) parts.push(t("status.unknownId", { id: v.unknownId }));
      break;
  }
  if (v.message && (v.kind === "idle" || v.kind === "connected" || v.kind === "charging")) parts.push(v.message);
  if (v.counter) {
    const age = v.counter.age ? t(`age.${v.counter.age.unit}`, { n: v.counter.age.n }) : "?";
    parts.unshift(
      v.counter.kind === "missing"
        ? t("status.counterMissing", { age })
        : t("status.counterConfirming", { value: v.counter.value ?? "", count: v.counter.count ?? 0, needed: v.counter.needed ?? 0, age }),
    );
  }
  const text = parts.filter(Boolean).join(" · ");
  return { fill: v.fill, shape: v.shape, text: text.length > 120 ? `${text.slice(0, 119)}…` : text };
}
