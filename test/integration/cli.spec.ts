import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync } from "node:fs";
import { join } from "node:path";
import { runCliCaptured as run } from "../support/cli";
import { communityRevisions, latestCommunity } from "../../lib/store/community-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { EXAMPLE_COMMUNITY_FILE } from "../support/community-fixture";
import { useTmpDir } from "../support/tmp";
import { fillConsumers, fillMeter, openBillingStore, threeUnitCommunity } from "../support/billing-fixture";
import { billedSonnenhof } from "../support/render-fixture";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";

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

describe("zev bill and zev invoice", () => {
  const tmp = useTmpDir();

  it("bills a month from the database alone, writes invoice files and can cancel one", async () => {
    const store = openBillingStore(tmp(), threeUnitCommunity());
    fillConsumers(store, "drei", "2026-11");
    fillMeter(store, "drei", "pv", "2026-11", (i) => (i % 4 === 0 ? 220 : 0));
    const db = store.path;
    store.close();
    const out = join(tmp(), "out");
    const draft = await run(["bill", "--db", db, "--community", "drei", "--period", "2026-11", "--out", out]);
    assert.equal(draft.code, 0, draft.err);
    assert.match(draft.out, /draft #1 +1 +Anna Meier +99\.60  created/);
    const issued = await run(["bill", "--db", db, "--community", "drei", "--period", "2026-11", "--issue", "--invoice-date", "2026-12-01", "--out", out]);
    assert.equal(issued.code, 0, issued.err);
    assert.match(issued.out, /2026-0001 +1 +Anna Meier/);
    const files = readdirSync(out).sort();
    assert.ok(files.includes("2026-0001_unit-1.json"), files.join(","));
    const rec = JSON.parse(readFileSync(join(out, "2026-0001_unit-1.json"), "utf8"));
    assert.equal(rec.snapshot.recipient.name, "Anna Meier");
    const cancelled = await run(["invoice", "cancel", "--db", db, "--id", String(rec.id), "--reason", "wrong meter"]);
    assert.equal(cancelled.code, 0, cancelled.err);
    assert.match(cancelled.out, /invoice 2026-0001 cancelled by credit note 2026-0004/);
    const list = await run(["invoice", "list", "--db", db, "--community", "drei"]);
    assert.equal(list.out.trim().split("\n").length, 4);
  });

  it("exits with 3 and says why when the data coverage is too low", async () => {
    const store = openBillingStore(tmp(), threeUnitCommunity());
    const db = store.path;
    store.close();
    const res = await run(["bill", "--db", db, "--community", "drei", "--period", "2026-11"]);
    assert.equal(res.code, 3);
    assert.match(res.err, /STOPPED: data coverage below 95 %/);
  });

  it("render writes the issued invoices' PDFs; export writes CSV and XLSX; bad requests exit with 2", async () => {
    const { store } = billedSonnenhof(join(tmp(), "db"));
    const db = store.path;
    store.close();
    const out = join(tmp(), "pdf");
    const one = await run(["render", "--db", db, "--id", "1", "--id", "2", "--out", out]);
    assert.equal(one.code, 0, one.err);
    assert.match(one.out, /2026-0001: .*2026-0001_unit-1_Anna_Meier\.pdf/);
    assert.deepEqual(readdirSync(out).sort(), ["2026-0001_unit-1_Anna_Meier.pdf", "2026-0002_unit-2_Luc_Dubois-Fontaine.pdf"]);
    const first = readFileSync(join(out, "2026-0001_unit-1_Anna_Meier.pdf"));
    const all = await run(["render", "--db", db, "--community", "sonnenhof", "--period", "2026-11", "--out", out]);
    assert.equal(all.code, 0, all.err);
    assert.equal(readdirSync(out).length, 5);
    assert.ok(readFileSync(join(out, "2026-0001_unit-1_Anna_Meier.pdf")).equals(first), "rendered again: the same bytes");

    const csv = join(tmp(), "exp", "alloc.csv");
    const exp = await run(["export", "--db", db, "--community", "sonnenhof", "--kind", "allocation", "--period", "2026-11", "--out", csv]);
    assert.equal(exp.code, 0, exp.err);
    assert.match(exp.out, /7 row\(s\) written to .*alloc\.csv/);
    assert.match(readFileSync(csv, "utf8"), /^\ufefftype;id;label;meters;consumption_kwh;/);
    const xlsx = join(tmp(), "exp", "invoices.xlsx");
    const x = await run(["export", "--db", db, "--community", "sonnenhof", "--kind", "invoices", "--period", "2026-11", "--out", xlsx]);
    assert.equal(x.code, 0, x.err);
    assert.equal(readFileSync(xlsx).subarray(0, 2).toString(), "PK");

    const bad = await run(["export", "--db", db, "--community", "sonnenhof", "--kind", "everything", "--period", "2026-11"]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /export kind must be one of invoices, lines, intervals, allocation/);
    const noOut = await run(["render", "--db", db, "--id", "1"]);
    assert.equal(noOut.code, 2);
    assert.match(noOut.err, /--out <folder> is required/);
    const help = await run(["help"]);
    assert.match(help.out, /zev render --db/);
    assert.match(help.out, /zev export --db/);
  });
});
