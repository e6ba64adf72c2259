import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { PROFILES } from "../../../../lib/devices/modbus/profiles";
import { REJECT_REASONS } from "../../../../lib/readings/meter-input/rejection";
import { lackingKeys, leafKeys, missingKeys, translator, unionLiterals } from "../../../support/i18n";
import { failureKinds } from "../../../support/source-failures";

const NODES = ["zev-meter-in", "zev-udp-port", "zev-loxone-miniserver", "zev-modbus-connection"];
const LANGS = ["en-US", "de", "fr", "it"];
/** The folder and file name of a node type: the meter input lives in nodes/meter-in/ (decision 0083). */
const base = (node: string): string => (node === "zev-meter-in" ? "meter-in" : node);
const dir = (node: string, lang: string): string => join(__dirname, "..", "..", "..", "..", "nodes", base(node), "locales", lang);

describe("meter input nodes: labels and help in en-US, de, fr, it", () => {
  for (const node of NODES) {
    it(`${node}: every language has the same message keys and a help page`, () => {
      const en = leafKeys(JSON.parse(readFileSync(join(dir(node, "en-US"), `${base(node)}.json`), "utf8"))).sort();
      for (const lang of LANGS) {
        const keys = leafKeys(JSON.parse(readFileSync(join(dir(node, lang), `${base(node)}.json`), "utf8"))).sort();
        assert.deepEqual(keys, en, `${node} ${lang}`);
        const help = readFileSync(join(dir(node, lang), `${base(node)}.html`), "utf8");
        assert.match(help, new RegExp(`data-help-name="${node}"`));
        if (lang === "de") assert.ok(!/ß/.test(help + JSON.stringify(keys)), "Swiss German writes ss");
      }
      assert.ok(existsSync(join(__dirname, "..", "..", "..", "..", "nodes", base(node), `${base(node)}.html`)), "editor template");
    });
  }

  it("translations are not copies of the English text", () => {
    for (const node of NODES) {
      const en = readFileSync(join(dir(node, "en-US"), `${base(node)}.html`), "utf8");
      for (const lang of ["de", "fr", "it"]) assert.notEqual(readFileSync(join(dir(node, lang), `${base(node)}.html`), "utf8"), en, `${node} ${lang}`);
    }
  });

  it("has a text for every rejection reason, source error and problem the runtime can report", () => {
    // The sources each in a file of their own, the unknown-source problem in their registry (decision 0093).
    const files = [
      "nodes/meter-in/meter-in.ts",
      "lib/devices/source-registry.ts",
      ...readdirSync(join(__dirname, "..", "..", "..", "..", "nodes/meter-in/sources")).map((f) => `nodes/meter-in/sources/${f}`),
    ];
    const source = files.map((f) => readFileSync(join(__dirname, "..", "..", "..", "..", f), "utf8")).join("\n");
    // Catalog keys written out, and problem codes (problem("code") is looked up as "problem.<code>").
    const problemKeys = [...source.matchAll(/"(problem\.[A-Za-z]+)"|\bproblem\("([A-Za-z]+)"/g)].map((m) => m[1] ?? `problem.${m[2]!}`);
    assert.ok(problemKeys.length >= 10);
    const errorKinds = [
      "bind",
      "internal",
      "auth",
      "auth-backoff",
      "timeout",
      "network",
      "http",
      "ll-code",
      "connect",
      "disconnected",
      "exception",
      "unit-paused",
      "closed",
    ];
    for (const lang of LANGS) {
      const t = translator(lang);
      const before = missingKeys.size;
      for (const r of REJECT_REASONS) {
        t(`zev-meter-in.reason.${r}`);
        t(`zev-meter-in.reject.${r}`);
      }
      for (const k of errorKinds) t(`zev-meter-in.error.${k}`);
      for (const k of problemKeys) t(`zev-meter-in.${k}`);
      for (const k of ["not-allowed", "malformed", "too-large", "unrouted", "suppressed"]) t(`zev-udp-port.problem.${k}`);
      for (const p of PROFILES) if (p.note) t(`zev-meter-in.profileNotes.${p.note}`);
      assert.equal(missingKeys.size, before, `${lang}: missing ${[...missingKeys].join(", ")}`);
    }
  });

  it("has a text for every age unit, rejection reason and failure kind the status and the log build a key from", () => {
    // t(`age.${unit}`), t(`reason.${reason}`), t(`error.${kind}`): keys no literal shows, so taken from the types and the sources
    const units = unionLiterals("lib/readings/meter-input/meter-status.ts", "AgeUnit");
    assert.ok(units.includes("s") && units.includes("d"), `found ${units.join()}`);
    assert.deepEqual(
      [...unionLiterals("lib/readings/meter-input/rejection.ts", "RejectReason")].sort(),
      [...REJECT_REASONS].sort(),
      "REJECT_REASONS lists the whole union",
    );
    const sources = readdirSync(join(__dirname, "..", "..", "..", "..", "nodes/meter-in/sources")).map((f) => `nodes/meter-in/sources/${f}`);
    const { kinds, untyped } = failureKinds(["nodes/meter-in/meter-in.ts", ...sources]);
    assert.deepEqual(untyped, [], "every e.kind a source passes on is a ModbusError's or a MiniserverError's");
    for (const k of ["pushBind", "bind", "internal", "unit-paused", "auth-backoff"]) assert.ok(kinds.includes(k), `found ${kinds.join()}`);
    const keys = [
      ...units.map((u) => `zev-meter-in.age.${u}`),
      ...REJECT_REASONS.map((r) => `zev-meter-in.reason.${r}`),
      ...kinds.map((k) => `zev-meter-in.error.${k}`),
    ];
    for (const lang of LANGS) assert.deepEqual(lackingKeys(lang, keys), [], lang);
  });

  it("the UDP port has a text for every reason it reports a packet for", () => {
    // t(`problem.${p.reason}`) with p a UdpProblem (lib/devices/loxone/udp-hub.ts)
    const reasons = unionLiterals("lib/devices/loxone/udp-hub.ts", /\binterface UdpProblem \{\s*reason:/);
    assert.ok(reasons.includes("not-allowed") && reasons.includes("unrouted"), `found ${reasons.join()}`);
    const keys = reasons.map((r) => `zev-udp-port.problem.${r}`);
    for (const lang of LANGS) assert.deepEqual(lackingKeys(lang, keys), [], lang);
  });

  it("the node tests asked for no message key that the catalogs lack", () => {
    // Filled by the translator the node tests install (test/support/zev-nodes.ts); empty when run alone.
    assert.deepEqual(
      [...missingKeys].filter((k) => NODES.some((n) => k.startsWith(`${n}.`))),
      [],
    );
  });

  it("the locale folders hold exactly the four languages", () => {
    for (const node of NODES) assert.deepEqual(readdirSync(join(__dirname, "..", "..", "..", "..", "nodes", base(node), "locales")).sort(), [...LANGS].sort());
  });
});
