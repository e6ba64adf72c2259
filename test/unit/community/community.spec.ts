import assert from "node:assert/strict";
import { join } from "node:path";
import { mkdirSync, writeFileSync } from "node:fs";
import { loadCommunityFile, tenanciesFromCsv, unitsFromCsv } from "../../../lib/community/file-format";
import { allUnits } from "../../../lib/community/types";
import { validateCommunity } from "../../../lib/community/validate";
import { communityAt, communityRevisions, latestCommunity, saveCommunity } from "../../../lib/store/community-repo";
import { auditLog } from "../../../lib/store/audit-repo";
import { listMeters } from "../../../lib/store/meter-repo";
import { SqliteStore } from "../../../lib/store/sqlite-store";
import { isQrIban, isValidIban } from "../../../lib/util/iban";
import { exampleCommunity, minimalCommunity } from "../../support/community-fixture";
import { useTmpDir } from "../../support/tmp";

const messages = (def: ReturnType<typeof minimalCommunity>): string[] => validateCommunity(def).map((i) => `${i.path}: ${i.message}`);

describe("lib/community definition", () => {
  const tmp = useTmpDir();

  it("the example community (JSON with CSV includes) loads and is valid", () => {
    const def = exampleCommunity();
    assert.deepEqual(validateCommunity(def), []);
    assert.deepEqual(
      allUnits(def).map((u) => u.id),
      ["1", "2", "3"],
    );
    assert.equal(def.tenancies.length, 4);
    assert.equal(def.tenancies[1]!.to, "2026-10-15");
    assert.equal(def.tenancies[0]!.to, null);
    assert.equal(def.tenancies[0]!.id, "1@2024-04-01");
    assert.equal(allUnits(def)[0]!.floorArea, 85.5);
    assert.equal(def.creditor.iban, "CH4431999123000889012");
  });

  it("rejects overlapping tenancies in one unit, naming both tenants", () => {
    const def = minimalCommunity();
    def.tenancies.push({ ...def.tenancies[0]!, id: "t2", tenant: { ...def.tenancies[0]!.tenant, name: "Second Tenant" }, from: "2026-06-01" });
    const msgs = messages(def);
    assert.equal(msgs.length, 1, msgs.join("\n"));
    assert.match(msgs[0]!, /Second Tenant from 2026-06-01 overlaps the tenancy of Tenant One in unit u1 \(2026-01-01 to open end\)/);
  });

  it("accepts back-to-back tenancies and a gap (vacancy) between them", () => {
    const def = minimalCommunity();
    def.tenancies[0]!.to = "2026-03-31";
    def.tenancies.push({ ...def.tenancies[0]!, id: "t2", from: "2026-04-01", to: "2026-06-30" });
    def.tenancies.push({ ...def.tenancies[0]!, id: "t3", from: "2026-08-01", to: null });
    assert.deepEqual(messages(def), []);
    def.tenancies[1]!.from = "2026-03-31";
    assert.equal(messages(def).length, 1);
  });

  it("explains each kind of mistake with the field's path", () => {
    const def = minimalCommunity();
    def.id = "Not Valid!";
    def.creditor.iban = "CH93 0076 2011 6238 5295 8";
    def.creditor.vatRegistered = true;
    def.creditor.address.postalCode = "";
    def.tenancies[0]!.unit = "u9";
    def.tenancies[0]!.to = "2025-12-31";
    def.tenancies[0]!.tenant.language = "es" as never;
    def.buildings[0]!.units.push({ id: "u1", label: "dup" });
    def.meters = [{ id: "m1", role: "unit" }];
    const msgs = messages(def).join("\n");
    assert.match(msgs, /^id: id must be 1-64 lower-case/m);
    assert.match(msgs, /creditor\.iban: IBAN CH93 0076 2011 6238 5295 8 has a wrong check digit/);
    assert.match(msgs, /creditor\.vatNumber: a VAT-registered community must give its VAT number/);
    assert.match(msgs, /creditor\.address\.postalCode: postal code is required/);
    assert.match(msgs, /tenancies\[0\]\.unit: unit "u9" does not exist/);
    assert.match(msgs, /tenancies\[0\]\.to: ends 2025-12-31, before it starts 2026-01-01/);
    assert.match(msgs, /tenancies\[0\]\.tenant\.language: language must be one of de, fr, it, en/);
    assert.match(msgs, /buildings\[0\]\.units\[2\]\.id: unit u1 is listed twice/);
    assert.match(msgs, /meters\[0\]\.unit: a unit meter must name its unit/);
  });

  it("checks IBANs by their check digits and recognises QR-IBANs", () => {
    assert.ok(isValidIban("CH93 0076 2011 6238 5295 7"));
    assert.ok(!isValidIban("CH93 0076 2011 6238 5295 8"));
    assert.ok(isQrIban("CH44 3199 9123 0008 8901 2"));
    assert.ok(!isQrIban("CH93 0076 2011 6238 5295 7"));
  });

  it("reads units and tenancies from semicolon or comma CSV with a BOM", () => {
    const units = unitsFromCsv('\uFEFFbuilding,unit,label,floorArea,buildingName\nH1,1a,Flat 1a,"72,5",Haus Eins\nH1,1b,Flat 1b,\n');
    assert.deepEqual(units, [
      {
        id: "H1",
        name: "Haus Eins",
        units: [
          { id: "1a", label: "Flat 1a", floorArea: 72.5 },
          { id: "1b", label: "Flat 1b" },
        ],
      },
    ]);
    const ten = tenanciesFromCsv("unit;name;street;postalCode;town;from;to;language\n1a;Eva;Gasse 3;3000;Bern;2026-01-01;;fr\n");
    assert.equal(ten[0]!.tenant.language, "fr");
    assert.equal(ten[0]!.tenant.address.country, "CH");
    assert.equal(ten[0]!.to, null);
  });

  it("names the file and line of a bad CSV row and the missing columns", () => {
    assert.throws(() => unitsFromCsv("building;unit\nH1;\n", "big-units.csv"), /big-units\.csv line 2: building and unit are required/);
    assert.throws(() => unitsFromCsv("building;unit;floorArea\nH1;1;lots\n", "u.csv"), /u\.csv line 2: floor area "lots" is not a number/);
    assert.throws(() => tenanciesFromCsv("unit;name\n1;x\n", "t.csv"), /t\.csv: header lacks columns street, postalcode, town, from/);
  });

  it("says which file is missing or not JSON", () => {
    assert.throws(() => loadCommunityFile(join(tmp(), "nope.json")), /community file .*nope\.json does not exist/);
    writeFileSync(join(tmp(), "bad.json"), "{ not json");
    assert.throws(() => loadCommunityFile(join(tmp(), "bad.json")), /is not valid JSON/);
    mkdirSync(join(tmp(), "x"));
    writeFileSync(join(tmp(), "x", "c.json"), JSON.stringify({ ...minimalCommunity(), include: { units: "missing.csv" } }));
    assert.throws(() => loadCommunityFile(join(tmp(), "x", "c.json")), /included file .*missing\.csv cannot be read/);
  });

  describe("stored with history", () => {
    it("saving the same definition twice keeps one revision; a change adds one and both stay readable", () => {
      const store = SqliteStore.open(join(tmp(), "zev.sqlite"));
      try {
        const def = exampleCommunity();
        const first = saveCommunity(store, def, { source: "test", actor: "tester", nowMs: 1000 });
        assert.equal(first.changed, true);
        assert.equal(saveCommunity(store, exampleCommunity(), { source: "test", actor: "tester", nowMs: 2000 }).changed, false);
        const changed = exampleCommunity();
        changed.tenancies[3]!.to = "2026-12-31";
        const second = saveCommunity(store, changed, { source: "test", actor: "tester", nowMs: 3000 });
        assert.equal(second.changed, true);
        assert.deepEqual(second.changes.tenanciesChanged, ["3@2025-06-01"]);
        assert.equal(communityRevisions(store, "sonnenhof").length, 2);
        assert.equal(latestCommunity(store, "sonnenhof")!.definition.tenancies[3]!.to, "2026-12-31");
        assert.equal(communityAt(store, "sonnenhof", 2500)!.definition.tenancies[3]!.to, null);
        assert.deepEqual(
          listMeters(store, "sonnenhof").map((m) => m.key),
          ["charger-1", "common", "grid", "pv", "unit-1", "unit-2", "unit-3"],
        );
        const actions = auditLog(store, "sonnenhof").map((a) => a.action);
        assert.ok(actions.includes("community.created") && actions.includes("community.revised"));
      } finally {
        store.close();
      }
    });

    it("refuses to store an invalid definition", () => {
      const store = SqliteStore.open(join(tmp(), "zev.sqlite"));
      try {
        const def = minimalCommunity();
        def.creditor.iban = "nonsense";
        assert.throws(() => saveCommunity(store, def, { source: "t", actor: "t" }), /creditor\.iban/);
        assert.equal(latestCommunity(store, def.id), undefined);
      } finally {
        store.close();
      }
    });

    it("several communities share one database file without mixing", () => {
      const store = SqliteStore.open(join(tmp(), "zev.sqlite"));
      try {
        saveCommunity(store, minimalCommunity({ id: "site-a", name: "A" }), { source: "t", actor: "t" });
        saveCommunity(store, minimalCommunity({ id: "site-b", name: "B", meters: [{ id: "m1", role: "grid" }] }), { source: "t", actor: "t" });
        saveCommunity(store, minimalCommunity({ id: "site-a", name: "A", meters: [{ id: "m1", role: "production" }] }), { source: "t", actor: "t" });
        assert.equal(listMeters(store, "site-a")[0]!.role, "production");
        assert.equal(listMeters(store, "site-b")[0]!.role, "grid");
      } finally {
        store.close();
      }
    });
  });
});
