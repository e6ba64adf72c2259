import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/*
 * Reading rendered invoices back with poppler and zbar, as a person's
 * e-banking app would: text with pdftotext -layout, the QR code from a
 * 300 dpi rendering of the payment part.
 */

/** Text as laid out on the page; `raw` keeps the content stream's order (rotated text such as a watermark stays together). */
export function pdfText(pdfPath: string, opts: { page?: number; raw?: boolean } = {}): string {
  const range = opts.page ? ["-f", String(opts.page), "-l", String(opts.page)] : [];
  return execFileSync("pdftotext", [opts.raw ? "-raw" : "-layout", "-enc", "UTF-8", ...range, pdfPath, "-"], { encoding: "utf8" });
}

/** Text of one area of a page, in millimetres from the top left (the receipt is 0-62 mm across the page's lower 105 mm, the payment part 62-210 mm). */
export function pdfTextArea(pdfPath: string, page: number, area: { xMm: number; yMm: number; wMm: number; hMm: number }): string {
  const pt = (mm: number): string => String(Math.round((mm * 72) / 25.4));
  const crop = ["-x", pt(area.xMm), "-y", pt(area.yMm), "-W", pt(area.wMm), "-H", pt(area.hMm)];
  return execFileSync("pdftotext", ["-layout", "-enc", "UTF-8", "-r", "72", "-f", String(page), "-l", String(page), ...crop, pdfPath, "-"], {
    encoding: "utf8",
  });
}

export function pdfPages(pdfPath: string): number {
  const info = execFileSync("pdfinfo", [pdfPath], { encoding: "utf8" });
  return Number(/^Pages:\s+(\d+)/m.exec(info)![1]);
}

const DPI = 300;
const px = (mm: number): number => Math.round((mm * DPI) / 25.4);

interface Gray {
  width: number;
  height: number;
  header: Buffer;
  pixels: Buffer;
}

/** Binary PGM (P5, 8 bit) as pdftoppm -gray writes it. */
function readPgm(buf: Buffer): Gray {
  const tokens: string[] = [];
  let pos = 0;
  while (tokens.length < 4) {
    while (/\s/.test(String.fromCharCode(buf[pos]!))) pos++;
    const start = pos;
    while (!/\s/.test(String.fromCharCode(buf[pos]!))) pos++;
    tokens.push(buf.toString("latin1", start, pos));
  }
  pos++; // the single whitespace after maxval
  if (tokens[0] !== "P5" || tokens[3] !== "255") throw new Error(`not an 8-bit binary PGM: ${tokens.join(" ")}`);
  return { width: Number(tokens[1]), height: Number(tokens[2]), header: buf.subarray(0, pos), pixels: buf.subarray(pos) };
}

/**
 * Decodes the QR code of the payment part on `page` and returns the payload
 * lines. The payment part's left column (64-116 mm: between the perforation and the text column)
 * is rendered at 300 dpi; the code is located there by its dark pixels,
 * not assumed; its centre (the Swiss cross, 7 of 46 mm) is painted white
 * because zbar 0.23 cannot read the codes with the cross;
 * error correction level M restores the modules under it.
 */
export function decodeQrBill(pdfPath: string, page: number): { lines: string[]; sizeMm: number; leftMm: number; topMm: number } {
  const dir = mkdtempSync(join(tmpdir(), "zev-qr-"));
  try {
    const x0 = 64; // right of the perforation at 62 mm
    const y0 = 297 - 105 + 10; // below "Zahlteil", above "Währung"
    execFileSync("pdftoppm", [
      "-r",
      String(DPI),
      "-gray",
      "-f",
      String(page),
      "-l",
      String(page),
      "-x",
      String(px(x0)),
      "-y",
      String(px(y0)),
      "-W",
      String(px(52)),
      "-H",
      String(px(54)),
      "-singlefile",
      pdfPath,
      join(dir, "crop"),
    ]);
    const file = join(dir, "crop.pgm");
    const img = readPgm(readFileSync(file));
    let minX = Infinity,
      minY = Infinity,
      maxX = -1,
      maxY = -1;
    for (let y = 0; y < img.height; y++)
      for (let x = 0; x < img.width; x++)
        if (img.pixels[y * img.width + x]! < 128) {
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
          minY = Math.min(minY, y);
          maxY = Math.max(maxY, y);
        }
    if (maxX < 0) throw new Error(`no QR code in the payment part of page ${page}`);
    const size = maxX - minX + 1;
    const cx = (minX + maxX) / 2;
    const cy = (minY + maxY) / 2;
    const half = Math.ceil((size * 8) / 46 / 2);
    for (let y = Math.floor(cy - half); y <= Math.ceil(cy + half); y++)
      for (let x = Math.floor(cx - half); x <= Math.ceil(cx + half); x++) img.pixels[y * img.width + x] = 255;
    writeFileSync(file, Buffer.concat([img.header, img.pixels]));
    const r = spawnSync("zbarimg", ["--raw", "-q", "--nodbus", file], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`zbarimg found no QR code on page ${page} (exit ${r.status}): ${r.stderr}`);
    const mm = (p: number): number => (p * 25.4) / DPI;
    return { lines: r.stdout.replace(/\r?\n$/, "").split(/\r?\n/), sizeMm: mm(size), leftMm: x0 + mm(minX), topMm: y0 + mm(minY) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The fields of a Swiss QR bill payload (SIX IG v2.3, section 4.3.3), by name. */
export interface QrPayload {
  header: string[];
  iban: string;
  creditor: { type: string; name: string; street: string; buildingNumber: string; postalCode: string; town: string; country: string };
  ultimateCreditor: string[];
  amount: string;
  currency: string;
  debtor: { type: string; name: string; street: string; buildingNumber: string; postalCode: string; town: string; country: string };
  referenceType: string;
  reference: string;
  message: string;
  trailer: string;
  billInformation: string | undefined;
}

export function parseQrPayload(lines: string[]): QrPayload {
  const at = (i: number): string => lines[i] ?? "";
  const addr = (i: number): QrPayload["creditor"] => ({
    type: at(i),
    name: at(i + 1),
    street: at(i + 2),
    buildingNumber: at(i + 3),
    postalCode: at(i + 4),
    town: at(i + 5),
    country: at(i + 6),
  });
  return {
    header: lines.slice(0, 3),
    iban: at(3),
    creditor: addr(4),
    ultimateCreditor: lines.slice(11, 18),
    amount: at(18),
    currency: at(19),
    debtor: addr(20),
    referenceType: at(27),
    reference: at(28),
    message: at(29),
    trailer: at(30),
    billInformation: lines[31],
  };
}
