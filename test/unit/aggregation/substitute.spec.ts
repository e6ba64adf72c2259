import assert from "node:assert/strict";
import { substituteValues, SubstituteError, type SubstituteInput } from "../../../lib/aggregation/substitute";
import type { Quality } from "../../../lib/model/quality";

/*
 * Substitute values for a gap (lib/aggregation/substitute.ts): the same
 * weekday's profile, scaled exactly to a known counter difference, or its
 * mean as it is; an even spread; always estimated; refused where there is
 * nothing to form them from.
 */
const Q = 900_000;
const WEEK = 7 * 24 * 3600_000;
const T0 = Date.UTC(2026, 10, 23, 8); // Monday 23 Nov 2026, 09:00 in Zurich
const slots = [T0, T0 + Q, T0 + 2 * Q, T0 + 3 * Q];

/** References: the stored value of a quarter hour k weeks before the gap. */
function refs(byWeek: Record<number, (number | [number, Quality])[]>, exportWh: number | null = 0): SubstituteInput["reference"] {
  const map = new Map<number, { importWh: number | null; exportWh: number | null; quality: Quality }>();
  for (const [k, values] of Object.entries(byWeek))
    values.forEach((v, i) => {
      const [wh, quality] = Array.isArray(v) ? v : [v, "measured" as Quality];
      map.set(slots[i]! - Number(k) * WEEK, { importWh: wh, exportWh, quality });
    });
  return (t) => map.get(t);
}

const base = (over: Partial<SubstituteInput>): SubstituteInput => ({
  meterId: 7,
  slots,
  known: null,
  method: "profile",
  weeks: 4,
  reference: refs({}),
  ...over,
});

describe("substitute values for a meter's gap", () => {
  it("scales the same weekday's profile to the known counter difference exactly, every value estimated", () => {
    // two reference weeks with the shape 1:2:3:4 (means 100, 200, 300, 400 Wh); the meter counted 1001 Wh across the gap
    const r = substituteValues(base({ known: { importWh: 1001, exportWh: null }, reference: refs({ 1: [100, 200, 300, 400], 2: [100, 200, 300, 400] }) }));
    assert.deepEqual(
      r.rows.map((x) => x.importWh),
      [100, 200, 300, 401],
    );
    assert.equal(r.importWh, 1001, "the gap adds up to what the counter counted");
    assert.ok(r.rows.every((x) => x.quality === "estimated" && x.exportWh === null && x.meterId === 7));
    assert.equal(r.applied, "profile");
    assert.equal(r.scaledToCounter, true);
    assert.equal(r.slotsWithReference, 4);
  });

  it("takes the mean of the reference weeks where no counter difference is known", () => {
    const r = substituteValues(base({ reference: refs({ 1: [100, 0, 50, 10], 3: [300, 0, 51, 20] }) }));
    assert.deepEqual(
      r.rows.map((x) => x.importWh),
      [200, 0, 51, 15],
    );
    assert.equal(r.scaledToCounter, false);
  });

  it("uses only measured and interpolated reference values, not estimated or missing ones", () => {
    const r = substituteValues(
      base({
        reference: refs({
          1: [
            [1000, "estimated"],
            [1000, "estimated"],
            [1000, "estimated"],
            [1000, "estimated"],
          ],
          2: [
            [40, "interpolated"],
            [40, "measured"],
            [40, "measured"],
            [40, "measured"],
          ],
        }),
      }),
    );
    assert.deepEqual(
      r.rows.map((x) => x.importWh),
      [40, 40, 40, 40],
    );
  });

  it("looks back only as many weeks as asked", () => {
    const r = substituteValues(base({ weeks: 1, reference: refs({ 1: [10, 10, 10, 10], 2: [90, 90, 90, 90] }) }));
    assert.deepEqual(
      r.rows.map((x) => x.importWh),
      [10, 10, 10, 10],
    );
    assert.throws(
      () => substituteValues(base({ weeks: 9 })),
      (e: unknown) => e instanceof SubstituteError && e.code === "substitute-weeks",
    );
  });

  it("spreads the counter difference evenly with the linear method, export too", () => {
    const r = substituteValues(base({ method: "linear", known: { importWh: 10, exportWh: 3 } }));
    assert.deepEqual(
      r.rows.map((x) => [x.importWh, x.exportWh]),
      [
        [3, 1],
        [3, 1],
        [2, 1],
        [2, 0],
      ],
    );
    assert.equal(r.importWh, 10);
    assert.equal(r.exportWh, 3);
  });

  it("falls back to an even spread, and says so, when the profile finds no reference but the difference is known", () => {
    const r = substituteValues(base({ known: { importWh: 8, exportWh: null } }));
    assert.equal(r.applied, "linear");
    assert.equal(r.slotsWithReference, 0);
    assert.deepEqual(
      r.rows.map((x) => x.importWh),
      [2, 2, 2, 2],
    );
  });

  it("refuses what it has nothing to form from: linear without a difference, a profile without references or difference", () => {
    assert.throws(
      () => substituteValues(base({ method: "linear" })),
      (e: unknown) => e instanceof SubstituteError && e.code === "substitute-needs-difference",
    );
    assert.throws(
      () => substituteValues(base({})),
      (e: unknown) => e instanceof SubstituteError && e.code === "substitute-no-reference",
    );
  });

  it("scales an export profile to the known export difference on its own", () => {
    const reference = refs({ 1: [10, 10, 10, 10] }, 5);
    const r = substituteValues(base({ known: { importWh: 40, exportWh: 7 }, reference }));
    assert.equal(r.exportWh, 7);
    assert.deepEqual(
      r.rows.map((x) => x.exportWh),
      [2, 2, 2, 1],
    );
  });
});
