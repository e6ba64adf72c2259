import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { runReminders } from "../../lib/payments/reminder-run";
import { writeReminderDocument } from "../../lib/render/reminder-document";
import { reminderDocumentSource } from "../../lib/render/reminder-source";
import { getInvoice } from "../../lib/store/invoice-repo";
import { listReminders } from "../../lib/store/reminder-repo";
import { isLocalDate, localDateOf, type LocalDate } from "../../lib/time/local-date";
import { CommandIO, UsageError } from "./io";
import { communityOrExplain, openStore, requireCommunityId, requireDb } from "./store-args";

export const REMINDERS_USAGE = `zev reminders run --db <file.sqlite> --community <id> [--date YYYY-MM-DD] [--out <folder>] [--logo <png|jpg>] [--dry-run] [--actor <name>]
      numbered payment reminders (PDF with a QR bill for the amount open and the fee) for the unpaid invoices
      whose next reminder level is due on --date (default today); import the bank's payments first (docs/payments.md "Reminders")
  zev reminders list --db <file.sqlite> --community <id> [--json]
  zev reminders render --db <file.sqlite> --community <id> --number <M2026-0001> [--out <folder>] [--logo <png|jpg>]`;

export async function remindersCommand(args: string[], io: CommandIO): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: {
      db: { type: "string" },
      community: { type: "string" },
      date: { type: "string" },
      out: { type: "string" },
      logo: { type: "string" },
      number: { type: "string" },
      json: { type: "boolean" },
      "dry-run": { type: "boolean" },
      actor: { type: "string" },
    },
  });
  if (sub !== "run" && sub !== "list" && sub !== "render") throw new UsageError(`unknown subcommand ${JSON.stringify(sub ?? "")}\n${REMINDERS_USAGE}`);
  const db = requireDb(values.db);
  const communityId = requireCommunityId(values.community);
  if (values.date !== undefined && !isLocalDate(values.date)) throw new UsageError(`--date must be a date YYYY-MM-DD, got ${JSON.stringify(values.date)}`);
  if (sub === "render" && !values.number) throw new UsageError("--number <reminder number> is required");
  const logo = values.logo ? readFileSync(values.logo) : undefined;
  const out = resolve(values.out ?? "reminders");
  const store = openStore(db);
  try {
    const community = communityOrExplain(store, communityId, io);
    if (!community) return 1;
    if (sub === "list") {
      const list = listReminders(store, communityId).map((r) => ({ ...r, invoiceNumber: getInvoice(store, r.invoiceId)?.number ?? null }));
      if (values.json) io.out(JSON.stringify(list, null, 2) + "\n");
      else
        for (const r of list)
          io.out(
            `${r.number} ${r.reminderDate} level ${r.level}${r.final ? " (final)" : ""} ${r.invoiceNumber ?? r.invoiceId} ${r.amountDue.padStart(10)} ${r.currency} due ${r.dueDate}\n`,
          );
      return 0;
    }
    if (sub === "render") {
      const all = listReminders(store, communityId);
      const r = all.find((x) => x.number === values.number);
      if (!r) {
        io.err(`zev reminders: no reminder ${values.number} in community ${communityId}\n`);
        return 1;
      }
      io.out(`${await writeReminderDocument(reminderDocumentSource(store, all, r), out, logo ? { logo } : {})}\n`);
      return 0;
    }
    const date = (values.date ?? localDateOf(Date.now(), community.definition.timeZone)) as LocalDate;
    const res = runReminders(store, { communityId, date, actor: `cli:${values.actor ?? process.env.USER ?? "unknown"}`, dryRun: values["dry-run"] === true });
    for (const f of res.refused)
      io.err(`zev reminders: no reminder for invoice ${f.invoiceNumber} (level ${f.level}): its QR bill cannot be made: ${f.problems.join("; ")}\n`);
    if (values["dry-run"]) {
      for (const d of res.due)
        io.out(
          `would send level ${d.level}${d.final ? " (final)" : ""} for ${d.invoice.number}: ${d.amountDue} ${d.invoice.currency} (fee ${d.fee}), to pay by ${d.dueDate}\n`,
        );
      io.out(`${res.due.length} reminder(s) due on ${date}; nothing recorded (dry run)\n`);
      return res.refused.length ? 1 : 0;
    }
    const all = listReminders(store, communityId);
    let failed = res.refused.length > 0;
    for (const r of res.sent) {
      try {
        const path = await writeReminderDocument(reminderDocumentSource(store, all, r), out, logo ? { logo } : {});
        io.out(
          `${r.number} level ${r.level}${r.final ? " (final)" : ""} for ${getInvoice(store, r.invoiceId)?.number}: ${r.amountDue} ${r.currency}, to pay by ${r.dueDate}: ${path}\n`,
        );
      } catch (e) {
        failed = true;
        io.err(
          `zev reminders: ${r.number} is recorded but its PDF was not written: ${(e as Error).message}; write it with zev reminders render --number ${r.number}\n`,
        );
      }
    }
    io.out(`${res.sent.length} reminder(s) sent on ${date}\n`);
    return failed ? 1 : 0;
  } finally {
    store.close();
  }
}
