import { parseArgs } from "node:util";
import { cancelInvoice, issueDraft } from "../../lib/billing/run";
import { applyCorrections, listCorrections, type CorrectionCandidate } from "../../lib/billing/corrections";
import { getInvoice, listInvoices, markPaid, type InvoiceStatus } from "../../lib/store/invoice-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { swissAmount } from "../../lib/util/swiss-number";
import { invoiceViews } from "../../lib/payments/match";
import { isLocalDate } from "../../lib/time/local-date";
import { CommandIO, UsageError } from "./io";

export const INVOICE_USAGE = `zev invoice list --db <file.sqlite> --community <id> [--status draft|issued|paid|cancelled] [--json]
      --json: each invoice with paymentStatus (open, partial, paid, overpaid), paidAmount and openAmount
  zev invoice show|issue --db <file.sqlite> --id <n> [--invoice-date YYYY-MM-DD]
  zev invoice paid --db <file.sqlite> --id <n> [--note "<cash, ...>"] [--date YYYY-MM-DD]
      records a manual payment of the open amount (cash or another channel)
  zev invoice cancel --db <file.sqlite> --id <n> --reason "<why>"
      a cancellation issues a credit note; bill the period again for the corrected invoice
  zev invoice corrections --db <file.sqlite> --community <id> [--period P] [--json]
      issued invoices whose recomputation from today's data differs (kWh and amount as issued, now, difference)
  zev invoice corrections ... --apply [--invoice <number>]... [--invoice-date YYYY-MM-DD] [--force]
      cancels each listed invoice (or those named) with a credit note and issues the recomputed invoice;
      refused (nothing changes) when the recomputation could not be issued; --force: despite low data coverage`;

function candidateLine(c: CorrectionCandidate): string {
  const d = c.difference;
  return (
    `${c.number}\t${c.tenancyKey}\t${c.recipient}\t${c.period.from}..${c.period.to}\tissued ${d.issuedKWh} kWh ${swissAmount(d.issuedTotal)} ${d.currency}, now ${d.nowKWh} kWh ${swissAmount(d.nowTotal)} ${d.currency}: ${d.kWh} kWh, ${d.amount} ${d.currency}` +
    (c.blockers.length ? `\tcannot be corrected now: ${c.blockers.join("; ")}` : "") +
    "\n"
  );
}

function correctionsCommand(rest: string[], io: CommandIO): number {
  const { values } = parseArgs({
    args: rest,
    options: {
      db: { type: "string" },
      community: { type: "string" },
      period: { type: "string" },
      json: { type: "boolean" },
      apply: { type: "boolean" },
      invoice: { type: "string", multiple: true },
      force: { type: "boolean" },
      "invoice-date": { type: "string" },
      actor: { type: "string" },
    },
  });
  if (!values.db) throw new UsageError("--db <file.sqlite> is required");
  if (!values.community) throw new UsageError("--community <id> is required");
  if (!values.apply && (values.invoice?.length || values["invoice-date"])) throw new UsageError("--invoice and --invoice-date go with --apply");
  const actor = `cli:${values.actor ?? process.env.USER ?? "unknown"}`;
  const store = SqliteStore.open(values.db);
  try {
    if (!values.apply) {
      const list = listCorrections(store, values.community, { period: values.period, force: values.force });
      if (values.json) {
        io.out(
          JSON.stringify(
            list.map(({ recomputed: _r, ...c }) => c),
            null,
            2,
          ) + "\n",
        );
        return 0;
      }
      if (!list.length) io.out(`no issued invoice of ${values.community}${values.period ? ` in ${values.period}` : ""} differs from today's data\n`);
      for (const c of list) io.out(candidateLine(c));
      if (list.length)
        io.out(
          `${list.length} invoice(s) to correct: zev invoice corrections --db ${values.db} --community ${values.community}${values.period ? ` --period ${values.period}` : ""} --apply\n`,
        );
      return 0;
    }
    const { outcomes } = applyCorrections(store, values.community, {
      period: values.period,
      invoices: values.invoice,
      invoiceDate: values["invoice-date"],
      force: values.force,
      actor,
    });
    if (values.json) {
      io.out(JSON.stringify(outcomes, null, 2) + "\n");
    } else {
      if (!outcomes.length) io.out("nothing to correct\n");
      for (const o of outcomes)
        io.out(
          o.action === "corrected"
            ? `${o.number}: cancelled by credit note ${o.creditNote!.number} (${swissAmount(o.creditNote!.total)}), corrected invoice ${o.invoice!.number} (${swissAmount(o.invoice!.total)})\n`
            : `${o.number}: not corrected: ${o.reason}\n`,
        );
    }
    return outcomes.some((o) => o.action === "refused") ? 1 : 0;
  } finally {
    store.close();
  }
}

export function invoiceCommand(args: string[], io: CommandIO): number {
  const [sub, ...rest] = args;
  if (sub === "corrections") return correctionsCommand(rest, io);
  const { values } = parseArgs({
    args: rest,
    options: {
      db: { type: "string" },
      community: { type: "string" },
      id: { type: "string" },
      status: { type: "string" },
      reason: { type: "string" },
      "invoice-date": { type: "string" },
      actor: { type: "string" },
      json: { type: "boolean" },
      note: { type: "string" },
      date: { type: "string" },
    },
  });
  if (!values.db) throw new UsageError("--db <file.sqlite> is required");
  const actor = `cli:${values.actor ?? process.env.USER ?? "unknown"}`;
  const store = SqliteStore.open(values.db);
  try {
    if (sub === "list") {
      if (!values.community) throw new UsageError("--community <id> is required");
      if (values.json) {
        io.out(JSON.stringify(invoiceViews(store, values.community, values.status ? { status: values.status as InvoiceStatus } : {}), null, 2) + "\n");
        return 0;
      }
      for (const r of listInvoices(store, values.community, values.status ? { status: values.status as InvoiceStatus } : {}))
        io.out(
          `${String(r.id).padStart(5)} ${(r.number ?? "-").padEnd(10)} ${r.kind.padEnd(11)} ${r.status.padEnd(9)} ${r.periodFrom}..${r.periodTo} ${r.snapshot.recipient.name.padEnd(28)} ${swissAmount(r.total).padStart(12)}\n`,
        );
      return 0;
    }
    const id = Number(values.id);
    if (!Number.isSafeInteger(id) || id <= 0) throw new UsageError("--id <invoice id> is required");
    switch (sub) {
      case "show": {
        const r = getInvoice(store, id);
        if (!r) {
          io.err(`no invoice ${id}\n`);
          return 1;
        }
        io.out(JSON.stringify(r, null, 2) + "\n");
        return 0;
      }
      case "issue": {
        const r = issueDraft(store, id, actor, values["invoice-date"]);
        io.out(`invoice ${id} issued as ${r.number}, total ${swissAmount(r.total)}\n`);
        return 0;
      }
      case "paid": {
        if (values.date !== undefined && !isLocalDate(values.date))
          throw new UsageError(`--date must be written YYYY-MM-DD, got ${JSON.stringify(values.date)}`);
        markPaid(store, id, actor, Date.now(), { ...(values.note ? { note: values.note } : {}), ...(values.date ? { date: values.date } : {}) });
        io.out(`invoice ${id} marked paid\n`);
        return 0;
      }
      case "cancel": {
        if (!values.reason) throw new UsageError("--reason is required (it is kept in the audit log)");
        const r = cancelInvoice(store, id, actor, values.reason, values["invoice-date"]);
        io.out(`invoice ${r.original.number} cancelled by credit note ${r.creditNote.number} (${swissAmount(r.creditNote.total)})\n`);
        return 0;
      }
      default:
        throw new UsageError(`unknown subcommand ${JSON.stringify(sub ?? "")}\n${INVOICE_USAGE}`);
    }
  } finally {
    store.close();
  }
}
