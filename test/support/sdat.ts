/*
 * Builds SDAT-CH ValidatedMeteredData documents as the VSE branch
 * recommendation describes them (header with InstanceDocument, MeteringData
 * with Interval, Resolution, Consumption/ProductionMeteringPoint, Product,
 * Observations), for versions 1.2 (Sequence directly in Observation, Product
 * ID as text) and 1.6 (Position/Sequence, Product ID/ebIXCode), with any
 * namespace prefix ("" = default namespace).
 */

export interface SdatObs {
  /** kWh as written, e.g. "0.250"; null = no Volume element. */
  kWh: string | null;
  condition?: string;
  /** Default: its position in the list + 1. */
  sequence?: number;
}

export interface SdatBlock {
  point: string;
  direction: "consumption" | "production";
  start: string;
  end?: string;
  resolution?: string;
  unit?: string;
  product?: string;
  measureUnit?: string;
  observations: SdatObs[];
}

export interface SdatDoc {
  version?: "12" | "13" | "14" | "15" | "16";
  prefix?: string;
  namespace?: string;
  documentId?: string;
  created?: string;
  blocks: SdatBlock[];
}

export function sdatXml(doc: SdatDoc): string {
  const v = doc.version ?? "16";
  const p = doc.prefix === undefined ? "rsm" : doc.prefix;
  const t = (name: string): string => (p ? `${p}:${name}` : name);
  const el = (name: string, inner: string): string => `<${t(name)}>${inner}</${t(name)}>`;
  const ns = doc.namespace ?? "http://www.strom.ch";
  const xmlns = p ? `xmlns:${p}="${ns}"` : `xmlns="${ns}"`;
  const header = el(
    "ValidatedMeteredData_HeaderInformation",
    el("HeaderVersion", `1.${v.slice(1)}`) +
      el("Sender", el("ID", el("EICID", "12X-0000000000-A"))) +
      el("Receiver", el("ID", el("EICID", "12X-0000000000-B"))) +
      el(
        "InstanceDocument",
        el("DictionaryAgencyID", "260") +
          el("VersionID", `1.${v.slice(1)}`) +
          el("DocumentID", doc.documentId ?? "DOC-1") +
          el("DocumentType", el("ebIXCode", "E66")) +
          el("Creation", doc.created ?? "2026-11-02T06:00:00Z") +
          el("Status", el("ebIXCode", "51")),
      ) +
      el(
        "BusinessScopeProcess",
        el("BusinessReasonType", el("ebIXCode", "C13")) +
          el("ReportPeriod", el("StartDateTime", doc.blocks[0]?.start ?? "") + el("EndDateTime", doc.blocks[0]?.end ?? "")),
      ),
  );
  const blocks = doc.blocks
    .map((b) => {
      const point = el(
        b.direction === "consumption" ? "ConsumptionMeteringPoint" : "ProductionMeteringPoint",
        `<${t("VSENationalID")} schemeAgencyID="260">${b.point}</${t("VSENationalID")}>`,
      );
      const product = b.product ?? "8716867000030";
      const productId = v === "16" ? el("ID", el("ebIXCode", product)) : `<${t("ID")} schemeAgencyID="9">${product}</${t("ID")}>`;
      const obs = b.observations
        .map((o, i) => {
          const seq = String(o.sequence ?? i + 1);
          const s = v === "16" ? el("Position", el("Sequence", seq)) : el("Sequence", seq);
          return el("Observation", s + (o.kWh !== null ? el("Volume", o.kWh) : "") + (o.condition ? el("Condition", o.condition) : ""));
        })
        .join("");
      return el(
        "MeteringData",
        el("DocumentID", `${doc.documentId ?? "DOC-1"}@1`) +
          el("Interval", el("StartDateTime", b.start) + (b.end ? el("EndDateTime", b.end) : "")) +
          el("Resolution", el("Resolution", b.resolution ?? "15") + el("Unit", b.unit ?? "MIN")) +
          point +
          el("Product", productId + el("MeasureUnit", b.measureUnit ?? "KWH")) +
          obs,
      );
    })
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${t(`ValidatedMeteredData_${v}`)} ${xmlns} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n${header}\n${blocks}\n</${t(`ValidatedMeteredData_${v}`)}>\n`;
}

/** n observations of the same kWh value and condition. */
export function same(n: number, kWh: string, condition?: string): SdatObs[] {
  return Array.from({ length: n }, () => (condition ? { kWh, condition } : { kWh }));
}
