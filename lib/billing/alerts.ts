import { alertTopic, type Alert, type AlertSeverity } from "../model/alert";
import type { Language } from "../model/party";
import { closeBillingAlert, openBillingAlert, openBillingAlerts, type OpenBillingAlert } from "../store/billing-schedule-repo";
import type { Store } from "../store/store";
import { fillPlaceholders, type IssueParams } from "../util/issue";

/*
 * The alerts of billing runs (issue 17, docs/decisions/0115-billing-alerts.md):
 * what zev-billing sends on its "alerts" output when a run, manual or
 * scheduled, ends with warnings, is refused for low data coverage, or fails.
 * One incident per code and period: raised once, resolved once by the next
 * run of that period that is clean in that respect. Open incidents live in the
 * store, so a restart neither raises them again nor forgets to resolve them.
 */

export type BillingAlertCode = "billing-warnings" | "billing-coverage-low" | "billing-failed";
export const BILLING_ALERT_CODES: readonly BillingAlertCode[] = ["billing-warnings", "billing-coverage-low", "billing-failed"];

/** Why a run failed, as the text says it: another run was busy, a day has no price plan, anything else (the log has it). */
export type FailureReason = "busy" | "unpriced" | "error";
export const FAILURE_REASONS: readonly FailureReason[] = ["busy", "unpriced", "error"];

const SEVERITY: Record<BillingAlertCode, AlertSeverity> = {
  "billing-warnings": "warning",
  "billing-coverage-low": "critical",
  "billing-failed": "critical",
};

type Texts = Record<Language, string>;

/** The texts in the community's language, __name__ placeholders filled from the alert's params. */
export const BILLING_ALERT_TEXTS: Record<BillingAlertCode, Texts> = {
  "billing-warnings": {
    en: "Billing run __period__ ended with __count__ warning(s): read the run report before sending the invoices.",
    de: "Abrechnungslauf __period__ mit __count__ Warnung(en) beendet: Lesen Sie den Bericht des Laufs, bevor Sie die Rechnungen versenden.",
    fr: "Facturation __period__ terminée avec __count__ avertissement(s) : lisez le rapport avant d'envoyer les factures.",
    it: "Fatturazione __period__ terminata con __count__ avviso/i: leggete il rapporto prima di inviare le fatture.",
  },
  "billing-coverage-low": {
    en: "Billing run __period__ refused: data coverage below __threshold__ for __meters__. Nothing was billed; complete the data and run it again.",
    de: "Abrechnungslauf __period__ abgelehnt: Datenabdeckung unter __threshold__ bei __meters__. Es wurde nichts abgerechnet; ergänzen Sie die Daten und starten Sie den Lauf erneut.",
    fr: "Facturation __period__ refusée : couverture des données inférieure à __threshold__ pour __meters__. Rien n'a été facturé ; complétez les données et relancez-la.",
    it: "Fatturazione __period__ rifiutata: copertura dei dati inferiore a __threshold__ per __meters__. Non è stato fatturato nulla; completate i dati e rilanciatela.",
  },
  "billing-failed": {
    en: "Billing run __period__ failed: __reason__. Nothing was issued.",
    de: "Abrechnungslauf __period__ fehlgeschlagen: __reason__. Es wurde nichts ausgestellt.",
    fr: "Échec de la facturation __period__ : __reason__. Aucune facture n'a été émise.",
    it: "Fatturazione __period__ non riuscita: __reason__. Non è stata emessa alcuna fattura.",
  },
};

export const FAILURE_REASON_TEXTS: Record<FailureReason, Texts> = {
  busy: {
    en: "another billing run of the community was still running",
    de: "ein anderer Abrechnungslauf der Gemeinschaft lief noch",
    fr: "une autre facturation de la communauté était encore en cours",
    it: "un'altra fatturazione della comunità era ancora in corso",
  },
  unpriced: {
    en: "no price plan is in force for __days__ day(s) of the period (from __first__); add a plan",
    de: "für __days__ Tag(e) der Periode (ab __first__) gilt kein Tarif; ergänzen Sie einen Tarif",
    fr: "aucun tarif n'est en vigueur pour __days__ jour(s) de la période (dès le __first__) ; ajoutez un tarif",
    it: "nessuna tariffa in vigore per __days__ giorno/i del periodo (dal __first__); aggiungete una tariffa",
  },
  error: {
    en: "the Node-RED log and the zev-billing node's status say why",
    de: "der Grund steht im Node-RED-Log und im Status des zev-billing-Knotens",
    fr: "la raison figure dans le journal de Node-RED et l'état du nœud zev-billing",
    it: "il motivo è nel log di Node-RED e nello stato del nodo zev-billing",
  },
};

/** Before the text of a resolved alert: the incident it names is over. */
export const RESOLVED_TEXTS: Texts = { en: "Resolved: ", de: "Behoben: ", fr: "Résolu : ", it: "Risolto: " };

/** What a run of a period came to, as far as alerts care. */
export type RunObservation =
  | { kind: "done"; period: string; warnings: number }
  | { kind: "coverage-low"; period: string; meters: string; threshold: string }
  | { kind: "failed"; period: string; reason: FailureReason; days?: number; first?: string };

interface Condition {
  code: BillingAlertCode;
  active: boolean;
  params: IssueParams;
}

/** The incidents a run tells about: each either holds (raise it) or has ended (resolve it); codes a run says nothing about are absent. */
function conditions(o: RunObservation): Condition[] {
  const period = { period: o.period };
  switch (o.kind) {
    case "done":
      return [
        { code: "billing-failed", active: false, params: period },
        { code: "billing-coverage-low", active: false, params: period },
        { code: "billing-warnings", active: o.warnings > 0, params: { ...period, count: o.warnings } },
      ];
    case "coverage-low":
      // A refused run did not fail; whether its invoices would have warnings nobody knows yet.
      return [
        { code: "billing-failed", active: false, params: period },
        { code: "billing-coverage-low", active: true, params: { ...period, meters: o.meters, threshold: o.threshold } },
      ];
    case "failed":
      return [
        {
          code: "billing-failed",
          active: true,
          params: { ...period, reason: o.reason, ...(o.reason === "unpriced" ? { days: o.days ?? 0, first: o.first ?? "" } : {}) },
        },
      ];
  }
}

export function alertKey(code: BillingAlertCode, period: string): string {
  return `${code}:${period}`;
}

/** The alert's text in `language`; English for a language the catalog lacks. */
export function billingAlertText(code: BillingAlertCode, params: IssueParams, language: Language): string {
  const texts = BILLING_ALERT_TEXTS[code];
  const filled: IssueParams = { ...params };
  const reason = FAILURE_REASON_TEXTS[params.reason as FailureReason];
  if (reason) filled.reason = fillPlaceholders(reason[language] ?? reason.en, params);
  return fillPlaceholders(texts[language] ?? texts.en, filled);
}

function toAlert(a: OpenBillingAlert, state: Alert["state"], community: string, language: Language, nowMs: number): Alert {
  const code = a.code as BillingAlertCode;
  return {
    code,
    key: a.key,
    state,
    severity: a.severity,
    community,
    subject: {},
    since: new Date(a.sinceMs).toISOString(),
    at: new Date(nowMs).toISOString(),
    params: a.params,
    text: (state === "resolved" ? (RESOLVED_TEXTS[language] ?? RESOLVED_TEXTS.en) : "") + billingAlertText(code, a.params, language),
    language,
  };
}

/**
 * Records what a run came to and returns the alerts to send: incidents that
 * begin now (raised) and open ones that have ended (resolved, with the key
 * and `since` of their raise). An incident already open is not raised again.
 */
export function billingRunAlerts(store: Store, community: string, language: Language, o: RunObservation, nowMs: number): Alert[] {
  const open = new Map(openBillingAlerts(store, community).map((a) => [a.key, a]));
  const out: Alert[] = [];
  for (const c of conditions(o)) {
    const key = alertKey(c.code, o.period);
    if (c.active && !open.has(key)) {
      const a: OpenBillingAlert = { key, code: c.code, severity: SEVERITY[c.code], sinceMs: nowMs, params: c.params };
      if (openBillingAlert(store, community, a)) out.push(toAlert(a, "raised", community, language, nowMs));
    } else if (!c.active && open.has(key)) {
      const closed = closeBillingAlert(store, community, key);
      if (closed) out.push(toAlert(closed, "resolved", community, language, nowMs));
    }
  }
  return out;
}

/** The message an alert travels in. */
export function alertMessage(a: Alert): { topic: string; payload: Alert } {
  return { topic: alertTopic(a.code), payload: a };
}
