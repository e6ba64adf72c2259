import type { Language } from "../../model/party";

/**
 * What a LEG's documents say (docs/decisions/0130, 0131): the notes on a
 * member's invoice and the producer's statement. Numbers, dates and
 * amounts come in formatted (lib/render/format.ts).
 */
export interface LegTexts {
  invoice: {
    local: (localKWh: string, drawKWh: string, share: string, key: "proportional" | "static") => string;
    operatorSource: string;
    residual: (residualKWh: string) => string;
    gridFee: (percent: number, localKWh: string) => string;
    gridFeeAmount: (localKWh: string, fee: string, currency: string, percent: number, amount: string) => string;
  };
  statement: {
    title: string;
    meta: { number: string; date: string; period: string; service: string; unit: string; meters: string; producerVat: string };
    intro: (community: string) => string;
    columns: { description: string; quantity: string; unitPrice: string; amount: (currency: string) => string };
    line: string;
    rows: { net: string; vat: (rate: string, base: string) => string; noVat: string; total: (currency: string) => string };
    energy: (feedInKWh: string, creditedKWh: string, surplusKWh: string) => string;
    payment: string;
    draft: string;
    questions: (contact: string) => string;
  };
}

const de: LegTexts = {
  invoice: {
    local: (l, d, s, k) =>
      `Lokale Energie aus der LEG: ${l} kWh Ihres Bezugs von ${d} kWh (${s}), pro Viertelstunde ${k === "static" ? "nach dem festen Verteilschlüssel der Gemeinschaft" : "im Verhältnis zum Verbrauch"} verteilt.`,
    operatorSource: "Lokaler Anteil und Restbezug wie vom Netzbetreiber geliefert.",
    residual: (r) => `Restbezug aus dem Netz: ${r} kWh. Diese Energie stellt Ihnen Ihr Netzbetreiber in Rechnung, nicht diese Rechnung.`,
    gridFee: (p, l) =>
      `Netznutzungsentgelt: Ihr Netzbetreiber reduziert es für die ${l} kWh lokale Energie um ${p} % (zur Information, hier nicht verrechnet).`,
    gridFeeAmount: (l, f, c, p, a) =>
      `Netznutzungsentgelt: Reduktion auf lokaler Energie ${l} kWh × ${f} ${c}/kWh × ${p} % = ${a} ${c}, gewährt von Ihrem Netzbetreiber (zur Information, hier nicht verrechnet).`,
  },
  statement: {
    title: "Gutschrift Stromlieferung",
    meta: { number: "Nummer", date: "Datum", period: "Periode", service: "Lieferzeit", unit: "Anschluss", meters: "Messpunkte", producerVat: "Ihre MWST-Nr." },
    intro: (c) => `Für die Energie, die Sie in die lokale Elektrizitätsgemeinschaft ${c} eingespeist haben, schreiben wir Ihnen gut:`,
    columns: { description: "Beschreibung", quantity: "Menge kWh", unitPrice: "Preis", amount: (c) => `Betrag ${c}` },
    line: "An die LEG gelieferte Energie",
    rows: {
      net: "Total ohne MWST",
      vat: (r, b) => `MWST ${r} auf ${b}`,
      noVat: "Ohne MWST (Produzent nicht mehrwertsteuerpflichtig)",
      total: (c) => `Gutschrift ${c}`,
    },
    energy: (f, cr, s) =>
      `Eingespeist ${f} kWh, davon in der Gemeinschaft verbraucht und gutgeschrieben ${cr} kWh; ${s} kWh flossen ins übrige Netz (nicht Teil dieser Gutschrift).`,
    payment: "Wir überweisen den Betrag auf Ihr Konto. Kein Einzahlungsschein: die LEG bezahlt.",
    draft: "Entwurf: noch ohne Nummer.",
    questions: (c) => `Fragen: ${c}`,
  },
};

const en: LegTexts = {
  invoice: {
    local: (l, d, s, k) =>
      `Local energy from the LEG: ${l} kWh of the ${d} kWh you drew (${s}), split per quarter hour ${k === "static" ? "by the community's fixed key" : "in proportion to consumption"}.`,
    operatorSource: "Local share and residual as delivered by the grid operator.",
    residual: (r) => `Residual grid energy: ${r} kWh. Billed by your grid operator, not on this invoice.`,
    gridFee: (p, l) => `Network fee: your grid operator reduces it by ${p} % for the ${l} kWh of local energy (information, not billed here).`,
    gridFeeAmount: (l, f, c, p, a) =>
      `Network fee: reduction on local energy ${l} kWh × ${f} ${c}/kWh × ${p} % = ${a} ${c}, granted by your grid operator (information, not billed here).`,
  },
  statement: {
    title: "Producer statement",
    meta: { number: "Number", date: "Date", period: "Period", service: "Delivery", unit: "Connection", meters: "Metering points", producerVat: "Your VAT no." },
    intro: (c) => `For the energy you fed into the local electricity community ${c} we credit you:`,
    columns: { description: "Description", quantity: "Quantity kWh", unitPrice: "Price", amount: (c) => `Amount ${c}` },
    line: "Energy delivered into the LEG",
    rows: { net: "Total without VAT", vat: (r, b) => `VAT ${r} on ${b}`, noVat: "No VAT (producer not VAT-registered)", total: (c) => `Credit ${c}` },
    energy: (f, cr, s) =>
      `Fed in ${f} kWh, of which used in the community and credited ${cr} kWh; ${s} kWh went into the wider grid (not part of this credit).`,
    payment: "We transfer the amount to your account. No payment slip: the LEG pays.",
    draft: "Draft: not numbered yet.",
    questions: (c) => `Questions: ${c}`,
  },
};

const fr: LegTexts = {
  invoice: {
    local: (l, d, s, k) =>
      `Énergie locale de la CEL : ${l} kWh sur les ${d} kWh que vous avez soutirés (${s}), répartis par quart d'heure ${k === "static" ? "selon la clé fixe de la communauté" : "au prorata de la consommation"}.`,
    operatorSource: "Part locale et soutirage résiduel tels que fournis par le gestionnaire de réseau.",
    residual: (r) => `Soutirage résiduel du réseau : ${r} kWh. Facturé par votre gestionnaire de réseau, pas sur cette facture.`,
    gridFee: (p, l) =>
      `Timbre de réseau : votre gestionnaire de réseau le réduit de ${p} % pour les ${l} kWh d'énergie locale (pour information, non facturé ici).`,
    gridFeeAmount: (l, f, c, p, a) =>
      `Timbre de réseau : réduction sur l'énergie locale ${l} kWh × ${f} ${c}/kWh × ${p} % = ${a} ${c}, accordée par votre gestionnaire de réseau (pour information, non facturé ici).`,
  },
  statement: {
    title: "Note de crédit de production",
    meta: {
      number: "Numéro",
      date: "Date",
      period: "Période",
      service: "Livraison",
      unit: "Raccordement",
      meters: "Points de mesure",
      producerVat: "Votre n° TVA",
    },
    intro: (c) => `Pour l'énergie que vous avez injectée dans la communauté électrique locale ${c}, nous vous créditons :`,
    columns: { description: "Description", quantity: "Quantité kWh", unitPrice: "Prix", amount: (c) => `Montant ${c}` },
    line: "Énergie livrée à la CEL",
    rows: { net: "Total hors TVA", vat: (r, b) => `TVA ${r} sur ${b}`, noVat: "Sans TVA (producteur non assujetti)", total: (c) => `Crédit ${c}` },
    energy: (f, cr, s) =>
      `Injecté ${f} kWh, dont consommé dans la communauté et crédité ${cr} kWh ; ${s} kWh sont allés dans le reste du réseau (hors de ce crédit).`,
    payment: "Nous virons le montant sur votre compte. Pas de bulletin de versement : la CEL paie.",
    draft: "Projet : pas encore numéroté.",
    questions: (c) => `Questions : ${c}`,
  },
};

const it: LegTexts = {
  invoice: {
    local: (l, d, s, k) =>
      `Energia locale della CEL: ${l} kWh dei ${d} kWh prelevati (${s}), ripartiti per quarto d'ora ${k === "static" ? "secondo la chiave fissa della comunità" : "in proporzione al consumo"}.`,
    operatorSource: "Quota locale e prelievo residuo come forniti dal gestore di rete.",
    residual: (r) => `Prelievo residuo dalla rete: ${r} kWh. Fatturato dal vostro gestore di rete, non su questa fattura.`,
    gridFee: (p, l) =>
      `Tariffa di rete: il vostro gestore di rete la riduce del ${p} % per i ${l} kWh di energia locale (a titolo informativo, non fatturato qui).`,
    gridFeeAmount: (l, f, c, p, a) =>
      `Tariffa di rete: riduzione sull'energia locale ${l} kWh × ${f} ${c}/kWh × ${p} % = ${a} ${c}, concessa dal vostro gestore di rete (a titolo informativo, non fatturato qui).`,
  },
  statement: {
    title: "Nota di accredito di produzione",
    meta: {
      number: "Numero",
      date: "Data",
      period: "Periodo",
      service: "Fornitura",
      unit: "Allacciamento",
      meters: "Punti di misura",
      producerVat: "Vostro n. IVA",
    },
    intro: (c) => `Per l'energia immessa nella comunità elettrica locale ${c} vi accreditiamo:`,
    columns: { description: "Descrizione", quantity: "Quantità kWh", unitPrice: "Prezzo", amount: (c) => `Importo ${c}` },
    line: "Energia fornita alla CEL",
    rows: { net: "Totale senza IVA", vat: (r, b) => `IVA ${r} su ${b}`, noVat: "Senza IVA (produttore non assoggettato)", total: (c) => `Accredito ${c}` },
    energy: (f, cr, s) =>
      `Immessi ${f} kWh, di cui consumati nella comunità e accreditati ${cr} kWh; ${s} kWh sono andati nel resto della rete (non inclusi in questo accredito).`,
    payment: "Vi versiamo l'importo sul vostro conto. Nessuna polizza di versamento: paga la CEL.",
    draft: "Bozza: non ancora numerata.",
    questions: (c) => `Domande: ${c}`,
  },
};

const TEXTS: Record<Language, LegTexts> = { de, en, fr, it };

export function legTexts(language: Language): LegTexts {
  return TEXTS[language] ?? TEXTS.de;
}
