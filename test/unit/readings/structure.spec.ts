import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/*
 * The two sides of lib/readings (docs/decisions/0089): meter input (what a
 * source delivers -> reading messages) and interval building (reading
 * messages -> quarter hours), with the rules both use at lib/readings/.
 */
const ROOT = resolve(__dirname, "../../..");
const READINGS = join(ROOT, "lib/readings");

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

function relativeImports(file: string): string[] {
  const src = readFileSync(file, "utf8");
  return [...src.matchAll(/\bfrom\s+["'](\.{1,2}\/[^"']+)["']/g)].map((m) => relative(ROOT, resolve(dirname(file), m[1]!)));
}

function exportedNames(file: string): string[] {
  const src = readFileSync(file, "utf8");
  return [...src.matchAll(/^export\s+(?:declare\s+)?(?:abstract\s+)?(?:const|let|function|class|interface|type|enum)\s+(\w+)/gm)].map((m) => m[1]!);
}

const side = (name: string): string[] => tsFiles(join(READINGS, name));

describe("lib/readings: named by side", () => {
  it("has the two sides as folders, and the meter input side never imports the interval side nor the reverse", () => {
    const input = side("meter-input");
    const intervals = side("intervals");
    assert.ok(input.length > 0 && intervals.length > 0);
    for (const f of input) for (const i of relativeImports(f)) assert.ok(!i.startsWith("lib/readings/intervals/"), `${relative(ROOT, f)} imports ${i}`);
    for (const f of intervals) for (const i of relativeImports(f)) assert.ok(!i.startsWith("lib/readings/meter-input/"), `${relative(ROOT, f)} imports ${i}`);
  });

  it("no name is exported by both sides (one IngestOutcome per side, each named for it)", () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const f of tsFiles(READINGS)) {
      for (const n of exportedNames(f)) {
        const prev = owner.get(n);
        if (prev !== undefined) clashes.push(`${n}: ${prev} and ${relative(ROOT, f)}`);
        owner.set(n, relative(ROOT, f));
      }
    }
    assert.deepEqual(clashes, []);
    assert.ok(owner.has("MeterIngestOutcome") && owner.has("IntervalIngestOutcome") && !owner.has("IngestOutcome"));
  });

  it("imports nothing from the floors above it (devices, nodes) and holds no SQL", () => {
    for (const f of tsFiles(READINGS)) {
      for (const i of relativeImports(f)) assert.ok(!/^(lib\/(devices|aggregation|billing|charging)|nodes)\//.test(i), `${relative(ROOT, f)} imports ${i}`);
      const src = readFileSync(f, "utf8");
      assert.doesNotMatch(
        src,
        /\.stmt\s*[<(]|\.prepare\s*\(|\.exec\s*\(\s*["`]|\bINSERT\s+INTO\b|\bSELECT\b[^\n]*\bFROM\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b/,
        relative(ROOT, f),
      );
    }
  });

  it("the interval upsert is written once, in lib/store/interval-repo.ts", () => {
    const files = ["lib", "nodes", "bin"].flatMap((d) => tsFiles(join(ROOT, d)));
    const writers = files.filter((f) => /INSERT\s+INTO\s+intervals\s*\(/.test(readFileSync(f, "utf8"))).map((f) => relative(ROOT, f));
    assert.deepEqual(writers, ["lib/store/interval-repo.ts"]);
  });

  it("the year-2000 floor is one constant, EARLIEST_READING_MS in lib/readings/reading.ts", () => {
    const files = ["lib", "nodes", "bin"].flatMap((d) => tsFiles(join(ROOT, d)));
    const floors = files
      .filter((f) => /946_?684_?800_?000|Date\.UTC\(\s*2000\s*,\s*0\s*,\s*1\s*\)|Date\.parse\(\s*["']2000-01-01/.test(readFileSync(f, "utf8")))
      .map((f) => relative(ROOT, f));
    assert.deepEqual(floors, ["lib/readings/reading.ts"]);
  });
});
