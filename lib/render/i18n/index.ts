import type { Language } from "../../model/party";
import { de } from "./de";
import { en } from "./en";
import { fr } from "./fr";
import { it } from "./it";
import type { InvoiceTexts } from "./types";

export type { InvoiceTexts } from "./types";

const CATALOGS: Record<Language, InvoiceTexts> = { de, fr, it, en };

/** The invoice texts in the tenant's language; German when a snapshot carries an unknown one. */
export function invoiceTexts(language: Language | string): InvoiceTexts {
  return CATALOGS[language as Language] ?? de;
}
