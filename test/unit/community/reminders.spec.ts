import assert from "node:assert/strict";
import { normalizeCommunity } from "../../../lib/community/file-format";
import { validateCommunity } from "../../../lib/community/validate";
import { configFromDefinition } from "../../../nodes/zev-community/config-from-definition";
import { definitionFromConfig } from "../../../nodes/zev-community/definition-from-config";
import { minimalCommunity } from "../../support/community-fixture";

describe("community: reminder levels", () => {
  const levels = [
    { afterDays: 10, fee: "0.00" },
    { afterDays: 30, fee: "20.00" },
  ];

  it("a community file's reminder levels survive normalizing (zev community import): days written as text become numbers, a number fee its text", () => {
    const raw = {
      ...minimalCommunity(),
      reminders: [
        { afterDays: "10", fee: 0 },
        { afterDays: 30, fee: " 20.00 " },
      ],
    };
    const def = normalizeCommunity(JSON.parse(JSON.stringify(raw)));
    assert.deepEqual(def.reminders, [
      { afterDays: 10, fee: "0" },
      { afterDays: 30, fee: "20.00" },
    ]);
    assert.deepEqual(validateCommunity(def), []);
    assert.deepEqual(normalizeCommunity({ ...minimalCommunity(), reminders: "weekly" }).reminders, "weekly", "not a list: kept, for validation to name");
    assert.equal(normalizeCommunity({ ...minimalCommunity() }).reminders, undefined, "absent stays absent: the defaults apply");
  });

  it("the node config carries the reminder levels both ways, so saving the editor does not drop them", () => {
    const def = { ...minimalCommunity(), reminders: levels };
    const cfg = configFromDefinition(def, { id: "n1" });
    assert.deepEqual(cfg.reminders, levels);
    assert.deepEqual(definitionFromConfig(cfg, () => "").reminders, levels);
  });
});
