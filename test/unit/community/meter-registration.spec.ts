import assert from "node:assert/strict";
import { meterDefinitionProblems } from "../../../lib/community/meter-registration";
import type { CommunityDefinition } from "../../../lib/community/types";

const community = {
  id: "sonnenhof",
  buildings: [{ id: "A", units: [{ id: "W1" }, { id: "W2" }] }],
  meters: [
    { id: "m-w1", role: "unit", unit: "W1" },
    { id: "pv", role: "production" },
  ],
} as unknown as CommunityDefinition;

describe("meterDefinitionProblems: a meter node's declaration as coded problems", () => {
  it("names each problem by a code with its values and keeps the English text the nodes have always shown", () => {
    const alone = meterDefinitionProblems({ id: 'bad"id\\', role: "solar" });
    assert.deepEqual(
      alone.map((p) => p.code),
      ["meter.id", "meter.role"],
    );
    assert.equal(alone[0]!.message, 'meter id "bad"id\\" must be 1-64 letters, digits, space or . _ : / -');
    assert.deepEqual(alone[0]!.params, { id: 'bad"id\\' });
    assert.equal(alone[1]!.message, 'role "solar" must be one of unit, common, production, grid, battery, charger, other');
    assert.equal(meterDefinitionProblems({ id: "m-x", role: "unit" }, community)[0]!.message, "a unit meter must name its unit (one of W1, W2)");
    assert.equal(
      meterDefinitionProblems({ id: "m-x", role: "unit", unit: "W9" }, community)[0]!.message,
      'unit "W9" is not a unit of community sonnenhof (W1, W2)',
    );
  });

  it("a contradiction with the community file says how the file lists the meter, with or without its unit", () => {
    const withUnit = meterDefinitionProblems({ id: "m-w1", role: "unit", unit: "W2" }, community);
    assert.deepEqual(
      withUnit.map((p) => [p.code, p.message]),
      [["meter.listedWithUnit", "community sonnenhof lists meter m-w1 with role unit and unit W1; change one of them"]],
    );
    const noUnit = meterDefinitionProblems({ id: "pv", role: "grid" }, community);
    assert.deepEqual(
      noUnit.map((p) => [p.code, p.message]),
      [["meter.listed", "community sonnenhof lists meter pv with role production; change one of them"]],
    );
    assert.deepEqual(meterDefinitionProblems({ id: "pv", role: "production" }, community), []);
  });
});
