import { createHash } from "node:crypto";
import { isQrIban } from "../util/iban";

/*
 * Payment references, derived from community and invoice number so that a
 * payment can be matched back (SIX QR-bill guidelines v2.3):
 * - QR-IBAN -> QRR: 26 digits + check digit (modulo 10, recursive);
 * - other IBAN -> SCOR: ISO 11649 creditor reference "RF" + 2 check digits + up to 21 characters.
 */

const MOD10_TABLE = [0, 9, 4, 6, 8, 2, 7, 1, 3, 5];

export function mod10Recursive(digits: string): number {
  let carry = 0;
  for (const ch of digits) carry = MOD10_TABLE[(carry + Number(ch)) % 10]!;
  return (10 - carry) % 10;
}

export function isValidQrReference(ref: string): boolean {
  const s = ref.replace(/\s/g, "");
  return /^\d{27}$/.test(s) && mod10Recursive(s.slice(0, 26)) === Number(s[26]);
}

/** Six digits standing for the community, stable across runs. */
function communityDigits(communityId: string): string {
  const n = parseInt(createHash("sha256").update(communityId).digest("hex").slice(0, 12), 16) % 1_000_000;
  return String(n).padStart(6, "0");
}

/** QRR for invoice number "2026-0042": <community 6><year 4><sequence 16> + check digit. */
export function qrReference(communityId: string, invoiceNumber: string): string {
  const [year, seq] = splitNumber(invoiceNumber);
  const body = communityDigits(communityId) + year + seq.padStart(16, "0");
  return body + String(mod10Recursive(body));
}

function splitNumber(invoiceNumber: string): [string, string] {
  const m = /^(\d{4})-(\d+)$/.exec(invoiceNumber);
  if (!m) throw new RangeError(`invoice number ${JSON.stringify(invoiceNumber)} is not written YYYY-NNNN`);
  return [m[1]!, m[2]!];
}

function mod97(text: string): number {
  let rest = 0;
  for (const ch of text) {
    const v = /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of v) rest = (rest * 10 + Number(digit)) % 97;
  }
  return rest;
}

/** ISO 11649 reference for a payload of up to 21 letters/digits. */
export function creditorReference(payload: string): string {
  const p = payload.toUpperCase().replace(/[^A-Z0-9]/g, "");
  if (!p || p.length > 21) throw new RangeError(`creditor reference payload must have 1-21 letters or digits, got ${JSON.stringify(payload)}`);
  const check = 98 - mod97(p + "RF00");
  return `RF${String(check).padStart(2, "0")}${p}`;
}

export function isValidCreditorReference(ref: string): boolean {
  const s = ref.replace(/\s/g, "").toUpperCase();
  if (!/^RF\d{2}[A-Z0-9]{1,21}$/.test(s)) return false;
  return mod97(s.slice(4) + s.slice(0, 4)) === 1;
}

/** SCOR for invoice number "2026-0042": RFxx + <community 6> + 2026 + 0042. */
export function scorReference(communityId: string, invoiceNumber: string): string {
  const [year, seq] = splitNumber(invoiceNumber);
  return creditorReference(communityDigits(communityId) + year + seq);
}

export function paymentReference(iban: string, communityId: string, invoiceNumber: string): { type: "QRR" | "SCOR"; reference: string } {
  return isQrIban(iban)
    ? { type: "QRR", reference: qrReference(communityId, invoiceNumber) }
    : { type: "SCOR", reference: scorReference(communityId, invoiceNumber) };
}
