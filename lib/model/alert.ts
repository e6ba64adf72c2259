/*
 * The one shape of an alert message (issue 17): what a node that knows sends
 * on its "alerts" output when something needs a person's attention at night,
 * and again when it is over. On the model floor so that every node and every
 * lib room can speak it without reaching sideways.
 */
import type { IssueParams } from "../util/issue";
import type { Language } from "./party";

/** info: worth knowing; warning: the next billing run or a reading is at risk; critical: data is being lost or a run cannot go. */
export type AlertSeverity = "info" | "warning" | "critical";
export const ALERT_SEVERITIES: readonly AlertSeverity[] = ["info", "warning", "critical"];

/** One incident is raised once and resolved once. */
export type AlertState = "raised" | "resolved";

/** What the alert is about; absent fields do not apply. */
export interface AlertSubject {
  meter?: string;
  unit?: string;
  charger?: string;
}

/**
 * `msg.payload` of an alert message; `msg.topic` is `zev/alert/<code>`.
 * `code` is stable (flows switch on it); `key` tells incidents of the same
 * code apart (e.g. `meter-silent:m7`), and the resolved message of an
 * incident carries the key and `since` of its raised message.
 */
export interface Alert {
  code: string;
  key: string;
  state: AlertState;
  severity: AlertSeverity;
  community: string;
  subject: AlertSubject;
  /** ISO 8601 instant (UTC) the condition began. */
  since: string;
  /** ISO 8601 instant (UTC) of this message. */
  at: string;
  params: IssueParams;
  /** The text in `language`: the community's language, its owner's (`owner.language` of the community file). */
  text: string;
  language: Language;
}

export function alertTopic(code: string): string {
  return `zev/alert/${code}`;
}
