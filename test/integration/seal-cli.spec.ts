import assert from "node:assert/strict";
import { join } from "node:path";
import { IntervalIngest } from "../../lib/readings/intervals/interval-ingest";
import { readIntervalMatrix } from "../../lib/store/interval-matrix";
import { getMeter } from "../../lib/store/meter-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { runCliCaptured as run } from "../support/cli";
import { EXAMPLE_COMMUNITY_FILE } from "../support/community-fixture";
import { useTmpDir } from "../support/tmp";

const Q = 900_000;
const START = Date.UTC(2026, 9, 31, 23);
const END = Date.UTC(2026, 10, 10);

describe("zev seal (the real CLI on a SQLite file the ingest filled)", () => {
  const tmp = useTmpDir();

  it("seals the complete days that are over, says how many, and billing's reading of the month is unchanged", async () => {
    const db = join(tmp(), "site.sqlite");
    assert.equal((await run(["community", "import", EXAMPLE_COMMUNITY_FILE, "--db", db])).code, 0);
    let store = SqliteStore.open(db);
    const ing = new IntervalIngest(store, "sonnenhof", { actor: "test", now: () => END + Q });
    let wh = 1_000_000;
    for (let t = START; t <= END; t += Q) {
      wh += 37 + ((t / Q) % 11);
      ing.accept({ meter: "unit-1", ts: t, importKWh: wh / 1000 });
    }
    ing.flush();
    const id = getMeter(store, "sonnenhof", "unit-1")!.id;
    const before = readIntervalMatrix(store, [id], START, END).columns.get(id)!;
    store.close();

    const res = await run(["seal", "--db", db, "--community", "sonnenhof"]);
    assert.equal(res.code, 0, res.err);
    // 1 to 9 November UTC are complete; 31 October has one hour, 10 November one quarter hour: rows only.
    assert.match(res.out, /^sealed 9 days; /);
    store = SqliteStore.open(db);
    try {
      const after = readIntervalMatrix(store, [id], START, END).columns.get(id)!;
      assert.deepEqual([...after.importWh], [...before.importWh]);
      assert.deepEqual([...after.quality], [...before.quality]);
    } finally {
      store.close();
    }
    assert.match((await run(["seal", "--db", db, "--community", "sonnenhof"])).out, /^sealed 0 days; /);
    const unknown = await run(["seal", "--db", db, "--community", "nowhere"]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /no community nowhere/);
    assert.equal((await run(["seal", "--db", db])).code, 2);
  });
});
