import { listProducerStatements } from "../../store/leg-repo";
import type { Store } from "../../store/store";
import type { BillingPeriod } from "../../time/periods";
import { amountCol, col, kwhCol, type ExportTable } from "./table";

/** A LEG's recorded producer statements whose period overlaps the export period, as frozen (docs/decisions/0131). */
export function producerStatementsTable(store: Store, communityId: string, period: BillingPeriod): ExportTable {
  const recs = listProducerStatements(store, communityId, { from: period.from, to: period.to });
  return {
    name: "producer-statements",
    columns: [
      col("number"),
      col("statement_date", "date"),
      col("period_from", "date"),
      col("period_to", "date"),
      col("tenancy"),
      col("producer"),
      col("producer_vat_number"),
      col("unit"),
      kwhCol("feed_in_kwh"),
      kwhCol("credited_kwh"),
      kwhCol("surplus_kwh"),
      col("unit_price", "decimal"),
      amountCol("net"),
      amountCol("vat"),
      amountCol("total"),
      col("currency"),
    ],
    rows: recs.map((r) => {
      const s = r.snapshot;
      return [
        r.number,
        r.statementDate,
        s.period.from,
        s.period.to,
        s.tenancyKey,
        s.producer.name,
        s.producerVatNumber,
        s.unit.id,
        s.feedInKWh,
        s.creditedKWh,
        s.surplusKWh,
        s.lines[0]?.unitPrice ?? null,
        s.net,
        s.vatTotal,
        s.total,
        s.currency,
      ];
    }),
  };
}
