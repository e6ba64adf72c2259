import { issueAdvances, proposeAdvances, setAdvancePlan } from "../../lib/billing/advances";
import { issueStatements } from "../../lib/billing/statement";
import type { AdvanceRhythm } from "../../lib/model/invoice";
import type { InvoiceRecord } from "../../lib/store/invoice-repo";
import type { Store } from "../../lib/store/store";
import { isLocalDate, type LocalDate } from "../../lib/time/local-date";

/*
 * msg.command "advances" (docs/payments.md "Advance payments and the annual
 * statement"): payload.action propose | set | issue | statement, the rest as
 * the CLI's options. Only translation here; the work is in lib/billing.
 */

export type AdvancesCommand =
  | { action: "propose"; year: number; rhythm: AdvanceRhythm }
  | { action: "set"; year: number; tenancy: string; amount: string; rhythm: AdvanceRhythm }
  | { action: "issue"; period: string; date?: LocalDate; tenancy?: string }
  | { action: "statement"; year: number; date?: LocalDate; tenancy?: string; force: boolean };

export function parseAdvancesCommand(payload: unknown): AdvancesCommand {
  const p = payload && typeof payload === "object" ? (payload as Record<string, unknown>) : {};
  const year = (): number => {
    const y = Number(p.year);
    if (!Number.isInteger(y) || y < 2000 || y > 2999) throw new Error(`payload.year must be a year (2027), got ${JSON.stringify(p.year)}`);
    return y;
  };
  const rhythm = (): AdvanceRhythm => {
    if (p.rhythm === undefined || p.rhythm === "monthly" || p.rhythm === "quarterly") return (p.rhythm as AdvanceRhythm | undefined) ?? "monthly";
    throw new Error(`payload.rhythm must be "monthly" or "quarterly", got ${JSON.stringify(p.rhythm)}`);
  };
  const date = (): { date?: LocalDate } => {
    if (p.date === undefined) return {};
    if (!isLocalDate(p.date)) throw new Error(`payload.date must be written YYYY-MM-DD, got ${JSON.stringify(p.date)}`);
    return { date: p.date };
  };
  const tenancy = (): { tenancy?: string } => (typeof p.tenancy === "string" && p.tenancy ? { tenancy: p.tenancy } : {});
  switch (p.action) {
    case "propose":
      return { action: "propose", year: year(), rhythm: rhythm() };
    case "set":
      if (typeof p.tenancy !== "string" || !p.tenancy) throw new Error("payload.tenancy (the tenancy id) is required");
      if (typeof p.amount !== "string" && typeof p.amount !== "number") throw new Error('payload.amount (per advance, e.g. "120.00") is required');
      return { action: "set", year: year(), tenancy: p.tenancy, amount: String(p.amount), rhythm: rhythm() };
    case "issue":
      if (typeof p.period !== "string") throw new Error('payload.period ("2027-01" or "2027-Q1") is required');
      return { action: "issue", period: p.period, ...date(), ...tenancy() };
    case "statement":
      return { action: "statement", year: year(), ...date(), ...tenancy(), force: p.force === true };
    default:
      throw new Error(`payload.action must be propose, set, issue or statement, got ${JSON.stringify(p.action)}`);
  }
}

export interface AdvancesResult {
  summary: unknown;
  records: InvoiceRecord[];
  issued: number;
  refused: number;
}

export function runAdvancesCommand(store: Store, communityId: string, cmd: AdvancesCommand, actor: string, today: LocalDate): AdvancesResult {
  switch (cmd.action) {
    case "propose":
      return { summary: proposeAdvances(store, communityId, cmd.year, cmd.rhythm), records: [], issued: 0, refused: 0 };
    case "set":
      return {
        summary: setAdvancePlan(store, { communityId, tenancyId: cmd.tenancy, year: cmd.year, rhythm: cmd.rhythm, amount: cmd.amount, actor }),
        records: [],
        issued: 0,
        refused: 0,
      };
    case "issue": {
      const out = issueAdvances(store, {
        communityId,
        period: cmd.period,
        invoiceDate: cmd.date ?? today,
        actor,
        ...(cmd.tenancy ? { tenancyId: cmd.tenancy } : {}),
      });
      return {
        summary: out.map(({ record: _r, ...o }) => o),
        records: out.flatMap((o) => (o.record ? [o.record] : [])),
        issued: out.filter((o) => o.action === "issued").length,
        refused: out.filter((o) => o.action === "refused").length,
      };
    }
    case "statement": {
      const out = issueStatements(store, {
        communityId,
        year: cmd.year,
        invoiceDate: cmd.date ?? today,
        actor,
        force: cmd.force,
        ...(cmd.tenancy ? { tenancyId: cmd.tenancy } : {}),
      });
      return {
        summary: out.map(({ record: _r, creditNotes, ...o }) => ({ ...o, creditNotes: (creditNotes ?? []).map((c) => c.number) })),
        records: out.flatMap((o) => (o.record ? [...(o.creditNotes ?? []), o.record] : [])),
        issued: out.filter((o) => o.action === "issued").length,
        refused: out.filter((o) => o.action === "refused").length,
      };
    }
  }
}
