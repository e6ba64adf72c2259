import { parseArgs } from "node:util";
import { IntervalIngest } from "../../lib/readings/intervals/interval-ingest";
import { ReplacementError, replacementFromInput } from "../../lib/readings/intervals/meter-replacement";
import { meterHistory } from "../../lib/aggregation/meter-changes";
import { latestCommunity } from "../../lib/store/community-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { formatLocal } from "../../lib/time/local-date";
import { CommandIO, UsageError } from "./io";
import { SUBSTITUTE_USAGE, substituteCommand } from "./meter-substitute";

export const METER_USAGE = `zev meter history --db <file.sqlite> --community <id> [--meter <id>] [--json]
      the meters' counter breaks: replacements, resets, jumps, swaps (with the readings before and after)
  zev meter replace --db <file.sqlite> --community <id> --meter <id> --at <"YYYY-MM-DD HH:MM"|ISO>
           --old-final <kWh> --new-initial <kWh> [--old-final-export <kWh> --new-initial-export <kWh>] [--serial <new serial>] [--json]
      record a meter replacement: the old meter's final and the new meter's initial reading at the time of the swap
      (local time of the community); the energy across the swap is exact (docs/meters.md)
  ${SUBSTITUTE_USAGE}`;

export function meterCommand(args: string[], io: CommandIO): number {
  const [sub, ...rest] = args;
  if (sub === "history") return historyCommand(rest, io);
  if (sub === "substitute") return substituteCommand(rest, io);
  if (sub !== "replace") throw new UsageError(`unknown meter command ${JSON.stringify(sub ?? "")}\n${METER_USAGE}`);
  const { values } = parseArgs({
    args: rest,
    options: {
      db: { type: "string" },
      community: { type: "string" },
      meter: { type: "string" },
      at: { type: "string" },
      "old-final": { type: "string" },
      "new-initial": { type: "string" },
      "old-final-export": { type: "string" },
      "new-initial-export": { type: "string" },
      serial: { type: "string" },
      actor: { type: "string" },
      json: { type: "boolean" },
    },
  });
  for (const k of ["db", "community", "meter", "at", "old-final", "new-initial"] as const)
    if (!values[k]) throw new UsageError(`--${k} is required\n${METER_USAGE}`);
  const store = SqliteStore.open(values.db!);
  try {
    const community = latestCommunity(store, values.community!);
    if (!community) {
      io.err(`no community ${values.community} in ${store.path}; import the community first (zev community import)\n`);
      return 1;
    }
    const zone = community.definition.timeZone;
    let rep;
    try {
      rep = replacementFromInput(
        {
          at: values.at,
          oldFinal: values["old-final"],
          newInitial: values["new-initial"],
          oldFinalExport: values["old-final-export"],
          newInitialExport: values["new-initial-export"],
          serial: values.serial,
        },
        zone,
      );
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const ingest = new IntervalIngest(store, values.community!, { actor: `cli:${values.actor ?? process.env.USER ?? "unknown"}` });
    let out;
    try {
      out = ingest.replaceMeter(values.meter!, rep);
    } catch (e) {
      if (e instanceof ReplacementError || e instanceof RangeError) {
        io.err(`zev meter replace: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
    if (values.json) {
      io.out(JSON.stringify({ community: values.community, ...out, at: new Date(rep.atMs).toISOString(), ...rep }, null, 2) + "\n");
      return 0;
    }
    io.out(
      `meter ${out.meter} replaced on ${formatLocal(rep.atMs, zone)}: old final ${rep.oldFinalImportWh / 1000} kWh, new initial ${rep.newInitialImportWh / 1000} kWh` +
        (rep.oldFinalExportWh !== null ? `; export old final ${rep.oldFinalExportWh / 1000} kWh, new initial ${rep.newInitialExportWh! / 1000} kWh` : "") +
        (rep.serial ? `; new serial ${rep.serial}` : "") +
        `\n  ${out.intervals} quarter hour(s) written` +
        (out.replayed ? `, ${out.replayed} held reading(s) of the new meter taken` : "") +
        (out.discarded ? `, ${out.discarded} held reading(s) from before the swap dropped` : "") +
        "\n",
    );
    return 0;
  } finally {
    store.close();
  }
}

function historyCommand(args: string[], io: CommandIO): number {
  const { values } = parseArgs({
    args,
    options: { db: { type: "string" }, community: { type: "string" }, meter: { type: "string" }, json: { type: "boolean" } },
  });
  if (!values.db) throw new UsageError("--db <file.sqlite> is required");
  if (!values.community) throw new UsageError("--community <id> is required");
  const store = SqliteStore.open(values.db, { readonly: true });
  try {
    const community = latestCommunity(store, values.community);
    if (!community) {
      io.err(`no community ${values.community} in ${store.path}\n`);
      return 1;
    }
    const zone = community.definition.timeZone;
    const list = meterHistory(store, values.community, values.meter, zone);
    if (values.json) {
      io.out(JSON.stringify(list, null, 2) + "\n");
      return 0;
    }
    if (list.length === 0) io.out(`no counter breaks recorded${values.meter ? ` for meter ${values.meter}` : ""}\n`);
    for (const c of list)
      io.out(
        `${formatLocal(c.atMs, zone)}  ${c.meter}  ${c.kind}${c.superseded ? " (explained by a later replacement)" : ""}  ${c.beforeKWh ?? "?"} -> ${c.afterKWh ?? "?"} kWh\n`,
      );
    return 0;
  } finally {
    store.close();
  }
}
