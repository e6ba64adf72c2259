import assert from "node:assert/strict";
import { formatKWh, formatW } from "../../../lib/readings/meter-input/meter-status";
import { formatAmount } from "../../../lib/render/format";
import { formatChf, groupThousands, swissAmount, swissCount, swissDecimalText, swissNumber } from "../../../lib/util/swiss-number";
import { statusFor } from "../../../nodes/meter-in/status-text";

describe("Swiss number formats (lib/util/swiss-number.ts)", () => {
  it("groups thousands with an ASCII apostrophe and keeps the decimal point", () => {
    assert.equal(groupThousands("-1234567.5"), "-1'234'567.5");
    assert.equal(groupThousands("999"), "999");
    assert.equal(swissNumber(1234.5, 1), "1'234.5");
    assert.equal(swissNumber(1234.5678, { min: 1, max: 3 }), "1'234.568");
    assert.equal(swissNumber(1000, { min: 1, max: 3 }), "1'000.0");
    assert.equal(swissNumber(10, { min: 0, max: 2 }), "10");
    assert.equal(swissNumber(-0.0001, 1), "0.0");
    assert.equal(swissCount(12345), "12'345");
    assert.equal(swissDecimalText("12345.678"), "12'345.678");
  });

  it("money: half-up to the Rappen on the decimal text, the same as the invoice PDFs", () => {
    assert.equal(swissAmount("1234.5"), "1'234.50");
    assert.equal(swissAmount("1234.505"), "1'234.51");
    assert.equal(swissAmount("-1234.504"), "-1'234.50");
    assert.equal(formatChf("1234.5"), "CHF 1'234.50");
    for (const v of ["0.005", "1234.5", "-99.995", "1000000", "12.344999"]) assert.equal(swissAmount(v), formatAmount(v), v);
  });

  it("node statuses: counters, power and counts in Swiss format", () => {
    assert.equal(formatKWh(12345.5), "12'345.5");
    assert.equal(formatW(9500), "9'500 W");
    assert.equal(formatW(-12_500), "-12.5 kW");
    const _ = (k: string, p?: Record<string, string | number>): string => `${k.replace("zev-meter-in.", "")}${p ? JSON.stringify(p) : ""}`;
    const s = statusFor(_ as never, {
      fill: "green",
      shape: "dot",
      kind: "value",
      importKWh: formatKWh(12345.5),
      powerW: formatW(1500),
      age: { n: 5, unit: "s" },
      rejected: 1234,
    });
    assert.match(s.text!, /"value":"12'345.5"/);
    assert.match(s.text!, /1'500 W/);
    assert.match(s.text!, /"count":"1'234"/);
  });
});
