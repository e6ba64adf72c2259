/*
 * pdfkit's built-in Helvetica (the font the QR bill is specified for, and
 * one that needs no font file on a Raspberry Pi) only has the WinAnsi
 * characters. Anything else would print as a blank box, so it is replaced by
 * its base letter ("ő" -> "o"), or "?" when it has none.
 */

const EXTRA = new Set([0x20ac, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x017d, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x017e, 0x0178]);
const NO_DECOMPOSITION: Record<string, string> = { "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "ŀ": "l", "Ŀ": "L", "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T" };

function isWinAnsi(code: number): boolean {
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || EXTRA.has(code);
}

export function toWinAnsi(text: string): string {
  let out = "";
  for (const ch of text.normalize("NFC")) {
    const code = ch.codePointAt(0)!;
    if (isWinAnsi(code)) out += ch;
    else if (ch === "\n") out += ch;
    else if (NO_DECOMPOSITION[ch]) out += NO_DECOMPOSITION[ch];
    else {
      const base = ch.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
      out += base.length && [...base].every((c) => isWinAnsi(c.codePointAt(0)!)) ? base : "?";
    }
  }
  return out;
}
