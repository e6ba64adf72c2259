import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { DOC, withTable } from "../../../scripts/meter-docs";

describe("docs/meters.md", () => {
  it("shows the Modbus profile table exactly as the data tables define it (regenerate: npx tsx scripts/meter-docs.ts)", () => {
    const doc = readFileSync(DOC, "utf8");
    assert.equal(doc, withTable(doc));
    assert.match(doc, /\| Eastron SDM630 \(`eastron-sdm630`\) \| import \| 04 \| 72 \| 30073 \| float32 \| MSW first \| 1 \| kWh \|/);
  });
});
