import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isPrintableCharacter } from "../community/payment-rules";

/*
 * The invoice's font: Liberation Sans (SIL Open Font License 1.1, the
 * license is fonts/LICENSE next to the files), embedded as a subset. It is
 * one of the fonts SIX allows on the payment part (Arial, Frutiger,
 * Helvetica, Liberation Sans) and, unlike pdfkit's built-in Helvetica
 * (WinAnsi only), has every character of the SIX set, so the body, the
 * receipt and the payment part print names exactly as the QR code carries
 * them (docs/decisions/0067-embedded-liberation-sans.md).
 */

/** The names swissqrbill asks pdfkit for: `fontName` and `${fontName}-Bold`. */
export const FONT = "Liberation Sans";
export const BOLD = "Liberation Sans-Bold";

export const FONT_DIR = join(__dirname, "fonts");
export const FONT_FILES = { regular: join(FONT_DIR, "LiberationSans-Regular.ttf"), bold: join(FONT_DIR, "LiberationSans-Bold.ttf") } as const;

let cache: { regular: Buffer; bold: Buffer } | null = null;

function fontData(): { regular: Buffer; bold: Buffer } {
  cache ??= { regular: readFileSync(FONT_FILES.regular), bold: readFileSync(FONT_FILES.bold) };
  return cache;
}

/** Registers the regular and bold faces under the names the layout and swissqrbill use. */
export function registerInvoiceFonts(doc: PDFKit.PDFDocument): void {
  const f = fontData();
  doc.registerFont(FONT, f.regular);
  doc.registerFont(BOLD, f.bold);
}

/**
 * The text as it is printed. New data cannot hold a character outside the
 * font (the community check and the check before issuing refuse it), but an
 * invoice issued by an older version may: such a character is printed as
 * its base letter ("ǎ" -> "a"), or "?" when it has none,
 * rather than as an empty box.
 */
export function printable(text: string): string {
  let out = "";
  for (const ch of text.normalize("NFC")) {
    const code = ch.codePointAt(0)!;
    if (isPrintableCharacter(code) || ch === "\n") out += ch;
    else {
      const base = ch.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
      out += base.length && [...base].every((c) => isPrintableCharacter(c.codePointAt(0)!)) ? base : "?";
    }
  }
  return out;
}
