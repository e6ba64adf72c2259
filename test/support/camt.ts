/*
 * Builds camt.054 / camt.053 documents as Swiss banks send them (Swiss
 * Payment Standards, SPS 2022 camt implementation guidelines; versions .04
 * and .08): GrpHdr, Ntfctn/Stmt with Acct/Id/IBAN, Ntry with Amt@Ccy,
 * CdtDbtInd, RvslInd, Sts (.04: code as text; .08: Sts/Cd), BookgDt, ValDt,
 * AcctSvcrRef, BkTxCd, NtryDtls (Btch, TxDtls with Refs, Amt, AmtDtls,
 * RltdPties/Dbtr (.04: Nm; .08: Pty/Nm), RmtInf/Strd/CdtrRefInf).
 */

export type CamtVersion = "04" | "08";

export interface TxSpec {
  amount?: string;
  /** Only AmtDtls/TxAmt/Amt, no TxDtls/Amt. */
  amountInDetailsOnly?: boolean;
  currency?: string;
  /** "QRR", "SCOR", "ISR" (as "ISR Reference"), "" (empty Tp), or undefined (no Tp at all). */
  refType?: "QRR" | "SCOR" | "ISR" | "" | undefined;
  ref?: string;
  debtor?: string;
  debtorIban?: string;
  acctSvcrRef?: string;
  endToEndId?: string;
  creditDebit?: "CRDT" | "DBIT";
  unstructured?: string;
}

export interface EntrySpec {
  amount: string;
  currency?: string;
  creditDebit?: "CRDT" | "DBIT";
  status?: "BOOK" | "PDNG" | "INFO";
  reversal?: boolean;
  bookingDate?: string;
  /** Written as DtTm instead of Dt. */
  bookingDateTime?: string;
  valueDate?: string;
  acctSvcrRef?: string;
  /** Omitted: an entry without NtryDtls. */
  txs?: TxSpec[];
}

export interface CamtSpec {
  message?: "camt.054" | "camt.053";
  version?: CamtVersion;
  iban: string;
  msgId?: string;
  /** Namespace prefix ("" for the default namespace). */
  prefix?: string;
  entries: EntrySpec[];
}

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function buildCamt(spec: CamtSpec): string {
  const message = spec.message ?? "camt.054";
  const v = spec.version ?? "08";
  const px = spec.prefix ? `${spec.prefix}:` : "";
  const t = (name: string, inner: string, attrs = ""): string => `<${px}${name}${attrs}>${inner}</${px}${name}>`;
  const amt = (a: string, ccy: string): string => t("Amt", esc(a), ` Ccy="${ccy}"`);
  const sts = (s: string): string => (v === "04" ? t("Sts", s) : t("Sts", t("Cd", s)));
  const party = (name: string): string => (v === "04" ? t("Nm", esc(name)) : t("Pty", t("Nm", esc(name))));
  const date = (d: string): string => t("Dt", d);

  const tx = (x: TxSpec, entry: EntrySpec, single: boolean): string => {
    const ccy = x.currency ?? entry.currency ?? "CHF";
    const a = x.amount ?? (single ? entry.amount : "0");
    let refInf = "";
    if (x.ref !== undefined) {
      const tp =
        x.refType === undefined
          ? ""
          : x.refType === ""
            ? t("Tp", t("CdOrPrtry", t("Prtry", "")))
            : x.refType === "SCOR"
              ? t("Tp", t("CdOrPrtry", t("Cd", "SCOR")))
              : t("Tp", t("CdOrPrtry", t("Prtry", x.refType === "ISR" ? "ISR Reference" : x.refType)));
      refInf = t("Strd", t("CdtrRefInf", tp + t("Ref", esc(x.ref))));
    }
    const rmt = refInf || x.unstructured ? t("RmtInf", (x.unstructured ? t("Ustrd", esc(x.unstructured)) : "") + refInf) : "";
    return t(
      "TxDtls",
      t("Refs", (x.acctSvcrRef ? t("AcctSvcrRef", x.acctSvcrRef) : "") + t("EndToEndId", x.endToEndId ?? "NOTPROVIDED")) +
        (x.amountInDetailsOnly ? "" : amt(a, ccy)) +
        t("CdtDbtInd", x.creditDebit ?? entry.creditDebit ?? "CRDT") +
        t("AmtDtls", t("InstdAmt", amt(a, ccy)) + t("TxAmt", amt(a, ccy))) +
        t("BkTxCd", t("Domn", t("Cd", "PMNT") + t("Fmly", t("Cd", "RCDT") + t("SubFmlyCd", "VCOM")))) +
        (x.debtor || x.debtorIban
          ? t("RltdPties", (x.debtor ? t("Dbtr", party(x.debtor)) : "") + (x.debtorIban ? t("DbtrAcct", t("Id", t("IBAN", x.debtorIban))) : ""))
          : "") +
        rmt +
        t("RltdDts", t("AccptncDtTm", `${entry.bookingDate ?? "2026-12-05"}T08:00:00`)),
    );
  };

  const entry = (e: EntrySpec, i: number): string => {
    const ccy = e.currency ?? "CHF";
    const booking = e.bookingDateTime ? t("DtTm", e.bookingDateTime) : date(e.bookingDate ?? "2026-12-05");
    const details =
      e.txs === undefined
        ? ""
        : t(
            "NtryDtls",
            (e.txs.length > 1
              ? t("Btch", t("NbOfTxs", String(e.txs.length)) + t("TtlAmt", e.amount, ` Ccy="${ccy}"`) + t("CdtDbtInd", e.creditDebit ?? "CRDT"))
              : "") + e.txs.map((x) => tx(x, e, e.txs!.length === 1)).join(""),
          );
    return t(
      "Ntry",
      t("NtryRef", `NREF${i + 1}`) +
        amt(e.amount, ccy) +
        t("CdtDbtInd", e.creditDebit ?? "CRDT") +
        t("RvslInd", e.reversal ? "true" : "false") +
        sts(e.status ?? "BOOK") +
        t("BookgDt", booking) +
        t("ValDt", date(e.valueDate ?? e.bookingDate ?? "2026-12-05")) +
        (e.acctSvcrRef === "" ? "" : t("AcctSvcrRef", e.acctSvcrRef ?? `SVC-${i + 1}`)) +
        t("BkTxCd", t("Domn", t("Cd", "PMNT") + t("Fmly", t("Cd", "RCDT") + t("SubFmlyCd", e.txs && e.txs.length > 1 ? "ESCT" : "VCOM")))) +
        details,
    );
  };

  const msgId = spec.msgId ?? "MSG-20261205-1";
  const acct = t("Acct", t("Id", t("IBAN", spec.iban.replace(/\s/g, ""))) + t("Ccy", "CHF") + t("Ownr", t("Nm", "ZEV Drei")));
  const grp = t("GrpHdr", t("MsgId", msgId) + t("CreDtTm", "2026-12-05T18:00:00") + t("MsgPgntn", t("PgNb", "1") + t("LastPgInd", "true")));
  const ns = `urn:iso:std:iso:20022:tech:xsd:${message}.001.${v}`;
  const xmlns = spec.prefix ? ` xmlns:${spec.prefix}="${ns}"` : ` xmlns="${ns}"`;
  const entries = spec.entries.map(entry).join("");
  const body =
    message === "camt.054"
      ? t("BkToCstmrDbtCdtNtfctn", grp + t("Ntfctn", t("Id", `${msgId}-N1`) + t("CreDtTm", "2026-12-05T18:00:00") + acct + entries))
      : t(
          "BkToCstmrStmt",
          grp +
            t(
              "Stmt",
              t("Id", `${msgId}-S1`) +
                t("ElctrncSeqNb", "1") +
                t("CreDtTm", "2026-12-05T18:00:00") +
                t("FrToDt", t("FrDtTm", "2026-12-05T00:00:00") + t("ToDtTm", "2026-12-05T23:59:59")) +
                acct +
                t("Bal", t("Tp", t("CdOrPrtry", t("Cd", "OPBD"))) + amt("1000.00", "CHF") + t("CdtDbtInd", "CRDT") + t("Dt", date("2026-12-05"))) +
                entries,
            ),
        );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${px}Document${xmlns} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${body}</${px}Document>\n`;
}
