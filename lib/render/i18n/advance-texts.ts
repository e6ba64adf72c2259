import type { Language } from "../../model/party";

/**
 * What an advance invoice (Akonto) and an annual final statement say, in one
 * language. Numbers and dates come in formatted (lib/render/format.ts).
 */
export interface AdvanceTexts {
  advanceTitle: string;
  statementTitle: (year: number) => string;
  creditTitle: (year: number) => string;
  /** A credit note cancelling a statement. */
  cancelTitle: (year: number) => string;
  cancelIntro: (number: string) => string;
  meta: { number: string; date: string; due: string; period: string; unit: string; reference: string; vatNumber: string };
  advanceIntro: (period: string) => string;
  advanceVat: (rate: string) => string;
  advanceNoVat: string;
  total: (currency: string) => string;
  payBy: (date: string) => string;
  statementIntro: (from: string, to: string) => string;
  linesTitle: string;
  columns: { pos: string; description: string; quantity: string; price: string; amount: string };
  yearTotal: (currency: string) => string;
  advancesTitle: string;
  advanceColumns: { number: string; date: string; period: string; amount: string; state: string; deducted: string };
  paid: string;
  unpaid: (creditNote: string) => string;
  noAdvances: string;
  deducted: string;
  balanceVat: (rate: string) => string;
  rounding: string;
  payable: (currency: string) => string;
  credit: (currency: string) => string;
  settled: (currency: string) => string;
  payableNote: (date: string) => string;
  creditNote: string;
  unpaidNote: string;
  page: (n: number, of: number) => string;
}

const de: AdvanceTexts = {
  advanceTitle: "Akontorechnung",
  statementTitle: (y) => `Jahresabrechnung ${y}`,
  creditTitle: (y) => `Jahresabrechnung ${y} – Gutschrift`,
  cancelTitle: (y) => `Storno Jahresabrechnung ${y}`,
  cancelIntro: (n) => `Diese Gutschrift storniert die Jahresabrechnung ${n} vollständig.`,
  meta: { number: "Nummer", date: "Datum", due: "Zahlbar bis", period: "Zeitraum", unit: "Einheit", reference: "Referenz", vatNumber: "MWST-Nr." },
  advanceIntro: (p) =>
    `Akontozahlung für den Zeitraum ${p}. Die effektiven Kosten werden mit der Jahresabrechnung abgerechnet; bezahlte Akontozahlungen werden dort abgezogen.`,
  advanceVat: (r) => `inkl. MWST ${r}`,
  advanceNoVat: "Keine MWST (nicht mehrwertsteuerpflichtig)",
  total: (c) => `Total ${c}`,
  payBy: (d) => `Bitte bezahlen Sie den Betrag bis ${d} mit dem QR-Einzahlungsschein.`,
  statementIntro: (f, t) => `Abrechnung Ihres Stromverbrauchs vom ${f} bis ${t}, abzüglich der bezahlten Akontozahlungen.`,
  linesTitle: "Verbrauch und Gebühren",
  columns: { pos: "Pos.", description: "Beschreibung", quantity: "Menge", price: "Preis", amount: "Betrag" },
  yearTotal: (c) => `Effektive Kosten ${c}`,
  advancesTitle: "Akontozahlungen",
  advanceColumns: { number: "Rechnung", date: "Datum", period: "Zeitraum", amount: "Betrag", state: "Status", deducted: "Abgezogen" },
  paid: "bezahlt",
  unpaid: (n) => `nicht bezahlt, storniert (Gutschrift ${n})`,
  noAdvances: "Keine Akontorechnungen in diesem Zeitraum.",
  deducted: "Abzüglich bezahlte Akontozahlungen",
  balanceVat: (r) => `davon MWST ${r}`,
  rounding: "Rundung",
  payable: (c) => `Saldo zu Ihren Lasten ${c}`,
  credit: (c) => `Guthaben zu Ihren Gunsten ${c}`,
  settled: (c) => `Saldo ${c}`,
  payableNote: (d) => `Bitte bezahlen Sie den Saldo bis ${d} mit dem QR-Einzahlungsschein.`,
  creditNote: "Das Guthaben wird Ihnen zurückerstattet oder mit der nächsten Rechnung verrechnet. Bitte nicht einzahlen.",
  unpaidNote: "Nicht bezahlte Akontozahlungen sind nicht abgezogen; sie sind storniert und in diesem Saldo enthalten.",
  page: (n, of) => `Seite ${n} von ${of}`,
};

const fr: AdvanceTexts = {
  advanceTitle: "Facture d'acompte",
  statementTitle: (y) => `Décompte annuel ${y}`,
  creditTitle: (y) => `Décompte annuel ${y} – note de crédit`,
  cancelTitle: (y) => `Annulation du décompte annuel ${y}`,
  cancelIntro: (n) => `Cette note de crédit annule entièrement le décompte annuel ${n}.`,
  meta: { number: "Numéro", date: "Date", due: "Payable jusqu'au", period: "Période", unit: "Unité", reference: "Référence", vatNumber: "N° TVA" },
  advanceIntro: (p) => `Acompte pour la période ${p}. Les coûts effectifs sont établis dans le décompte annuel, qui déduit les acomptes payés.`,
  advanceVat: (r) => `TVA ${r} incluse`,
  advanceNoVat: "Sans TVA (non assujetti)",
  total: (c) => `Total ${c}`,
  payBy: (d) => `Merci de payer le montant jusqu'au ${d} avec le bulletin de versement QR.`,
  statementIntro: (f, t) => `Décompte de votre consommation d'électricité du ${f} au ${t}, moins les acomptes payés.`,
  linesTitle: "Consommation et taxes",
  columns: { pos: "Pos.", description: "Description", quantity: "Quantité", price: "Prix", amount: "Montant" },
  yearTotal: (c) => `Coûts effectifs ${c}`,
  advancesTitle: "Acomptes",
  advanceColumns: { number: "Facture", date: "Date", period: "Période", amount: "Montant", state: "Statut", deducted: "Déduit" },
  paid: "payé",
  unpaid: (n) => `non payé, annulé (note de crédit ${n})`,
  noAdvances: "Aucune facture d'acompte pour cette période.",
  deducted: "Moins les acomptes payés",
  balanceVat: (r) => `dont TVA ${r}`,
  rounding: "Arrondi",
  payable: (c) => `Solde à votre charge ${c}`,
  credit: (c) => `Solde en votre faveur ${c}`,
  settled: (c) => `Solde ${c}`,
  payableNote: (d) => `Merci de payer le solde jusqu'au ${d} avec le bulletin de versement QR.`,
  creditNote: "Le solde en votre faveur vous sera remboursé ou imputé sur la prochaine facture. Ne pas payer.",
  unpaidNote: "Les acomptes non payés ne sont pas déduits ; ils sont annulés et compris dans ce solde.",
  page: (n, of) => `Page ${n} sur ${of}`,
};

const it: AdvanceTexts = {
  advanceTitle: "Fattura d'acconto",
  statementTitle: (y) => `Conteggio annuale ${y}`,
  creditTitle: (y) => `Conteggio annuale ${y} – nota di credito`,
  cancelTitle: (y) => `Storno del conteggio annuale ${y}`,
  cancelIntro: (n) => `Questa nota di credito annulla interamente il conteggio annuale ${n}.`,
  meta: { number: "Numero", date: "Data", due: "Pagabile entro il", period: "Periodo", unit: "Unità", reference: "Riferimento", vatNumber: "N. IVA" },
  advanceIntro: (p) => `Acconto per il periodo ${p}. I costi effettivi sono conteggiati nel conteggio annuale, che deduce gli acconti pagati.`,
  advanceVat: (r) => `IVA ${r} inclusa`,
  advanceNoVat: "Senza IVA (non assoggettato)",
  total: (c) => `Totale ${c}`,
  payBy: (d) => `Vi preghiamo di pagare l'importo entro il ${d} con la polizza di versamento QR.`,
  statementIntro: (f, t) => `Conteggio del vostro consumo di elettricità dal ${f} al ${t}, dedotti gli acconti pagati.`,
  linesTitle: "Consumo e tasse",
  columns: { pos: "Pos.", description: "Descrizione", quantity: "Quantità", price: "Prezzo", amount: "Importo" },
  yearTotal: (c) => `Costi effettivi ${c}`,
  advancesTitle: "Acconti",
  advanceColumns: { number: "Fattura", date: "Data", period: "Periodo", amount: "Importo", state: "Stato", deducted: "Dedotto" },
  paid: "pagato",
  unpaid: (n) => `non pagato, annullato (nota di credito ${n})`,
  noAdvances: "Nessuna fattura d'acconto in questo periodo.",
  deducted: "Dedotti gli acconti pagati",
  balanceVat: (r) => `di cui IVA ${r}`,
  rounding: "Arrotondamento",
  payable: (c) => `Saldo a vostro carico ${c}`,
  credit: (c) => `Saldo a vostro favore ${c}`,
  settled: (c) => `Saldo ${c}`,
  payableNote: (d) => `Vi preghiamo di pagare il saldo entro il ${d} con la polizza di versamento QR.`,
  creditNote: "Il saldo a vostro favore vi sarà rimborsato o compensato con la prossima fattura. Non pagare.",
  unpaidNote: "Gli acconti non pagati non sono dedotti; sono annullati e compresi in questo saldo.",
  page: (n, of) => `Pagina ${n} di ${of}`,
};

const en: AdvanceTexts = {
  advanceTitle: "Advance invoice",
  statementTitle: (y) => `Annual statement ${y}`,
  creditTitle: (y) => `Annual statement ${y} – credit note`,
  cancelTitle: (y) => `Cancellation of the annual statement ${y}`,
  cancelIntro: (n) => `This credit note cancels the annual statement ${n} in full.`,
  meta: { number: "Number", date: "Date", due: "Payable by", period: "Period", unit: "Unit", reference: "Reference", vatNumber: "VAT no." },
  advanceIntro: (p) => `Advance payment for ${p}. The actual costs are settled in the annual statement, which deducts the advances paid.`,
  advanceVat: (r) => `incl. VAT ${r}`,
  advanceNoVat: "No VAT (not VAT-registered)",
  total: (c) => `Total ${c}`,
  payBy: (d) => `Please pay the amount by ${d} with the QR payment slip.`,
  statementIntro: (f, t) => `Statement of your electricity from ${f} to ${t}, less the advances paid.`,
  linesTitle: "Consumption and fees",
  columns: { pos: "Pos.", description: "Description", quantity: "Quantity", price: "Price", amount: "Amount" },
  yearTotal: (c) => `Actual costs ${c}`,
  advancesTitle: "Advance payments",
  advanceColumns: { number: "Invoice", date: "Date", period: "Period", amount: "Amount", state: "Status", deducted: "Deducted" },
  paid: "paid",
  unpaid: (n) => `not paid, cancelled (credit note ${n})`,
  noAdvances: "No advance invoices in this period.",
  deducted: "Less advances paid",
  balanceVat: (r) => `of which VAT ${r}`,
  rounding: "Rounding",
  payable: (c) => `Balance due ${c}`,
  credit: (c) => `Balance in your favour ${c}`,
  settled: (c) => `Balance ${c}`,
  payableNote: (d) => `Please pay the balance by ${d} with the QR payment slip.`,
  creditNote: "The balance in your favour will be refunded or credited against your next invoice. Do not pay.",
  unpaidNote: "Advances not paid are not deducted; they are cancelled and included in this balance.",
  page: (n, of) => `Page ${n} of ${of}`,
};

const TEXTS: Record<Language, AdvanceTexts> = { de, fr, it, en };

export function advanceTexts(language: string): AdvanceTexts {
  return TEXTS[language as Language] ?? de;
}
