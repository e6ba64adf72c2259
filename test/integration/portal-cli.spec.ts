import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../bin/cli";
import { FailureGuard } from "../../lib/portal/guard";
import { PortalServer } from "../../lib/portal/server";
import { latestCommunity } from "../../lib/store/community-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { openBillingStore } from "../support/billing-fixture";
import { REPO_ROOT } from "../support/node-red-process";
import { portalCommunity } from "../support/portal-fixture";
import { useTmpDir } from "../support/tmp";

/*
 * `zev portal link | revoke | list`, run as the compiled binary (dist/bin/zev.js,
 * `npm run build` first) on a real SQLite file; the link it prints opens the
 * portal, the revocation closes it.
 */

const BIN = join(REPO_ROOT, "dist", "bin", "zev.js");

function zev(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, "portal", ...args], { encoding: "utf8" });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe("zev portal (the compiled command line)", function () {
  this.timeout(60_000);
  const tmp = useTmpDir();
  let db = "";

  before(function () {
    if (!existsSync(BIN)) throw new Error(`${BIN} missing: run npm run build first`);
  });
  beforeEach(() => {
    const store = openBillingStore(tmp(), portalCommunity());
    db = store.path;
    store.close();
  });

  async function viewStatus(token: string): Promise<number> {
    const store = SqliteStore.open(db);
    const def = latestCommunity(store, "drei")!.definition;
    const server = new PortalServer(() => ({ store, definition: def }), { port: 0, host: "127.0.0.1", guard: new FailureGuard(100) });
    await server.listen();
    try {
      return (await fetch(`http://127.0.0.1:${server.address()!.port}/portal/api/view`, { headers: { Authorization: `Bearer ${token}` } })).status;
    } finally {
      await server.close();
      store.close();
    }
  }

  it("link prints a working link once, list shows it without the secret, revoke ends it", async () => {
    const made = zev("link", "--db", db, "--community", "drei", "--tenancy", "t2", "--valid-days", "30", "--base-url", "http://192.168.1.10:1881/");
    assert.equal(made.code, 0, made.err);
    const m = /^http:\/\/192\.168\.1\.10:1881\/portal\/#t=([A-Za-z0-9_-]{43})\n$/.exec(made.out);
    assert.ok(m, made.out);
    const token = m[1]!;
    assert.match(made.err, /link 1 for tenancy t2, valid until \d{4}-\d\d-\d\d/);
    assert.equal(await viewStatus(token), 200);

    const list = zev("list", "--db", db, "--community", "drei", "--json");
    assert.equal(list.code, 0, list.err);
    const links = JSON.parse(list.out) as { id: number; tenancyId: string; state: string }[];
    assert.deepEqual(
      links.map((l) => [l.id, l.tenancyId, l.state]),
      [[1, "t2", "active"]],
    );
    assert.ok(!list.out.includes(token) && !list.out.includes("tokenHash"));
    assert.match(zev("list", "--db", db, "--community", "drei").out, /^\s+1 t2\s+active/);

    const revoked = zev("revoke", "--db", db, "--community", "drei", "--tenancy", "t2");
    assert.equal(revoked.code, 0, revoked.err);
    assert.equal(revoked.out, "revoked link 1\n");
    assert.equal(await viewStatus(token), 401);
    assert.match(zev("list", "--db", db, "--community", "drei").out, /^\s+1 t2\s+revoked/);
  });

  it("revoke by token id ends that link only", async () => {
    const a = /#t=(\S+)/.exec(zev("link", "--db", db, "--community", "drei", "--tenancy", "t1").out)![1]!;
    const b = /#t=(\S+)/.exec(zev("link", "--db", db, "--community", "drei", "--tenancy", "t1").out)![1]!;
    const r = zev("revoke", "--db", db, "--community", "drei", "--token-id", "2");
    assert.equal(r.code, 0, r.err);
    assert.equal(await viewStatus(a), 200);
    assert.equal(await viewStatus(b), 401);
  });

  it("clear errors with exit codes: 2 for usage, 1 for what the database refuses", async () => {
    const cases: [string[], number, RegExp][] = [
      [["link", "--db", db, "--community", "drei"], 2, /--tenancy <id> is required/],
      [["link", "--db", db, "--community", "drei", "--tenancy", "t1", "--valid-days", "soon"], 2, /--valid-days must be a whole number/],
      [["link", "--db", db, "--community", "drei", "--tenancy", "t1", "--base-url", "ftp://x"], 2, /--base-url must be an http\(s\) URL/],
      [["revoke", "--db", db, "--community", "drei"], 2, /name what to revoke/],
      [["revoke", "--db", db, "--community", "drei", "--tenancy", "t1", "--token-id", "1"], 2, /name what to revoke/],
      [["frobnicate", "--db", db], 2, /unknown subcommand "frobnicate"/],
      [["link", "--db", db, "--community", "drei", "--tenancy", "t9"], 1, /community drei has no tenancy "t9" \(tenancies: t1, t2, t3\)/],
      [["link", "--db", db, "--community", "drei", "--tenancy", "t1", "--valid-days", "0"], 1, /whole number of days from 1 to 1095/],
      [["link", "--db", db, "--community", "nope", "--tenancy", "t1"], 1, /community "nope" is not in/],
      [["revoke", "--db", db, "--community", "drei", "--tenancy", "t1"], 1, /no active link of tenancy t1/],
    ];
    // The binary's exit code for each kind once; every case through the same dispatcher in-process (a spawn costs seconds here).
    assert.equal(zev(...cases[0]![0]).code, 2);
    assert.equal(zev(...cases[6]![0]).code, 1);
    for (const [args, code, msg] of cases) {
      let out = "";
      let err = "";
      const exit = await runCli(["portal", ...args], { out: (t) => (out += t), err: (t) => (err += t) });
      assert.equal(exit, code, `${args.join(" ")}: ${err}`);
      assert.match(err, msg, args.join(" "));
      assert.equal(out, "", args.join(" "));
    }
  });
});
