import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { chargingIdsFromCsv, loadCommunityFile, normalizeCommunity } from "../../../lib/community/file-format";
import { validateCommunity } from "../../../lib/community/validate";
import { definitionFromConfig } from "../../../nodes/zev-community/definition-from-config";
import { communityConfig } from "../../support/community-config";
import { minimalCommunity } from "../../support/community-fixture";
import { useTmpDir } from "../../support/tmp";

describe("community chargingIds (RFID / user id -> unit)", () => {
  const tmp = useTmpDir();

  it("accepts ids mapped to existing units and normalises the text", () => {
    const def = normalizeCommunity({
      ...minimalCommunity(),
      chargingIds: [
        { id: " 04A1B2C3 ", unit: "u1", label: " Anna's card " },
        { id: "7", unit: "u2" },
      ],
    });
    assert.deepEqual(def.chargingIds, [
      { id: "04A1B2C3", unit: "u1", label: "Anna's card" },
      { id: "7", unit: "u2" },
    ]);
    assert.deepEqual(validateCommunity(def), []);
  });

  it("reports unknown units, missing ids and duplicates (case-insensitive) with their path", () => {
    const def = minimalCommunity({
      chargingIds: [
        { id: "04a1b2c3", unit: "u1" },
        { id: "04A1B2C3", unit: "u2" },
        { id: "", unit: "u1" },
        { id: "x", unit: "u9" },
        { id: "y", unit: "" },
      ],
    });
    assert.deepEqual(
      validateCommunity(def).map((i) => `${i.path}: ${i.message}`),
      [
        "chargingIds[1].id: charging id 04A1B2C3 is listed twice (one id pays for one unit; ids compare without regard to case)",
        "chargingIds[2].id: the charging id (RFID tag or user id) is required",
        'chargingIds[3].unit: unit "u9" does not exist in any building',
        "chargingIds[4].unit: name the unit that pays for this id's charging",
      ],
    );
  });

  it("reads the CSV include kind chargingIds (id;unit;label) and adds it to the JSON list", () => {
    writeFileSync(join(tmp(), "ids.csv"), "id;unit;label\nAB12;u2;Ben\nCD34;u1;\n");
    writeFileSync(
      join(tmp(), "c.json"),
      JSON.stringify({ ...minimalCommunity(), chargingIds: [{ id: "JSON1", unit: "u1" }], include: { chargingIds: "ids.csv" } }),
    );
    const def = loadCommunityFile(join(tmp(), "c.json"));
    assert.deepEqual(def.chargingIds, [
      { id: "JSON1", unit: "u1" },
      { id: "AB12", unit: "u2", label: "Ben" },
      { id: "CD34", unit: "u1" },
    ]);
    assert.deepEqual(validateCommunity(def), []);
    assert.throws(() => chargingIdsFromCsv("id;unit\n;u1\n", "ids.csv"), /ids\.csv line 2: id and unit are required/);
    assert.throws(() => chargingIdsFromCsv("id;label\nx;y\n", "ids.csv"), /ids\.csv: header lacks column unit/);
  });

  it("the zev-community node's config field chargingIds reaches the definition", () => {
    const cfg = communityConfig("x.sqlite", { chargingIds: [{ id: "RF-1", unit: "1", label: "Anna" }] });
    const def = definitionFromConfig(cfg, () => "");
    assert.deepEqual(def.chargingIds, [{ id: "RF-1", unit: "1", label: "Anna" }]);
    assert.deepEqual(validateCommunity(def), []);
    assert.equal(definitionFromConfig(communityConfig("x.sqlite"), () => "").chargingIds, undefined);
  });
});
