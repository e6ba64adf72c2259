import type { CommunityDefinition } from "../community/types";
import { alertTopic, type Alert, type AlertSubject } from "../model/alert";
import { LANGUAGES, type Language } from "../model/party";
import { localClock } from "../time/local-date";
import { fillPlaceholders, type IssueParams } from "../util/issue";
import { swissCount, swissNumber } from "../util/swiss-number";
import { ALERT_SPECS, ALERT_TEXTS, type AlertCode } from "./catalog";
import type { Transition } from "./tracker";

/** What a condition says about its incident; the tracker carries it from raising to resolving. */
export interface AlertData {
  subject: AlertSubject;
  /** Machine values (numbers, shares 0..1, ids): what flows switch on; the text formats them. */
  params: IssueParams;
  /** A text variant (`raised-<variant>`), e.g. "charger". */
  variant?: string;
}

export interface AlertContext {
  community: string;
  language: Language;
  timeZone: string;
}

/** The community's language: its owner's (`owner.language` of the community file); English without a community. */
export function alertLanguage(def: Pick<CommunityDefinition, "owner"> | undefined | null): Language {
  const l = def?.owner?.language;
  return l && LANGUAGES.includes(l) ? l : "en";
}

/** A local time as the operator reads it: 02.12.2026 03:15 (de, fr, it), 2026-12-02 03:15 (en). */
export function alertTime(ms: number, language: Language, zone: string): string {
  const c = localClock(ms, zone);
  const hm = `${String(Math.floor(c.minuteOfDay / 60)).padStart(2, "0")}:${String(c.minuteOfDay % 60).padStart(2, "0")}`;
  if (language === "en") return `${c.date} ${hm}`;
  const [y, m, d] = c.date.split("-");
  return `${d}.${m}.${y} ${hm}`;
}

function displayParams(code: AlertCode, params: IssueParams): IssueParams {
  const percent = ALERT_SPECS[code].percent ?? [];
  const out: IssueParams = {};
  for (const [k, v] of Object.entries(params)) {
    if (typeof v !== "number") out[k] = v;
    else if (percent.includes(k)) out[k] = `${swissNumber(v * 100, { min: 0, max: 1 })} %`;
    else out[k] = Number.isInteger(v) ? swissCount(v) : swissNumber(v, { min: 0, max: 1 });
  }
  return out;
}

/** The text of a code in a language; a variant falls back to the plain state's text where a language lacks it. */
export function alertText(code: AlertCode, textKey: string, params: IssueParams, language: Language): string {
  const set = ALERT_TEXTS[language][code];
  const state = textKey.split("-")[0]!;
  return fillPlaceholders(set[textKey] ?? set[state] ?? ALERT_TEXTS.en[code][textKey] ?? "", params);
}

/** The `Alert` (msg.payload) of a transition, with its text in the community's language. */
export function buildAlert(t: Transition<AlertData>, ctx: AlertContext): Alert {
  const code = t.code as AlertCode;
  const spec = ALERT_SPECS[code];
  if (!spec) throw new RangeError(`unknown alert code ${t.code}`);
  const textKey = t.data.variant ? `${t.state}-${t.data.variant}` : t.state;
  const shown = {
    ...displayParams(code, t.data.params),
    since: alertTime(t.since, ctx.language, ctx.timeZone),
    at: alertTime(t.at, ctx.language, ctx.timeZone),
  };
  return {
    code,
    key: t.key,
    state: t.state,
    severity: spec.severity,
    community: ctx.community,
    subject: t.data.subject,
    since: new Date(t.since).toISOString(),
    at: new Date(t.at).toISOString(),
    params: t.data.params,
    text: alertText(code, textKey, shown, ctx.language),
    language: ctx.language,
  };
}

/** The message a node sends on its "alerts" output. */
export function alertMessage(alert: Alert): { topic: string; payload: Alert } {
  return { topic: alertTopic(alert.code), payload: alert };
}
