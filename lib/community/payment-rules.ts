import { ibanIssue, normalizeIban } from "../util/iban";
import { Issue, issue, quoted } from "../util/issue";
import { Decimal } from "../util/money";

/*
 * The rules a printed invoice and its Swiss QR bill must follow (SIX IG
 * QR-bill v2.3), in one place: the community check at import and deploy
 * (validate.ts), the check before an invoice gets its number
 * (lib/billing/issuable.ts) and the renderer (lib/render/qr-bill-data.ts)
 * all apply these, so that whatever can be issued can also be rendered
 * (docs/decisions/0066-one-validation-issue-equals-render.md).
 *
 * The English texts are fragments that follow the field's path
 * ("creditor.name: has 92 characters; ..."), with codes and params for the
 * translations ("zev-community.validation.payment.*").
 */

/** Maximum lengths of the structured address fields (SIX IG v2.3, 4.3.3, address type S). */
export const QR_TEXT_LIMITS = { name: 70, street: 70, buildingNumber: 16, postalCode: 16, town: 35 } as const;
export type QrTextField = keyof typeof QR_TEXT_LIMITS;

/** The amount a QR bill can carry (SIX IG v2.3: 0.01 to 999'999'999.99). */
export const QR_AMOUNT_MIN = new Decimal("0.01");
export const QR_AMOUNT_MAX = new Decimal("999999999.99");

/**
 * SIX IG v2.3 "Latin character set": Basic Latin, Latin-1 Supplement,
 * Latin Extended-A, and Ș ș Ț ț and €. Every code point is one
 * character, so lengths count code points.
 */
export function isSixCharacter(codePoint: number): boolean {
  return (
    (codePoint >= 0x20 && codePoint <= 0x7e) || (codePoint >= 0xa0 && codePoint <= 0x17f) || (codePoint >= 0x218 && codePoint <= 0x21b) || codePoint === 0x20ac
  );
}

/**
 * What the invoice body can print with its embedded font (Liberation Sans,
 * lib/render/fonts/): the SIX set and the typographic punctuation a unit
 * label or a plan name may carry (dashes, quotes, bullet, ellipsis, per
 * mille, ™, minus sign). test/unit/render/fonts.spec.ts checks the font has
 * a glyph for each.
 */
export function isPrintableCharacter(codePoint: number): boolean {
  return (
    isSixCharacter(codePoint) ||
    codePoint === 0x2010 ||
    (codePoint >= 0x2012 && codePoint <= 0x2015) ||
    (codePoint >= 0x2018 && codePoint <= 0x201e) ||
    (codePoint >= 0x2020 && codePoint <= 0x2022) ||
    codePoint === 0x2026 ||
    codePoint === 0x2030 ||
    codePoint === 0x2039 ||
    codePoint === 0x203a ||
    codePoint === 0x2122 ||
    codePoint === 0x2212
  );
}

/** The distinct characters of `text` (NFC) that `allowed` refuses, in order of appearance. */
function refused(text: string, allowed: (cp: number) => boolean): string[] {
  const out = new Set<string>();
  for (const ch of text.normalize("NFC")) if (!allowed(ch.codePointAt(0)!)) out.add(ch);
  return [...out];
}

/** Length as SIX counts it: characters (code points) of the NFC form. */
export function sixLength(text: string): number {
  return [...text.normalize("NFC")].length;
}

/** Why `text` (printed on the invoice only, not in the QR code) cannot be printed, or null. */
export function printableIssue(text: unknown): Issue | null {
  if (typeof text !== "string" || text === "") return null;
  const bad = refused(text, isPrintableCharacter);
  return bad.length
    ? issue("payment.unprintable", "contains characters the invoice cannot print: __characters__ (Latin letters, digits and punctuation only)", {
        characters: quoted(bad.join("")),
      })
    : null;
}

/**
 * Problems of a text that goes into the QR code and onto the payment part:
 * required (when asked), at most the field's length, SIX characters only.
 */
export function qrTextIssues(field: QrTextField, value: unknown, required: boolean): Issue[] {
  const text = value === undefined || value === null ? "" : String(value);
  if (!text.trim()) return required ? [issue("payment.required", "is required for a QR bill (SIX v2.3 structured address)")] : [];
  const out: Issue[] = [];
  const length = sixLength(text);
  const max = QR_TEXT_LIMITS[field];
  if (length > max) out.push(issue("payment.tooLong", "has __length__ characters; a QR bill allows at most __max__", { length, max }));
  const bad = refused(text, isSixCharacter);
  if (bad.length) out.push(issue("payment.characters", "contains characters a QR bill does not allow: __characters__", { characters: quoted(bad.join("")) }));
  return out;
}

/** ISO 3166-1 alpha-2 as the QR bill writes it: two capital letters. */
export function isCountryCode(value: unknown): boolean {
  return typeof value === "string" && /^[A-Z]{2}$/.test(value);
}

export function countryIssue(value: unknown): Issue | null {
  return isCountryCode(value)
    ? null
    : issue("payment.country", "must be a two-letter ISO country code such as CH, got __value__", { value: quoted(value ?? "") });
}

/** The creditor account: a valid IBAN (or QR-IBAN) of Switzerland or Liechtenstein. */
export function accountIssue(iban: unknown): Issue | null {
  const s = typeof iban === "string" ? normalizeIban(iban) : "";
  if (!s) return issue("payment.ibanRequired", "an IBAN or QR-IBAN is required");
  const problem = ibanIssue(String(iban));
  if (problem) return problem;
  if (!/^(CH|LI)/.test(s)) return issue("payment.ibanCountry", "a QR bill needs a CH or LI IBAN, got __country__", { country: s.slice(0, 2) });
  return null;
}

export function currencyIssue(currency: unknown): Issue | null {
  return currency === "CHF" || currency === "EUR" ? null : issue("payment.currency", "must be CHF or EUR, got __value__", { value: quoted(currency ?? "") });
}

/** The amount of a payable invoice: 0.01 to 999'999'999.99. */
export function amountIssue(total: string): Issue | null {
  let d: Decimal;
  try {
    d = new Decimal(total);
  } catch {
    d = new Decimal(NaN);
  }
  if (d.isFinite() && d.gte(QR_AMOUNT_MIN) && d.lte(QR_AMOUNT_MAX)) return null;
  return issue("payment.amountRange", "a QR bill amount must be 0.01 to 999'999'999.99, got __amount__", { amount: total });
}

/** The bill information (Swico S1) and any message share 140 characters. */
export const QR_BILL_INFORMATION_MAX = 140;

export function billInformationIssue(text: string): Issue | null {
  const length = sixLength(text);
  return length > QR_BILL_INFORMATION_MAX
    ? issue("payment.billInformationTooLong", "the bill information (Swico S1) has __length__ characters, longer than the __max__ a QR bill allows", {
        length,
        max: QR_BILL_INFORMATION_MAX,
      })
    : null;
}
