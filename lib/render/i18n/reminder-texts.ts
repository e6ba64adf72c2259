import type { Language } from "../../model/party";

/**
 * What a payment reminder says, in one language. Level 1 is a friendly
 * reminder, the levels after it reminders, and the community's last level
 * the final notice. Numbers and dates come in formatted (lib/render/format.ts).
 */
export interface ReminderTexts {
  title: (level: number, final: boolean) => string;
  meta: { number: string; date: string; invoice: string; invoiceDate: string; originalDue: string; reference: string };
  intro: (invoice: string, invoiceDate: string) => string;
  rows: { total: string; fees: string; feeThis: string; paid: string; due: (currency: string) => string };
  payBy: (date: string) => string;
  crossed: string;
  finalNote: string;
  questions: (contact: string) => string;
}

const de: ReminderTexts = {
  title: (level, final) => (final ? "Letzte Mahnung" : level === 1 ? "Zahlungserinnerung" : `${level - 1}. Mahnung`),
  meta: { number: "Nummer", date: "Datum", invoice: "Rechnung", invoiceDate: "Rechnungsdatum", originalDue: "Fällig seit", reference: "Referenz" },
  intro: (invoice, date) =>
    `Auf unserer Rechnung ${invoice} vom ${date} ist bis heute kein vollständiger Zahlungseingang verbucht. Wir bitten Sie, den offenen Betrag zu überweisen.`,
  rows: { total: "Rechnungsbetrag", fees: "Gebühren früherer Mahnungen", feeThis: "Mahngebühr", paid: "Bereits bezahlt", due: (c) => `Offener Betrag ${c}` },
  payBy: (d) => `Bitte bezahlen Sie den offenen Betrag bis ${d} mit dem beiliegenden QR-Einzahlungsschein.`,
  crossed: "Sollte sich Ihre Zahlung mit diesem Schreiben gekreuzt haben, betrachten Sie es bitte als gegenstandslos.",
  finalNote: "Dies ist unsere letzte Mahnung. Ohne Zahlung bis zum genannten Datum leiten wir weitere Schritte ein.",
  questions: (c) => `Fragen: ${c}`,
};

const fr: ReminderTexts = {
  title: (level, final) => (final ? "Dernier rappel" : level === 1 ? "Rappel de paiement" : `${level - 1}${level === 2 ? "er" : "e"} rappel`),
  meta: { number: "Numéro", date: "Date", invoice: "Facture", invoiceDate: "Date de la facture", originalDue: "Échue depuis le", reference: "Référence" },
  intro: (invoice, date) =>
    `À ce jour, aucun paiement complet de notre facture ${invoice} du ${date} n'a été enregistré. Nous vous prions de verser le montant ouvert.`,
  rows: {
    total: "Montant de la facture",
    fees: "Frais des rappels précédents",
    feeThis: "Frais de rappel",
    paid: "Déjà payé",
    due: (c) => `Montant ouvert ${c}`,
  },
  payBy: (d) => `Veuillez payer le montant ouvert d'ici au ${d} avec la QR-facture ci-jointe.`,
  crossed: "Si votre paiement a croisé ce courrier, veuillez ne pas en tenir compte.",
  finalNote: "Ceci est notre dernier rappel. Sans paiement à la date indiquée, nous engagerons d'autres démarches.",
  questions: (c) => `Questions : ${c}`,
};

const it: ReminderTexts = {
  title: (level, final) => (final ? "Ultimo sollecito" : level === 1 ? "Promemoria di pagamento" : `${level - 1}° sollecito`),
  meta: { number: "Numero", date: "Data", invoice: "Fattura", invoiceDate: "Data della fattura", originalDue: "Scaduta dal", reference: "Riferimento" },
  intro: (invoice, date) =>
    `Ad oggi non risulta registrato il pagamento completo della nostra fattura ${invoice} del ${date}. Vi preghiamo di versare l'importo aperto.`,
  rows: {
    total: "Importo della fattura",
    fees: "Spese di solleciti precedenti",
    feeThis: "Spese di sollecito",
    paid: "Già pagato",
    due: (c) => `Importo aperto ${c}`,
  },
  payBy: (d) => `Vi preghiamo di pagare l'importo aperto entro il ${d} con la QR-fattura allegata.`,
  crossed: "Se il vostro pagamento si è incrociato con questo scritto, vogliate considerarlo nullo.",
  finalNote: "Questo è il nostro ultimo sollecito. Senza pagamento entro la data indicata avvieremo ulteriori passi.",
  questions: (c) => `Domande: ${c}`,
};

const en: ReminderTexts = {
  title: (level, final) => (final ? "Final notice" : level === 1 ? "Payment reminder" : `Reminder ${level - 1}`),
  meta: { number: "Number", date: "Date", invoice: "Invoice", invoiceDate: "Invoice date", originalDue: "Due since", reference: "Reference" },
  intro: (invoice, date) => `We have not yet received full payment of our invoice ${invoice} of ${date}. Please transfer the amount still open.`,
  rows: { total: "Invoice amount", fees: "Fees of earlier reminders", feeThis: "Reminder fee", paid: "Already paid", due: (c) => `Amount open ${c}` },
  payBy: (d) => `Please pay the amount open by ${d} with the enclosed QR bill.`,
  crossed: "If your payment and this letter have crossed, please disregard it.",
  finalNote: "This is our final notice. Without payment by the date given we will take further steps.",
  questions: (c) => `Questions: ${c}`,
};

const CATALOGS: Record<Language, ReminderTexts> = { de, fr, it, en };

export function reminderTexts(language: Language | string): ReminderTexts {
  return CATALOGS[language as Language] ?? de;
}
