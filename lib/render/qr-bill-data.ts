import { SwissQRBill } from "swissqrbill/pdf";
import type { Data } from "swissqrbill/types";
import { isIBANValid } from "swissqrbill/utils";
import { paymentPartProblems, swicoBillInformation } from "../billing/issuable";
import type { InvoiceSnapshot } from "../model/invoice";
import type { StructuredAddress } from "../model/party";
import { normalizeIban } from "../util/iban";
import { Decimal } from "../util/money";

export { swicoBillInformation } from "../billing/issuable";

/*
 * The Swiss QR bill's data (SIX implementation guidelines v2.3) built from an
 * issued invoice's snapshot, checked before anything is drawn or written:
 * every problem names the snapshot field it comes from, so an admin knows
 * what to fix in the community's creditor data. The rules are those checked
 * at import and before issuing (lib/billing/issuable.ts,
 * lib/community/payment-rules.ts); swissqrbill's own validation runs last,
 * as a second opinion.
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

/** Every reason the snapshot cannot carry a QR payment part; empty when it can. */
export function qrBillProblems(s: InvoiceSnapshot): QrBillProblem[] {
  const out: QrBillProblem[] = paymentPartProblems(s).map((p) => ({ field: p.path, message: p.message }));
  const iban = normalizeIban(s.creditor?.iban ?? "");
  if (!out.some((p) => p.field === "creditor.iban") && !isIBANValid(iban))
    out.push({ field: "creditor.iban", message: "swissqrbill does not accept this IBAN" });
  return out;
}

/** NFC: "C" + combining caron becomes "Č", one character of the SIX set (the checks count and test the NFC form too). */
const nfc = (s: string): string => String(s).normalize("NFC");

function party(name: string, a: StructuredAddress): { name: string; address: string; buildingNumber?: string; zip: string; city: string; country: string } {
  return {
    name: nfc(name),
    address: nfc(a.street),
    ...(a.buildingNumber !== undefined && String(a.buildingNumber).trim() !== "" ? { buildingNumber: nfc(String(a.buildingNumber)) } : {}),
    zip: nfc(a.postalCode),
    city: nfc(a.town),
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
