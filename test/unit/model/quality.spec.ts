import assert from "node:assert/strict";
import {
  Q_ABSENT,
  Q_ESTIMATED,
  Q_INTERPOLATED,
  Q_MEASURED,
  Q_MISSING,
  QUALITIES,
  QUALITY_CODE,
  qualityOfCode,
  qualityRank,
  worstQuality,
} from "../../../lib/model/quality";

/* One encoding of interval quality for the whole tree (docs/decisions/0087). */
describe("lib/model quality encoding", () => {
  it("codes run best to worst from 1, and 0 is an interval without a stored row", () => {
    assert.deepEqual(
      QUALITIES.map((q) => QUALITY_CODE[q]),
      [Q_MEASURED, Q_INTERPOLATED, Q_ESTIMATED, Q_MISSING],
    );
    assert.deepEqual([Q_ABSENT, Q_MEASURED, Q_INTERPOLATED, Q_ESTIMATED, Q_MISSING], [0, 1, 2, 3, 4]);
  });

  it("a code reads back as its quality; no row, or a code out of range, reads as missing", () => {
    for (const q of QUALITIES) assert.equal(qualityOfCode(QUALITY_CODE[q]), q);
    assert.equal(qualityOfCode(Q_ABSENT), "missing");
    assert.equal(qualityOfCode(5), "missing");
    assert.equal(qualityOfCode(-1), "missing");
  });

  it("the rank orders as QUALITIES, and the worst of two is the later one in it", () => {
    for (let a = 0; a < QUALITIES.length; a++) {
      for (let b = 0; b < QUALITIES.length; b++) {
        const qa = QUALITIES[a]!,
          qb = QUALITIES[b]!;
        assert.equal(Math.sign(qualityRank(qa) - qualityRank(qb)), Math.sign(a - b), `${qa} vs ${qb}`);
        assert.equal(worstQuality(qa, qb), QUALITIES[Math.max(a, b)], `worst of ${qa}, ${qb}`);
      }
    }
  });
});
