import { isLocalDate, LocalDate } from "../../lib/time/local-date";
import type { InvoiceStatus } from "../../lib/store/invoice-repo";
import { parseAdvancesCommand, type AdvancesCommand } from "./advances";
import { parseExportRequest, type ExportFormat, type ExportKind } from "../../lib/render/export";

/** What a message asks the zev-billing node to do. */
export type BillingCommand =
  | { action: "run"; period: unknown; mode: "draft" | "issue"; force: boolean; invoiceDate?: LocalDate }
  | { action: "issue"; id: number; invoiceDate?: LocalDate }
  | { action: "cancel"; id: number; reason: string }
  | { action: "paid"; id: number }
  | { action: "delete"; id: number }
  | { action: "get"; id: number }
  | { action: "list"; status?: InvoiceStatus; from?: LocalDate; to?: LocalDate; period?: unknown }
  | { action: "document"; id: number }
  | { action: "export"; kind: ExportKind; format: ExportFormat; period: unknown; meter?: string }
  | { action: "estimate"; period: unknown }
  | { action: "payments"; xml: string; dryRun: boolean; fileName: string; accounts: string[] }
  | { action: "corrections"; period?: unknown; apply: boolean; invoices: string[]; invoiceDate?: LocalDate; force: boolean }
  | { action: "advances"; request: AdvancesCommand };

export interface BillingDefaults {
  period: string;
  mode: "draft" | "issue";
}

const ACTIONS = ["run", "issue", "cancel", "paid", "delete", "get", "list", "export", "estimate", "document", "payments", "corrections", "advances"] as const;

/** A camt.054/.053 file as text or Buffer, or {xml, dryRun, fileName, accounts}. */
function paymentsCommand(payload: unknown): BillingCommand {
  const raw = (v: unknown): string | undefined => (typeof v === "string" ? v : Buffer.isBuffer(v) ? v.toString("utf8") : undefined);
  const o = payload && typeof payload === "object" && !Buffer.isBuffer(payload) ? (payload as Record<string, unknown>) : {};
  const xml = raw(payload) ?? raw(o.xml);
  if (!xml?.trim()) throw new Error("payments needs the camt.054 or camt.053 file as payload (text or Buffer), or payload.xml");
  const accounts = Array.isArray(o.accounts) ? o.accounts.filter((a): a is string => typeof a === "string") : [];
  return { action: "payments", xml, dryRun: o.dryRun === true, fileName: typeof o.fileName === "string" && o.fileName ? o.fileName : "camt", accounts };
}

function id(p: Record<string, unknown>): number {
  const v = Number(p.id);
  if (!Number.isSafeInteger(v) || v <= 0) throw new Error(`payload.id must be an invoice id (a positive whole number), got ${JSON.stringify(p.id)}`);
  return v;
}

function date(v: unknown, what: string): LocalDate | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  if (!isLocalDate(v)) throw new Error(`${what} must be written YYYY-MM-DD, got ${JSON.stringify(v)}`);
  return v;
}

/** Where the action came from: msg.command, or (deprecated) an action name on msg.topic. */
export interface ActionChoice {
  action: (typeof ACTIONS)[number] | undefined;
  fromTopic: boolean;
}

/**
 * The action a message asks for. msg.command names it; an unknown
 * msg.command is an error (never a silent run). Without msg.command an
 * action name on msg.topic still counts, deprecated (decision 0075): billing
 * never receives readings, so its topic cannot be a meter id, and flows
 * written before 0.2 keep working. Neither: the default action (run).
 */
export function billingAction(msg: { command?: unknown; topic?: unknown }): ActionChoice {
  const known = (v: unknown): v is (typeof ACTIONS)[number] => typeof v === "string" && (ACTIONS as readonly string[]).includes(v);
  if (msg.command !== undefined && msg.command !== null && msg.command !== "") {
    if (!known(msg.command))
      throw Object.assign(new Error(`unknown command ${JSON.stringify(String(msg.command).slice(0, 40))} on msg.command (known: ${ACTIONS.join(", ")})`), {
        code: "billing.unknownCommand",
      });
    return { action: msg.command, fromTopic: false };
  }
  return known(msg.topic) ? { action: msg.topic, fromTopic: true } : { action: undefined, fromTopic: false };
}

/**
 * `name` is the action (default "run", see billingAction); msg.payload carries its
 * parameters, or for a run just the period as text ("2026-10",
 * "previous-month"). Throws with a message saying what is wrong.
 */
export function parseBillingCommand(name: unknown, payload: unknown, defaults: BillingDefaults): BillingCommand {
  const action = typeof name === "string" && (ACTIONS as readonly string[]).includes(name) ? (name as (typeof ACTIONS)[number]) : "run";
  if (action === "payments") return paymentsCommand(payload);
  if (action === "advances") return { action, request: parseAdvancesCommand(payload) };
  const p: Record<string, unknown> =
    payload && typeof payload === "object" && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : typeof payload === "string" && payload.trim()
        ? { period: payload.trim() }
        : {};
  switch (action) {
    case "run": {
      const mode = p.mode ?? defaults.mode;
      if (mode !== "draft" && mode !== "issue") throw new Error(`payload.mode must be "draft" or "issue", got ${JSON.stringify(mode)}`);
      const invoiceDate = date(p.invoiceDate, "payload.invoiceDate");
      return {
        action,
        period: p.period ?? (p.from && p.to ? { from: p.from, to: p.to } : defaults.period),
        mode,
        force: p.force === true,
        ...(invoiceDate ? { invoiceDate } : {}),
      };
    }
    case "issue": {
      const invoiceDate = date(p.invoiceDate, "payload.invoiceDate");
      return { action, id: id(p), ...(invoiceDate ? { invoiceDate } : {}) };
    }
    case "cancel":
      if (typeof p.reason !== "string" || !p.reason.trim()) throw new Error("cancelling an invoice needs payload.reason (it is kept in the audit log)");
      return { action, id: id(p), reason: p.reason.trim() };
    case "paid":
    case "delete":
    case "get":
    case "document":
      return { action, id: id(p) };
    case "list": {
      const status = p.status;
      if (status !== undefined && !["draft", "issued", "paid", "cancelled"].includes(String(status)))
        throw new Error(`payload.status must be draft, issued, paid or cancelled`);
      const from = date(p.from, "payload.from");
      const to = date(p.to, "payload.to");
      // A period ("previous-month", "2026-10") stands for its dates; the node resolves it.
      return {
        action,
        ...(status ? { status: status as InvoiceStatus } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(p.period !== undefined && !from && !to ? { period: p.period } : {}),
      };
    }
    case "export": {
      // The period may be relative ("previous-month"): the node resolves it; kind and format are checked here.
      const period = p.period ?? (p.from && p.to ? { from: p.from, to: p.to } : defaults.period);
      const r = parseExportRequest("", { ...p, period: typeof period === "string" ? period : "custom" });
      return { action, kind: r.kind, format: r.format, period, ...(r.meter ? { meter: r.meter } : {}) };
    }
    case "corrections": {
      // Issued invoices that differ from today's data; apply = credit note and recomputed invoice (lib/billing/corrections.ts).
      if (p.invoices !== undefined && (!Array.isArray(p.invoices) || !p.invoices.every((n) => typeof n === "string" && n.trim())))
        throw new Error("payload.invoices must be a list of invoice numbers");
      const invoiceDate = date(p.invoiceDate, "payload.invoiceDate");
      return {
        action,
        ...(p.period !== undefined ? { period: p.period } : {}),
        apply: p.apply === true,
        invoices: ((p.invoices as string[] | undefined) ?? []).map((n) => n.trim()),
        force: p.force === true,
        ...(invoiceDate ? { invoiceDate } : {}),
      };
    }
    case "estimate":
      // The invoices so far, computed and not stored; default the month in progress.
      return { action, period: p.period ?? (p.from && p.to ? { from: p.from, to: p.to } : "current-month") };
  }
}
