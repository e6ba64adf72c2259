import assert from "node:assert/strict";
import { profileCatalog, profileTableMarkdown } from "../../../../lib/devices/modbus/catalog";
import { ALIASES, findProfile, PROFILES } from "../../../../lib/devices/modbus/profiles";
import { FIELDS } from "../../../../lib/readings/meter-input/rejection";
import type { MeterProfile } from "../../../../lib/devices/modbus/types";

const table = (p: MeterProfile): string => JSON.stringify([p.numbering, p.defaultUnitId, p.note, ...FIELDS.map((f) => p[f] ?? null)]);

describe("lib/devices/modbus profile aliases", () => {
  it("SDM72 resolves to the SDM630's register table under its own id and name", () => {
    const sdm72 = findProfile("eastron-sdm72")!;
    const sdm630 = findProfile("eastron-sdm630")!;
    assert.equal(sdm72.id, "eastron-sdm72");
    assert.equal(sdm72.label, "Eastron SDM72D-M / SDM72D-M-2");
    assert.equal(sdm72.sameAs, "eastron-sdm630");
    // the same register definitions, not a copy that could drift
    for (const f of FIELDS) assert.equal(sdm72[f], sdm630[f], f);
    assert.equal(sdm72.numbering, sdm630.numbering);
    assert.equal(sdm72.defaultUnitId, sdm630.defaultUnitId);
    assert.equal(sdm72.note, sdm630.note);
  });

  it("EM340 resolves to the EM24's register table under its own id and name", () => {
    const em340 = findProfile("carlo-gavazzi-em340")!;
    const em24 = findProfile("carlo-gavazzi-em24")!;
    assert.equal(em340.label, "Carlo Gavazzi EM340");
    assert.equal(em340.sameAs, "carlo-gavazzi-em24");
    for (const f of FIELDS) assert.equal(em340[f], em24[f], f);
    assert.equal(em340.note, em24.note);
  });

  it("every alias names a table that exists, follows it in the list, and takes no id of another profile", () => {
    const ids = PROFILES.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length, ids.join(", "));
    for (const a of ALIASES) {
      const i = ids.indexOf(a.id);
      assert.ok(i > 0, `${a.id} is listed`);
      assert.equal(findProfile(a.of)?.sameAs, undefined, `${a.of} is a table, not an alias`);
      assert.ok(ids.indexOf(a.of) < i, `${a.id} follows ${a.of}`);
    }
  });

  it("no two tables are copies of each other: a model that reads like another is an alias", () => {
    const seen = new Map<string, string>();
    for (const p of PROFILES.filter((x) => !x.sameAs)) {
      const t = table(p);
      assert.equal(seen.get(t), undefined, `${p.id} copies ${seen.get(t)}: make it an alias`);
      seen.set(t, p.id);
    }
  });

  it("the editor's list and the docs table still show every model by its own name", () => {
    const catalog = profileCatalog();
    assert.deepEqual(
      catalog.map((p) => p.id),
      [
        "eastron-sdm630",
        "eastron-sdm72",
        "abb-b23",
        "carlo-gavazzi-em24",
        "carlo-gavazzi-em340",
        "janitza-umg",
        "schneider-iem3000",
        "siemens-pac2200",
        "sunspec-213",
      ],
    );
    const sdm72 = catalog.find((p) => p.id === "eastron-sdm72")!;
    assert.equal(sdm72.label, "Eastron SDM72D-M / SDM72D-M-2");
    assert.deepEqual(sdm72.registers, catalog.find((p) => p.id === "eastron-sdm630")!.registers);
    const md = profileTableMarkdown();
    assert.match(md, /\| Eastron SDM72D-M \/ SDM72D-M-2 \(`eastron-sdm72`\) \| import \| 04 \| 72 \| 30073 \|/);
    assert.match(md, /\| Carlo Gavazzi EM340 \(`carlo-gavazzi-em340`\) \| export \| 04 \| 78 \| 0x004E \|/);
  });
});
