import { accountIssue, amountIssue, billInformationIssue, countryIssue, currencyIssue, printableIssue, qrTextIssues } from "../community/payment-rules";
import type { StructuredAddress } from "../model/party";
import { isLocalDate, LocalDate } from "../time/local-date";
import { isQrIban, normalizeIban } from "../util/iban";
import { Issue, issue, quoted } from "../util/issue";
import { Decimal } from "../util/money";
import { isValidCreditorReference, isValidQrReference } from "./reference";
import type { InvoiceSnapshot } from "../model/invoice";

/*
 * Can this invoice be printed, with its payment part? The same rules
 * (lib/community/payment-rules.ts) that the community check applies at
 * import and the renderer applies before drawing, applied to the final
 * snapshot (number, reference, total) before it is issued: an invoice that
 * could not be rendered is refused and keeps no number
 * (docs/decisions/0066-one-validation-issue-equals-render.md).
 */

/** One reason, at the snapshot field it comes from (`creditor.address.town`, `totals.total`). */
export interface SnapshotProblem extends Issue {
  path: string;
}

/** Thrown by `assertIssuable`; the draft stays a draft and no number is used. */
export class InvoiceNotIssuableError extends Error {
  constructor(readonly problems: SnapshotProblem[]) {
    super(`the invoice cannot be issued, it could not be printed: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`);
    this.name = "InvoiceNotIssuableError";
  }
}

export function documentKind(s: Pick<InvoiceSnapshot, "cancels" | "number">): "invoice" | "credit-note" | "draft" {
  if (s.cancels) return "credit-note";
  return s.number ? "invoice" : "draft";
}

/** An issued invoice with something to pay gets a QR payment part; credit notes and drafts never do. */
export function isPayable(s: InvoiceSnapshot): boolean {
  return documentKind(s) === "invoice" && new Decimal(s.totals.total).gt(0);
}

function escapeS1(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\//g, "\\/");
}

/** Swico date: YYMMDD. */
export function swicoDate(date: LocalDate): string {
  if (!isLocalDate(date)) throw new RangeError(`date ${JSON.stringify(date)} must be written YYYY-MM-DD`);
  return date.slice(2, 4) + date.slice(5, 7) + date.slice(8, 10);
}

/** Swico S1 number: no trailing zeros, "0.081" -> "8.1". */
function s1Rate(rate: string): string {
  return new Decimal(rate).mul(100).toString();
}

/**
 * Swico S1 bill information: /10/ invoice number, /11/ invoice date, /30/ UID
 * digits, /31/ service period, /32/ VAT rate (rate:net per rate when there are
 * several), /40/ payment term (0 % discount : days).
 */
export function swicoBillInformation(s: InvoiceSnapshot): string {
  const parts = ["//S1"];
  if (s.number) parts.push(`/10/${escapeS1(s.number)}`);
  if (s.invoiceDate) parts.push(`/11/${swicoDate(s.invoiceDate)}`);
  const uidDigits = (s.creditor.vatNumber ?? s.creditor.uid ?? "").replace(/\D/g, "");
  if (s.creditor.vatRegistered && uidDigits.length === 9) {
    parts.push(`/30/${uidDigits}`);
    parts.push(`/31/${swicoDate(s.period.from)}${swicoDate(s.period.to)}`);
    if (s.totals.vat.length === 1) parts.push(`/32/${s1Rate(s.totals.vat[0]!.rate)}`);
    else if (s.totals.vat.length > 1) parts.push(`/32/${s.totals.vat.map((v) => `${s1Rate(v.rate)}:${new Decimal(v.net).toString()}`).join(";")}`);
  }
  if (s.invoiceDate && s.dueDate) {
    const days = Math.round((Date.parse(`${s.dueDate}T00:00:00Z`) - Date.parse(`${s.invoiceDate}T00:00:00Z`)) / 86400000);
    parts.push(`/40/0:${days}`);
  }
  return parts.join("");
}

/** The payment reference against the account: QRR (27 digits, mod 10) with a QR-IBAN, SCOR (RF...) or none with an IBAN. */
export function referenceIssue(iban: string, reference: string | undefined): Issue | null {
  const ref = (reference ?? "").replace(/\s/g, "");
  if (isQrIban(normalizeIban(iban))) {
    if (!ref) return issue("payment.qrrMissing", "the creditor account is a QR-IBAN, which needs a QR reference (QRR, 27 digits); this invoice has none");
    if (!/^\d{27}$/.test(ref))
      return issue("payment.qrrFormat", "the creditor account is a QR-IBAN, which needs a QR reference (QRR, 27 digits), not __reference__", {
        reference: quoted(ref),
      });
    if (!isValidQrReference(ref))
      return issue("payment.qrrCheckDigit", "QR reference __reference__ has a wrong check digit (modulo 10, recursive)", { reference: ref });
    return null;
  }
  if (!ref) return null;
  if (/^\d+$/.test(ref))
    return issue("payment.qrrNeedsQrIban", "a QR reference (QRR) is only allowed with a QR-IBAN; with this IBAN use a creditor reference (SCOR, RF...)");
  if (!isValidCreditorReference(ref))
    return issue("payment.scorInvalid", "__reference__ is not a valid ISO 11649 creditor reference (RF + 2 check digits)", { reference: quoted(ref) });
  return null;
}

function partyProblems(out: SnapshotProblem[], path: string, name: string | undefined, a: StructuredAddress | undefined): void {
  const add = (p: string, i: Issue | null): void => void (i && out.push({ path: p, ...i }));
  for (const i of qrTextIssues("name", name, true)) add(`${path}.name`, i);
  if (!a || typeof a !== "object") {
    add(`${path}.address`, issue("payment.addressRequired", "a structured address (street, postal code, town, country) is required"));
    return;
  }
  for (const i of qrTextIssues("street", a.street, true)) add(`${path}.address.street`, i);
  for (const i of qrTextIssues("buildingNumber", a.buildingNumber, false)) add(`${path}.address.buildingNumber`, i);
  for (const i of qrTextIssues("postalCode", a.postalCode, true)) add(`${path}.address.postalCode`, i);
  for (const i of qrTextIssues("town", a.town, true)) add(`${path}.address.town`, i);
  add(`${path}.address.country`, countryIssue(a.country));
}

/** Every reason the snapshot cannot carry a QR payment part; empty when it can. */
export function paymentPartProblems(s: InvoiceSnapshot): SnapshotProblem[] {
  const out: SnapshotProblem[] = [];
  const add = (path: string, i: Issue | null): void => void (i && out.push({ path, ...i }));
  add("currency", currencyIssue(s.currency));
  const account = accountIssue(s.creditor?.iban);
  add("creditor.iban", account);
  if (!account) add("reference", referenceIssue(s.creditor.iban, s.reference));
  partyProblems(out, "creditor", s.creditor?.name, s.creditor?.address);
  partyProblems(out, "recipient", s.recipient?.name, s.recipient?.address);
  add("totals.total", amountIssue(s.totals.total));
  if (!s.number) add("number", issue("payment.numberRequired", "only an issued (numbered) invoice carries a payment part"));
  add("number", billInformationIssue(swicoBillInformation(s)));
  return out;
}

/** The texts printed on the invoice itself; those that also go into the QR code are checked with the payment part. */
function printedTexts(s: InvoiceSnapshot, withPaymentPart: boolean): [string, unknown][] {
  const c = s.creditor;
  const a = (path: string, x: StructuredAddress | undefined): [string, unknown][] =>
    x ? (["street", "buildingNumber", "postalCode", "town", "country"] as const).map((f) => [`${path}.address.${f}`, x[f]]) : [];
  const out: [string, unknown][] = [
    ["creditor.email", c.email],
    ["creditor.phone", c.phone],
    ["creditor.uid", c.uid],
    ["creditor.vatNumber", c.vatNumber],
    ["unit.id", s.unit.id],
    ["unit.label", s.unit.label],
    ...s.unit.meters.map((m, i): [string, unknown] => [`unit.meters[${i}]`, m]),
    ...s.quality.map((q, i): [string, unknown] => [`quality[${i}].meter`, q.meter]),
    ["comparison.name", s.comparison?.name ?? undefined],
    ["number", s.number],
  ];
  if (!withPaymentPart)
    out.push(["creditor.name", c.name], ...a("creditor", c.address), ["recipient.name", s.recipient.name], ...a("recipient", s.recipient.address));
  return out;
}

/** Every reason the invoice could not be rendered as it stands; empty when it can. */
export function issueProblems(s: InvoiceSnapshot): SnapshotProblem[] {
  const payable = isPayable(s);
  const out: SnapshotProblem[] = [];
  for (const [path, value] of printedTexts(s, payable)) {
    const i = printableIssue(value);
    if (i) out.push({ path, ...i });
  }
  if (payable) out.push(...paymentPartProblems(s));
  return out;
}

/** Throws InvoiceNotIssuableError naming every field when the invoice could not be rendered. */
export function assertIssuable(s: InvoiceSnapshot): InvoiceSnapshot {
  const problems = issueProblems(s);
  if (problems.length) throw new InvoiceNotIssuableError(problems);
  return s;
}
