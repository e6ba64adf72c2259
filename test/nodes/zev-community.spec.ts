import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import communityNode from "../../nodes/zev-community/zev-community";
import type { CommunityHandle } from "../../nodes/shared/community-handle";
import { latestCommunity, communityRevisions } from "../../lib/store/community-repo";
import { SqliteStore } from "../../lib/store/sqlite-store";
import { storeUsers } from "../../lib/store/registry";
import { useNodeRed } from "../support/node-red";
import { useTmpDir } from "../support/tmp";
import { communityConfig } from "../support/community-config";
import { translator } from "../support/i18n";

describe("zev-community config node", () => {
  const helper = useNodeRed();
  const tmp = useTmpDir();

  it("writes the community to its database on deploy and offers the store to other nodes", async () => {
    const db = join(tmp(), "zev.sqlite");
    await helper.load(communityNode, [communityConfig(db)]);
    const node = helper.getNode("c1") as CommunityHandle;
    assert.equal(node.problem, undefined);
    assert.ok(node.store?.isOpen);
    assert.equal(node.definition?.tenancies[0]!.tenant.name, "Anna Meier");
    const rev = latestCommunity(node.store!, "haus-am-see")!;
    assert.equal(rev.definition.buildings[0]!.units[0]!.floorArea, 70);
    assert.equal(rev.definition.buildings[0]!.units[1]!.floorArea, undefined);
    assert.equal(rev.source, "node-red:c1");
  });

  it("a redeploy with the same configuration adds no revision; a changed tenancy adds one", async () => {
    const db = join(tmp(), "zev.sqlite");
    await helper.load(communityNode, [communityConfig(db)]);
    await helper.unload();
    await helper.load(communityNode, [communityConfig(db)]);
    await helper.unload();
    const changed = communityConfig(db);
    changed.tenancies![0]!.to = "2026-06-30";
    await helper.load(communityNode, [changed]);
    await helper.unload();
    const store = SqliteStore.open(db);
    try {
      assert.equal(communityRevisions(store, "haus-am-see").length, 2);
    } finally {
      store.close();
    }
  });

  it("an invalid configuration is reported with every problem and nothing is written", async () => {
    const db = join(tmp(), "zev.sqlite");
    const cfg = communityConfig(db, {
      creditorIban: "CH93 0000 0000 0000 0000 0",
      tenancies: [
        { unit: "1", name: "A", street: "S", postalCode: "6300", town: "Zug", language: "de", from: "2026-01-01", to: "" },
        { unit: "1", name: "B", street: "S", postalCode: "6300", town: "Zug", language: "de", from: "2026-03-01", to: "" },
      ],
    });
    await helper.load(communityNode, [cfg]);
    const node = helper.getNode("c1") as CommunityHandle;
    assert.equal(node.store, undefined);
    assert.match(node.problem ?? "", /creditor\.iban/);
    assert.match(node.problem ?? "", /overlaps the tenancy of A in unit 1/);
    assert.equal(existsSync(db), false);
  });

  it("reports the problems in the runtime's language, each with its path", async () => {
    const db = join(tmp(), "zev.sqlite");
    const german = (RED: { _: unknown }): void => {
      RED._ = translator("de");
    };
    const cfg = communityConfig(db, {
      creditorIban: "CH93 0000 0000 0000 0000 0",
      tenancies: [
        { unit: "1", name: "A", street: "S", postalCode: "6300", town: "Zug", language: "de", from: "2026-01-01", to: "2026-06-30" },
        { unit: "1", name: "B", street: "S", postalCode: "6300", town: "Zug", language: "de", from: "2026-03-01", to: "" },
      ],
    });
    await helper.load([german as never, communityNode], [cfg]);
    const problem = (helper.getNode("c1") as CommunityHandle).problem ?? "";
    assert.match(problem, /^Die Konfiguration der Gemeinschaft hat 2 Problem\(e\):/);
    assert.match(problem, /creditor\.iban: die IBAN CH93 0000 0000 0000 0000 0 hat eine falsche Prüfziffer/);
    assert.match(
      problem,
      /tenancies\[1\]: das Mietverhältnis von B ab 2026-03-01 überschneidet sich mit jenem von A in der Einheit 1 \(2026-01-01 bis 2026-06-30\)/,
    );
  });

  it("reads extra units and tenancies from CSV files named in the configuration", async () => {
    const db = join(tmp(), "zev.sqlite");
    const examples = join(__dirname, "..", "..", "docs", "examples", "community");
    await helper.load(communityNode, [
      communityConfig(db, { units: [], tenancies: [], meters: [], unitsFile: join(examples, "units.csv"), tenanciesFile: join(examples, "tenancies.csv") }),
    ]);
    const node = helper.getNode("c1") as CommunityHandle;
    assert.equal(node.problem, undefined, node.problem);
    assert.equal(node.definition!.tenancies.length, 4);
  });

  it("closes its database when the flow stops", async () => {
    const db = join(tmp(), "zev.sqlite");
    await helper.load(communityNode, [communityConfig(db)]);
    assert.equal(storeUsers(db), 1);
    await helper.unload();
    assert.equal(storeUsers(db), 0);
  });

  it("two communities with one database file share one connection", async () => {
    const db = join(tmp(), "zev.sqlite");
    const second = communityConfig(db, { id: "c2", communityId: "nachbarhaus", communityName: "ZEV Nachbarhaus" });
    await helper.load(communityNode, [communityConfig(db), second]);
    const a = helper.getNode("c1") as CommunityHandle;
    const b = helper.getNode("c2") as CommunityHandle;
    assert.equal(a.store, b.store);
    assert.equal(storeUsers(db), 2);
    assert.ok(latestCommunity(a.store!, "nachbarhaus"));
  });

  it("stores the charges of its configuration with the community, and its check names a bad charge", async () => {
    const db = join(tmp(), "charges.sqlite");
    const charges = [{ id: "meter-rent", label: "Zählermiete", amount: "4.50", rhythm: "monthly", from: "2026-01-01", scope: "community" }];
    await helper.load(communityNode, [communityConfig(db, { charges })]);
    const node = helper.getNode("c1") as CommunityHandle;
    assert.equal(node.problem, undefined);
    assert.deepEqual(latestCommunity(node.store!, "haus-am-see")!.definition.charges, charges);
    const cfg = communityConfig(join(tmp(), "y.sqlite"), { charges: [{ ...charges[0], rhythm: "weekly" }] });
    const res = await helper.request().post("/zev-community/check").send({ config: cfg }).expect(200);
    assert.deepEqual(
      res.body.issues.map((i: { path: string; code: string }) => `${i.path} ${i.code}`),
      ["charges[0].rhythm charge.rhythm"],
    );
  });

  it("the editor's check endpoint returns the same problems as a deploy", async () => {
    await helper.load(communityNode, []);
    const cfg = communityConfig(join(tmp(), "x.sqlite"), { ownerName: "" });
    const res = await helper.request().post("/zev-community/check").send({ config: cfg }).expect(200);
    assert.deepEqual(res.body.issues, [{ path: "owner.name", code: "party.nameRequired", params: {}, message: "name is required" }]);
  });

  it("the editor's check endpoint applies the QR bill's rules: a 92-character creditor name, with code and params for the editor's language", async () => {
    await helper.load(communityNode, []);
    const name = "Zusammenschluss zum Eigenverbrauch Sonnenhof Winterthur-Seen, Verwaltung Müller & Partner AG";
    const cfg = communityConfig(join(tmp(), "x.sqlite"), { creditorName: name });
    const res = await helper.request().post("/zev-community/check").send({ config: cfg }).expect(200);
    assert.deepEqual(res.body.issues, [
      { path: "creditor.name", code: "payment.tooLong", params: { length: 92, max: 70 }, message: "has 92 characters; a QR bill allows at most 70" },
    ]);
  });

  it("the editor's CSV import endpoint parses units and reports bad rows", async () => {
    await helper.load(communityNode, []);
    const ok = await helper.request().post("/zev-community/parse-csv").send({ kind: "units", text: "building;unit;label\nA;7;Sieben\n" }).expect(200);
    assert.deepEqual(ok.body.buildings, [{ id: "A", name: "A", units: [{ id: "7", label: "Sieben" }] }]);
    const bad = await helper.request().post("/zev-community/parse-csv").send({ kind: "tenancies", text: "unit;name\n7;x\n" }).expect(400);
    assert.match(bad.body.error, /header lacks columns/);
    const ids = await helper.request().post("/zev-community/parse-csv").send({ kind: "chargingIds", text: "id;unit;label\n04A1;1;Anna\n" }).expect(200);
    assert.deepEqual(ids.body.chargingIds, [{ id: "04A1", unit: "1", label: "Anna" }]);
  });
});
