import type { Language } from "../model/party";

/** Every text of the tenant portal's page, in the four languages of the suite (docs/portal.md). */
export interface PortalTexts {
  title: string;
  loading: string;
  refused: string;
  rateLimited: string;
  failed: string;
  unit: string;
  since: string;
  until: string;
  consumption: string;
  consumptionHint: string;
  byMonth: string;
  byDay: string;
  month: string;
  day: string;
  kWh: string;
  solarShare: string;
  fromSolar: string;
  noData: string;
  invoices: string;
  period: string;
  total: string;
  open: string;
  statusOpen: string;
  statusPartial: string;
  statusPaid: string;
  statusOverpaid: string;
  statusCancelled: string;
  creditNote: string;
  pdf: string;
  noInvoices: string;
  sessions: string;
  date: string;
  priority: string;
  normal: string;
  card: string;
  noSessions: string;
  production: string;
  productionHint: string;
  privacy: string;
}

export const PORTAL_TEXTS: Record<Language, PortalTexts> = {
  en: {
    title: "Your electricity",
    loading: "Loading…",
    refused: "This link is not valid (any more). Please ask your landlord or the community for a new link.",
    rateLimited: "Too many attempts. Please try again in a few minutes.",
    failed: "The page could not be loaded. Please try again later.",
    unit: "Unit",
    since: "since",
    until: "until",
    consumption: "Your consumption",
    consumptionHint: "Solar share: the part of your electricity that came from the building's solar system (and its battery).",
    byMonth: "By month",
    byDay: "By day",
    month: "Month",
    day: "Day",
    kWh: "kWh",
    solarShare: "Solar share",
    fromSolar: "Solar",
    noData: "No measurements yet.",
    invoices: "Your invoices",
    period: "Period",
    total: "Total",
    open: "Open",
    statusOpen: "open",
    statusPartial: "partly paid",
    statusPaid: "paid",
    statusOverpaid: "overpaid",
    statusCancelled: "cancelled",
    creditNote: "credit note",
    pdf: "PDF",
    noInvoices: "No invoices yet.",
    sessions: "Your charging sessions",
    date: "Date",
    priority: "Priority",
    normal: "Normal",
    card: "Card",
    noSessions: "No charging sessions.",
    production: "The community's solar production",
    productionHint: "What the building's solar system produced, for everyone in the community.",
    privacy: "This page is private: anyone with the link sees it. Do not share the link.",
  },
  de: {
    title: "Ihr Strom",
    loading: "Wird geladen…",
    refused: "Dieser Link ist nicht (mehr) gültig. Bitte fragen Sie Ihre Vermieterin oder die Gemeinschaft nach einem neuen Link.",
    rateLimited: "Zu viele Versuche. Bitte versuchen Sie es in einigen Minuten wieder.",
    failed: "Die Seite konnte nicht geladen werden. Bitte versuchen Sie es später wieder.",
    unit: "Einheit",
    since: "seit",
    until: "bis",
    consumption: "Ihr Verbrauch",
    consumptionHint: "Solaranteil: der Teil Ihres Stroms, der von der Solaranlage des Hauses (und ihrer Batterie) kam.",
    byMonth: "Pro Monat",
    byDay: "Pro Tag",
    month: "Monat",
    day: "Tag",
    kWh: "kWh",
    solarShare: "Solaranteil",
    fromSolar: "Solar",
    noData: "Noch keine Messwerte.",
    invoices: "Ihre Rechnungen",
    period: "Periode",
    total: "Betrag",
    open: "Offen",
    statusOpen: "offen",
    statusPartial: "teilweise bezahlt",
    statusPaid: "bezahlt",
    statusOverpaid: "überzahlt",
    statusCancelled: "storniert",
    creditNote: "Gutschrift",
    pdf: "PDF",
    noInvoices: "Noch keine Rechnungen.",
    sessions: "Ihre Ladevorgänge",
    date: "Datum",
    priority: "Priorität",
    normal: "Normal",
    card: "Karte",
    noSessions: "Keine Ladevorgänge.",
    production: "Solarproduktion der Gemeinschaft",
    productionHint: "Was die Solaranlage des Hauses für alle in der Gemeinschaft produziert hat.",
    privacy: "Diese Seite ist privat: Wer den Link hat, sieht sie. Geben Sie den Link nicht weiter.",
  },
  fr: {
    title: "Votre électricité",
    loading: "Chargement…",
    refused: "Ce lien n’est pas (plus) valable. Veuillez demander un nouveau lien à votre bailleur ou à la communauté.",
    rateLimited: "Trop de tentatives. Veuillez réessayer dans quelques minutes.",
    failed: "La page n’a pas pu être chargée. Veuillez réessayer plus tard.",
    unit: "Logement",
    since: "depuis le",
    until: "jusqu’au",
    consumption: "Votre consommation",
    consumptionHint: "Part solaire : la part de votre électricité qui provient de l’installation solaire de l’immeuble (et de sa batterie).",
    byMonth: "Par mois",
    byDay: "Par jour",
    month: "Mois",
    day: "Jour",
    kWh: "kWh",
    solarShare: "Part solaire",
    fromSolar: "Solaire",
    noData: "Pas encore de mesures.",
    invoices: "Vos factures",
    period: "Période",
    total: "Montant",
    open: "Ouvert",
    statusOpen: "ouverte",
    statusPartial: "payée en partie",
    statusPaid: "payée",
    statusOverpaid: "payée en trop",
    statusCancelled: "annulée",
    creditNote: "note de crédit",
    pdf: "PDF",
    noInvoices: "Pas encore de factures.",
    sessions: "Vos recharges",
    date: "Date",
    priority: "Prioritaire",
    normal: "Normale",
    card: "Carte",
    noSessions: "Aucune recharge.",
    production: "Production solaire de la communauté",
    productionHint: "Ce que l’installation solaire de l’immeuble a produit pour toute la communauté.",
    privacy: "Cette page est privée : toute personne ayant le lien la voit. Ne transmettez pas le lien.",
  },
  it: {
    title: "La vostra elettricità",
    loading: "Caricamento…",
    refused: "Questo link non è (più) valido. Chiedete un nuovo link al locatore o alla comunità.",
    rateLimited: "Troppi tentativi. Riprovate tra qualche minuto.",
    failed: "Non è stato possibile caricare la pagina. Riprovate più tardi.",
    unit: "Unità",
    since: "dal",
    until: "al",
    consumption: "Il vostro consumo",
    consumptionHint: "Quota solare: la parte della vostra elettricità proveniente dall’impianto solare dell’edificio (e dalla sua batteria).",
    byMonth: "Per mese",
    byDay: "Per giorno",
    month: "Mese",
    day: "Giorno",
    kWh: "kWh",
    solarShare: "Quota solare",
    fromSolar: "Solare",
    noData: "Ancora nessuna misura.",
    invoices: "Le vostre fatture",
    period: "Periodo",
    total: "Importo",
    open: "Aperto",
    statusOpen: "aperta",
    statusPartial: "pagata in parte",
    statusPaid: "pagata",
    statusOverpaid: "pagata in eccesso",
    statusCancelled: "annullata",
    creditNote: "nota di credito",
    pdf: "PDF",
    noInvoices: "Ancora nessuna fattura.",
    sessions: "Le vostre ricariche",
    date: "Data",
    priority: "Prioritaria",
    normal: "Normale",
    card: "Tessera",
    noSessions: "Nessuna ricarica.",
    production: "Produzione solare della comunità",
    productionHint: "Ciò che l’impianto solare dell’edificio ha prodotto per tutta la comunità.",
    privacy: "Questa pagina è privata: chi ha il link la vede. Non inoltrate il link.",
  },
};
