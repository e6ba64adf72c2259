import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { CamtError } from "../../lib/payments/camt";
import { assignPayment, importCamt, PaymentError, paymentViews } from "../../lib/payments/match";
import { ibanProblem } from "../../lib/util/iban";
import { CommandIO, UsageError } from "./io";
import { communityOrExplain, openStore, requireCommunityId, requireDb } from "./store-args";

export const PAYMENTS_USAGE = `zev payments import <file.xml>... --db <file.sqlite> --community <id> [--dry-run] [--account <IBAN>]... [--actor <name>]
      books the credit transactions of camt.054 / camt.053 files (Swiss Payment Standards) against issued invoices
  zev payments list --db <file.sqlite> --community <id> [--json]
  zev payments assign --db <file.sqlite> --community <id> --payment <id> --invoice <id|number> [--note "<why>"] [--actor <name>]`;

export function paymentsCommand(args: string[], io: CommandIO): number {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      db: { type: "string" },
      community: { type: "string" },
      "dry-run": { type: "boolean" },
      account: { type: "string", multiple: true },
      json: { type: "boolean" },
      payment: { type: "string" },
      invoice: { type: "string" },
      note: { type: "string" },
      actor: { type: "string" },
    },
  });
  if (sub !== "import" && sub !== "list" && sub !== "assign") throw new UsageError(`unknown subcommand ${JSON.stringify(sub ?? "")}\n${PAYMENTS_USAGE}`);
  const db = requireDb(values.db);
  const communityId = requireCommunityId(values.community);
  if (sub === "import" && positionals.length === 0) throw new UsageError("name at least one camt file: zev payments import <file.xml>...");
  if (sub !== "import" && positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  for (const a of values.account ?? []) {
    const problem = ibanProblem(a);
    if (problem) throw new UsageError(`--account: ${problem}`);
  }
  const actor = `cli:${values.actor ?? process.env.USER ?? "unknown"}`;
  const store = openStore(db);
  try {
    if (!communityOrExplain(store, communityId, io)) return 1;
    if (sub === "list") {
      const list = paymentViews(store, communityId);
      if (values.json) {
        io.out(JSON.stringify(list, null, 2) + "\n");
        return 0;
      }
      for (const p of list) {
        const inv = p.invoice
          ? `-> ${p.invoice.number}`
          : p.state === "flagged"
            ? `FLAGGED (${p.flag}${p.flaggedInvoice ? ` ${p.flaggedInvoice.number}` : ""})`
            : p.flag
              ? `unmatched (${p.flag})`
              : "unmatched";
        io.out(
          `${String(p.id).padStart(5)} ${p.bookingDate ?? "----------"} ${p.amount.padStart(10)} ${p.currency} ${(p.referenceType ?? "-").padEnd(4)} ${(p.reference ?? "-").padEnd(27)} ${(p.debtorName ?? "").slice(0, 24).padEnd(24)} ${inv}\n`,
        );
      }
      return 0;
    }
    if (sub === "assign") {
      const id = Number(values.payment);
      if (!Number.isSafeInteger(id) || id <= 0) throw new UsageError("--payment <payment id> is required");
      if (!values.invoice) throw new UsageError("--invoice <invoice id or number> is required");
      try {
        const p = assignPayment(store, { communityId, paymentId: id, invoice: values.invoice, actor, ...(values.note ? { note: values.note } : {}) });
        io.out(`payment ${p.id} (${p.amount} ${p.currency}) assigned to invoice ${p.invoiceNumber}\n`);
        return 0;
      } catch (e) {
        if (e instanceof PaymentError) {
          io.err(`zev payments assign: ${e.message}\n`);
          return 1;
        }
        throw e;
      }
    }
    let failed = 0;
    for (const file of positionals) {
      let xml: string;
      try {
        xml = readFileSync(file, "utf8");
      } catch (e) {
        io.err(`${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})\n`);
        failed++;
        continue;
      }
      try {
        const r = importCamt(store, xml, { communityId, fileName: basename(file), actor, dryRun: values["dry-run"] === true, accounts: values.account ?? [] });
        const skipped = r.skipped.debit + r.skipped.notBooked + r.skipped.reversal;
        io.out(
          `${file}: ${r.message}.001.${r.version}${r.dryRun ? " (dry run, nothing written)" : ""}: ${r.entries} entries, ${r.payments} payments, ${r.matched} matched, ${r.unmatched} unmatched, ${r.flagged} flagged, ${r.duplicates} duplicates skipped` +
            (r.replaced ? `, ${r.replaced} booking(s) imported before without details replaced by their transactions` : "") +
            (skipped ? `; not payments: ${r.skipped.debit} debit, ${r.skipped.notBooked} not booked, ${r.skipped.reversal} reversal` : "") +
            "\n",
        );
        for (const w of r.warnings) io.err(`${file}: warning: ${w.message}\n`);
        for (const it of r.items.filter((i) => !i.duplicate && i.state === "flagged"))
          io.err(
            `${file}: flagged: ${it.amount} ${it.currency} ref ${it.reference} for invoice ${it.invoice?.number}: ${it.flag === "cancelled-invoice" ? "the invoice is cancelled" : "the currency differs"}; assign it with zev payments assign\n`,
          );
        if (r.paidInvoices.length) io.out(`${file}: paid in full: ${r.paidInvoices.join(", ")}\n`);
      } catch (e) {
        if (e instanceof CamtError || e instanceof PaymentError) {
          io.err(`${file}: ${e.message}; nothing from this file was booked\n`);
          failed++;
          continue;
        }
        throw e;
      }
    }
    return failed ? 1 : 0;
  } finally {
    store.close();
  }
}
