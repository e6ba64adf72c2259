import { parseArgs } from "node:util";
import { createLink, listLinks, PortalError, revokeLinks } from "../../lib/portal/links";
import { DEFAULT_VALID_DAYS, GRACE_DAYS } from "../../lib/portal/tokens";
import { CommandIO, UsageError } from "./io";
import { openStore, requireCommunityId, requireDb } from "./store-args";

export const PORTAL_USAGE = `zev portal link --db <file.sqlite> --community <id> --tenancy <id> [--valid-days N] [--base-url <http://host:port>] [--actor <name>]
      creates a tenant's private portal link (valid ${DEFAULT_VALID_DAYS} days by default, never past ${GRACE_DAYS} days after the tenancy's end) and prints it once
  zev portal revoke --db <file.sqlite> --community <id> (--tenancy <id> | --token-id <n>) [--actor <name>]
  zev portal list --db <file.sqlite> --community <id> [--json]`;

const iso = (ms: number | null): string => (ms === null ? "-" : new Date(ms).toISOString().slice(0, 16).replace("T", " ") + "Z");

export function portalCommand(args: string[], io: CommandIO): number {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      db: { type: "string" },
      community: { type: "string" },
      tenancy: { type: "string" },
      "token-id": { type: "string" },
      "valid-days": { type: "string" },
      "base-url": { type: "string" },
      actor: { type: "string" },
      json: { type: "boolean" },
    },
  });
  if (sub !== "link" && sub !== "revoke" && sub !== "list") throw new UsageError(`unknown subcommand ${JSON.stringify(sub ?? "")}\n${PORTAL_USAGE}`);
  if (positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const db = requireDb(values.db);
  const communityId = requireCommunityId(values.community);
  let validDays: number | undefined;
  if (values["valid-days"] !== undefined) {
    validDays = Number(values["valid-days"]);
    if (!/^\d+$/.test(values["valid-days"])) throw new UsageError(`--valid-days must be a whole number of days, got ${JSON.stringify(values["valid-days"])}`);
  }
  let tokenId: number | undefined;
  if (values["token-id"] !== undefined) {
    tokenId = Number(values["token-id"]);
    if (!/^\d+$/.test(values["token-id"]) || !Number.isSafeInteger(tokenId) || tokenId <= 0)
      throw new UsageError(`--token-id must be a link's id (see zev portal list), got ${JSON.stringify(values["token-id"])}`);
  }
  if (sub === "link" && !values.tenancy) throw new UsageError("--tenancy <id> is required");
  if (sub === "revoke" && (values.tenancy === undefined) === (tokenId === undefined))
    throw new UsageError("name what to revoke: --tenancy <id> (all its links) or --token-id <n> (one link)");
  if (values["base-url"] !== undefined && !/^https?:\/\/[^\s/]+(\/[^\s#?]*)?$/.test(values["base-url"]))
    throw new UsageError(`--base-url must be an http(s) URL such as http://192.168.1.10:1881, got ${JSON.stringify(values["base-url"])}`);
  const actor = `cli:${values.actor ?? process.env.USER ?? "unknown"}`;
  const store = openStore(db);
  try {
    if (sub === "link") {
      const l = createLink(store, {
        communityId,
        tenancyId: values.tenancy!,
        ...(validDays !== undefined ? { validDays } : {}),
        ...(values["base-url"] ? { baseUrl: values["base-url"] } : {}),
        actor,
      });
      io.out(`${l.link}\n`);
      io.err(
        `link ${l.tokenId} for tenancy ${l.tenancyId}, valid until ${iso(l.expiresMs)}; the link is shown only now (the database keeps only its hash)${values["base-url"] ? "" : "; put the portal's address (--base-url) in front of it"}\n`,
      );
      return 0;
    }
    if (sub === "revoke") {
      const ids = revokeLinks(store, {
        communityId,
        ...(values.tenancy !== undefined ? { tenancyId: values.tenancy } : {}),
        ...(tokenId !== undefined ? { tokenId } : {}),
        actor,
      });
      io.out(`revoked link${ids.length > 1 ? "s" : ""} ${ids.join(", ")}\n`);
      return 0;
    }
    const links = listLinks(store, communityId);
    if (values.json) {
      io.out(JSON.stringify(links, null, 2) + "\n");
      return 0;
    }
    if (!links.length) io.out("no portal links\n");
    for (const l of links)
      io.out(
        `${String(l.id).padStart(5)} ${l.tenancyId.padEnd(16)} ${l.state.padEnd(14)} created ${iso(l.createdMs)} expires ${iso(l.expiresMs)} last used ${iso(l.lastUsedMs)}\n`,
      );
    return 0;
  } catch (e) {
    if (e instanceof PortalError) {
      io.err(`zev portal ${sub}: ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    store.close();
  }
}
