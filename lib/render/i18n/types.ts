import type { LineKind } from "../../model/invoice";

/**
 * Everything an invoice document says, in one language. A typed object (not
 * a JSON catalog) so that a missing text or a wrong placeholder is a compile
 * error, and every LineKind must have its label. Numbers and dates come in
 * already formatted (lib/render/format.ts): the catalog only places them.
 */
export interface InvoiceTexts {
  /** The payment part's language in swissqrbill. */
  qrLanguage: "DE" | "FR" | "IT" | "EN";
  title: {
    invoice: string;
    creditNote: string;
    /** Heading of an unnumbered draft. */
    draft: string;
  };
  /** Diagonal watermark on drafts. */
  watermark: string;
  meta: {
    number: string;
    invoiceDate: string;
    dueDate: string;
    period: string;
    /** The days this tenancy (or vacancy) covers when they are not the whole period. */
    service: string;
    unit: string;
    meters: string;
    reference: string;
    cancels: string;
  };
  /** Shown for owner invoices: the unit was vacant on these days. */
  vacancy: string;
  columns: { pos: string; description: string; quantity: string; unit: string; unitPrice: string; amount: (currency: string) => string };
  lineKinds: Record<LineKind, string>;
  /** A metering fee for several meters: "2 Zähler". */
  meterCount: (n: number) => string;
  /** Unit column for fees. */
  month: (n: number) => string;
  /** Fee quantity "15/30": "15 von 30 Tagen". */
  feeDays: (days: number, daysInMonth: number) => string;
  /** Unit of a one-off charge (quantity 1). */
  piece: string;
  totals: {
    subtotal: string;
    /** "MWST 8.1 % auf 123.45". */
    vatAdded: (rate: string, base: string) => string;
    /** "enthaltene MWST 8.1 % von 123.45". */
    vatIncluded: (rate: string, base: string) => string;
    net: string;
    rounding: string;
    total: (currency: string) => string;
    notVatRegistered: string;
  };
  energy: {
    title: string;
    solar: string;
    battery: string;
    grid: string;
    /** Own consumption (the unit's meters). */
    own: string;
    common: string;
    ev: string;
    total: string;
    selfSufficiency: string;
    /** Heading of the bar: where the period's electricity came from. */
    chartTitle: string;
  };
  comparison: {
    title: string;
    standard: (name: string | null) => string;
    invoice: string;
    saving: string;
    extraCost: string;
    /** What the amounts are: ComparisonDetail.basis. */
    basis: { net: string; gross: string; mixed: string };
    /** Beside the title when wallbox charging is left out of the figures. */
    household: string;
    /** The row for wallbox charging, shown apart with its amount. */
    ev: (kWh: string) => string;
  };
  quality: { title: string; estimated: (meter: string, share: string) => string };
  notes: {
    payment: (dueDate: string) => string;
    creditNote: (number: string) => string;
    creditNoteNoPayment: string;
    nothingToPay: string;
    draft: string;
    questions: (contact: string) => string;
    meterReplaced: (meter: string, date: string, oldFinal: string, newInitial: string) => string;
  };
  /** What the invoice explains beside its lines (snapshots with `explain`, decision 0107). */
  explain: {
    /** Unit of energy prices per kWh in hundredths of the currency: "Rp./kWh" for CHF, "ct/kWh" for EUR. */
    priceUnit: (currency: string) => string;
    commonTitle: string;
    /** The key: this unit's weight of the total, "1 von 3 Einheiten", "85.5 von 251.5 m²", "2 von 7". */
    commonKey: { equal: (w: string, total: string) => string; floorArea: (w: string, total: string) => string; custom: (w: string, total: string) => string };
    /** "Allgemeinstrom der Gemeinschaft 812.345 kWh; Schlüssel: …; 30 von 30 Tagen; Ihr Anteil 80.959 kWh." */
    common: (communityKWh: string, key: string, days: number, periodDays: number, shareKWh: string) => string;
    windowsTitle: string;
    /** Weekday abbreviations, Monday first. */
    weekdays: readonly [string, string, string, string, string, string, string];
    /** "Hochtarif Mo–Fr 07:00–20:00, übrige Zeit Niedertarif." */
    windows: (ht: string) => string;
    ntDays: (dates: string) => string;
    evTitle: string;
    evColumns: { date: string; time: string; kWh: string; mode: string; id: string };
    evModes: { normal: string; priority: string };
    /** What the two modes mean in this community. */
    evModesMeaning: string;
    /** Counter readings at the ends of the service (decision 0133). */
    readingsTitle: string;
    /** "Zähler m1: 01.11.2026 00:00 1'234.567 kWh (gemessen) – 01.12.2026 00:00 1'456.789 kWh (gemessen); Differenz 222.222 kWh." */
    reading: (meter: string, start: string, end: string, energy: string) => string;
    /** One end: "01.11.2026 00:00 1'234.567 kWh (gemessen)". */
    readingAt: (dateTime: string, kWh: string, quality: string) => string;
    readingQuality: { measured: string; interpolated: string; estimated: string };
    /** One end without a counter to print. */
    readingWithout: (dateTime: string, why: string) => string;
    /** Neither end has a counter, for the same reason: "Zähler m1, 01.11.2026 00:00 – 01.12.2026 00:00: kein Zählerstand (…); …". */
    readingNoCounter: (meter: string, span: string, why: string, energy: string) => string;
    readingWhy: { operator: string; none: string; break: string; replaced: string };
    /** The recorded reading of a meter replaced at that instant. */
    readingReplaced: (dateTime: string, kWh: string) => string;
    /** Counter difference, and the energy of the quarter hours when it differs or there is no difference. */
    readingDifference: (kWh: string) => string;
    readingIntervals: (kWh: string) => string;
    readingReplacedInside: (dates: string) => string;
    /** Grid price components under a grid line (decision 0134): "davon Energie 9.50 Rp./kWh, …". */
    gridComponents: (list: string) => string;
    gridComponentKinds: { energy: string; network: string; levies: string; surcharge: string; other: string };
    /** The comparison with earlier periods (decision 0135). */
    historyTitle: string;
    historyLabels: { current: string; previous: string; lastYear: string };
    /** In the kWh column of a period without data. */
    historyNoData: string;
    /** Explains the "*" of a figure computed from stored data because no invoice of that period was issued. */
    historyComputed: string;
    /** EnV Art. 16 (decision 0134): "Solarstrom 18.00 Rp./kWh; Standardprodukt des Verteilnetzbetreibers «EW Basic»: 32.00 Rp./kWh." */
    standardPrice: (solar: string, standard: string, name: string | null) => string;
    htnt: (ht: string, nt: string) => string;
  };
  page: (n: number, of: number) => string;
  uid: string;
  vatNumber: string;
}
