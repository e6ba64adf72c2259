import assert from "node:assert/strict";
import { problemText, translator } from "../../../../nodes/shared/translate";
import { fillPlaceholders, issue, problem } from "../../../../lib/util/issue";

/** RED._ with a catalog of a few German texts; unknown keys come back as the key, as in Node-RED. */
const de: Record<string, string> = {
  "zev-meter-in.problem.unitId": "Modbus-Einheit __unit__ ist keine Zahl von 0 bis 255",
  "zev-billing.notice.billing.noProduction": "Die Gemeinschaft hat keinen Produktionszähler",
};
const _ = ((key: string, vars?: Record<string, string | number>) => (key in de ? fillPlaceholders(de[key]!, vars ?? {}) : key)) as never;

describe("nodes/shared/translate: one translator for coded problems", () => {
  it("a problem is looked up as <node>.<section>.<code> with its params", () => {
    assert.equal(problemText(_, "zev-meter-in", "problem", problem("unitId", { unit: "300" })), "Modbus-Einheit 300 ist keine Zahl von 0 bis 255");
    assert.equal(
      problemText(_, "zev-billing", "notice", issue("billing.noProduction", "the community has no production meter")),
      "Die Gemeinschaft hat keinen Produktionszähler",
    );
  });

  it("where the catalog has no text, an issue shows its English message and a bare problem its key with the values", () => {
    assert.equal(
      problemText(_, "zev-billing", "notice", issue("billing.unitWithoutMeter", "unit __unit__ has no meter", { unit: "W1" })),
      "unit W1 has no meter",
    );
    assert.equal(problemText(_, "zev-meter-in", "problem", problem("noToken")), "zev-meter-in.problem.noToken");
    assert.equal(problemText(_, "zev-meter-in", "problem", problem("pushPort", { port: "x" })), "zev-meter-in.problem.pushPort: port=x");
  });

  it("translator answers under the node's prefix and keeps the values where no catalog answers", () => {
    const t = translator(_, "zev-meter-in");
    assert.equal(t("problem.unitId", { unit: 7 }), "Modbus-Einheit 7 ist keine Zahl von 0 bis 255");
    assert.equal(t("status.waiting"), "zev-meter-in.status.waiting");
    assert.equal(t("status.rejected", { count: 2 }), "zev-meter-in.status.rejected: count=2");
  });
});
