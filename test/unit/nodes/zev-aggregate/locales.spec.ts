import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ALLOCATION_METHODS } from "../../../../lib/allocation/allocate";
import { lackingKeys, unionLiterals } from "../../../support/i18n";

const DIR = join(__dirname, "..", "..", "..", "..", "nodes", "zev-aggregate");
const LANGS = ["en-US", "de", "fr", "it"];

function keys(obj: unknown, prefix = ""): string[] {
  if (obj === null || typeof obj !== "object") return [prefix];
  return Object.entries(obj as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe("zev-aggregate catalogs and help", () => {
  const catalogs = new Map(LANGS.map((l) => [l, JSON.parse(readFileSync(join(DIR, "locales", l, "zev-aggregate.json"), "utf8")) as unknown]));

  it("every language has the same keys and its own help text", () => {
    const en = keys(catalogs.get("en-US")).sort();
    for (const l of LANGS) {
      assert.deepEqual(keys(catalogs.get(l)).sort(), en, l);
      const help = join(DIR, "locales", l, "zev-aggregate.html");
      assert.ok(existsSync(help), `${l} help`);
      assert.match(readFileSync(help, "utf8"), /data-help-name="zev-aggregate"/);
    }
    // translated, not copied
    const text = (l: string): string => JSON.stringify(catalogs.get(l));
    assert.notEqual(text("de"), text("en-US"));
    assert.notEqual(text("fr"), text("it"));
  });

  it("every key the node and its editor use exists", () => {
    const en = new Set(keys(catalogs.get("en-US")));
    const source = readFileSync(join(DIR, "zev-aggregate.ts"), "utf8");
    const used = [...source.matchAll(/\bt\("([\w.]+)"/g)].map((m) => `zev-aggregate.${m[1]}`);
    const html = readFileSync(join(DIR, "zev-aggregate.html"), "utf8");
    used.push(...[...html.matchAll(/(?:data-i18n="(?:\[\w+\])?|_\(")(zev-aggregate\.[\w.]+)/g)].map((m) => m[1]!));
    used.push(...[...html.matchAll(/"(zev-aggregate\.label\.\w+)"/g)].map((m) => m[1]!));
    assert.ok(used.length > 20);
    // The status names the job the node started by its kind (t(`status.job.${kind}`)), a key no literal shows.
    const jobKinds = ["zev-aggregate.ts", "commands.ts"].flatMap((f) =>
      [...readFileSync(join(DIR, f), "utf8").matchAll(/\bkind: "([\w-]+)"/g)].map((m) => m[1]!),
    );
    assert.ok(jobKinds.includes("seal") && jobKinds.includes("import"), jobKinds.join());
    used.push(...jobKinds.map((k) => `zev-aggregate.status.job.${k}`));
    for (const k of used) assert.ok(en.has(k), `missing catalog key ${k}`);
    // settings problems are looked up by the setting's name
    for (const s of ["method", "gapLimitHours", "maxPowerKW", "graceSeconds", "liveSeconds", "backupAt", "backupKeep", "retentionYears", "flushMs"]) {
      assert.ok(en.has(`zev-aggregate.errors.setting.${s}`), s);
    }
  });

  it("has a text for every setting a problem can name and every split method", () => {
    // t(`errors.setting.${p.key}`) for each problem settingsFromConfig reports, t(`method.${split.method}`) for the split
    const config = readFileSync(join(DIR, "config.ts"), "utf8");
    const settings = [...config.matchAll(/\bpositive\("(\w+)"|\bproblems\.push\(\{ key: "(\w+)"/g)].map((m) => m[1] ?? m[2]!);
    assert.ok(settings.includes("backupAt") && settings.includes("alertBurstCount"), `found ${settings.join()}`);
    assert.equal(
      [...config.matchAll(/\bproblems\.push\(/g)].length,
      [...config.matchAll(/\bproblems\.push\(\{ key(: "\w+")?,/g)].length,
      "every problem names its setting",
    );
    assert.deepEqual(
      [...unionLiterals("lib/allocation/allocate.ts", "AllocationMethod")].sort(),
      [...ALLOCATION_METHODS].sort(),
      "ALLOCATION_METHODS lists the whole union",
    );
    const keys = [...settings.map((s) => `zev-aggregate.errors.setting.${s}`), ...ALLOCATION_METHODS.map((m) => `zev-aggregate.method.${m}`)];
    for (const l of LANGS) assert.deepEqual(lackingKeys(l, keys), [], l);
  });
});
