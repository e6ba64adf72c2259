import { type CommunityRevision, latestCommunity } from "../../lib/store/community-repo";
import { SqliteStore, type StoreOptions } from "../../lib/store/sqlite-store";
import { CommandIO, UsageError } from "./io";

/** The `--db` every store command needs, or the usage error that names it. */
export function requireDb(db: string | undefined): string {
  if (!db) throw new UsageError("--db <file.sqlite> is required");
  return db;
}

export function requireCommunityId(community: string | undefined): string {
  if (!community) throw new UsageError("--community <id> is required");
  return community;
}

/** Opens `--db` (migrating it unless read-only); the caller closes it. */
export function openStore(db: string | undefined, options: StoreOptions = {}): SqliteStore {
  return SqliteStore.open(requireDb(db), options);
}

/**
 * The community's latest definition, or undefined after telling the user how
 * to get one there: commands that work on a community's data all say the same.
 */
export function communityOrExplain(store: SqliteStore, communityId: string, io: CommandIO): CommunityRevision | undefined {
  const community = latestCommunity(store, communityId);
  if (!community) io.err(`no community ${communityId} in ${store.path}; import the community first (zev community import)\n`);
  return community;
}
