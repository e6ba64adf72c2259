import { SaxesParser } from "saxes";
import { MAX_XML_DEPTH, XmlTooDeep } from "../util/xml-depth";
import { CodedError } from "../util/coded-error";
import type { IssueParams } from "../util/issue";
import { Decimal } from "../util/money";
import { INTERVAL_MS } from "../time/interval";

/*
 * SDAT-CH ValidatedMeteredData documents (VSE branch recommendation SDAT-CH,
 * ebIX based), versions 1.2 to 1.6: docs/operator-data.md. Elements are
 * matched by namespace (http://www.strom.ch) and local name, so any prefix
 * (rsm, ns0, a default namespace) reads the same.
 */

export const SDAT_NAMESPACE = "http://www.strom.ch";
export const SDAT_VERSIONS = ["12", "13", "14", "15", "16"] as const;

/** What an observation's Condition says about its value (docs/operator-data.md "Quality"). */
export type SdatQuality = "measured" | "estimated" | "missing";

/**
 * ebIX quantity-quality codes as SDAT-CH documents carry them in
 * Observation/Condition. No condition = a true value. Unknown codes are read
 * as not a true value (estimated) and reported.
 */
export const CONDITION_QUALITY: Readonly<Record<string, SdatQuality>> = {
  // true values: as read / measured, the ordinary value of Swiss SDAT-CH deliveries, revised (a corrected true value)
  E01: "measured",
  "21": "measured",
  "36": "measured",
  // substitute values: estimated (Ersatzwert), calculated
  "56": "estimated",
  D01: "estimated",
  // placeholders: quantity missing / not available
  A02: "missing",
  A04: "missing",
};

export interface SdatObservation {
  sequence: number;
  startMs: number;
  /** Energy in Wh; null for a placeholder (no usable value). */
  wh: number | null;
  quality: SdatQuality;
  condition: string | null;
  /** The condition code is not in CONDITION_QUALITY. */
  unknownCondition: boolean;
}

export interface SdatSeries {
  meteringPoint: string;
  /** ConsumptionMeteringPoint: drawn from the grid; ProductionMeteringPoint: fed in. */
  direction: "consumption" | "production";
  startMs: number;
  endMs: number;
  product: string | null;
  observations: SdatObservation[];
}

export interface SdatDocument {
  fileName: string;
  version: string;
  documentId: string;
  /** The document's Creation instant: between two true values the later document wins. */
  createdMs: number;
  series: SdatSeries[];
  /** Blocks not imported (other products such as a LEG split, exchange points), with the reason. */
  notes: string[];
  /**
   * Series of the products the caller named as a LEG's per-member split (E66 local / residual values,
   * `legProducts` of the community, docs/decisions/0132): parsed like a load profile, never merged into intervals.
   */
  splitSeries?: SdatSeries[];
}

/** Codes of SdatError; each message names the file and what to do (translated in zev-aggregate's "problems.sdat"). */
export const SDAT_ERROR_CODES = [
  "sdat.malformed",
  "sdat.notSdat",
  "sdat.version",
  "sdat.missingElement",
  "sdat.resolution",
  "sdat.unit",
  "sdat.badValue",
  "sdat.sequence",
  "sdat.noSeries",
  "sdat.unknownMeteringPoint",
  "sdat.otherCommunity",
  "sdat.noCommunity",
] as const;
export type SdatErrorCode = (typeof SDAT_ERROR_CODES)[number];

/** A CodedError, so that nodes translate it ("<node>.problems.<code>") and a Catch node sees code and params. */
export class SdatError extends CodedError {
  constructor(code: SdatErrorCode, params: IssueParams, message: string) {
    super(code, params, "");
    // the English text is composed here, not a template: a file name may contain anything
    this.message = message;
    this.name = "SdatError";
  }
}

interface Node {
  uri: string;
  local: string;
  children: Node[];
  text: string;
}

function parseXml(text: string, fileName: string): Node {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const root: Node = { uri: "", local: "#document", children: [], text: "" };
  const stack: Node[] = [root];
  let failure: string | null = null;
  parser.on("error", (e) => {
    failure ??= e.message;
  });
  parser.on("opentag", (tag) => {
    // the document node is the stack's first entry, not an element
    if (stack.length > MAX_XML_DEPTH) throw new XmlTooDeep();
    const n: Node = { uri: tag.uri, local: tag.local, children: [], text: "" };
    stack[stack.length - 1]!.children.push(n);
    stack.push(n);
  });
  parser.on("closetag", () => void stack.pop());
  parser.on("text", (t) => {
    stack[stack.length - 1]!.text += t;
  });
  parser.on("cdata", (t) => {
    stack[stack.length - 1]!.text += t;
  });
  try {
    parser.write(text.replace(/^\uFEFF/, "")).close();
  } catch (e) {
    failure ??= (e as Error).message;
  }
  if (failure !== null || root.children.length !== 1) {
    throw new SdatError(
      "sdat.malformed",
      { file: fileName, detail: failure ?? "no root element" },
      `${fileName}: not well-formed XML (${failure ?? "no root element"}); the file is damaged or not an SDAT-CH document: ask the grid operator to send it again`,
    );
  }
  return root.children[0]!;
}

const child = (n: Node | undefined, local: string): Node | undefined => n?.children.find((c) => c.local === local && c.uri === SDAT_NAMESPACE);
const children = (n: Node, local: string): Node[] => n.children.filter((c) => c.local === local && c.uri === SDAT_NAMESPACE);
const text = (n: Node | undefined): string | undefined => {
  const t = n?.text.trim();
  return t ? t : undefined;
};
function path(n: Node | undefined, ...names: string[]): Node | undefined {
  let cur = n;
  for (const name of names) cur = child(cur, name);
  return cur;
}

/** ISO instant with Z or an offset; SDAT-CH writes UTC with Z. */
function instant(value: string | undefined, what: string, fileName: string): number {
  if (value === undefined) throw missing(what, fileName);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw new SdatError(
      "sdat.badValue",
      { file: fileName, element: what, value },
      `${fileName}: ${what} ${JSON.stringify(value)} is not a date-time with Z or an offset; the document does not follow SDAT-CH: ask the grid operator`,
    );
  }
  const ms = Date.parse(value);
  if (!Number.isFinite(ms))
    throw new SdatError(
      "sdat.badValue",
      { file: fileName, element: what, value },
      `${fileName}: ${what} ${JSON.stringify(value)} is not a valid date-time; ask the grid operator`,
    );
  return ms;
}

function missing(what: string, fileName: string): SdatError {
  return new SdatError(
    "sdat.missingElement",
    { file: fileName, element: what },
    `${fileName}: ${what} is missing; the document does not follow SDAT-CH ValidatedMeteredData: ask the grid operator for a complete file`,
  );
}

/** kWh as written ("2.250", "12321", "0.0125") to integer Wh, rounded half-up; refuses what is not a non-negative decimal. */
function kWhToWh(value: string, fileName: string, where: string): number {
  if (!/^\d+(\.\d+)?$/.test(value)) {
    throw new SdatError(
      "sdat.badValue",
      { file: fileName, element: where, value },
      `${fileName}: ${where} Volume ${JSON.stringify(value)} is not an energy in kWh (a non-negative decimal); ask the grid operator`,
    );
  }
  return new Decimal(value).times(1000).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
}

/** Product ids of active energy (ebIX): only these are a meter's energy; a LEG split (VSE national codes) is another product. */
const ACTIVE_ENERGY = new Set(["8716867000030"]);

function productOf(block: Node): string | null {
  const id = path(block, "Product", "ID");
  if (!id) return null;
  return text(child(id, "ebIXCode")) ?? text(child(id, "VSENationalCode")) ?? text(id) ?? null;
}

/**
 * Parses one ValidatedMeteredData document. Throws SdatError (code, params,
 * English message naming the file) for anything that cannot be read without
 * guessing: malformed XML, another namespace or version, a resolution other
 * than 15 minutes, a unit other than kWh, a bad or repeated sequence.
 */
export function parseSdat(xml: string, fileName: string, opts: { splitProducts?: ReadonlySet<string> } = {}): SdatDocument {
  const root = parseXml(xml, fileName);
  const m = /^ValidatedMeteredData_(\d+)$/.exec(root.local);
  if (!m || root.uri !== SDAT_NAMESPACE) {
    const what = root.uri ? `{${root.uri}}${root.local}` : root.local;
    const hint = /^ValidatedMeteredData/.test(root.local)
      ? `its namespace must be ${SDAT_NAMESPACE}`
      : /^AggregatedMeteredData/.test(root.local)
        ? "aggregated data is not a metering point's load profile"
        : `expected ValidatedMeteredData_12 .. _16 in namespace ${SDAT_NAMESPACE}`;
    throw new SdatError(
      "sdat.notSdat",
      { file: fileName, root: what },
      `${fileName}: root element ${what} is not an SDAT-CH ValidatedMeteredData document (${hint}); import the operator's ValidatedMeteredData files`,
    );
  }
  const version = m[1]!;
  if (!(SDAT_VERSIONS as readonly string[]).includes(version)) {
    throw new SdatError(
      "sdat.version",
      { file: fileName, version },
      `${fileName}: ValidatedMeteredData_${version} is not a supported version (1.2 to 1.6: _12 .. _16); ask the grid operator for one of these versions`,
    );
  }
  const header = root.children.find((c) => c.uri === SDAT_NAMESPACE && c.local.endsWith("HeaderInformation"));
  // 1.2 to 1.6 put InstanceDocument in the header; some exports write it directly under the root
  const instanceDoc = child(header, "InstanceDocument") ?? child(root, "InstanceDocument");
  const documentId = text(child(instanceDoc, "DocumentID"));
  if (!documentId) throw missing("HeaderInformation/InstanceDocument/DocumentID", fileName);
  const createdMs = instant(text(child(instanceDoc, "Creation")), "InstanceDocument/Creation", fileName);

  const series: SdatSeries[] = [];
  const splitSeries: SdatSeries[] = [];
  const notes: string[] = [];
  children(root, "MeteringData").forEach((block, bi) => {
    const where = `MeteringData #${bi + 1}`;
    const consumption = child(block, "ConsumptionMeteringPoint");
    const production = child(block, "ProductionMeteringPoint");
    const pointNode = consumption ?? production;
    if (!pointNode) {
      notes.push(`${where}: no ConsumptionMeteringPoint or ProductionMeteringPoint (an exchange or aggregated point): not imported`);
      return;
    }
    const direction = consumption ? "consumption" : "production";
    const meteringPoint = text(child(pointNode, "VSENationalID")) ?? text(child(pointNode, "EICID")) ?? text(pointNode);
    if (!meteringPoint) throw missing(`${where}: ${pointNode.local}/VSENationalID`, fileName);
    const product = productOf(block);
    const split = product !== null && opts.splitProducts?.has(product) === true;
    if (product !== null && !ACTIVE_ENERGY.has(product) && !split) {
      notes.push(`${where}: ${meteringPoint} product ${product} is not active energy (8716867000030): not imported`);
      return;
    }
    const unit = text(path(block, "Product", "MeasureUnit"));
    if (unit !== undefined && unit.toUpperCase() !== "KWH") {
      throw new SdatError(
        "sdat.unit",
        { file: fileName, point: meteringPoint, unit },
        `${fileName}: ${meteringPoint} is measured in ${unit}, not KWH; ask the grid operator for kWh values`,
      );
    }
    const interval = child(block, "Interval");
    const startMs = instant(text(child(interval, "StartDateTime")), `${where}: Interval/StartDateTime`, fileName);
    const endText = text(child(interval, "EndDateTime"));
    const endMs = endText !== undefined ? instant(endText, `${where}: Interval/EndDateTime`, fileName) : null;
    const res = child(block, "Resolution");
    const resValue = text(child(res, "Resolution"));
    const resUnit = text(child(res, "Unit"));
    if (resValue === undefined || resUnit === undefined) throw missing(`${where}: Resolution/Resolution and Resolution/Unit`, fileName);
    const minutes = resUnit.toUpperCase() === "MIN" ? Number(resValue) : resUnit.toUpperCase() === "HOUR" ? Number(resValue) * 60 : NaN;
    if (minutes !== 15) {
      throw new SdatError(
        "sdat.resolution",
        { file: fileName, point: meteringPoint, resolution: `${resValue} ${resUnit}` },
        `${fileName}: ${meteringPoint} has resolution ${resValue} ${resUnit}; only 15-minute data (15 MIN) can be billed: ask the grid operator for the 15-minute load profile`,
      );
    }
    if (startMs % INTERVAL_MS !== 0) {
      throw new SdatError(
        "sdat.badValue",
        { file: fileName, element: "Interval/StartDateTime", value: text(child(interval, "StartDateTime"))! },
        `${fileName}: ${where} starts at ${new Date(startMs).toISOString()}, not on a quarter hour; ask the grid operator`,
      );
    }
    const seen = new Set<number>();
    const observations: SdatObservation[] = [];
    for (const o of children(block, "Observation")) {
      const seqText = text(path(o, "Position", "Sequence")) ?? text(child(o, "Sequence"));
      const seq = seqText !== undefined && /^\d+$/.test(seqText) ? Number(seqText) : NaN;
      if (!Number.isInteger(seq) || seq < 1) {
        throw new SdatError(
          "sdat.sequence",
          { file: fileName, point: meteringPoint, sequence: seqText ?? "" },
          `${fileName}: ${meteringPoint} has an observation without a valid Sequence (${JSON.stringify(seqText ?? "")}); ask the grid operator`,
        );
      }
      if (seen.has(seq)) {
        throw new SdatError(
          "sdat.sequence",
          { file: fileName, point: meteringPoint, sequence: seq },
          `${fileName}: ${meteringPoint} has sequence ${seq} twice; one of the two values would be lost: ask the grid operator for a corrected file`,
        );
      }
      seen.add(seq);
      const obsStart = startMs + (seq - 1) * INTERVAL_MS;
      if (endMs !== null && obsStart >= endMs) {
        throw new SdatError(
          "sdat.sequence",
          { file: fileName, point: meteringPoint, sequence: seq },
          `${fileName}: ${meteringPoint} sequence ${seq} lies after the interval's end ${new Date(endMs).toISOString()}; ask the grid operator`,
        );
      }
      const condition = text(child(o, "Condition")) ?? null;
      const known = condition === null ? "measured" : CONDITION_QUALITY[condition.toUpperCase()];
      const quality: SdatQuality = known ?? "estimated";
      const volume = text(child(o, "Volume"));
      let wh: number | null = null;
      if (quality !== "missing") {
        if (volume === undefined) {
          // an observation without a value is a placeholder, whatever its condition says
          observations.push({
            sequence: seq,
            startMs: obsStart,
            wh: null,
            quality: "missing",
            condition,
            unknownCondition: condition !== null && known === undefined,
          });
          continue;
        }
        wh = kWhToWh(volume, fileName, `${meteringPoint} sequence ${seq}`);
      }
      observations.push({ sequence: seq, startMs: obsStart, wh, quality, condition, unknownCondition: condition !== null && known === undefined });
    }
    observations.sort((a, b) => a.sequence - b.sequence);
    const lastEnd = observations.length ? observations[observations.length - 1]!.startMs + INTERVAL_MS : startMs;
    (split ? splitSeries : series).push({ meteringPoint, direction, startMs, endMs: endMs ?? lastEnd, product, observations });
  });
  if (series.length === 0 && splitSeries.length === 0) {
    throw new SdatError(
      "sdat.noSeries",
      { file: fileName },
      `${fileName}: no active-energy load profile of a consumption or production metering point in this document${notes.length ? ` (${notes.join("; ")})` : ""}; nothing to import`,
    );
  }
  return { fileName, version, documentId, createdMs, series, notes, ...(splitSeries.length ? { splitSeries } : {}) };
}
