import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../bin/cli";
import { communityRevisions, latestCommunity } from "../../lib/store/community-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { EXAMPLE_COMMUNITY_FILE } from "../support/community-fixture";
import { useTmpDir } from "../support/tmp";
import { writeFileSync, readFileSync } from "node:fs";

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe("zev command line", () => {
  const tmp = useTmpDir();

  it("community import creates the community, a second import of the same file changes nothing", async () => {
    const db = join(tmp(), "site.sqlite");
    const first = await run(["community", "import", EXAMPLE_COMMUNITY_FILE, "--db", db]);
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /community sonnenhof: stored as revision 1/);
    assert.match(first.out, /units \+3 -0, tenancies \+4/);
    const again = await run(["community", "import", EXAMPLE_COMMUNITY_FILE, "--db", db]);
    assert.match(again.out, /unchanged \(revision 1\)/);
    const store = SqliteStore.open(db);
    try {
      assert.equal(latestCommunity(store, "sonnenhof")!.definition.tenancies.length, 4);
    } finally {
      store.close();
    }
  });

  it("community import updates a community and keeps the old revision", async () => {
    const dir = join(tmp(), "files");
    cpSync(join(EXAMPLE_COMMUNITY_FILE, ".."), dir, { recursive: true });
    const db = join(tmp(), "site.sqlite");
    assert.equal((await run(["community", "import", join(dir, "sonnenhof.json"), "--db", db])).code, 0);
    const csv = readFileSync(join(dir, "tenancies.csv"), "utf8").replace("2025-06-01;", "2025-06-01;2026-12-31");
    writeFileSync(join(dir, "tenancies.csv"), csv);
    const res = await run(["community", "import", join(dir, "sonnenhof.json"), "--db", db]);
    assert.match(res.out, /revision 2/);
    assert.match(res.out, /~1/);
    const hist = await run(["community", "history", "--db", db, "--community", "sonnenhof"]);
    assert.equal(hist.out.trim().split("\n").length, 2);
    const old = await run(["community", "show", "--db", db, "--community", "sonnenhof", "--revision", "1"]);
    assert.equal(JSON.parse(old.out).tenancies[3].to, null);
    const store = SqliteStore.open(db);
    try {
      assert.equal(communityRevisions(store, "sonnenhof").length, 2);
    } finally {
      store.close();
    }
  });

  it("an invalid file is refused with every problem listed and exit code 1, nothing written", async () => {
    const file = join(tmp(), "bad.json");
    writeFileSync(file, JSON.stringify({ id: "x", name: "X", creditor: { name: "C", iban: "CH00" }, buildings: [], tenancies: [] }));
    const db = join(tmp(), "bad.sqlite");
    const res = await run(["community", "import", file, "--db", db]);
    assert.equal(res.code, 1);
    assert.match(res.err, /creditor\.iban/);
    assert.match(res.err, /buildings: at least one building/);
    assert.match(res.err, /owner\.name: name is required/);
  });

  it("usage errors exit with 2 and say what is missing", async () => {
    assert.equal((await run(["community", "import", EXAMPLE_COMMUNITY_FILE])).code, 2);
    assert.match((await run(["community", "import", EXAMPLE_COMMUNITY_FILE])).err, /--db <file.sqlite> is required/);
    assert.equal((await run(["frobnicate"])).code, 2);
    assert.equal((await run(["community", "import", "x.json", "--bogus"])).code, 2);
  });

  it("check reports schema version and integrity", async () => {
    const db = join(tmp(), "site.sqlite");
    await run(["community", "import", EXAMPLE_COMMUNITY_FILE, "--db", db]);
    const res = await run(["check", "--db", db]);
    assert.equal(res.code, 0);
    assert.match(res.out, /integrity: ok/);
    assert.match(res.out, /community sonnenhof \(ZEV Sonnenhof\)/);
  });

  it("the compiled zev binary runs (dist/bin/zev.js)", () => {
    const db = join(tmp(), "site.sqlite");
    const bin = join(__dirname, "..", "..", "dist", "bin", "zev.js");
    const res = spawnSync(process.execPath, [bin, "community", "import", EXAMPLE_COMMUNITY_FILE, "--db", db], { encoding: "utf8" });
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /stored as revision 1/);
  });
});
