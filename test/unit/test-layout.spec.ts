import assert from "node:assert/strict";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

/*
 * Test files mirror the paths they test (issue #12), so a newcomer finds the
 * tests of lib/payments/match.ts at test/unit/payments/match.spec.ts.
 * test/unit/<dir>/x.spec.ts needs lib/<dir>; specs about node files
 * (locales, editor logic) sit under test/unit/nodes/<node>, those about the
 * generated flows and docs scripts under test/unit/scripts/.
 */
const ROOT = join(__dirname, "..", "..");
const UNIT = join(ROOT, "test", "unit");
/** The only spec at the top of test/unit: it checks the tree, not a source file. */
const SELF = "test-layout.spec.ts";

function specsUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? specsUnder(join(dir, e.name)) : e.name.endsWith(".spec.ts") ? [relative(UNIT, join(dir, e.name)).split(sep).join("/")] : [],
  );
}

const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();

/** The source folder a spec (path relative to test/unit) mirrors, or null when there is none. */
function mirroredFolder(spec: string): string | null {
  const parts = spec.split("/").slice(0, -1);
  if (parts.length === 0) return null;
  const [top, ...rest] = parts;
  const source = top === "nodes" || top === "scripts" ? join(ROOT, top!, ...rest) : join(ROOT, "lib", ...parts);
  return isDir(source) ? relative(ROOT, source).split(sep).join("/") : null;
}

function misplaced(specs: readonly string[]): string[] {
  return specs.filter((s) => s !== SELF && mirroredFolder(s) === null);
}

describe("test layout: test/unit mirrors lib/, nodes/ and scripts/", () => {
  it("every unit spec sits in a folder that exists under lib/ (or nodes/, scripts/ for node texts and flow generators)", () => {
    const specs = specsUnder(UNIT);
    assert.ok(specs.length >= 60, `found ${specs.length} specs`);
    assert.deepEqual(misplaced(specs), []);
  });

  it("a new flat file, or a folder lib/ does not have, is refused", () => {
    assert.deepEqual(
      misplaced([
        "payments-match.spec.ts",
        "paymentz/match.spec.ts",
        "nodes/zev-nothing/locales.spec.ts",
        "payments/match.spec.ts",
        "nodes/meter-in/locales.spec.ts",
        "scripts/flows/x.spec.ts",
        SELF,
      ]),
      ["payments-match.spec.ts", "paymentz/match.spec.ts", "nodes/zev-nothing/locales.spec.ts"],
    );
  });

  it("lib/ has no nodes/ or scripts/ folder, so the two exceptions cannot shadow a lib folder", () => {
    assert.equal(isDir(join(ROOT, "lib", "nodes")), false);
    assert.equal(isDir(join(ROOT, "lib", "scripts")), false);
  });

  it("every spec under test/ sits in unit/, nodes/, integration/ or e2e/ (no more test/billing, test/render)", () => {
    const outside = readdirSync(join(ROOT, "test"), { withFileTypes: true })
      .filter((e) => !["unit", "nodes", "integration", "e2e", "support"].includes(e.name))
      .flatMap((e) => (e.isDirectory() ? specsUnder(join(ROOT, "test", e.name)) : e.name.endsWith(".spec.ts") ? [e.name] : []));
    assert.deepEqual(outside, []);
  });
});
