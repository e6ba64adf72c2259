/*
 * Who an invoice is from and to, in the words of the Swiss QR bill: the
 * parties of a community and of every invoice snapshot. On the model floor
 * (decision 0085) so that the store's invoice snapshots need no room above it.
 */

export type CommunityKind = "ZEV" | "vZEV" | "LEG";
export const COMMUNITY_KINDS: readonly CommunityKind[] = ["ZEV", "vZEV", "LEG"];

export type Currency = "CHF" | "EUR";
export const CURRENCIES: readonly Currency[] = ["CHF", "EUR"];

/** Languages a tenant can receive invoices in. */
export type Language = "de" | "fr" | "it" | "en";
export const LANGUAGES: readonly Language[] = ["de", "fr", "it", "en"];

/** Structured address as the Swiss QR bill (SIX v2.3, type S) requires it. */
export interface StructuredAddress {
  street: string;
  buildingNumber?: string;
  postalCode: string;
  town: string;
  /** ISO 3166-1 alpha-2, e.g. CH. */
  country: string;
}

export interface Party {
  name: string;
  address: StructuredAddress;
  email?: string;
  language: Language;
}

export interface Creditor {
  name: string;
  address: StructuredAddress;
  /** IBAN or QR-IBAN, CH or LI, written with or without spaces. */
  iban: string;
  /** Enterprise identification number, e.g. CHE-123.456.789. */
  uid?: string;
  /** VAT number as printed, e.g. CHE-123.456.789 MWST. */
  vatNumber?: string;
  vatRegistered: boolean;
  email?: string;
  phone?: string;
  /** Days from invoice date to due date. */
  paymentTermDays?: number;
}
