import { parseArgs } from "node:util";
import { loadCommunityFile } from "../../lib/community/file-format";
import { CommunityValidationError, validateCommunity } from "../../lib/community/validate";
import { communityRevisions, latestCommunity, listCommunities, revisionById, saveCommunity } from "../../lib/store/community-repo";
import { swissCount } from "../../lib/util/swiss-number";
import { CommandIO, UsageError } from "./io";
import { openStore } from "./store-args";

export const COMMUNITY_USAGE = `zev community import <file.json> --db <file.sqlite> [--dry-run] [--actor <name>]
      create or update a community from a community file (docs/community-file.md)
  zev community list --db <file.sqlite>
  zev community show --db <file.sqlite> --community <id> [--revision <n>]
      print the stored definition (latest, or a given revision) as JSON
  zev community history --db <file.sqlite> --community <id>`;

export function communityCommand(args: string[], io: CommandIO): number {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      db: { type: "string" },
      community: { type: "string" },
      revision: { type: "string" },
      actor: { type: "string" },
      "dry-run": { type: "boolean" },
    },
  });
  switch (sub) {
    case "import": {
      const file = positionals[0];
      if (!file) throw new UsageError("zev community import needs the community file");
      const def = loadCommunityFile(file);
      const issues = validateCommunity(def);
      if (issues.length) throw new CommunityValidationError(issues);
      if (values["dry-run"]) {
        io.out(`${file}: community ${def.id} is valid (dry run, nothing written)\n`);
        return 0;
      }
      const store = openStore(values.db);
      try {
        const res = saveCommunity(store, def, { source: `file:${file}`, actor: `cli:${values.actor ?? process.env.USER ?? "unknown"}` });
        const c = res.changes;
        const n = swissCount;
        if (!res.changed) io.out(`community ${def.id}: unchanged (revision ${res.revision.id})\n`);
        else
          io.out(
            `community ${def.id}: stored as revision ${res.revision.id} in ${store.path}\n` +
              `  units +${n(c.unitsAdded.length)} -${n(c.unitsRemoved.length)}, tenancies +${n(c.tenanciesAdded.length)} -${n(c.tenanciesRemoved.length)} ~${n(c.tenanciesChanged.length)}` +
              (c.otherFieldsChanged.length ? `, changed: ${c.otherFieldsChanged.join(", ")}` : "") +
              "\n",
          );
      } finally {
        store.close();
      }
      return 0;
    }
    case "list": {
      const store = openStore(values.db);
      try {
        const list = listCommunities(store);
        if (!list.length) io.out("no community in this database\n");
        for (const c of list) io.out(`${c.id}\t${c.name}\tupdated ${new Date(c.updatedMs).toISOString()}\n`);
      } finally {
        store.close();
      }
      return 0;
    }
    case "show":
    case "history": {
      if (!values.community) throw new UsageError(`zev community ${sub} needs --community <id>`);
      const store = openStore(values.db);
      try {
        if (sub === "history") {
          for (const r of communityRevisions(store, values.community))
            io.out(`${r.id}\t${new Date(r.createdMs).toISOString()}\t${r.source}\t${r.hash.slice(0, 12)}\n`);
          return 0;
        }
        const rev = values.revision ? revisionById(store, Number(values.revision)) : latestCommunity(store, values.community);
        if (!rev || rev.communityId !== values.community) {
          io.err(`no community ${values.community}${values.revision ? ` revision ${values.revision}` : ""} in ${store.path}\n`);
          return 1;
        }
        io.out(JSON.stringify(rev.definition, null, 2) + "\n");
      } finally {
        store.close();
      }
      return 0;
    }
    default:
      throw new UsageError(`unknown subcommand ${JSON.stringify(sub ?? "")}\n${COMMUNITY_USAGE}`);
  }
}
