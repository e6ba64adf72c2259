import { SwissQRBill } from "swissqrbill/pdf";
import type { Data } from "swissqrbill/types";
import { isIBANValid } from "swissqrbill/utils";
import { isValidCreditorReference, isValidQrReference } from "../billing/reference";
import type { InvoiceSnapshot } from "../billing/types";
import type { StructuredAddress } from "../community/types";
import { ibanProblem, isQrIban, normalizeIban } from "../util/iban";
import { Decimal } from "../util/money";
import { swicoDate } from "./format";

/*
 * The Swiss QR bill's data (SIX implementation guidelines v2.3) built from an
 * issued invoice's snapshot, checked before anything is drawn or written:
 * every problem names the snapshot field it comes from, so an admin knows
 * what to fix in the community's creditor data. swissqrbill's own validation
 * runs last, as a second opinion.
 */

export interface QrBillProblem {
  field: string;
  message: string;
}

export class QrBillDataError extends Error {
  constructor(readonly problems: QrBillProblem[]) {
    super(`the QR bill cannot be made: ${problems.map((p) => `${p.field}: ${p.message}`).join("; ")}`);
    this.name = "QrBillDataError";
  }
}

/** Characters SIX v2.3 allows in a QR bill: Basic Latin, Latin-1 Supplement, Latin Extended-A, Ș ș Ț ț and €. */
const SIX_CHARACTERS = /^[\u0020-\u007e\u00a0-\u00ff\u0100-\u017f\u0218-\u021b\u20ac]*$/;

const MIN_AMOUNT = new Decimal("0.01");
const MAX_AMOUNT = new Decimal("999999999.99");

function checkText(out: QrBillProblem[], field: string, value: unknown, max: number, required: boolean): void {
  const text = value === undefined || value === null ? "" : String(value);
  if (!text.trim()) {
    if (required) out.push({ field, message: "is required for a QR bill (SIX v2.3 structured address)" });
    return;
  }
  if (text.length > max) out.push({ field, message: `has ${text.length} characters; a QR bill allows at most ${max}` });
  if (!SIX_CHARACTERS.test(text)) {
    const bad = [...new Set([...text].filter((ch) => !SIX_CHARACTERS.test(ch)))].join("");
    out.push({ field, message: `contains characters a QR bill does not allow: ${JSON.stringify(bad)}` });
  }
}

function checkParty(out: QrBillProblem[], path: string, name: string | undefined, a: StructuredAddress | undefined): void {
  checkText(out, `${path}.name`, name, 70, true);
  if (!a) {
    out.push({ field: `${path}.address`, message: "a structured address (street, postal code, town, country) is required" });
    return;
  }
  checkText(out, `${path}.address.street`, a.street, 70, true);
  checkText(out, `${path}.address.buildingNumber`, a.buildingNumber, 16, false);
  checkText(out, `${path}.address.postalCode`, a.postalCode, 16, true);
  checkText(out, `${path}.address.town`, a.town, 35, true);
  if (!/^[A-Z]{2}$/.test(String(a.country ?? ""))) out.push({ field: `${path}.address.country`, message: `must be a two-letter ISO country code such as CH, got ${JSON.stringify(a.country ?? "")}` });
}

function escapeS1(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\//g, "\\/");
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

/** Every reason the snapshot cannot carry a QR payment part; empty when it can. */
export function qrBillProblems(s: InvoiceSnapshot): QrBillProblem[] {
  const out: QrBillProblem[] = [];
  if (s.currency !== "CHF" && s.currency !== "EUR") out.push({ field: "currency", message: `must be CHF or EUR, got ${JSON.stringify(s.currency)}` });
  const iban = normalizeIban(s.creditor.iban ?? "");
  const ibanIssue = iban ? ibanProblem(iban) : "an IBAN or QR-IBAN is required";
  if (ibanIssue) out.push({ field: "creditor.iban", message: ibanIssue });
  else if (!/^(CH|LI)/.test(iban)) out.push({ field: "creditor.iban", message: `a QR bill needs a CH or LI IBAN, got ${iban.slice(0, 2)}` });
  else if (!isIBANValid(iban)) out.push({ field: "creditor.iban", message: "swissqrbill does not accept this IBAN" });

  const ref = (s.reference ?? "").replace(/\s/g, "");
  if (!ibanIssue) {
    if (isQrIban(iban)) {
      if (!ref) out.push({ field: "reference", message: "the creditor account is a QR-IBAN, which needs a QR reference (QRR, 27 digits); this invoice has none" });
      else if (!/^\d{27}$/.test(ref)) out.push({ field: "reference", message: `the creditor account is a QR-IBAN, which needs a QR reference (QRR, 27 digits), not ${JSON.stringify(ref)}` });
      else if (!isValidQrReference(ref)) out.push({ field: "reference", message: `QR reference ${ref} has a wrong check digit (modulo 10, recursive)` });
    } else if (ref) {
      if (/^\d+$/.test(ref)) out.push({ field: "reference", message: "a QR reference (QRR) is only allowed with a QR-IBAN; with this IBAN use a creditor reference (SCOR, RF...)" });
      else if (!isValidCreditorReference(ref)) out.push({ field: "reference", message: `${JSON.stringify(ref)} is not a valid ISO 11649 creditor reference (RF + 2 check digits)` });
    }
  }
  checkParty(out, "creditor", s.creditor.name, s.creditor.address);
  checkParty(out, "recipient", s.recipient?.name, s.recipient?.address);

  const total = new Decimal(s.totals.total);
  if (total.lt(MIN_AMOUNT) || total.gt(MAX_AMOUNT)) out.push({ field: "totals.total", message: `a QR bill amount must be 0.01 to 999'999'999.99, got ${s.totals.total}` });
  if (!s.number) out.push({ field: "number", message: "only an issued (numbered) invoice carries a payment part" });
  if (swicoBillInformation(s).length > 140) out.push({ field: "number", message: "the bill information (Swico S1) is longer than the 140 characters a QR bill allows" });
  return out;
}

function party(name: string, a: StructuredAddress): { name: string; address: string; buildingNumber?: string; zip: string; city: string; country: string } {
  return {
    name,
    address: a.street,
    ...(a.buildingNumber !== undefined && String(a.buildingNumber).trim() !== "" ? { buildingNumber: String(a.buildingNumber) } : {}),
    zip: a.postalCode,
    city: a.town,
    country: a.country,
  };
}

/** swissqrbill's data for an issued, payable invoice; throws QrBillDataError naming every bad field. */
export function qrBillData(s: InvoiceSnapshot): Data {
  const problems = qrBillProblems(s);
  if (problems.length) throw new QrBillDataError(problems);
  const ref = (s.reference ?? "").replace(/\s/g, "");
  const data: Data = {
    currency: s.currency,
    amount: Number(new Decimal(s.totals.total).toFixed(2)),
    creditor: { ...party(s.creditor.name, s.creditor.address), account: normalizeIban(s.creditor.iban) },
    debtor: party(s.recipient.name, s.recipient.address),
    ...(ref ? { reference: ref } : {}),
    additionalInformation: swicoBillInformation(s),
  };
  try {
    // swissqrbill validates in its constructor: a second opinion before anything is drawn.
    new SwissQRBill(data);
  } catch (e) {
    throw new QrBillDataError([{ field: "qr-bill", message: `swissqrbill refused the data: ${(e as Error).message}` }]);
  }
  return data;
}
