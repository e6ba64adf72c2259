import { getInvoice } from "../store/invoice-repo";
import { listReminders, type ReminderRecord } from "../store/reminder-repo";
import type { Store } from "../store/store";
import { Decimal } from "../util/money";
import type { DocumentOutcome } from "./documents";
import type { ReminderDocumentSource } from "./reminder-document";

/**
 * What a reminder's PDF is drawn from: the reminder, its invoice, and the fees of the invoice's earlier reminders
 * (`all`: the community's reminders). One place for the CLI, the node and the job worker.
 */
export function reminderDocumentSource(store: Store, all: readonly ReminderRecord[], r: ReminderRecord): ReminderDocumentSource {
  const invoice = getInvoice(store, r.invoiceId);
  if (!invoice) throw new Error(`reminder ${r.number}: invoice ${r.invoiceId} is missing`);
  const earlierFees = all
    .filter((x) => x.invoiceId === r.invoiceId && x.level < r.level)
    .reduce((a, x) => a.plus(x.fee), new Decimal(0))
    .toFixed(2);
  return { reminder: r, invoice, earlierFees };
}

/**
 * Draws and writes the reminders named by `numbers` into `folder`, one by one: a problem with one does not keep the
 * others from being written. pdfkit loads at the first one (decision 0143).
 */
export async function writeReminderDocuments(
  store: Store,
  communityId: string,
  numbers: readonly string[],
  folder: string,
  opts: { logo?: Buffer } = {},
): Promise<DocumentOutcome[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { writeReminderFile } = require("./reminder-document") as typeof import("./reminder-document");
  const all = listReminders(store, communityId);
  const out: DocumentOutcome[] = [];
  for (const number of numbers) {
    try {
      const r = all.find((x) => x.number === number);
      if (!r) throw new Error(`no reminder ${number}`);
      out.push({ ok: true, document: await writeReminderFile(reminderDocumentSource(store, all, r), folder, opts) });
    } catch (e) {
      out.push({ ok: false, error: e instanceof Error ? e : new Error(String(e)) });
    }
  }
  return out;
}
