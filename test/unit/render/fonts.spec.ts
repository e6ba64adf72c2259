import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isPrintableCharacter, isSixCharacter } from "../../../lib/community/payment-rules";
import type { Language } from "../../../lib/model/party";
import { FONT_DIR, FONT_FILES } from "../../../lib/render/fonts";
import { invoiceTexts } from "../../../lib/render/i18n";

/*
 * The embedded font must have every character the checks let through:
 * what validation accepts, the invoice can print.
 */

interface Face {
  hasGlyphForCodePoint(cp: number): boolean;
  familyName: string;
}
// fontkit is pdfkit's own font reader (no types of its own): the same code that embeds the font.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fontkit = require("fontkit") as { create(b: Buffer): Face };
const open = (file: string): Face => fontkit.create(readFileSync(file));

/** Every string in a catalog of invoice texts (functions called with sample values). */
function strings(v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (typeof v === "function") return strings((v as (...a: unknown[]) => unknown)("1", "2", "3"));
  if (v && typeof v === "object") return Object.values(v).flatMap(strings);
  return [];
}

describe("the embedded invoice font (Liberation Sans)", () => {
  const faces = { regular: open(FONT_FILES.regular), bold: open(FONT_FILES.bold) };

  it("has a glyph for every character the checks accept, in both faces", () => {
    let printable = 0;
    for (let cp = 0; cp <= 0xffff; cp++) {
      if (!isPrintableCharacter(cp)) continue;
      printable++;
      for (const [face, f] of Object.entries(faces))
        assert.ok(f.hasGlyphForCodePoint(cp), `${face} has no U+${cp.toString(16).toUpperCase().padStart(4, "0")}`);
    }
    assert.ok(printable > 340, `${printable} printable characters`);
    for (const f of Object.values(faces)) assert.equal(f.familyName, "Liberation Sans");
  });

  it("the SIX set is Basic Latin, Latin-1 Supplement, Latin Extended-A, Ș ș Ț ț and €", () => {
    const six = [];
    for (let cp = 0; cp <= 0xffff; cp++) if (isSixCharacter(cp)) six.push(cp);
    assert.equal(six.length, 95 + 96 + 128 + 4 + 1);
    for (const ch of "ČćĐđŞşŁłŻżÓóØøÆæÅåËëŐőŰűȘșȚț€") assert.ok(isSixCharacter(ch.codePointAt(0)!), ch);
    for (const ch of "\t\u007f\u0080ǅǎΩЖ東😀\u2013") assert.ok(!isSixCharacter(ch.codePointAt(0)!), JSON.stringify(ch));
  });

  it("prints every fixed invoice text in all four languages", () => {
    for (const lang of ["de", "fr", "it", "en"] as Language[]) {
      for (const text of strings(invoiceTexts(lang)))
        for (const ch of text) assert.ok(ch === "\n" || isPrintableCharacter(ch.codePointAt(0)!), `${lang}: ${JSON.stringify(ch)} in ${JSON.stringify(text)}`);
    }
  });

  it("ships with its license, the SIL Open Font License 1.1", () => {
    const license = readFileSync(join(FONT_DIR, "LICENSE"), "utf8");
    assert.match(license, /SIL OPEN FONT LICENSE Version 1\.1/);
    assert.match(license, /Copyright \(c\) 2012 Red Hat, Inc\. with Reserved Font Name Liberation/);
    const scripts = readFileSync(join(__dirname, "..", "..", "..", "scripts", "copy-assets.mjs"), "utf8");
    assert.match(scripts, /join\("lib", "render", "fonts"\)/, "the build copies the font next to dist/lib/render/fonts.js");
  });
});
