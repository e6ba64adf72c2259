import type { NodeDef } from "node-red";

export interface BillingNodeConfig extends NodeDef {
  community: string;
  /** Default period when a message names none: "previous-month", "2026-10"... */
  period: string;
  mode: "draft" | "issue";
}
