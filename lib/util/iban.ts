/** IBAN checks (ISO 13616 mod-97) and Swiss QR-IBAN detection. */

import { Issue, issue, quoted } from "./issue";

const LENGTHS: Record<string, number> = { CH: 21, LI: 21, DE: 22, AT: 20, FR: 27, IT: 27 };

export function normalizeIban(iban: string): string {
  return String(iban).replace(/\s+/g, "").toUpperCase();
}

export function formatIban(iban: string): string {
  return normalizeIban(iban)
    .replace(/(.{4})/g, "$1 ")
    .trim();
}

function mod97(digits: string): number {
  let rest = 0;
  for (const ch of digits) rest = (rest * 10 + Number(ch)) % 97;
  return rest;
}

/** Why an IBAN is not valid (code, values and English text), or null when it is. */
export function ibanIssue(iban: string): Issue | null {
  const s = normalizeIban(iban);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(s))
    return issue("iban.format", "IBAN __iban__ is not written like an IBAN (two letters, two check digits, account)", { iban: quoted(iban) });
  const expected = LENGTHS[s.slice(0, 2)];
  if (expected !== undefined && s.length !== expected)
    return issue("iban.length", "IBAN __iban__ has __length__ characters; a __country__ IBAN has __expected__", {
      iban: formatIban(s),
      length: s.length,
      country: s.slice(0, 2),
      expected,
    });
  const rearranged = s.slice(4) + s.slice(0, 4);
  const digits = rearranged.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  if (mod97(digits) !== 1) return issue("iban.checkDigit", "IBAN __iban__ has a wrong check digit (typing error?)", { iban: formatIban(s) });
  return null;
}

/** Why an IBAN is not valid, in English, or null when it is. */
export function ibanProblem(iban: string): string | null {
  return ibanIssue(iban)?.message ?? null;
}

export function isValidIban(iban: string): boolean {
  return ibanProblem(iban) === null;
}

/** A QR-IBAN has an institution id (IID, positions 5-9) from 30000 to 31999. */
export function isQrIban(iban: string): boolean {
  const s = normalizeIban(iban);
  if (!/^(CH|LI)/.test(s) || s.length !== 21) return false;
  const iid = Number(s.slice(4, 9));
  return iid >= 30000 && iid <= 31999;
}
