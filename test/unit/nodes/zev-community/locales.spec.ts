import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { validateCommunity } from "../../../../lib/community/validate";
import { clockIssue, scheduleIssues } from "../../../../lib/time/tariff-windows";
import { ibanIssue } from "../../../../lib/util/iban";
import { amountIssue, billInformationIssue, countryIssue, currencyIssue, qrTextIssues } from "../../../../lib/community/payment-rules";
import { paymentPartProblems, referenceIssue } from "../../../../lib/billing/issuable";
import type { Issue } from "../../../../lib/util/issue";
import { BROKEN_COMMUNITIES } from "../../../support/broken-communities";
import { lackingKeys, leafKeys, missingKeys, translator, unionLiterals } from "../../../support/i18n";
import { CHARGE_RHYTHMS, CHARGE_SCOPES, LANGUAGES, METHODS, ROLES } from "../../../../nodes/zev-community/editor/logic";

const NODE = "zev-community";
const LANGS = ["en-US", "de", "fr", "it"];
const ROOT = join(__dirname, "..", "..", "..", "..");
const catalogFile = (lang: string, ext = "json"): string => join(ROOT, "nodes", NODE, "locales", lang, `${NODE}.${ext}`);
/** The files whose validators make the issues the community editor shows. */
const VALIDATOR_SOURCES = [
  "lib/community/validate.ts",
  "lib/community/payment-rules.ts",
  "lib/billing/issuable.ts",
  "lib/tariffs/plans.ts",
  "lib/time/tariff-windows.ts",
  "lib/util/iban.ts",
];

const placeholders = (text: string): string[] => [...text.matchAll(/__([A-Za-z0-9_]+)__/g)].map((m) => m[1]!);

/** Every issue the broken definitions make, plus the ones no community reaches through validateCommunity. */
function producedIssues(): Issue[] {
  const out: Issue[] = [];
  for (const make of Object.values(BROKEN_COMMUNITIES)) out.push(...validateCommunity(make()));
  out.push(...scheduleIssues(null as never), clockIssue("7:00")!, clockIssue("24:30")!, ibanIssue("CH93 0076")!);
  // The rules checked again before an invoice is issued (lib/billing/issuable.ts), on the final snapshot.
  out.push(
    ...qrTextIssues("town", "", true),
    countryIssue("Schweiz")!,
    currencyIssue("USD")!,
    amountIssue("1000000000.00")!,
    billInformationIssue("x".repeat(141))!,
  );
  const qrIban = "CH44 3199 9123 0008 8901 2";
  const iban = "CH93 0076 2011 6238 5295 7";
  out.push(
    referenceIssue(qrIban, undefined)!,
    referenceIssue(qrIban, "RF18539007547034")!,
    referenceIssue(qrIban, "210000000003139471430009016")!,
    referenceIssue(iban, "210000000003139471430009017")!,
    referenceIssue(iban, "RF00ABC")!,
  );
  const snap = {
    creditor: { name: "C", iban: qrIban, address: undefined },
    recipient: { name: "R", address: { street: "S", postalCode: "1", town: "T", country: "CH" } },
    currency: "CHF",
    totals: { total: "1.00", vat: [] },
    period: { from: "2026-11-01", to: "2026-11-30" },
  };
  out.push(...paymentPartProblems(snap as never));
  return out;
}

/** The codes written in the validators' source: the first argument of each issue(...) call. */
function sourceCodes(): string[] {
  const codes: string[] = [];
  for (const f of VALIDATOR_SOURCES) {
    const text = readFileSync(join(ROOT, f), "utf8");
    const calls = [...text.matchAll(/\bissue\(/g)].length - [...text.matchAll(/function issue\(/g)].length;
    const literal = [...text.matchAll(/\bissue\(\s*"([a-z][A-Za-z]*\.[a-z][A-Za-z0-9]*)"/g)].map((m) => m[1]!);
    assert.equal(literal.length, calls, `${f}: every issue(...) call names its code as a string literal "group.name"`);
    codes.push(...literal);
  }
  return [...new Set(codes)].sort();
}

describe("zev-community: labels, help and validation messages in en-US, de, fr, it", () => {
  it("every language has the same message keys and a help page that mentions the charging ids; Swiss German writes ss", () => {
    const en = leafKeys(JSON.parse(readFileSync(catalogFile("en-US"), "utf8"))).sort();
    for (const lang of LANGS) {
      const json = readFileSync(catalogFile(lang), "utf8");
      assert.deepEqual(leafKeys(JSON.parse(json)).sort(), en, lang);
      const help = readFileSync(catalogFile(lang, "html"), "utf8");
      assert.match(help, new RegExp(`data-help-name="${NODE}"`));
      assert.match(help, /charging-ids\.csv/, `${lang} help documents the charging-ids CSV`);
      if (lang !== "en-US") assert.notEqual(help, readFileSync(catalogFile("en-US", "html"), "utf8"), `${lang} help is translated`);
      if (lang === "de") assert.ok(!/ß/.test(help + json), "Swiss German writes ss");
    }
  });

  it("the validators' source names at least 80 codes, each with a text in all four catalogs", () => {
    const codes = sourceCodes();
    assert.ok(codes.length >= 80, `found ${codes.length} codes`);
    for (const lang of LANGS) {
      const t = translator(lang);
      const before = missingKeys.size;
      for (const c of codes) t(`${NODE}.validation.${c}`);
      assert.equal(missingKeys.size, before, `${lang}: missing ${[...missingKeys].join(", ")}`);
    }
    // and no catalog keeps texts for codes that no longer exist
    const catalogCodes = leafKeys(JSON.parse(readFileSync(catalogFile("en-US"), "utf8"))[NODE].validation).sort();
    assert.deepEqual(catalogCodes, codes);
  });

  it("the broken definitions make every code the source names", () => {
    const produced = new Set(producedIssues().map((i) => i.code));
    assert.deepEqual(
      sourceCodes().filter((c) => !produced.has(c)),
      [],
      "codes no test definition produces",
    );
    assert.deepEqual(
      [...produced].filter((c) => !sourceCodes().includes(c)),
      [],
      "codes not found in the source scan",
    );
  });

  it("each translation uses only the params the issue gives, and the en-US text is the English message", () => {
    const issues = producedIssues();
    assert.ok(issues.length > 90);
    for (const lang of LANGS) {
      const t = translator(lang);
      for (const i of issues) {
        const key = `${NODE}.validation.${i.code}`;
        const raw = t(key);
        assert.notEqual(raw, key, `${lang}: ${key} missing`);
        const extra = placeholders(raw).filter((p) => !(p in i.params));
        assert.deepEqual(extra, [], `${lang} ${i.code}: placeholders without a value`);
        const text = t(key, i.params);
        assert.deepEqual(placeholders(text), [], `${lang} ${i.code}: left unfilled`);
        if (lang === "en-US") assert.equal(text, i.message, `${i.code}: en-US catalog and validator text differ`);
      }
    }
  });

  it("the translations are not copies of the English texts", () => {
    const en = JSON.parse(readFileSync(catalogFile("en-US"), "utf8"))[NODE].validation as Record<string, Record<string, string>>;
    for (const lang of ["de", "fr", "it"]) {
      const other = JSON.parse(readFileSync(catalogFile(lang), "utf8"))[NODE].validation as Record<string, Record<string, string>>;
      const same = Object.entries(en).flatMap(([g, texts]) =>
        Object.entries(texts)
          .filter(([k, v]) => other[g]![k] === v)
          .map(([k]) => `${g}.${k}`),
      );
      assert.deepEqual(same, [], `${lang}: untranslated`);
    }
  });

  it("the editor asks only for keys that every catalog has", () => {
    // the template's data-i18n keys and the editor module's t("...") calls (nodes/zev-community/editor/*.ts)
    const editorDir = join(ROOT, "nodes", NODE, "editor");
    const sources = readdirSync(editorDir).filter((f) => f.endsWith(".ts"));
    assert.ok(sources.includes("dialog.ts") && sources.includes("logic.ts"), "the editor module's sources are found");
    const html = [readFileSync(join(ROOT, "nodes", NODE, `${NODE}.html`), "utf8"), ...sources.map((f) => readFileSync(join(editorDir, f), "utf8"))].join("\n");
    const keys = new Set<string>();
    for (const m of html.matchAll(/data-i18n="([^"]+)"/g)) for (const part of m[1]!.split(";")) keys.add(part.replace(/^\[[a-z]+\]/, ""));
    for (const m of html.matchAll(/\bt\("([A-Za-z0-9.]+)"[,)]/g)) keys.add(`${NODE}.${m[1]}`);
    for (const m of html.matchAll(/"(tabs\.[a-z]+)"/g)) keys.add(`${NODE}.${m[1]}`);
    for (const kind of ["units", "tenancies", "chargingIds"]) keys.add(`${NODE}.import.${kind}Done`);
    assert.ok(keys.size > 100, `found ${keys.size} keys`);
    assert.ok(keys.has(`${NODE}.section.chargingIds`) && keys.has(`${NODE}.button.addChargingId`));
    for (const lang of LANGS) {
      const t = translator(lang);
      const missing = [...keys].filter((k) => t(k) === k);
      assert.deepEqual(missing, [], lang);
    }
  });

  it("has a text for every value the editor builds a key from: options, weekdays, VAT choices and CSV imports", () => {
    const file = `nodes/${NODE}/editor/dialog.ts`;
    const dialog = readFileSync(join(ROOT, file), "utf8");
    const built = new Map<string, string[]>();
    // for (const r of ROLES) $("<option/>").val(r).text(t("role." + r)): the values are the constant's (editor/logic.ts)
    const lists: Record<string, readonly string[]> = { LANGUAGES, ROLES, METHODS, CHARGE_RHYTHMS, CHARGE_SCOPES };
    for (const m of dialog.matchAll(/for \(const (\w+) of ([A-Z_]+)\)\s*\$\("<option\/>"\)\s*\.val\(\1\)\s*\.text\(t\("(\w+)\." \+ \1\)\)/g)) {
      assert.ok(lists[m[2]!], `${m[2]} is imported by this test`);
      built.set(m[3]!, [...lists[m[2]!]!]);
    }
    // the VAT choice: for (const v of ["", "incl", "excl"]) ... t("chargeVat." + (v || "plan"))
    const vat = /for \(const v of (\[[^\]]*\])\)[^;]*?t\("chargeVat\." \+ \(v \|\| "(\w+)"\)\)/.exec(dialog);
    assert.ok(vat, "the VAT choice's loop");
    built.set(
      "chargeVat",
      (JSON.parse(vat[1]!) as string[]).map((v) => v || vat[2]!),
    );
    // the weekdays: for (let d = 1; d <= 7; d++) checkbox(..., t("weekday." + d))
    const days = /for \(let d = (\d+); d <= (\d+); d\+\+\)\s*checkbox\([^;]*?t\("weekday\." \+ d\)/.exec(dialog);
    assert.ok(days, "the weekdays' loop");
    built.set(
      "weekday",
      Array.from({ length: Number(days[2]) - Number(days[1]) + 1 }, (_, i) => String(Number(days[1]) + i)),
    );
    // a CSV import's notice: t("import." + kind + "Done") with kind an ImportKind
    assert.match(dialog, /t\("import\." \+ kind \+ "Done"/);
    built.set(
      "import",
      unionLiterals(file, "ImportKind").map((k) => `${k}Done`),
    );
    // every t("<prefix>." + ...) of the dialog is one of these
    assert.deepEqual([...new Set([...dialog.matchAll(/\bt\("(\w+)\." \+/g)].map((m) => m[1]!))].sort(), [...built.keys()].sort());
    assert.ok(built.get("weekday")!.length === 7 && built.get("import")!.includes("chargingIdsDone"), JSON.stringify([...built]));
    const keys = [...built].flatMap(([prefix, values]) => values.map((v) => `${NODE}.${prefix}.${v}`));
    for (const lang of LANGS) assert.deepEqual(lackingKeys(lang, keys), [], lang);
  });
});
