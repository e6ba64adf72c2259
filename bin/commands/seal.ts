import { parseArgs } from "node:util";
import { sealIntervalDays, sealLimitMs } from "../../lib/store/interval-days";
import { swissCount } from "../../lib/util/swiss-number";
import type { CommandIO } from "./io";
import { communityOrExplain, openStore, requireCommunityId } from "./store-args";

export const SEAL_USAGE = `zev seal --db <file.sqlite> --community <id>
      seal the community's complete days that are over, for fast billing of long periods (zev-aggregate does it daily; decision 0149)`;

export function sealCommand(args: string[], io: CommandIO, nowMs = Date.now()): number {
  const { values } = parseArgs({ args, options: { db: { type: "string" }, community: { type: "string" } } });
  const communityId = requireCommunityId(values.community);
  const store = openStore(values.db);
  try {
    if (!communityOrExplain(store, communityId, io)) return 1;
    const res = sealIntervalDays(store, communityId, sealLimitMs(nowMs));
    io.out(`sealed ${swissCount(res.sealed)} days; ${swissCount(res.incomplete)} days stay rows only (a quarter hour not stored or missing)\n`);
    return 0;
  } finally {
    store.close();
  }
}
