import type { InvoiceLine } from "../../model/invoice";
import { listInvoices, type InvoiceRecord } from "../../store/invoice-repo";
import type { Store } from "../../store/store";
import type { BillingPeriod } from "../../time/periods";
import { invoiceTexts } from "../i18n";
import { parseFeeQuantity } from "../format";
import { amountCol, col, kwhCol, type Cell, type ExportTable } from "./table";

/*
 * Invoices and their lines whose billing period overlaps the export period,
 * as stored: the figures of the frozen snapshot, so the export equals what
 * the tenant received. Columns: docs/documents.md.
 */

export function invoicesTable(records: readonly InvoiceRecord[]): ExportTable {
  return {
    name: "invoices",
    columns: [
      col("id", "integer"),
      col("number"),
      col("kind"),
      col("status"),
      col("invoice_date", "date"),
      col("due_date", "date"),
      col("period_from", "date"),
      col("period_to", "date"),
      col("tenancy"),
      col("recipient_kind"),
      col("recipient"),
      col("language"),
      col("unit"),
      col("currency"),
      amountCol("lines_total"),
      amountCol("net"),
      amountCol("vat"),
      amountCol("gross"),
      amountCol("rounding"),
      amountCol("total"),
      col("reference"),
      col("cancels"),
      kwhCol("total_kwh"),
      col("self_sufficiency", "decimal", 4),
    ],
    rows: records.map((r): Cell[] => {
      const s = r.snapshot;
      const t = s.totals;
      return [
        r.id,
        r.number,
        r.kind,
        r.status,
        s.invoiceDate ?? null,
        s.dueDate ?? null,
        r.periodFrom,
        r.periodTo,
        r.tenancyKey,
        s.recipientKind,
        s.recipient.name,
        s.language,
        r.unitId,
        r.currency,
        t.linesTotal,
        t.net,
        t.vatTotal,
        t.gross,
        t.rounding,
        r.total,
        r.reference,
        s.cancels?.number ?? null,
        s.energy.totalKWh,
        s.energy.selfSufficiency,
      ];
    }),
  };
}

function feeCells(l: InvoiceLine): [number | null, number | null, number | null] {
  if (l.unit === "kWh" || l.unit === "piece") return [null, null, null];
  const q = parseFeeQuantity(l.quantity);
  return q.kind === "days" ? [q.days, q.daysInMonth, null] : [null, null, q.months];
}

export function linesTable(records: readonly InvoiceRecord[]): ExportTable {
  const rows: Cell[][] = [];
  for (const r of records) {
    const texts = invoiceTexts(r.snapshot.language);
    for (const l of r.snapshot.lines) {
      rows.push([
        r.id,
        r.number,
        r.status,
        l.pos,
        l.kind,
        l.label ?? texts.lineKinds[l.kind],
        l.from,
        l.to,
        l.unit === "kWh" ? l.quantity : null,
        ...feeCells(l),
        l.meters ?? null,
        l.unitPrice,
        l.amount,
        l.vatRate,
        l.pricesIncludeVat,
        l.planId,
        l.unit === "piece" ? Number(l.quantity) : null,
        l.chargeId ?? null,
      ]);
    }
  }
  return {
    name: "lines",
    columns: [
      col("invoice_id", "integer"),
      col("number"),
      col("status"),
      col("pos", "integer"),
      col("kind"),
      col("description"),
      col("from", "date"),
      col("to", "date"),
      kwhCol("kwh"),
      col("days", "integer"),
      col("days_in_month", "integer"),
      col("months", "integer"),
      col("meters", "integer"),
      col("unit_price", "decimal"),
      amountCol("amount"),
      col("vat_rate", "decimal"),
      col("prices_include_vat", "boolean"),
      col("plan"),
      // Charges (docs/community-file.md "Charges"): a one-off charge's count, and the charge's id.
      col("pieces", "integer"),
      col("charge"),
    ],
    rows,
  };
}

export function invoiceRecordsFor(store: Store, communityId: string, period: BillingPeriod): InvoiceRecord[] {
  return listInvoices(store, communityId, { from: period.from, to: period.to });
}
