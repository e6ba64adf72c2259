/*
 * Every string the dashboard tab shows, in the four languages of the suite.
 * The flow generator writes one dashboard file per language; function nodes
 * get the strings they format with as a constant `T` at the top of their code.
 */

import { ADMIN_TEXTS, type AdminTexts } from "./texts-admin";

export type Lang = "en" | "de" | "fr" | "it";
export const LANGS: readonly Lang[] = ["en", "de", "fr", "it"];

export interface DashboardTexts {
  locale: string;
  pages: { live: string; units: string; chargers: string; data: string; billing: string };
  groups: {
    now: string;
    lastHour: string;
    day: string;
    month: string;
    period: string;
    chargers: string;
    sessions: string;
    meters: string;
    run: string;
    invoices: string;
  };
  production: string;
  consumption: string;
  battery: string;
  grid: string;
  charging: string;
  selfSufficiency: string;
  kW: string;
  batteryCharging: string;
  batteryDischarging: string;
  idle: string;
  gridImport: string;
  gridExport: string;
  noBattery: string;
  noValue: string;
  solar: string;
  fromBattery: string;
  fromGrid: string;
  toConsumers: string;
  toBattery: string;
  exported: string;
  chartConsumption: string;
  chartProduction: string;
  chartLive: string;
  day: string;
  dayTotals: string;
  unit: string;
  tenant: string;
  consumptionKWh: string;
  commonKWh: string;
  evKWh: string;
  solarShare: string;
  cost: string;
  estimateNote: string;
  period: string;
  periods: { previousMonth: string; currentMonth: string; previousQuarter: string; currentQuarter: string; currentYear: string; previousYear: string };
  meter: string;
  role: string;
  roles: Record<string, string>;
  lastReading: string;
  age: string;
  today: string;
  monthInterpolated: string;
  monthMissing: string;
  rejected: string;
  todayCell: string;
  runDraft: string;
  issueDrafts: string;
  issueSelected: string;
  number: string;
  recipient: string;
  total: string;
  status: string;
  statuses: Record<string, string>;
  draft: string;
  pdf: string;
  selected: string;
  nothingSelected: string;
  noDrafts: string;
  runDone: string;
  actions: Record<string, string>;
  runStopped: string;
  issued: string;
  issuedMany: string;
  warnings: string;
  billingHint: string;
  failed: string;
  charger: string;
  carState: string;
  carStates: { A: string; B: string; C: string; unknown: string };
  mode: string;
  modes: { normal: string; priority: string };
  switchTo: string;
  power: string;
  session: string;
  sessions: string;
  sessionEnergy: string;
  noSession: string;
  started: string;
  ended: string;
  energy: string;
  user: string;
  /** The confirmation before invoices are issued (numbers are given for good). */
  confirmTitle: string;
  confirmText: string;
  confirmOk: string;
  confirmCancel: string;
  issueCancelled: string;
  issueStale: string;
  /** The label of the mode button whose mode is in force. */
  modeActive: string;
  /** What happened (per page) and what to do, instead of the node's raw error. */
  failedDay: string;
  failedUnits: string;
  failedCharger: string;
  failedData: string;
  failedBilling: string;
  errorHint: string;
  /** Texts for the nodes' error codes (msg.error.code); others get errorHint. */
  errors: Record<string, string>;
  /** Under a table wider than a phone. */
  scrollHint: string;
  /** The PDF route's answers (text/plain in the browser). */
  pdfNotFound: string;
  pdfNoAuth: string;
  pdfFailed: string;
  /** The Payments and Portal pages, the Billing page's corrections and progress (texts-admin.ts). */
  admin: AdminTexts;
}

export const TEXTS: Record<Lang, DashboardTexts> = {
  en: {
    locale: "en-GB",
    pages: { live: "Live", units: "Units", chargers: "Chargers", data: "Data", billing: "Billing" },
    groups: {
      now: "Power now",
      lastHour: "Last hour",
      day: "Quarter hours of a day",
      month: "This month so far",
      period: "A chosen period",
      chargers: "Chargers",
      sessions: "Recent sessions",
      meters: "Meters",
      run: "Billing run",
      invoices: "Invoices",
    },
    production: "Production",
    consumption: "Consumption",
    battery: "Battery",
    grid: "Grid",
    charging: "Charging",
    selfSufficiency: "Self-sufficiency",
    kW: "kW",
    batteryCharging: "charging",
    batteryDischarging: "discharging",
    idle: "idle",
    gridImport: "import",
    gridExport: "export",
    noBattery: "no battery",
    noValue: "–",
    solar: "Solar",
    fromBattery: "Battery",
    fromGrid: "Grid",
    toConsumers: "Used in the building",
    toBattery: "Into the battery",
    exported: "Exported",
    chartConsumption: "Consumption by source (kWh per quarter hour)",
    chartProduction: "Production (kWh per quarter hour)",
    chartLive: "Power (kW)",
    day: "Day",
    dayTotals: "__date__: production __production__ kWh, consumption __consumption__ kWh, self-sufficiency __ss__",
    unit: "Unit",
    tenant: "Billed to",
    consumptionKWh: "Own kWh",
    commonKWh: "Common kWh",
    evKWh: "Charging kWh",
    solarShare: "Solar share",
    cost: "Estimated cost",
    estimateNote: "__period__ up to __through__: __currency__ __total__ · data coverage __coverage__",
    period: "Period",
    periods: {
      previousMonth: "Previous month",
      currentMonth: "This month",
      previousQuarter: "Previous quarter",
      currentQuarter: "This quarter",
      currentYear: "This year",
      previousYear: "Previous year",
    },
    meter: "Meter",
    role: "Role",
    roles: { unit: "unit", common: "common area", production: "solar", grid: "grid", battery: "battery", charger: "charger", other: "other" },
    lastReading: "Last reading",
    age: "Age",
    today: "Today measured / interpolated / missing",
    monthInterpolated: "Month interpolated",
    monthMissing: "Month missing",
    rejected: "Rejected values",
    todayCell: "__m__ / __i__ / __x__",
    runDraft: "Run draft",
    issueDrafts: "Issue all drafts",
    issueSelected: "Issue selected",
    number: "Number",
    recipient: "Recipient",
    total: "Total",
    status: "Status",
    statuses: { draft: "draft", issued: "issued", paid: "paid", cancelled: "cancelled" },
    draft: "draft",
    pdf: "PDF",
    selected: "Selected: __invoice__",
    nothingSelected: "Click an invoice to select it.",
    noDrafts: "No drafts to issue for this period.",
    runDone: "__period__: __count__ invoice(s): __details__",
    actions: {
      created: "created",
      updated: "updated",
      unchanged: "unchanged",
      issued: "issued",
      skipped: "skipped",
      refused: "refused (cannot be printed, see the warnings)",
    },
    runStopped: "__period__ not billed: __reason__",
    issued: "Issued __number__ (__recipient__, __currency__ __total__)",
    issuedMany: "Issued __count__ invoices: __numbers__",
    warnings: "__count__ warning(s): __first__",
    billingHint: "Choose a period, run a draft, review the invoices (PDF), then issue them.",
    failed: "Failed: __message__",
    charger: "Charger",
    carState: "State",
    carStates: { A: "no car", B: "car connected", C: "charging", unknown: "unknown" },
    mode: "Mode",
    modes: { normal: "normal (solar surplus)", priority: "priority (full power)" },
    switchTo: "Switch to __mode__",
    power: "Power",
    session: "Session",
    sessions: "Sessions",
    sessionEnergy: "__energy__ kWh since __since__ (__user__)",
    noSession: "no session",
    started: "Started",
    ended: "Ended",
    energy: "kWh",
    user: "Unit / id",
    confirmTitle: "Issue invoices?",
    confirmText:
      "__count__ invoice(s) for __period__, total __total__. Issuing gives them their numbers for good: an issued invoice can only be cancelled with a credit note.",
    confirmOk: "Issue __count__ invoice(s)",
    confirmCancel: "Cancel",
    issueCancelled: "Nothing issued.",
    issueStale: "The drafts changed meanwhile: nothing issued. Check the list and issue again.",
    modeActive: "✓ __mode__ (active)",
    failedDay: "The day's quarter hours could not be shown.",
    failedUnits: "The per-unit figures could not be computed.",
    failedCharger: "The charger did not answer.",
    failedData: "The meters' health could not be read.",
    failedBilling: "The billing request was not carried out.",
    errorHint: "Look at the node's status in the Node-RED editor and its message in the debug sidebar or the log, then try again.",
    errors: {
      "billing.unknownCommand": "The dashboard asked for something the billing node does not know: import the dashboard tab of the installed suite version.",
      timeout:
        "No answer in time: check that the link-in nodes 'zev aggregate', 'zev billing' and 'zev charger' exist and that their nodes answer (docs/dashboard.md).",
    },
    scrollHint: "More columns: swipe the table sideways →",
    pdfNotFound: "This invoice does not exist.",
    pdfNoAuth: "Invoice PDFs are only handed out when Node-RED asks for a login on its HTTP routes (httpNodeAuth in settings.js, see docs/dashboard.md).",
    pdfFailed: "The PDF could not be made. The billing node's message is in the Node-RED log; try again or ask the administrator.",
    admin: ADMIN_TEXTS.en,
  },
  de: {
    locale: "de-CH",
    pages: { live: "Live", units: "Einheiten", chargers: "Ladestationen", data: "Daten", billing: "Abrechnung" },
    groups: {
      now: "Leistung jetzt",
      lastHour: "Letzte Stunde",
      day: "Viertelstunden eines Tages",
      month: "Dieser Monat bis jetzt",
      period: "Gewählte Periode",
      chargers: "Ladestationen",
      sessions: "Letzte Ladevorgänge",
      meters: "Zähler",
      run: "Abrechnungslauf",
      invoices: "Rechnungen",
    },
    production: "Produktion",
    consumption: "Verbrauch",
    battery: "Batterie",
    grid: "Netz",
    charging: "Laden",
    selfSufficiency: "Autarkie",
    kW: "kW",
    batteryCharging: "lädt",
    batteryDischarging: "entlädt",
    idle: "ruht",
    gridImport: "Bezug",
    gridExport: "Einspeisung",
    noBattery: "keine Batterie",
    noValue: "–",
    solar: "Solar",
    fromBattery: "Batterie",
    fromGrid: "Netz",
    toConsumers: "Im Haus verbraucht",
    toBattery: "In die Batterie",
    exported: "Eingespeist",
    chartConsumption: "Verbrauch nach Herkunft (kWh pro Viertelstunde)",
    chartProduction: "Produktion (kWh pro Viertelstunde)",
    chartLive: "Leistung (kW)",
    day: "Tag",
    dayTotals: "__date__: Produktion __production__ kWh, Verbrauch __consumption__ kWh, Autarkie __ss__",
    unit: "Einheit",
    tenant: "Rechnung an",
    consumptionKWh: "Eigene kWh",
    commonKWh: "Allgemein kWh",
    evKWh: "Laden kWh",
    solarShare: "Solaranteil",
    cost: "Geschätzte Kosten",
    estimateNote: "__period__ bis __through__: __currency__ __total__ · Datenabdeckung __coverage__",
    period: "Periode",
    periods: {
      previousMonth: "Vormonat",
      currentMonth: "Dieser Monat",
      previousQuarter: "Vorquartal",
      currentQuarter: "Dieses Quartal",
      currentYear: "Dieses Jahr",
      previousYear: "Vorjahr",
    },
    meter: "Zähler",
    role: "Rolle",
    roles: { unit: "Einheit", common: "Allgemeinstrom", production: "Solar", grid: "Netz", battery: "Batterie", charger: "Ladestation", other: "andere" },
    lastReading: "Letzter Messwert",
    age: "Alter",
    today: "Heute gemessen / interpoliert / fehlend",
    monthInterpolated: "Monat interpoliert",
    monthMissing: "Monat fehlend",
    rejected: "Abgewiesene Werte",
    todayCell: "__m__ / __i__ / __x__",
    runDraft: "Entwurf rechnen",
    issueDrafts: "Alle Entwürfe ausstellen",
    issueSelected: "Auswahl ausstellen",
    number: "Nummer",
    recipient: "Empfänger",
    total: "Total",
    status: "Status",
    statuses: { draft: "Entwurf", issued: "ausgestellt", paid: "bezahlt", cancelled: "storniert" },
    draft: "Entwurf",
    pdf: "PDF",
    selected: "Ausgewählt: __invoice__",
    nothingSelected: "Eine Rechnung anklicken, um sie auszuwählen.",
    noDrafts: "Keine Entwürfe für diese Periode.",
    runDone: "__period__: __count__ Rechnung(en): __details__",
    actions: {
      created: "erstellt",
      updated: "aktualisiert",
      unchanged: "unverändert",
      issued: "ausgestellt",
      skipped: "übersprungen",
      refused: "abgelehnt (nicht druckbar, siehe Warnungen)",
    },
    runStopped: "__period__ nicht abgerechnet: __reason__",
    issued: "Ausgestellt __number__ (__recipient__, __currency__ __total__)",
    issuedMany: "__count__ Rechnungen ausgestellt: __numbers__",
    warnings: "__count__ Warnung(en): __first__",
    billingHint: "Periode wählen, Entwurf rechnen, Rechnungen prüfen (PDF), dann ausstellen.",
    failed: "Fehler: __message__",
    charger: "Ladestation",
    carState: "Zustand",
    carStates: { A: "kein Auto", B: "Auto angeschlossen", C: "lädt", unknown: "unbekannt" },
    mode: "Modus",
    modes: { normal: "normal (Solarüberschuss)", priority: "Priorität (volle Leistung)" },
    switchTo: "Umschalten auf __mode__",
    power: "Leistung",
    session: "Ladevorgang",
    sessions: "Ladevorgänge",
    sessionEnergy: "__energy__ kWh seit __since__ (__user__)",
    noSession: "kein Ladevorgang",
    started: "Beginn",
    ended: "Ende",
    energy: "kWh",
    user: "Einheit / Kennung",
    confirmTitle: "Rechnungen ausstellen?",
    confirmText:
      "__count__ Rechnung(en) für __period__, total __total__. Ausstellen vergibt die Nummern endgültig: eine ausgestellte Rechnung lässt sich nur mit einer Gutschrift stornieren.",
    confirmOk: "__count__ Rechnung(en) ausstellen",
    confirmCancel: "Abbrechen",
    issueCancelled: "Nichts ausgestellt.",
    issueStale: "Die Entwürfe haben sich inzwischen geändert: nichts ausgestellt. Liste prüfen und nochmals ausstellen.",
    modeActive: "✓ __mode__ (aktiv)",
    failedDay: "Die Viertelstunden des Tages konnten nicht angezeigt werden.",
    failedUnits: "Die Zahlen pro Einheit konnten nicht berechnet werden.",
    failedCharger: "Die Ladestation hat nicht geantwortet.",
    failedData: "Der Zustand der Zähler konnte nicht gelesen werden.",
    failedBilling: "Der Abrechnungsauftrag wurde nicht ausgeführt.",
    errorHint: "Status des Nodes im Node-RED-Editor und seine Meldung in der Debug-Seitenleiste oder im Log ansehen, dann nochmals versuchen.",
    errors: {
      "billing.unknownCommand":
        "Das Dashboard hat etwas verlangt, das der Abrechnungs-Node nicht kennt: den Dashboard-Tab der installierten Version importieren.",
      timeout:
        "Keine Antwort innert nützlicher Frist: prüfen, ob die Link-in-Nodes 'zev aggregate', 'zev billing' und 'zev charger' bestehen und ihre Nodes antworten (docs/dashboard.md).",
    },
    scrollHint: "Weitere Spalten: Tabelle seitwärts wischen →",
    pdfNotFound: "Diese Rechnung gibt es nicht.",
    pdfNoAuth:
      "Rechnungs-PDFs werden nur herausgegeben, wenn Node-RED für seine HTTP-Routen ein Login verlangt (httpNodeAuth in settings.js, siehe docs/dashboard.md).",
    pdfFailed:
      "Das PDF konnte nicht erstellt werden. Die Meldung des Abrechnungs-Nodes steht im Node-RED-Log; nochmals versuchen oder den Administrator fragen.",
    admin: ADMIN_TEXTS.de,
  },
  fr: {
    locale: "fr-CH",
    pages: { live: "Direct", units: "Unités", chargers: "Bornes", data: "Données", billing: "Facturation" },
    groups: {
      now: "Puissance actuelle",
      lastHour: "Dernière heure",
      day: "Quarts d'heure d'un jour",
      month: "Ce mois jusqu'ici",
      period: "Période choisie",
      chargers: "Bornes de recharge",
      sessions: "Dernières recharges",
      meters: "Compteurs",
      run: "Facturation",
      invoices: "Factures",
    },
    production: "Production",
    consumption: "Consommation",
    battery: "Batterie",
    grid: "Réseau",
    charging: "Recharge",
    selfSufficiency: "Autarcie",
    kW: "kW",
    batteryCharging: "en charge",
    batteryDischarging: "en décharge",
    idle: "au repos",
    gridImport: "soutirage",
    gridExport: "injection",
    noBattery: "pas de batterie",
    noValue: "–",
    solar: "Solaire",
    fromBattery: "Batterie",
    fromGrid: "Réseau",
    toConsumers: "Consommé dans l'immeuble",
    toBattery: "Vers la batterie",
    exported: "Injecté",
    chartConsumption: "Consommation par origine (kWh par quart d'heure)",
    chartProduction: "Production (kWh par quart d'heure)",
    chartLive: "Puissance (kW)",
    day: "Jour",
    dayTotals: "__date__ : production __production__ kWh, consommation __consumption__ kWh, autarcie __ss__",
    unit: "Unité",
    tenant: "Facturé à",
    consumptionKWh: "kWh propres",
    commonKWh: "kWh communs",
    evKWh: "kWh recharge",
    solarShare: "Part solaire",
    cost: "Coût estimé",
    estimateNote: "__period__ jusqu'au __through__ : __currency__ __total__ · couverture des données __coverage__",
    period: "Période",
    periods: {
      previousMonth: "Mois précédent",
      currentMonth: "Ce mois",
      previousQuarter: "Trimestre précédent",
      currentQuarter: "Ce trimestre",
      currentYear: "Cette année",
      previousYear: "Année précédente",
    },
    meter: "Compteur",
    role: "Rôle",
    roles: { unit: "unité", common: "parties communes", production: "solaire", grid: "réseau", battery: "batterie", charger: "borne", other: "autre" },
    lastReading: "Dernier relevé",
    age: "Âge",
    today: "Aujourd'hui mesurés / interpolés / manquants",
    monthInterpolated: "Mois interpolés",
    monthMissing: "Mois manquants",
    rejected: "Valeurs refusées",
    todayCell: "__m__ / __i__ / __x__",
    runDraft: "Calculer le brouillon",
    issueDrafts: "Émettre tous les brouillons",
    issueSelected: "Émettre la sélection",
    number: "Numéro",
    recipient: "Destinataire",
    total: "Total",
    status: "Statut",
    statuses: { draft: "brouillon", issued: "émise", paid: "payée", cancelled: "annulée" },
    draft: "brouillon",
    pdf: "PDF",
    selected: "Sélection : __invoice__",
    nothingSelected: "Cliquer sur une facture pour la sélectionner.",
    noDrafts: "Aucun brouillon à émettre pour cette période.",
    runDone: "__period__ : __count__ facture(s) : __details__",
    actions: {
      created: "créées",
      updated: "mises à jour",
      unchanged: "inchangées",
      issued: "émises",
      skipped: "ignorées",
      refused: "refusées (non imprimables, voir les avertissements)",
    },
    runStopped: "__period__ non facturé : __reason__",
    issued: "Émise __number__ (__recipient__, __currency__ __total__)",
    issuedMany: "__count__ factures émises : __numbers__",
    warnings: "__count__ avertissement(s) : __first__",
    billingHint: "Choisir une période, calculer le brouillon, vérifier les factures (PDF), puis les émettre.",
    failed: "Échec : __message__",
    charger: "Borne",
    carState: "État",
    carStates: { A: "pas de voiture", B: "voiture branchée", C: "en charge", unknown: "inconnu" },
    mode: "Mode",
    modes: { normal: "normal (surplus solaire)", priority: "prioritaire (pleine puissance)" },
    switchTo: "Passer en __mode__",
    power: "Puissance",
    session: "Recharge",
    sessions: "Recharges",
    sessionEnergy: "__energy__ kWh depuis __since__ (__user__)",
    noSession: "pas de recharge",
    started: "Début",
    ended: "Fin",
    energy: "kWh",
    user: "Unité / identifiant",
    confirmTitle: "Émettre les factures ?",
    confirmText:
      "__count__ facture(s) pour __period__, total __total__. L'émission leur donne leur numéro définitivement : une facture émise ne peut être annulée que par une note de crédit.",
    confirmOk: "Émettre __count__ facture(s)",
    confirmCancel: "Annuler",
    issueCancelled: "Rien n'a été émis.",
    issueStale: "Les brouillons ont changé entre-temps : rien n'a été émis. Vérifiez la liste et émettez à nouveau.",
    modeActive: "✓ __mode__ (actif)",
    failedDay: "Les quarts d'heure du jour n'ont pas pu être affichés.",
    failedUnits: "Les chiffres par unité n'ont pas pu être calculés.",
    failedCharger: "La borne n'a pas répondu.",
    failedData: "L'état des compteurs n'a pas pu être lu.",
    failedBilling: "La demande de facturation n'a pas été exécutée.",
    errorHint: "Consultez l'état du nœud dans l'éditeur Node-RED et son message dans la barre de débogage ou le journal, puis réessayez.",
    errors: {
      "billing.unknownCommand":
        "Le tableau de bord a demandé une action inconnue du nœud de facturation : importez l'onglet du tableau de bord de la version installée.",
      timeout:
        "Pas de réponse à temps : vérifiez que les nœuds link-in 'zev aggregate', 'zev billing' et 'zev charger' existent et que leurs nœuds répondent (docs/dashboard.md).",
    },
    scrollHint: "Autres colonnes : faites glisser le tableau latéralement →",
    pdfNotFound: "Cette facture n'existe pas.",
    pdfNoAuth:
      "Les PDF des factures ne sont remis que si Node-RED demande une connexion sur ses routes HTTP (httpNodeAuth dans settings.js, voir docs/dashboard.md).",
    pdfFailed: "Le PDF n'a pas pu être créé. Le message du nœud de facturation est dans le journal de Node-RED ; réessayez ou demandez à l'administrateur.",
    admin: ADMIN_TEXTS.fr,
  },
  it: {
    locale: "it-CH",
    pages: { live: "In diretta", units: "Unità", chargers: "Colonnine", data: "Dati", billing: "Fatturazione" },
    groups: {
      now: "Potenza attuale",
      lastHour: "Ultima ora",
      day: "Quarti d'ora di un giorno",
      month: "Questo mese finora",
      period: "Periodo scelto",
      chargers: "Colonnine di ricarica",
      sessions: "Ultime ricariche",
      meters: "Contatori",
      run: "Fatturazione",
      invoices: "Fatture",
    },
    production: "Produzione",
    consumption: "Consumo",
    battery: "Batteria",
    grid: "Rete",
    charging: "Ricarica",
    selfSufficiency: "Autosufficienza",
    kW: "kW",
    batteryCharging: "in carica",
    batteryDischarging: "in scarica",
    idle: "a riposo",
    gridImport: "prelievo",
    gridExport: "immissione",
    noBattery: "nessuna batteria",
    noValue: "–",
    solar: "Solare",
    fromBattery: "Batteria",
    fromGrid: "Rete",
    toConsumers: "Consumato nell'edificio",
    toBattery: "Nella batteria",
    exported: "Immesso",
    chartConsumption: "Consumo per origine (kWh per quarto d'ora)",
    chartProduction: "Produzione (kWh per quarto d'ora)",
    chartLive: "Potenza (kW)",
    day: "Giorno",
    dayTotals: "__date__: produzione __production__ kWh, consumo __consumption__ kWh, autosufficienza __ss__",
    unit: "Unità",
    tenant: "Fatturato a",
    consumptionKWh: "kWh propri",
    commonKWh: "kWh comuni",
    evKWh: "kWh ricarica",
    solarShare: "Quota solare",
    cost: "Costo stimato",
    estimateNote: "__period__ fino al __through__: __currency__ __total__ · copertura dei dati __coverage__",
    period: "Periodo",
    periods: {
      previousMonth: "Mese precedente",
      currentMonth: "Questo mese",
      previousQuarter: "Trimestre precedente",
      currentQuarter: "Questo trimestre",
      currentYear: "Quest'anno",
      previousYear: "Anno precedente",
    },
    meter: "Contatore",
    role: "Ruolo",
    roles: { unit: "unità", common: "parti comuni", production: "solare", grid: "rete", battery: "batteria", charger: "colonnina", other: "altro" },
    lastReading: "Ultima lettura",
    age: "Età",
    today: "Oggi misurati / interpolati / mancanti",
    monthInterpolated: "Mese interpolati",
    monthMissing: "Mese mancanti",
    rejected: "Valori rifiutati",
    todayCell: "__m__ / __i__ / __x__",
    runDraft: "Calcola la bozza",
    issueDrafts: "Emetti tutte le bozze",
    issueSelected: "Emetti la selezione",
    number: "Numero",
    recipient: "Destinatario",
    total: "Totale",
    status: "Stato",
    statuses: { draft: "bozza", issued: "emessa", paid: "pagata", cancelled: "annullata" },
    draft: "bozza",
    pdf: "PDF",
    selected: "Selezionata: __invoice__",
    nothingSelected: "Fare clic su una fattura per selezionarla.",
    noDrafts: "Nessuna bozza da emettere per questo periodo.",
    runDone: "__period__: __count__ fattura/e: __details__",
    actions: {
      created: "create",
      updated: "aggiornate",
      unchanged: "invariate",
      issued: "emesse",
      skipped: "saltate",
      refused: "rifiutate (non stampabili, vedi gli avvisi)",
    },
    runStopped: "__period__ non fatturato: __reason__",
    issued: "Emessa __number__ (__recipient__, __currency__ __total__)",
    issuedMany: "__count__ fatture emesse: __numbers__",
    warnings: "__count__ avviso/i: __first__",
    billingHint: "Scegliere un periodo, calcolare la bozza, verificare le fatture (PDF), poi emetterle.",
    failed: "Errore: __message__",
    charger: "Colonnina",
    carState: "Stato",
    carStates: { A: "nessuna auto", B: "auto collegata", C: "in carica", unknown: "sconosciuto" },
    mode: "Modalità",
    modes: { normal: "normale (eccedenza solare)", priority: "priorità (piena potenza)" },
    switchTo: "Passa a __mode__",
    power: "Potenza",
    session: "Ricarica",
    sessions: "Ricariche",
    sessionEnergy: "__energy__ kWh dalle __since__ (__user__)",
    noSession: "nessuna ricarica",
    started: "Inizio",
    ended: "Fine",
    energy: "kWh",
    user: "Unità / identificativo",
    confirmTitle: "Emettere le fatture?",
    confirmText:
      "__count__ fattura/e per __period__, totale __total__. L'emissione assegna i numeri in modo definitivo: una fattura emessa si può annullare solo con una nota di credito.",
    confirmOk: "Emetti __count__ fattura/e",
    confirmCancel: "Annulla",
    issueCancelled: "Nulla emesso.",
    issueStale: "Le bozze sono cambiate nel frattempo: nulla emesso. Controllare l'elenco ed emettere di nuovo.",
    modeActive: "✓ __mode__ (attiva)",
    failedDay: "I quarti d'ora del giorno non hanno potuto essere mostrati.",
    failedUnits: "Le cifre per unità non hanno potuto essere calcolate.",
    failedCharger: "La stazione di ricarica non ha risposto.",
    failedData: "Lo stato dei contatori non ha potuto essere letto.",
    failedBilling: "La richiesta di fatturazione non è stata eseguita.",
    errorHint: "Controllare lo stato del nodo nell'editor Node-RED e il suo messaggio nella barra di debug o nel log, poi riprovare.",
    errors: {
      "billing.unknownCommand":
        "La dashboard ha chiesto qualcosa che il nodo di fatturazione non conosce: importare la scheda dashboard della versione installata.",
      timeout:
        "Nessuna risposta in tempo: verificare che i nodi link-in 'zev aggregate', 'zev billing' e 'zev charger' esistano e che i loro nodi rispondano (docs/dashboard.md).",
    },
    scrollHint: "Altre colonne: scorrere la tabella lateralmente →",
    pdfNotFound: "Questa fattura non esiste.",
    pdfNoAuth:
      "I PDF delle fatture sono consegnati solo se Node-RED chiede un login sulle sue rotte HTTP (httpNodeAuth in settings.js, vedi docs/dashboard.md).",
    pdfFailed: "Il PDF non ha potuto essere creato. Il messaggio del nodo di fatturazione è nel log di Node-RED; riprovare o chiedere all'amministratore.",
    admin: ADMIN_TEXTS.it,
  },
};
