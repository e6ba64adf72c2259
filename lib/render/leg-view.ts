import type { LegInvoiceFacts, ProducerStatement } from "../model/leg";
import type { Currency, Language, StructuredAddress } from "../model/party";
import { Decimal } from "../util/money";
import { formatAmount, formatDate, formatDateRange, formatKWh, formatPrice, formatShare, formatVatRate } from "./format";
import { legTexts } from "./i18n/leg-texts";
import type { LetterHead } from "./pdf-page";

/** The LEG notes of a member's invoice (docs/decisions/0130): local share, residual, network-fee reduction. */
export function legInvoiceNotes(leg: LegInvoiceFacts, language: Language, currency: Currency): string[] {
  const t = legTexts(language).invoice;
  const draw = new Decimal(leg.drawKWh);
  const share = draw.isZero() ? "0" : new Decimal(leg.localKWh).div(draw).toFixed(4);
  const notes = [t.local(formatKWh(leg.localKWh), formatKWh(leg.drawKWh), formatShare(share), leg.key)];
  if (leg.source === "operator") notes.push(t.operatorSource);
  notes.push(t.residual(formatKWh(leg.residualKWh)));
  notes.push(
    leg.gridFeePerKWh !== null && leg.gridFeeSaving !== null
      ? t.gridFeeAmount(formatKWh(leg.localKWh), formatPrice(leg.gridFeePerKWh), currency, leg.gridFeeReduction, formatAmount(leg.gridFeeSaving))
      : t.gridFee(leg.gridFeeReduction, formatKWh(leg.localKWh)),
  );
  return notes;
}

function addressLines(a: StructuredAddress): string[] {
  const street = [a.street, a.buildingNumber].filter((x) => x !== undefined && String(x).trim() !== "").join(" ");
  const out = [street, `${a.postalCode} ${a.town}`].filter((x) => x.trim() !== "");
  if (a.country.toUpperCase() !== "CH") out.push(a.country.toUpperCase());
  return out;
}

export interface ProducerStatementView extends LetterHead {
  language: Language;
  intro: string;
  columns: { description: string; quantity: string; unitPrice: string; amount: string };
  lines: { description: string; quantity: string; unitPrice: string; amount: string }[];
  rows: { label: string; amount: string; strong?: boolean }[];
  notes: string[];
  watermark: string | null;
  pdfTitle: string;
}

export function producerStatementView(s: ProducerStatement): ProducerStatementView {
  const t = legTexts(s.language).statement;
  const c = s.payer;
  const address = addressLines(c.address);
  const ids: string[] = [];
  if (c.uid) ids.push(`UID ${c.uid}`);
  if (c.vatRegistered && c.vatNumber) ids.push(c.vatNumber);
  const contact = [c.email, c.phone].filter((x): x is string => Boolean(x && x.trim()));
  const meta: LetterHead["meta"] = [];
  if (s.statementDate) meta.push({ label: t.meta.date, value: formatDate(s.statementDate) });
  meta.push({ label: t.meta.period, value: formatDateRange(s.period.from, s.period.to) });
  const whole = s.service.length === 1 && s.service[0]!.from === s.period.from && s.service[0]!.to === s.period.to;
  if (!whole) meta.push({ label: t.meta.service, value: s.service.map((x) => formatDateRange(x.from, x.to)).join(", ") });
  meta.push({ label: t.meta.unit, value: s.unit.label === s.unit.id ? s.unit.id : `${s.unit.label} (${s.unit.id})` });
  if (s.unit.meters.length) meta.push({ label: t.meta.meters, value: s.unit.meters.join(", ") });
  if (s.producerVatNumber) meta.push({ label: t.meta.producerVat, value: s.producerVatNumber });
  const rows: ProducerStatementView["rows"] = [{ label: t.rows.net, amount: formatAmount(s.net) }];
  for (const v of s.vat) rows.push({ label: t.rows.vat(formatVatRate(v.rate), formatAmount(v.net)), amount: formatAmount(v.vat) });
  if (!s.vat.length) rows.push({ label: t.rows.noVat, amount: formatAmount("0") });
  rows.push({ label: t.rows.total(s.currency), amount: formatAmount(s.total), strong: true });
  const notes = [t.energy(formatKWh(s.feedInKWh), formatKWh(s.creditedKWh), formatKWh(s.surplusKWh)), t.payment];
  if (!s.number) notes.unshift(t.draft);
  if (contact.length) notes.push(t.questions(contact.join(", ")));
  return {
    language: s.language,
    creditor: { name: c.name, address, ids, contact },
    senderLine: [c.name, ...address].join(", "),
    recipient: [s.producer.name, ...addressLines(s.producer.address)],
    title: t.title,
    number: s.number ?? null,
    meta,
    intro: t.intro(s.communityName),
    columns: { description: t.columns.description, quantity: t.columns.quantity, unitPrice: t.columns.unitPrice, amount: t.columns.amount(s.currency) },
    lines: s.lines.map((l) => ({
      description: `${t.line}, ${formatDateRange(l.from, l.to)}`,
      quantity: formatKWh(l.quantity),
      unitPrice: formatPrice(l.unitPrice),
      amount: formatAmount(l.amount),
    })),
    rows,
    notes,
    watermark: s.number ? null : t.draft,
    pdfTitle: `${t.title}${s.number ? ` ${s.number}` : ""}, ${s.producer.name}, ${formatDateRange(s.period.from, s.period.to)}`,
  };
}
