/**
 * A file name made only of safe characters: no path separators, no "..",
 * nothing a shell or a Windows share chokes on. Never trust a name that
 * comes from data (tenant names, invoice numbers) as a path.
 */
/** Latin letters with no decomposition to a base letter ("Ł" is not "L" + a mark). */
const BASE: Record<string, string> = {
  Ł: "L",
  ł: "l",
  Đ: "D",
  đ: "d",
  Ø: "O",
  ø: "o",
  Æ: "AE",
  æ: "ae",
  Œ: "OE",
  œ: "oe",
  ß: "ss",
  Þ: "Th",
  þ: "th",
  Ð: "D",
  ð: "d",
  Ħ: "H",
  ħ: "h",
  Ŧ: "T",
  ŧ: "t",
  ı: "i",
  ĸ: "k",
  Ŋ: "N",
  ŋ: "n",
};

export function safeFileName(...parts: string[]): string {
  const name = parts
    .map((p) =>
      p
        .normalize("NFKD")
        .replace(/[\u0300-\u036f]/g, "")
        .replace(/[ŁłĐđØøÆæŒœßÞþÐðĦħŦŧıĸŊŋ]/g, (c) => BASE[c]!)
        .replace(/[^A-Za-z0-9._-]+/g, "_")
        .replace(/^[._]+|_+$/g, ""),
    )
    .filter(Boolean)
    .join("_")
    .slice(0, 120);
  return name || "file";
}
