import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { lackingKeys, leafKeys, missingKeys, translator, unionLiterals } from "../../../support/i18n";
import { failureKinds } from "../../../support/source-failures";

const NODE = "zev-charger-weidmueller";
const LANGS = ["en-US", "de", "fr", "it"];
/** Folder and file name; the node type stays NODE (decision 0083). */
const BASE = "charger-weidmueller";
const root = join(__dirname, "..", "..", "..", "..", "nodes", BASE);
const dir = (lang: string): string => join(root, "locales", lang);

describe("zev-charger-weidmueller: labels and help in en-US, de, fr, it", () => {
  it("every language has the same message keys and a help page; Swiss German writes ss", () => {
    const en = leafKeys(JSON.parse(readFileSync(join(dir("en-US"), `${BASE}.json`), "utf8"))).sort();
    for (const lang of LANGS) {
      const json = readFileSync(join(dir(lang), `${BASE}.json`), "utf8");
      assert.deepEqual(leafKeys(JSON.parse(json)).sort(), en, lang);
      const help = readFileSync(join(dir(lang), `${BASE}.html`), "utf8");
      assert.match(help, new RegExp(`data-help-name="${NODE}"`));
      if (lang !== "en-US") assert.notEqual(help, readFileSync(join(dir("en-US"), `${BASE}.html`), "utf8"), `${lang} help is translated`);
      if (lang === "de") assert.ok(!/ß/.test(help + json));
    }
    assert.deepEqual(readdirSync(join(root, "locales")).sort(), [...LANGS].sort());
  });

  it("has a text for every problem, note, error kind and status the runtime can ask for", () => {
    // The sources each in a file of their own, the unknown-source problem in their registry (decision 0093).
    const files = [
      "charger-weidmueller.ts",
      "config.ts",
      "status-text.ts",
      "../../lib/devices/source-registry.ts",
      ...readdirSync(join(root, "sources")).map((f) => `sources/${f}`),
    ];
    const source = files.map((f) => readFileSync(join(root, f), "utf8")).join("\n");
    // Catalog keys written out, and problem codes (problem("code") is looked up as "problem.<code>").
    const keys = [...source.matchAll(/"((?:problem|note|log|error|status)\.[A-Za-z]+)"|\bproblem\("([A-Za-z]+)"/g)].map((m) => m[1] ?? `problem.${m[2]!}`);
    assert.ok(keys.length >= 20, `found ${keys.length} keys`);
    // Failure kinds come from ModbusError, MiniserverError and the sources themselves.
    const kinds = [
      "connect",
      "disconnected",
      "timeout",
      "exception",
      "unit-paused",
      "closed",
      "state",
      "internal",
      "bind",
      "auth",
      "auth-backoff",
      "network",
      "http",
      "ll-code",
      "malformed",
      "store",
      "clock",
    ];
    for (const lang of LANGS) {
      const t = translator(lang);
      const before = missingKeys.size;
      for (const k of [...keys, ...kinds.map((k) => `error.${k}`), "modes.priority", "modes.normal", "status.kwh", "status.unit", "status.unknownId"])
        t(`${NODE}.${k}`);
      assert.equal(missingKeys.size, before, `${lang}: missing ${[...missingKeys].join(", ")}`);
    }
  });

  it("has a text for every charge mode, age unit and failure kind the status and the log build a key from", () => {
    // t(`modes.${v.mode}`), t(`age.${unit}`), t(`error.${kind}`): keys no literal shows, so taken from the types and the sources
    const modes = unionLiterals("lib/model/charging-session.ts", "ChargeMode");
    const units = unionLiterals("lib/readings/meter-input/meter-status.ts", "AgeUnit");
    assert.ok(modes.includes("priority") && units.includes("min"), `found ${modes.join()} / ${units.join()}`);
    const files = ["charger-weidmueller.ts", ...readdirSync(join(root, "sources")).map((f) => `sources/${f}`)].map((f) => `nodes/${BASE}/${f}`);
    const { kinds, untyped } = failureKinds(files);
    // the node's own failures: a reading that could not be stored ("store", or the kind its error carries)
    assert.deepEqual(untyped, [`nodes/${BASE}/charger-weidmueller.ts: (e as { kind?: string }).kind ?? "store"`]);
    const own = readFileSync(join(root, "charger-weidmueller.ts"), "utf8");
    const carried = [...own.matchAll(/Object\.assign\([^;]*?\{ kind: "([\w-]+)" \}\)/g)].map((m) => m[1]!);
    assert.ok(carried.includes("clock"), `found ${carried.join()}`);
    kinds.push(...carried);
    for (const k of ["store", "state", "malformed", "ll-code", "unit-paused", "auth-backoff"]) assert.ok(kinds.includes(k), `found ${kinds.join()}`);
    const keys = [...modes.map((m) => `${NODE}.modes.${m}`), ...units.map((u) => `${NODE}.age.${u}`), ...kinds.map((k) => `${NODE}.error.${k}`)];
    for (const lang of LANGS) assert.deepEqual(lackingKeys(lang, keys), [], lang);
  });

  it("the node tests asked for no message key that the catalogs lack", () => {
    assert.deepEqual(
      [...missingKeys].filter((k) => k.startsWith(`${NODE}.`)),
      [],
    );
  });
});
