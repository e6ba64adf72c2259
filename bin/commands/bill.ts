import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { runBilling, type BillingRunReport } from "../../lib/billing/run";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { safeFileName } from "../../lib/util/safe-file-name";
import { swissAmount, swissCount, swissDecimalText, swissNumber } from "../../lib/util/swiss-number";
import { CommandIO, UsageError } from "./io";

export const BILL_USAGE = `zev bill --db <file.sqlite> --community <id> --period <2026-10|2026-Q4|2026-H2|2026|from..to>
           [--issue] [--invoice-date YYYY-MM-DD] [--force] [--out <folder>] [--json]
      bill a period from the database alone: drafts, or issued invoices with --issue;
      writes each invoice as JSON to --out (default ./invoices/<community>/<period>)
      exit code 3: stopped because the data coverage is too low (see the report; --force bills anyway)
      exit code 4: some invoices were refused, they could not be printed (they stay drafts and use no number)`;

function printReport(r: BillingRunReport, io: CommandIO, dbArg: string): void {
  io.out(`community ${r.communityId}, period ${r.period.label} (${r.period.from} to ${r.period.to}), ${r.mode}\n`);
  const k = swissDecimalText;
  io.out(
    `  consumption ${k(r.totals.consumptionKWh)} kWh, production ${k(r.totals.productionKWh)} kWh, self-consumed ${k(r.totals.selfConsumedKWh)} kWh, grid import ${k(r.totals.gridImportKWh)} kWh, export ${k(r.totals.gridExportKWh)} kWh\n`,
  );
  for (const c of r.coverage)
    if (c.coverage < 1)
      io.out(
        `  data ${c.meter}: ${swissNumber(c.coverage * 100, 1)} % measured or interpolated (${swissCount(c.missing)} of ${swissCount(c.total)} intervals missing)\n`,
      );
  if (r.unbilled.length) io.out(`  UNBILLED ${k(r.unbilledKWh)} kWh are on no invoice (see the warnings)\n`);
  for (const a of r.attributed)
    io.out(`  attributed session #${a.sessionId} on ${a.charger} (${a.started}, ${k(a.kWh)} kWh): id ${a.userId} -> unit ${a.unit}\n`);
  for (const n of r.notices) io.out(`  WARNING ${n.message}\n`);
  if (r.stopped) {
    io.err(`STOPPED: ${r.stopReason}\n`);
    return;
  }
  for (const i of r.invoices) {
    io.out(
      `  ${(i.number ?? (i.id !== null ? `draft #${i.id}` : "-")).padEnd(12)} ${i.unit.padEnd(8)} ${i.recipient.padEnd(28)} ${swissAmount(i.total).padStart(12)}  ${i.action}${i.reason ? `: ${i.reason}` : ""}\n`,
    );
    const d = i.difference;
    if (d)
      io.out(
        `  ${"".padEnd(12)} DIFFERS from the issued invoice: now ${k(d.nowKWh)} kWh / ${swissAmount(d.nowTotal)} ${d.currency} (${d.kWh} kWh, ${d.amount} ${d.currency}); correct it with ${d.correction.command.replace("zev invoice cancel", `zev invoice cancel --db ${dbArg}`)}, then bill ${r.period.label} again\n`,
      );
  }
}

export function billCommand(args: string[], io: CommandIO): number {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: "string" },
      community: { type: "string" },
      period: { type: "string" },
      issue: { type: "boolean" },
      force: { type: "boolean" },
      "invoice-date": { type: "string" },
      out: { type: "string" },
      json: { type: "boolean" },
      actor: { type: "string" },
    },
  });
  if (!values.db) throw new UsageError("--db <file.sqlite> is required");
  if (!values.community) throw new UsageError("--community <id> is required");
  if (!values.period) throw new UsageError("--period is required (e.g. 2026-10)");
  const store = SqliteStore.open(values.db);
  try {
    const report = runBilling(store, {
      communityId: values.community,
      period: values.period,
      mode: values.issue ? "issue" : "draft",
      force: values.force ?? false,
      ...(values["invoice-date"] ? { invoiceDate: values["invoice-date"] } : {}),
      actor: `cli:${values.actor ?? process.env.USER ?? "unknown"}`,
    });
    if (values.json) io.out(JSON.stringify({ ...report, records: undefined }, null, 2) + "\n");
    else printReport(report, io, values.db);
    if (report.stopped) return 3;
    const dir = resolve(values.out ?? join("invoices", safeFileName(values.community), safeFileName(report.period.label)));
    mkdirSync(dir, { recursive: true });
    for (const rec of report.records) {
      const file = join(dir, `${safeFileName(rec.number ?? `draft-${rec.id}`, `unit-${rec.unitId ?? ""}`)}.json`);
      writeFileSync(file, JSON.stringify(rec, null, 2));
    }
    if (!values.json) io.out(`  ${swissCount(report.records.length)} invoice file(s) in ${dir}\n`);
    const refused = report.invoices.filter((i) => i.action === "refused");
    if (refused.length) {
      io.err(
        `REFUSED: ${refused.length} invoice(s) not issued because they could not be printed; correct the community data (zev community import) or the meter data and run again:\n`,
      );
      for (const r of refused) for (const p of r.problems ?? []) io.err(`  ${r.recipient} (unit ${r.unit}): ${p.path}: ${p.message} [${p.code}]\n`);
      return 4;
    }
    return 0;
  } finally {
    store.close();
  }
}
