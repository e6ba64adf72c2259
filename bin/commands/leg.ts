import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { computeLegPeriod, reconcileLegSplit, runProducerStatements } from "../../lib/billing/leg-run";
import { renderProducerStatement } from "../../lib/render/leg-document";
import { listProducerStatements } from "../../lib/store/leg-repo";
import { isLocalDate, type LocalDate } from "../../lib/time/local-date";
import type { ProducerStatement } from "../../lib/model/leg";
import { CommandIO, UsageError } from "./io";
import { communityOrExplain, openStore, requireCommunityId, requireDb } from "./store-args";

export const LEG_USAGE = `zev leg statements --db <file.sqlite> --community <id> --period <2026-11|2026-Q4|2026|from..to> [--issue] [--date YYYY-MM-DD] [--out <folder>] [--logo <png|jpg>] [--json] [--actor <name>]
      a LEG's producer statements (credit notes, PDF in the producer's language, no QR bill): drafts, or with --issue numbered
      (G<year>-0001) and recorded; members' invoices come from zev bill (docs/operator-data.md "LEG")
  zev leg summary --db <file.sqlite> --community <id> --period <period> [--json]
      per member: draw, local, residual, feed-in, credited kWh; the LEG's totals (billed local = credited)
  zev leg reconcile --db <file.sqlite> --community <id> --period <period> [--json]
      the operator's per-member split (E66 local/residual) against the suite's own computation, per member, in kWh
  zev leg list --db <file.sqlite> --community <id> [--json]`;

async function writeStatement(s: ProducerStatement, folder: string, logo: Buffer | undefined): Promise<string> {
  const { filename, buffer } = await renderProducerStatement(s, logo ? { logo } : {});
  const dir = resolve(folder);
  const path = join(dir, filename);
  if (dirname(path) !== dir) throw new Error(`refusing to write ${JSON.stringify(filename)} outside ${dir}`);
  mkdirSync(dir, { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, buffer);
  renameSync(tmp, path);
  return path;
}

export async function legCommand(args: string[], io: CommandIO): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: {
      db: { type: "string" },
      community: { type: "string" },
      period: { type: "string" },
      issue: { type: "boolean" },
      date: { type: "string" },
      out: { type: "string" },
      logo: { type: "string" },
      json: { type: "boolean" },
      actor: { type: "string" },
    },
  });
  if (!["statements", "summary", "reconcile", "list"].includes(sub ?? ""))
    throw new UsageError(`unknown subcommand ${JSON.stringify(sub ?? "")}\n${LEG_USAGE}`);
  const db = requireDb(values.db);
  const communityId = requireCommunityId(values.community);
  if (sub !== "list" && !values.period) throw new UsageError("--period is required (e.g. 2026-11)");
  if (values.date !== undefined && !isLocalDate(values.date)) throw new UsageError(`--date must be a date YYYY-MM-DD, got ${JSON.stringify(values.date)}`);
  const logo = values.logo ? readFileSync(values.logo) : undefined;
  const store = openStore(db);
  try {
    const community = communityOrExplain(store, communityId, io);
    if (!community) return 1;
    if (community.definition.kind !== "LEG") {
      io.err(`zev leg: community ${communityId} is a ${community.definition.kind}, not a LEG (kind LEG in the community file)\n`);
      return 1;
    }
    if (sub === "list") {
      const list = listProducerStatements(store, communityId).map((r) => ({
        number: r.number,
        date: r.statementDate,
        tenancy: r.tenancyKey,
        producer: r.snapshot.producer.name,
        period: r.snapshot.period,
        creditedKWh: r.snapshot.creditedKWh,
        total: r.total,
        currency: r.snapshot.currency,
      }));
      if (values.json) io.out(JSON.stringify(list, null, 2) + "\n");
      else for (const r of list) io.out(`${r.number} ${r.date} ${r.tenancy} ${r.producer}: ${r.creditedKWh} kWh, ${r.total} ${r.currency}\n`);
      return 0;
    }
    if (sub === "summary") {
      const comp = computeLegPeriod(store, communityId, values.period!);
      const out = {
        period: comp.leg.period,
        key: comp.leg.key,
        source: comp.leg.source,
        members: comp.leg.members,
        totals: comp.leg.totals,
        notices: comp.notices,
      };
      if (values.json) io.out(JSON.stringify(out, null, 2) + "\n");
      else {
        for (const m of comp.leg.members)
          io.out(
            `${m.tenancyKey} (${m.unit}): draw ${m.drawKWh}, local ${m.localKWh}, residual ${m.residualKWh}, feed-in ${m.feedInKWh}, credited ${m.creditedKWh} kWh\n`,
          );
        const t = comp.leg.totals;
        io.out(
          `LEG ${comp.leg.period.label}: local ${t.localKWh} kWh billed ${t.billedLocalKWh}, credited ${t.creditedKWh}, residual ${t.residualKWh}, surplus ${t.surplusKWh}\n`,
        );
        for (const n of comp.notices) io.err(`zev leg: ${n.message}\n`);
      }
      return 0;
    }
    if (sub === "reconcile") {
      const r = reconcileLegSplit(store, communityId, values.period!);
      if (values.json) io.out(JSON.stringify(r, null, 2) + "\n");
      else {
        for (const x of r.rows)
          io.out(
            `${x.tenancyKey} (${x.unit}): local own ${x.ownLocalKWh} operator ${x.operatorLocalKWh} difference ${x.localDifferenceKWh} kWh; residual own ${x.ownResidualKWh} operator ${x.operatorResidualKWh} difference ${x.residualDifferenceKWh} kWh\n`,
          );
        io.out(`${r.differing} member(s) differ; local total own ${r.totals.ownLocalKWh}, operator ${r.totals.operatorLocalKWh} kWh\n`);
        for (const n of r.notices) io.err(`zev leg: ${n.message}\n`);
      }
      return 0;
    }
    const res = runProducerStatements(store, {
      communityId,
      period: values.period!,
      mode: values.issue ? "issue" : "draft",
      ...(values.date ? { statementDate: values.date as LocalDate } : {}),
      actor: `cli:${values.actor ?? process.env.USER ?? "unknown"}`,
    });
    let failed = false;
    const written: string[] = [];
    if (values.out || values.issue)
      for (const it of res.items) {
        if (it.action === "draft" && !values.out) continue;
        try {
          written.push(await writeStatement(it.statement, values.out ?? "statements", logo));
        } catch (e) {
          failed = true;
          io.err(`zev leg: the statement for ${it.tenancyKey} was not written: ${(e as Error).message}\n`);
        }
      }
    if (values.json) io.out(JSON.stringify({ ...res, records: undefined, written }, null, 2) + "\n");
    else {
      for (const it of res.items)
        io.out(
          `${it.number ?? "draft"} ${it.tenancyKey} ${it.producer}: ${it.statement.creditedKWh} kWh, ${it.total} ${it.statement.currency} (${it.action}${it.difference ? `, now ${it.difference} more` : ""})\n`,
        );
      for (const w of written) io.out(`${w}\n`);
      io.out(
        `${res.items.length} producer statement(s) for ${res.period.label}; billed local ${res.totals.billedLocalKWh} kWh = credited ${res.totals.creditedKWh} kWh\n`,
      );
    }
    return failed || res.items.some((i) => i.action === "differs") ? 1 : 0;
  } finally {
    store.close();
  }
}
