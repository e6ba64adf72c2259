import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fillMeter, openBillingStore, threeUnitCommunity } from "../support/billing-fixture";
import { EXAMPLE_COMMUNITY_FILE } from "../support/community-fixture";
import { REPO_ROOT } from "../support/node-red-process";
import { useTmpDir } from "../support/tmp";

/* The built CLI's human output uses the Swiss formats of the PDFs (1'234.5 kWh, 1'234.50); --json stays plain. */
describe("zev command line: Swiss number formats in the human output", function () {
  this.timeout(60_000);
  const tmp = useTmpDir("zev-cli-swiss-");
  const zev = join(REPO_ROOT, "dist", "bin", "zev.js");
  before(() => {
    if (!existsSync(zev)) spawnSync("npm", ["run", "build"], { cwd: REPO_ROOT, stdio: "ignore" });
  });

  it("zev bill and zev invoice list print kWh and amounts with apostrophes; --json prints plain numbers", () => {
    const store = openBillingStore(tmp(), threeUnitCommunity());
    for (const [m, wh] of [
      ["unit-1", 2000],
      ["unit-2", 200],
      ["unit-3", 100],
      ["common", 40],
      ["charger-1", 0],
    ] as const)
      fillMeter(store, "drei", m, "2026-11", () => wh);
    fillMeter(store, "drei", "pv", "2026-11", (i) => (i % 4 === 0 ? 220 : 0));
    const db = store.path;
    store.close();
    const bill = spawnSync(process.execPath, [zev, "bill", "--db", db, "--community", "drei", "--period", "2026-11", "--out", join(tmp(), "out")], {
      encoding: "utf8",
    });
    assert.equal(bill.status, 0, bill.stderr);
    assert.match(bill.stdout, /consumption \d{1,3}(?:'\d{3})+\.\d{3} kWh/, bill.stdout);
    assert.match(bill.stdout, /draft #1 +1 +Anna Meier +\d{1,3}'\d{3}\.\d{2}  created/, bill.stdout);
    const list = spawnSync(process.execPath, [zev, "invoice", "list", "--db", db, "--community", "drei"], { encoding: "utf8" });
    assert.match(list.stdout, / \d{1,3}'\d{3}\.\d{2}\n/, list.stdout);
    const json = spawnSync(process.execPath, [zev, "bill", "--db", db, "--community", "drei", "--period", "2026-11", "--json", "--out", join(tmp(), "out2")], {
      encoding: "utf8",
    });
    assert.equal(json.status, 0, json.stderr);
    assert.doesNotMatch(json.stdout, /\d'\d/);
    JSON.parse(json.stdout);
  });

  it("zev community import counts the units with apostrophes", () => {
    const dir = join(tmp(), "community");
    cpSync(join(EXAMPLE_COMMUNITY_FILE, ".."), dir, { recursive: true });
    appendFileSync(join(dir, "units.csv"), Array.from({ length: 1200 }, (_, i) => `A;${i + 4};Wohnung ${i + 4};80\n`).join(""));
    const r = spawnSync(process.execPath, [zev, "community", "import", join(dir, "sonnenhof.json"), "--db", join(tmp(), "x.sqlite")], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /units \+1'203 -0, tenancies \+4/);
  });
});
