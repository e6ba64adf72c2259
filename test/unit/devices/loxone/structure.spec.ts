import assert from "node:assert/strict";
import { parseStructure } from "../../../../lib/devices/loxone/structure";

/** A small LoxAPP3.json as a Miniserver serves it (Loxone Config 14/15 layout). */
export const SAMPLE_STRUCTURE = {
  lastModified: "2026-11-30 10:00:00",
  msInfo: { msName: "Sonnenhof", serialNr: "504F94A0B0C1" },
  rooms: { "r-1": { name: "Keller", uuid: "r-1" }, "r-2": { name: "Garage", uuid: "r-2" } },
  cats: { "c-1": { name: "Energie", uuid: "c-1" } },
  controls: {
    "1a2b-01": { name: "Zähler Whg 1", type: "Meter", uuidAction: "1a2b-01", room: "r-1", cat: "c-1", states: { actual: "x", total: "y" } },
    "1a2b-02": { name: "Zähler Whg 2", type: "Meter", uuidAction: "1a2b-02", room: "r-1", cat: "c-1" },
    "1a2b-03": { name: "Wallbox Garage", type: "Wallbox2", uuidAction: "1a2b-03", room: "r-2" },
    "1a2b-04": {
      name: "Energiemanager",
      type: "EnergyManager2",
      uuidAction: "1a2b-04",
      room: "r-1",
      subControls: { "1a2b-04/sub": { name: "Netz", type: "Meter", uuidAction: "1a2b-05" } },
    },
    "1a2b-06": { type: "Switch", uuidAction: "1a2b-06" },
    "1a2b-07": "garbage",
  },
};

describe("Loxone structure file (LoxAPP3.json)", () => {
  it("lists the controls with name, type, room, category and UUID, sub-controls included, sorted by name", () => {
    const s = parseStructure(SAMPLE_STRUCTURE);
    assert.equal(s.miniserver, "Sonnenhof");
    assert.deepEqual(
      s.controls.map((c) => [c.name, c.type, c.room, c.uuid]),
      [
        ["Energiemanager", "EnergyManager2", "Keller", "1a2b-04"],
        ["Netz", "Meter", "Keller", "1a2b-05"],
        ["Wallbox Garage", "Wallbox2", "Garage", "1a2b-03"],
        ["Zähler Whg 1", "Meter", "Keller", "1a2b-01"],
        ["Zähler Whg 2", "Meter", "Keller", "1a2b-02"],
      ],
    );
    assert.equal(s.controls[3]!.category, "Energie");
  });

  it("anything else is an empty list, never an exception", () => {
    for (const doc of [null, "x", 5, [], { controls: [] }, { controls: { a: null } }])
      assert.deepEqual(parseStructure(doc), { miniserver: null, controls: [] });
  });
});
