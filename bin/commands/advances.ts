import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { issueAdvances, listAdvancePlans, proposeAdvances, setAdvancePlan } from "../../lib/billing/advances";
import { issueStatements } from "../../lib/billing/statement";
import type { AdvanceRhythm } from "../../lib/model/invoice";
import { writeInvoiceDocument } from "../../lib/render/documents";
import { advanceInvoices } from "../../lib/store/advance-repo";
import type { InvoiceRecord } from "../../lib/store/invoice-repo";
import { paidAmount } from "../../lib/store/payment-repo";
import { isLocalDate, localDateOf, type LocalDate } from "../../lib/time/local-date";
import { safeFileName } from "../../lib/util/safe-file-name";
import { CommandIO, UsageError } from "./io";
import { communityOrExplain, openStore, requireCommunityId, requireDb } from "./store-args";

export const ADVANCES_USAGE = `zev advances propose --db <file.sqlite> --community <id> --year <YYYY> [--rhythm monthly|quarterly] [--json]
      per tenancy, the advance proposed from last year's issued invoices at the new year's prices (docs/payments.md)
  zev advances set --db <file.sqlite> --community <id> --year <YYYY> --tenancy <id> --amount <CHF> [--rhythm monthly|quarterly]
      bill the tenancy that year by advances and an annual statement (refused if it has periodic invoices that year)
  zev advances list --db <file.sqlite> --community <id> [--year <YYYY>] [--json]
  zev advances issue --db <file.sqlite> --community <id> --period <2027-01|2027-Q1> [--date YYYY-MM-DD] [--tenancy <id>] [--out <folder>] [--logo <png|jpg>]
      the advance invoices of the month or quarter (PDF with a QR bill), numbered like invoices
  zev advances statement --db <file.sqlite> --community <id> --year <YYYY> [--date YYYY-MM-DD] [--tenancy <id>] [--force] [--out <folder>] [--logo <png|jpg>]
      the annual statements: the year's bill minus the advances paid; payable (QR bill) or a credit
      exit code 4: some documents were refused (see the reasons)`;

function year(text: string | undefined): number {
  if (!text || !/^\d{4}$/.test(text)) throw new UsageError(`--year must be written YYYY, got ${JSON.stringify(text ?? "")}`);
  return Number(text);
}

function rhythm(text: string | undefined): AdvanceRhythm {
  if (text === undefined || text === "monthly" || text === "quarterly") return text ?? "monthly";
  throw new UsageError(`--rhythm must be monthly or quarterly, got ${JSON.stringify(text)}`);
}

async function writePdfs(records: readonly InvoiceRecord[], folder: string, logo: Buffer | undefined, io: CommandIO): Promise<boolean> {
  let ok = true;
  for (const r of records) {
    try {
      const d = await writeInvoiceDocument(r, folder, logo ? { logo } : {});
      io.out(`    ${d.path}\n`);
    } catch (e) {
      ok = false;
      io.err(`zev advances: ${r.number} is issued but its PDF was not written: ${(e as Error).message}; write it with zev render --id ${r.id}\n`);
    }
  }
  return ok;
}

export async function advancesCommand(args: string[], io: CommandIO): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: {
      db: { type: "string" },
      community: { type: "string" },
      year: { type: "string" },
      period: { type: "string" },
      tenancy: { type: "string" },
      amount: { type: "string" },
      rhythm: { type: "string" },
      date: { type: "string" },
      out: { type: "string" },
      logo: { type: "string" },
      force: { type: "boolean" },
      json: { type: "boolean" },
      actor: { type: "string" },
    },
  });
  if (!["propose", "set", "list", "issue", "statement"].includes(sub ?? ""))
    throw new UsageError(`unknown subcommand ${JSON.stringify(sub ?? "")}\n${ADVANCES_USAGE}`);
  const db = requireDb(values.db);
  const communityId = requireCommunityId(values.community);
  if (values.date !== undefined && !isLocalDate(values.date)) throw new UsageError(`--date must be a date YYYY-MM-DD, got ${JSON.stringify(values.date)}`);
  const actor = `cli:${values.actor ?? process.env.USER ?? "unknown"}`;
  const logo = values.logo ? readFileSync(values.logo) : undefined;
  const store = openStore(db);
  try {
    const community = communityOrExplain(store, communityId, io);
    if (!community) return 1;
    const date = (values.date ?? localDateOf(Date.now(), community.definition.timeZone)) as LocalDate;
    const out = (what: string): string => resolve(values.out ?? join("invoices", safeFileName(communityId), safeFileName(what)));

    if (sub === "propose") {
      const list = proposeAdvances(store, communityId, year(values.year), rhythm(values.rhythm));
      if (values.json) io.out(JSON.stringify(list, null, 2) + "\n");
      else
        for (const p of list)
          io.out(
            p.amount === null
              ? `${p.tenancyId.padEnd(10)} ${p.recipient.padEnd(28)} -: ${p.reason}\n`
              : `${p.tenancyId.padEnd(10)} ${p.recipient.padEnd(28)} ${p.amount.padStart(10)} ${community.definition.currency} ${p.rhythm} (year estimate ${p.yearEstimate} from ${p.basis!.invoices.join(", ")}: ${p.basis!.billedDays} days billed ${p.basis!.billedTotal}, repriced ${p.basis!.repriced}, ${p.basis!.newDays} days)\n`,
          );
      return 0;
    }
    if (sub === "set") {
      if (!values.tenancy) throw new UsageError("--tenancy <id> is required");
      if (!values.amount) throw new UsageError("--amount <CHF> is required");
      const plan = setAdvancePlan(store, {
        communityId,
        tenancyId: values.tenancy,
        year: year(values.year),
        rhythm: rhythm(values.rhythm),
        amount: values.amount,
        actor,
      });
      io.out(`${plan.tenancyId} ${plan.year}: ${plan.rhythm} advances of ${plan.amount} ${community.definition.currency}\n`);
      return 0;
    }
    if (sub === "list") {
      const plans = listAdvancePlans(store, communityId, values.year ? year(values.year) : undefined).map((p) => ({
        ...p,
        advances: advanceInvoices(store, communityId, p.tenancyId, p.year).map((r) => ({
          id: r.id,
          number: r.number,
          period: r.snapshot.advance!.period,
          status: r.status,
          total: r.total,
          paidAmount: paidAmount(store, r.id),
          reference: r.reference,
        })),
      }));
      if (values.json) io.out(JSON.stringify(plans, null, 2) + "\n");
      else
        for (const p of plans) {
          io.out(`${p.tenancyId} ${p.year}: ${p.rhythm} ${p.amount}\n`);
          for (const a of p.advances) io.out(`  ${a.number} ${a.period.padEnd(8)} ${a.total.padStart(10)} ${a.status} (paid ${a.paidAmount})\n`);
        }
      return 0;
    }
    if (sub === "issue") {
      if (!values.period) throw new UsageError("--period <2027-01|2027-Q1> is required");
      const res = issueAdvances(store, {
        communityId,
        period: values.period,
        invoiceDate: date,
        actor,
        ...(values.tenancy ? { tenancyId: values.tenancy } : {}),
      });
      for (const r of res)
        io.out(
          `  ${(r.number ?? "-").padEnd(12)} ${r.tenancyId.padEnd(10)} ${r.recipient.padEnd(28)} ${(r.total ?? "").padStart(10)}  ${r.action}${r.reason ? `: ${r.reason}` : ""}\n`,
        );
      const ok = await writePdfs(
        res.flatMap((r) => (r.record ? [r.record] : [])),
        out(values.period),
        logo,
        io,
      );
      return res.some((r) => r.action === "refused") ? 4 : ok ? 0 : 1;
    }
    const y = year(values.year);
    const res = issueStatements(store, {
      communityId,
      year: y,
      invoiceDate: date,
      actor,
      force: values.force ?? false,
      ...(values.tenancy ? { tenancyId: values.tenancy } : {}),
    });
    for (const r of res) {
      io.out(
        `  ${(r.number ?? "-").padEnd(12)} ${r.tenancyId.padEnd(10)} ${r.recipient.padEnd(28)} ${(r.balance ?? "").padStart(10)}  ${r.action}${r.reason ? `: ${r.reason}` : ""}\n`,
      );
      for (const c of r.creditNotes ?? []) io.out(`  ${(c.number ?? "").padEnd(12)} credit note cancelling unpaid advance ${c.snapshot.cancels?.number}\n`);
    }
    const ok = await writePdfs(
      res.flatMap((r) => (r.record ? [...(r.creditNotes ?? []), r.record] : [])),
      out(`statement-${y}`),
      logo,
      io,
    );
    return res.some((r) => r.action === "refused") ? 4 : ok ? 0 : 1;
  } finally {
    store.close();
  }
}
