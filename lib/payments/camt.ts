import { CodedError } from "../util/coded-error";
import { createHash } from "node:crypto";
import { isValidCreditorReference, isValidQrReference } from "../billing/reference";
import { normalizeIban } from "../util/iban";
import { Decimal } from "../util/money";
import { DEFAULT_TIME_ZONE, isLocalDate, localDateOf, type LocalDate } from "../time/local-date";
import { at, children, parseXml, textAt, XmlSyntaxError, type XmlElement } from "./xml";

/*
 * ISO 20022 camt.054 (debit/credit notification) and camt.053 (statement) as
 * Swiss banks send them (Swiss Payment Standards, versions .04 and .08 and
 * the ones between): read by local element names, so any namespace prefix
 * works; the namespace itself names message and version.
 *
 * What becomes a payment (docs/payments.md, docs/decisions/0081):
 * - credit entries (CdtDbtInd CRDT) that are booked (Sts BOOK, or Sts/Cd BOOK);
 *   pending (PDNG) and information (INFO) entries are skipped and counted: the
 *   bank sends them again as booked, and booking them now would count them twice;
 * - a reversal (RvslInd true) is never a payment (a credit reversal is a returned
 *   outgoing payment, not money a tenant sent);
 * - one payment per transaction (NtryDtls/TxDtls); an entry without TxDtls is one
 *   payment with the entry's amount.
 */

export type CamtMessage = "camt.053" | "camt.054";
export type ReferenceType = "QRR" | "SCOR" | "ISR";

/** A coded problem (code, params, English text): the nodes translate it as "<node>.problems.<code>". */
export class CamtError extends CodedError {
  constructor(code: string, params: Record<string, string | number>, message: string) {
    // The English text is already filled in; CodedError leaves a text without placeholders as it is.
    super(code, params, message);
    this.name = "CamtError";
  }
}

export interface CamtPayment {
  /** The bank's identity of this transaction: the same booking in another file (054 and 053) has the same key. */
  key: string;
  accountIban: string | null;
  amount: string;
  currency: string;
  bookingDate: LocalDate | null;
  valueDate: LocalDate | null;
  referenceType: ReferenceType | null;
  reference: string | null;
  debtorName: string | null;
  debtorIban: string | null;
  entryRef: string | null;
  /** The booking's identity (account + entry AcctSvcrRef), null without AcctSvcrRef. */
  entryKey: string | null;
  /** The entry came without transaction details: one payment of the entry's amount. */
  summary: boolean;
  txRef: string | null;
  endToEndId: string | null;
  /** 1-based entry within its statement/notification, and transaction within the entry. */
  entryIndex: number;
  txIndex: number;
}

export interface CamtSkipped {
  entryIndex: number;
  reason: "debit" | "not-booked" | "reversal";
  status: string | null;
  amount: string;
  currency: string;
}

export interface CamtStatement {
  id: string | null;
  accountIban: string | null;
  entries: number;
  payments: CamtPayment[];
  skipped: CamtSkipped[];
  /** Entries whose transactions do not add up to the entry's amount (booked as the transactions say). */
  warnings: { code: string; params: Record<string, string | number>; message: string }[];
}

export interface CamtDocument {
  message: CamtMessage;
  /** "04", "08", ... */
  version: string;
  messageId: string | null;
  statements: CamtStatement[];
}

const NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:camt\.(053|054)\.001\.(\d{2})$/;
const AMOUNT = /^\d{1,15}(\.\d{1,5})?$/;
const CURRENCY = /^[A-Z]{3}$/;

function fail(code: string, params: Record<string, string | number>, message: string): never {
  throw new CamtError(code, params, message);
}

/** "2026-12-05", "2026-12-05T10:15:00" (local) or "...+01:00"/"...Z" (an instant) -> local date. */
export function camtDate(el: XmlElement | undefined, zone: string): LocalDate | null {
  if (!el) return null;
  const dt = textAt(el, "Dt");
  if (dt) {
    const d = dt.slice(0, 10);
    if (!isLocalDate(d)) fail("camt.date", { value: dt }, `date ${JSON.stringify(dt)} is not written YYYY-MM-DD`);
    return d;
  }
  const dtTm = textAt(el, "DtTm");
  if (!dtTm) return null;
  const m = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(dtTm);
  if (!m || !isLocalDate(m[1])) fail("camt.date", { value: dtTm }, `date and time ${JSON.stringify(dtTm)} is not an ISO date-time`);
  // Without an offset the bank wrote its (Swiss) local time: its date is the local date.
  if (!m[4]) return m[1]!;
  const ms = Date.parse(dtTm);
  if (!Number.isFinite(ms)) fail("camt.date", { value: dtTm }, `date and time ${JSON.stringify(dtTm)} is not an ISO date-time`);
  return localDateOf(ms, zone);
}

function amountOf(el: XmlElement | undefined, where: string): { amount: string; currency: string } | undefined {
  if (!el) return undefined;
  const text = el.text;
  const currency = el.attrs.Ccy ?? "";
  if (!AMOUNT.test(text)) fail("camt.amount", { value: text, where }, `${where}: amount ${JSON.stringify(text)} is not a decimal number`);
  if (!CURRENCY.test(currency)) fail("camt.currency", { value: currency, where }, `${where}: currency ${JSON.stringify(currency)} is not an ISO 4217 code`);
  const d = new Decimal(text);
  if (!d.equals(d.toDecimalPlaces(2))) fail("camt.amount", { value: text, where }, `${where}: amount ${text} has more than two decimals`);
  return { amount: d.toFixed(2), currency };
}

/** Classifies a reference by its stated type, and where the type is empty or unknown by its own form. */
export function classifyReference(ref: string, cd: string | undefined, prtry: string | undefined): ReferenceType | null {
  const r = ref.replace(/\s/g, "").toUpperCase();
  const code = (cd ?? "").trim().toUpperCase();
  const prop = (prtry ?? "").trim().toUpperCase();
  if (prop === "QRR") return "QRR";
  if (code === "SCOR") return "SCOR";
  if (/\b(ISR|ESR|BVR|PVR)\b/.test(prop)) return "ISR";
  if (isValidCreditorReference(r)) return "SCOR";
  // A 27-digit reference with a valid check digit is a QR reference; the ISR reference has the same form and died with the ISR (2022).
  if (isValidQrReference(r)) return "QRR";
  return null;
}

function reference(tx: XmlElement | undefined): { type: ReferenceType | null; ref: string | null } {
  for (const strd of children(tx && at(tx, "RmtInf"), "Strd")) {
    const info = at(strd, "CdtrRefInf");
    const ref = textAt(info, "Ref");
    if (!ref) continue;
    const norm = ref.replace(/\s/g, "").toUpperCase();
    return { type: classifyReference(norm, textAt(info, "Tp/CdOrPrtry/Cd"), textAt(info, "Tp/CdOrPrtry/Prtry")), ref: norm };
  }
  return { type: null, ref: null };
}

function debtor(tx: XmlElement | undefined): { name: string | null; iban: string | null } {
  const dbtr = at(tx, "RltdPties/Dbtr");
  // .08: Dbtr/Pty/Nm; .04: Dbtr/Nm
  const name =
    textAt(dbtr, "Pty/Nm") ?? textAt(dbtr, "Nm") ?? textAt(at(tx, "RltdPties/UltmtDbtr"), "Pty/Nm") ?? textAt(at(tx, "RltdPties/UltmtDbtr"), "Nm") ?? null;
  const iban = textAt(tx, "RltdPties/DbtrAcct/Id/IBAN");
  // Banks write NOTPROVIDED where the payer's name did not reach them (SPS).
  return { name: name && name.toUpperCase() !== "NOTPROVIDED" ? name : null, iban: iban ? normalizeIban(iban) : null };
}

function entryStatus(ntry: XmlElement): string | null {
  const sts = at(ntry, "Sts");
  if (!sts) return null;
  return (textAt(sts, "Cd") ?? textAt(sts, "Prtry") ?? sts.text).toUpperCase() || null;
}

function hashKey(parts: (string | null)[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 24);
}

function readStatement(stmt: XmlElement, zone: string): CamtStatement {
  const iban = textAt(stmt, "Acct/Id/IBAN");
  const accountIban = iban ? normalizeIban(iban) : null;
  const out: CamtStatement = { id: textAt(stmt, "Id") ?? null, accountIban, entries: 0, payments: [], skipped: [], warnings: [] };
  const fallbackSeen = new Map<string, number>();
  children(stmt, "Ntry").forEach((ntry, i) => {
    const entryIndex = i + 1;
    out.entries++;
    const where = `entry ${entryIndex}`;
    const amt = amountOf(at(ntry, "Amt"), where) ?? fail("camt.entryAmount", { entry: entryIndex }, `${where} has no amount (Amt)`);
    const cdi = textAt(ntry, "CdtDbtInd");
    if (cdi !== "CRDT" && cdi !== "DBIT")
      fail("camt.creditDebit", { entry: entryIndex, value: cdi ?? "" }, `${where}: CdtDbtInd must be CRDT or DBIT, got ${JSON.stringify(cdi ?? "")}`);
    const status = entryStatus(ntry);
    if (cdi === "DBIT") return void out.skipped.push({ entryIndex, reason: "debit", status, ...amt });
    if (status !== "BOOK") return void out.skipped.push({ entryIndex, reason: "not-booked", status, ...amt });
    if (textAt(ntry, "RvslInd")?.toLowerCase() === "true") return void out.skipped.push({ entryIndex, reason: "reversal", status, ...amt });
    const bookingDate = camtDate(at(ntry, "BookgDt"), zone);
    const valueDate = camtDate(at(ntry, "ValDt"), zone);
    const entryRef = textAt(ntry, "AcctSvcrRef") ?? null;
    const txs = children(ntry, "NtryDtls").flatMap((d) => children(d, "TxDtls"));
    const list: (XmlElement | undefined)[] = txs.length ? txs : [undefined];
    let sum = new Decimal(0);
    let txIndex = 0;
    for (const tx of list) {
      txIndex++;
      const txWhere = tx ? `${where}, transaction ${txIndex}` : where;
      if (tx && textAt(tx, "CdtDbtInd") === "DBIT") continue;
      const own = tx ? (amountOf(at(tx, "Amt"), txWhere) ?? amountOf(at(tx, "AmtDtls/TxAmt/Amt"), txWhere)) : undefined;
      const a =
        own ??
        (list.length === 1
          ? amt
          : fail("camt.txAmount", { entry: entryIndex, tx: txIndex }, `${txWhere}: a batch entry's transaction has no amount (Amt or AmtDtls/TxAmt/Amt)`));
      sum = sum.plus(a.amount);
      const { type, ref } = reference(tx);
      const d = debtor(tx);
      const txRef = textAt(tx, "Refs/AcctSvcrRef") ?? null;
      const e2e = textAt(tx, "Refs/EndToEndId") ?? null;
      const endToEndId = e2e && e2e !== "NOTPROVIDED" ? e2e : null;
      const entryKey = entryRef ? `ent:${hashKey([accountIban, entryRef])}` : null;
      let key: string;
      if (entryKey && !tx) key = entryKey;
      else if (entryRef) key = `svc:${hashKey([accountIban, entryRef, txRef ?? endToEndId, a.amount, a.currency, String(txIndex)])}`;
      else {
        // No bank reference: the booking's content, numbered among identical ones in this statement (two equal payments stay two).
        const content = hashKey([accountIban, bookingDate, valueDate, a.amount, a.currency, ref, d.name, endToEndId]);
        const n = (fallbackSeen.get(content) ?? 0) + 1;
        fallbackSeen.set(content, n);
        key = `doc:${content}#${n}`;
      }
      out.payments.push({
        key,
        accountIban,
        amount: a.amount,
        currency: a.currency,
        bookingDate,
        valueDate,
        referenceType: type,
        reference: ref,
        debtorName: d.name,
        debtorIban: d.iban,
        entryRef,
        entryKey,
        summary: !tx,
        txRef,
        endToEndId,
        entryIndex,
        txIndex,
      });
    }
    if (txs.length > 1 && !sum.equals(amt.amount)) {
      out.warnings.push({
        code: "camt.batchSum",
        params: { entry: entryIndex, entryAmount: amt.amount, sum: sum.toFixed(2) },
        message: `${where}: the transactions add up to ${sum.toFixed(2)}, the entry says ${amt.amount}; booked as the transactions say`,
      });
    }
  });
  return out;
}

/** Parses a camt.053/.054 document; throws CamtError naming what is wrong. */
export function parseCamt(xml: string, options: { timeZone?: string } = {}): CamtDocument {
  const zone = options.timeZone ?? DEFAULT_TIME_ZONE;
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (e) {
    if (e instanceof XmlSyntaxError) fail("camt.xml", { line: e.line, reason: e.message }, `not well-formed XML (line ${e.line}): ${e.message}`);
    throw e;
  }
  const ns = NAMESPACE.exec(root.ns);
  if (root.name !== "Document" || !ns) {
    fail(
      "camt.notCamt",
      { root: root.name, namespace: root.ns },
      `not a camt.053 or camt.054 document (root ${root.name}, namespace ${JSON.stringify(root.ns)})`,
    );
  }
  const message = `camt.${ns[1]}` as CamtMessage;
  const body = message === "camt.054" ? at(root, "BkToCstmrDbtCdtNtfctn") : at(root, "BkToCstmrStmt");
  if (!body) fail("camt.noBody", { message }, `${message} document without ${message === "camt.054" ? "BkToCstmrDbtCdtNtfctn" : "BkToCstmrStmt"}`);
  const statements = children(body, message === "camt.054" ? "Ntfctn" : "Stmt").map((s) => readStatement(s, zone));
  return { message, version: ns[2]!, messageId: textAt(body, "GrpHdr/MsgId") ?? null, statements };
}
