import type { Creditor, Currency, Language, Party } from "./party";
import type { LocalDate } from "../time/local-date";

/*
 * What a LEG's documents carry beside ordinary invoice figures
 * (docs/decisions/0129-0131). On the model floor so that the store can keep
 * a producer statement's snapshot without a room above it.
 */

/** On a LEG member's invoice: the member's energy, of which only the local part is billed. */
export interface LegInvoiceFacts {
  /** kWh with 3 decimals: what the member drew in the period, its local share (billed) and the residual (billed by the grid operator). */
  drawKWh: string;
  localKWh: string;
  residualKWh: string;
  key: "proportional" | "static";
  /** Where the split comes from: the suite's own computation or the operator's per-member values (E66). */
  source: "own" | "operator";
  /** Network-fee reduction on local energy, percent. */
  gridFeeReduction: 20 | 40;
  /** The community's grid fee per kWh (as entered), or null when it gave none. */
  gridFeePerKWh: string | null;
  /** localKWh × gridFeePerKWh × reduction, rounded to 0.01: information only, the operator grants it. */
  gridFeeSaving: string | null;
}

export interface ProducerStatementLine {
  from: LocalDate;
  to: LocalDate;
  /** kWh delivered into the community, 3 decimals. */
  quantity: string;
  unitPrice: string;
  /** quantity × unit price, half-up to 0.01, without VAT. */
  amount: string;
  /** The producer's VAT rate ("0.081"), or null when the producer is not VAT-registered. */
  vatRate: string | null;
}

/** A producer's statement (credit note) for one period: what the LEG owes the producer. Frozen when numbered. */
export interface ProducerStatement {
  schema: 1;
  communityId: string;
  communityName: string;
  currency: Currency;
  language: Language;
  /** The LEG, which pays. */
  payer: Creditor;
  producer: Party;
  producerVatNumber: string | null;
  tenancyKey: string;
  unit: { id: string; label: string; building: string; meters: string[] };
  period: { label: string; from: LocalDate; to: LocalDate };
  service: { from: LocalDate; to: LocalDate }[];
  /** kWh, 3 decimals: all the member fed in, the part the community used (credited) and the rest (not credited by the LEG). */
  feedInKWh: string;
  creditedKWh: string;
  surplusKWh: string;
  lines: ProducerStatementLine[];
  net: string;
  vat: { rate: string; net: string; vat: string }[];
  vatTotal: string;
  /** net + VAT, to 0.01: paid by bank transfer, no cash rounding. */
  total: string;
  number?: string;
  statementDate?: LocalDate;
}
