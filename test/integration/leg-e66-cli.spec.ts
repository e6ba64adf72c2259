import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { openBillingStore } from "../support/billing-fixture";
import { runCliCaptured } from "../support/cli";
import { DAY, e66, fillLegMonth, legCommunity, POINT } from "../support/leg-fixture";
import { useTmpDir } from "../support/tmp";

describe("zev import sdat and zev leg reconcile with an operator's E66 split (command line, real SQLite file)", function () {
  this.timeout(60_000);
  const tmp = useTmpDir();

  function setUp() {
    const store = openBillingStore(tmp(), legCommunity({ legSplitSource: "operator", legProducts: { local: ["LEG-LOCAL"], residual: ["LEG-RESIDUAL"] } }));
    fillLegMonth(store);
    return store;
  }

  it("zev import sdat reads an E66 file and reports the split per metering point and share; zev leg reconcile shows the difference", async () => {
    const store = setUp();
    const db = store.path;
    store.close();
    const file = join(tmp(), "e66.xml");
    writeFileSync(file, e66());
    const imp = await runCliCaptured(["import", "sdat", file, "--db", db, "--community", "leg"]);
    assert.equal(imp.code, 0, imp.err);
    assert.match(
      imp.out,
      new RegExp(`${POINT("m1")} -> meter mp-m1, LEG local share \\(product LEG-LOCAL\\), .*: 96 observations, 96 stored, 0 replaced, 0 kept`),
    );
    const rec = await runCliCaptured(["leg", "reconcile", "--db", db, "--community", "leg", "--period", DAY]);
    assert.equal(rec.code, 0, rec.err);
    assert.match(rec.out, /t-m1 \(m1\): local own 2\.136 operator 2\.142 difference 0\.006 kWh/);
    assert.match(rec.out, /2 member\(s\) differ/);
  });
});
