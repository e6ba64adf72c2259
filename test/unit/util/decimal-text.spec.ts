import assert from "node:assert/strict";
import { parseScaledDecimal } from "../../../lib/util/decimal-text";

describe("lib/util/decimal-text: decimal text in whole units, exact", () => {
  it("rounds half up at the place asked for, on the digits (no binary float)", () => {
    assert.deepEqual(parseScaledDecimal("41789.2875", 3, 1e12), { value: 41789288 });
    assert.deepEqual(parseScaledDecimal("41789.2874", 3, 1e12), { value: 41789287 });
    assert.deepEqual(parseScaledDecimal("0.0000005", 6, 1e13), { value: 1 });
    assert.deepEqual(parseScaledDecimal("12", 6, 1e13), { value: 12_000_000 });
  });

  it("reads a decimal comma, ' and spaces as thousands marks, and 1,234.5 with both", () => {
    assert.deepEqual(parseScaledDecimal("1'234,5", 3, 1e12), { value: 1_234_500 });
    assert.deepEqual(parseScaledDecimal(" 1 234.5 ", 3, 1e12), { value: 1_234_500 });
    assert.deepEqual(parseScaledDecimal("1,234.5", 3, 1e12), { value: 1_234_500 });
    assert.deepEqual(parseScaledDecimal("1\u2019234.5", 3, 1e12), { value: 1_234_500 });
  });

  it("says why it is not a number: negative, not a number, beyond the limit", () => {
    assert.deepEqual(parseScaledDecimal("-1.5", 3, 1e12), { problem: "negative" });
    assert.deepEqual(parseScaledDecimal("n/a", 3, 1e12), { problem: "not-a-number" });
    assert.deepEqual(parseScaledDecimal("1e5", 3, 1e12), { problem: "not-a-number" });
    assert.deepEqual(parseScaledDecimal("2000000000", 3, 1e12), { problem: "too-large" });
  });
});
