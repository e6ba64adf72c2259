import { errTexts, num, WHY } from "./dashboard-code";
import { FMT, withTexts } from "./nodes";
import type { DashboardTexts } from "./texts";

/*
 * The function nodes of the admin pages, shared by both dashboard editions:
 * Payments (zev-billing: payments-list, payment-assign, reminders-run),
 * Portal (zev-portal: portal-list, portal-tenancies, portal-link,
 * portal-revoke), the Billing page's corrections (zev-billing: corrections)
 * and its progress bar (zev-billing's billing/progress messages). Like the
 * other function nodes they only ask and format (docs/dashboard.md).
 */

type Ui = "d2" | "d1";

/** A link call's own error (no link-in of that name, or no answer in time) gets the code whose text says what to check. */
const CALL_FAILED = (code: string): string =>
  `if (msg.error && !msg.error.code && msg.error.source && msg.error.source.type === "link call") msg.error = Object.assign({}, msg.error, { code: ${JSON.stringify(code)} });`;

/**
 * Who asked, passed on with a request so that the node can write it into the
 * audit log: Dashboard 2's msg._client (with the logged-in user where a
 * plugin provides one), Dashboard 1's socket id.
 */
const WHO = (ui: Ui): string =>
  ui === "d2" ? `const who = (m) => (m && m._client ? { _client: m._client } : {});` : `const who = (m) => (m && m.socketid ? { socketid: m.socketid } : {});`;

/** The confirmation dialog of a page: Dashboard 2's template (only in the browser that clicked), Dashboard 1's ui_toast. */
const DIALOG = (ui: Ui): string =>
  ui === "d2"
    ? `const dialog = (m, ask) => ({ payload: ask || { ask: false }, _client: m._client });`
    : `const dialog = (m, ask) => (ask ? { topic: ask.title, payload: ask.text, ok: ask.ok, cancel: ask.cancel, token: ask.token, socketid: m.socketid } : null);`;

const ASK = `// one question open per page: its token comes back with the answer
const ask = (m, key, what, title, text, ok) => {
  const token = Date.now().toString(36) + Math.random().toString(36).slice(2);
  flow.set(key, Object.assign({ token, at: Date.now() }, what));
  return dialog(m, { ask: true, token, title, text, ok, cancel: T.confirmCancel });
};`;

/** Payments page: a tick, a click on a payment, the invoice picker, the buttons, the dialog's answer -> zev-billing requests. */
export function paymentsCommandCode(t: DashboardTexts, ui: Ui): string {
  const p = t.admin.pay;
  return withTexts(
    {
      pickPayment: p.pickPayment,
      selectedPayment: p.selectedPayment,
      notAssignable: p.notAssignable,
      assignTitle: p.assignTitle,
      assignText: p.assignText,
      assignOk: p.assignOk,
      nothingToAssign: p.nothingToAssign,
      cancelled: p.cancelled,
      stale: p.stale,
      remindersTitle: p.remindersTitle,
      remindersText: p.remindersText,
      remindersOk: p.remindersOk,
      confirmCancel: t.confirmCancel,
    },
    `${FMT}
// msg.payload.pid: a click on a payment row; msg.topic "invoice": the invoice picker; msg.payload "assign" | "reminders": the buttons;
// msg.token: the dialog's answer. Outputs: zev-billing requests, the assign note, the dialog, the selection, the reminders note.
${WHO(ui)}
${DIALOG(ui)}
const out = (reqs, note, dlg, sel, rem) => [reqs || null, note === undefined ? null : { payload: note }, dlg || null, sel === undefined ? null : { payload: sel }, rem === undefined ? null : { payload: rem }];
const req = (command, payload, view, m) => Object.assign({ command, payload, target: "zev billing", view }, who(m));
${ASK}
const rows = flow.get("zevPayRows") || [];
const invoices = flow.get("zevPayInvoices") || [];
if (msg.token !== undefined) {
  const pending = flow.get("zevPayPending");
  flow.set("zevPayPending", null);
  if (!pending || pending.token !== msg.token) return out(null, undefined, dialog(msg));
  const rem = pending.kind === "reminders";
  if (msg.payload !== "ok") return rem ? out(null, undefined, dialog(msg), undefined, T.cancelled) : out(null, T.cancelled, dialog(msg));
  if (Date.now() - pending.at > 600000) return rem ? out(null, undefined, dialog(msg), undefined, T.stale) : out(null, T.stale, dialog(msg));
  if (rem) return out([req("reminders-run", {}, "reminders", msg)], undefined, dialog(msg));
  // the payment must still be one to assign, the invoice still payable: what the question named
  const p = rows.find((r) => r.pid === pending.payment && r.assignable);
  const inv = invoices.find((i) => i.id === pending.invoice);
  if (!p || !inv) return out(null, T.stale, dialog(msg));
  return out([req("payment-assign", { payment: p.pid, invoice: String(inv.id) }, "assign", msg)], undefined, dialog(msg));
}
if (msg.payload && typeof msg.payload === "object" && msg.payload.pid !== undefined) {
  const r = msg.payload;
  flow.set("zevPayment", r.assignable ? r.pid : null);
  return out(null, undefined, undefined, r.assignable ? fmt(T.selectedPayment, { id: r.pid, amount: r.amount, debtor: r.debtor, reference: r.reference }) : fmt(T.notAssignable, { id: r.pid, state: r.state }));
}
if (msg.topic === "invoice") {
  flow.set("zevPayInvoice", msg.payload === null || msg.payload === undefined || msg.payload === "" ? null : Number(msg.payload));
  return null;
}
if (msg.payload === "assign") {
  const p = rows.find((r) => r.pid === flow.get("zevPayment") && r.assignable);
  const inv = invoices.find((i) => i.id === flow.get("zevPayInvoice"));
  if (!p || !inv) return out(null, T.nothingToAssign);
  const text = fmt(T.assignText, { amount: p.amount, debtor: p.debtor, invoice: inv.number, recipient: inv.recipient, open: inv.open });
  return out(null, undefined, ask(msg, "zevPayPending", { kind: "assign", payment: p.pid, invoice: inv.id }, T.assignTitle, text, T.assignOk));
}
if (msg.payload === "reminders") return out(null, undefined, ask(msg, "zevPayPending", { kind: "reminders" }, T.remindersTitle, T.remindersText, T.remindersOk));
// a refresh tick (the first one also says what to do)
const first = !flow.get("zevPayStarted");
flow.set("zevPayStarted", true);
return out([req("payments-list", {}, "plist")], undefined, undefined, first ? T.pickPayment : undefined);
`,
  );
}

/** zev-billing's answers on the Payments page -> the payments table, the invoices table, notes, the invoice picker's options, refreshes. */
export function paymentsResultCode(t: DashboardTexts, ui: Ui): string {
  const p = t.admin.pay;
  return withTexts(
    {
      states: p.states,
      flags: p.flags,
      paymentStatuses: p.paymentStatuses,
      statuses: t.statuses,
      listNote: p.listNote,
      noPayments: p.noPayments,
      assigned: p.assigned,
      remindersDone: p.remindersDone,
      remindersNone: p.remindersNone,
      remindersRefused: p.remindersRefused,
      reminderLine: p.reminderLine,
      failedPay: p.failed,
      noValue: t.noValue,
      ...errTexts(t),
    },
    `${FMT}
${num}
${WHY}
${CALL_FAILED("timeout")}
// Outputs: payments table, invoices table, list note, assign note, reminders note, invoice picker, a refresh request.
const out = (o) => [o.rows ? { payload: o.rows } : null, o.invoices ? { payload: o.invoices } : null, o.list === undefined ? null : { payload: o.list },
  o.assign === undefined ? null : { payload: o.assign }, o.rem === undefined ? null : { payload: o.rem }, o.picker || null, o.refresh ? { command: "payments-list", payload: {}, target: "zev billing", view: "plist" } : null];
if (msg.error) {
  const text = why("failedPay", msg);
  return out(msg.view === "assign" ? { assign: text, refresh: true } : msg.view === "reminders" ? { rem: text, refresh: true } : { list: text });
}
if (msg.view === "plist") {
  const ps = msg.payload.payments || [];
  const rows = ps.map((x) => ({
    pid: x.id,
    date: x.bookingDate || T.noValue,
    amount: money(x.currency, x.amount),
    reference: x.reference || T.noValue,
    debtor: x.debtorName || T.noValue,
    // the invoice it is booked to; else why not: unmatched, or flagged (a cancelled invoice, another account...)
    invoice: x.invoice ? x.invoice.number : x.flag ? (T.flags[x.flag] || x.flag) + (x.flaggedInvoice && x.flaggedInvoice.number ? " " + x.flaggedInvoice.number : "") : T.states.unmatched,
    state: T.states[x.state] || x.state,
    assignable: (x.state === "unmatched" || x.state === "flagged") && x.flag !== "foreign-account",
  }));
  flow.set("zevPayRows", rows);
  const inv = (msg.payload.invoices || []).filter((i) => i.kind === "invoice" && i.paymentStatus);
  const invoices = inv.map((i) => ({
    id: i.id,
    number: i.number,
    recipient: i.recipient,
    period: i.periodFrom + " – " + i.periodTo,
    total: money(i.currency, i.total),
    paid: money(i.currency, i.paidAmount),
    open: money(i.currency, i.openAmount),
    status: T.paymentStatuses[i.paymentStatus] || i.paymentStatus,
  }));
  flow.set("zevPayInvoices", invoices.map((i) => ({ id: i.id, number: i.number, recipient: i.recipient, open: i.open })));
  // the picker's options change only when the invoices do (a new list would clear a choice being made)
  const opts = invoices.map((i) => ({ label: i.number + " · " + i.recipient + " · " + i.open + " " + i.status, value: String(i.id) }));
  const key = JSON.stringify(opts);
  let picker = null;
  if (flow.get("zevPayPickerKey") !== key) {
    flow.set("zevPayPickerKey", key);
    picker = ${ui === "d2" ? `{ ui_update: { options: opts } }` : `{ options: opts.map((o) => ({ [o.label]: o.value })), payload: "" }`};
  }
  const count = (s) => ps.filter((x) => s.includes(x.state)).length;
  const list = ps.length ? fmt(T.listNote, { count: ps.length, matched: count(["matched", "assigned", "manual"]), unmatched: count(["unmatched"]), flagged: count(["flagged"]) }) : T.noPayments;
  return out({ rows, invoices, list, picker });
}
if (msg.view === "assign") {
  const r = msg.payload;
  const i = r.invoice || {};
  const text = fmt(T.assigned, { id: r.payment ? r.payment.id : "", invoice: i.number, status: T.paymentStatuses[i.paymentStatus] || T.statuses[i.status] || "", open: money(i.currency, i.openAmount) });
  flow.set("zevPayment", null);
  return out({ assign: text, refresh: true });
}
if (msg.view === "reminders") {
  const r = msg.payload;
  const lines = (r.sent || []).map((s) => "• " + fmt(T.reminderLine, { number: s.number, level: s.level, invoice: s.invoice, recipient: s.recipient, amount: money(s.currency, s.amountDue), due: s.dueDate }));
  let text = lines.length ? fmt(T.remindersDone, { count: lines.length, date: r.date }) + "\\n" + lines.join("\\n") : fmt(T.remindersNone, { date: r.date });
  if ((r.refused || []).length) text += "\\n" + fmt(T.remindersRefused, { count: r.refused.length, list: r.refused.map((f) => f.invoiceNumber).join(", ") });
  return out({ rem: text, refresh: true });
}
return null;`,
  );
}

/** Portal page: a tick, the pickers, the buttons, a click on a link, the dialog's answer -> zev-portal requests. */
export function portalCommandCode(t: DashboardTexts, ui: Ui): string {
  const p = t.admin.portal;
  return withTexts(
    {
      pickLink: p.pickLink,
      selectedLink: p.selectedLink,
      revokeTitle: p.revokeTitle,
      revokeText: p.revokeText,
      revokeOk: p.revokeOk,
      pickTenancy: p.pickTenancy,
      cancelled: t.admin.pay.cancelled,
      stale: t.admin.pay.stale,
      confirmCancel: t.confirmCancel,
    },
    `${FMT}
// msg.topic "tenancy" / "days": the pickers; msg.payload "create" | "revoke": the buttons; msg.payload.lid: a click on a link;
// msg.token: the dialog's answer. Outputs: zev-portal requests, the note, the dialog, the selection.
${WHO(ui)}
${DIALOG(ui)}
const out = (reqs, note, dlg, sel) => [reqs || null, note === undefined ? null : { payload: note }, dlg || null, sel === undefined ? null : { payload: sel }];
const req = (command, payload, view, m) => Object.assign({ command, payload, target: "zev portal", view }, who(m));
${ASK}
const refresh = [req("portal-list", {}, "links")];
if (msg.token !== undefined) {
  const pending = flow.get("zevPortalPending");
  flow.set("zevPortalPending", null);
  if (!pending || pending.token !== msg.token) return out(null, undefined, dialog(msg));
  if (msg.payload !== "ok") return out(null, T.cancelled, dialog(msg));
  if (Date.now() - pending.at > 600000) return out(null, T.stale, dialog(msg));
  return out([req("portal-revoke", { tokenId: pending.id }, "revoke", msg)], undefined, dialog(msg));
}
if (msg.payload && typeof msg.payload === "object" && msg.payload.lid !== undefined) {
  const r = msg.payload;
  flow.set("zevPortalLink", r.active ? r.lid : null);
  return out(null, undefined, undefined, r.active ? fmt(T.selectedLink, { id: r.lid, tenancy: r.tenancy, expires: r.expires }) : T.pickLink);
}
if (msg.topic === "tenancy") {
  flow.set("zevPortalTenancy", msg.payload || null);
  return null;
}
if (msg.topic === "days") {
  flow.set("zevPortalDays", Number(msg.payload) || null);
  return null;
}
if (msg.payload === "create") {
  const tenancy = flow.get("zevPortalTenancy");
  if (!tenancy) return out(null, T.pickTenancy);
  const days = flow.get("zevPortalDays");
  return out([req("portal-link", Object.assign({ tenancy }, days ? { validDays: days } : {}), "link", msg)]);
}
if (msg.payload === "revoke") {
  const l = (flow.get("zevPortalLinks") || []).find((x) => x.lid === flow.get("zevPortalLink") && x.active);
  if (!l) return out(null, T.pickLink);
  return out(null, undefined, ask(msg, "zevPortalPending", { id: l.lid }, T.revokeTitle, fmt(T.revokeText, { id: l.lid, tenancy: l.tenancy }), T.revokeOk));
}
const first = !flow.get("zevPortalStarted");
flow.set("zevPortalStarted", true);
return out([...refresh, req("portal-tenancies", {}, "tenancies")], undefined, undefined, first ? T.pickLink : undefined);
`,
  );
}

/** zev-portal's answers -> the links table, the note, the tenancy picker, the new link (once, to the browser that asked), refreshes. */
export function portalResultCode(t: DashboardTexts, o: { zone: string }, ui: Ui): string {
  const p = t.admin.portal;
  return withTexts(
    {
      states: p.states,
      noLinks: p.noLinks,
      linksNote: p.linksNote,
      created: p.created,
      createdTitle: p.createdTitle,
      createdText: p.createdText,
      close: p.close,
      revoked: p.revoked,
      failedPortal: p.failed,
      noValue: t.noValue,
      locale: t.locale,
      zone: o.zone,
      ...errTexts(t),
    },
    `${FMT}
${WHY}
${CALL_FAILED("portal-timeout")}
// Outputs: links table, note, tenancy picker, the new link's dialog, refresh requests, the selection text.
const out = (o) => [o.rows ? { payload: o.rows } : null, o.note === undefined ? null : { payload: o.note }, o.picker || null, o.show || null,
  o.refresh ? [{ command: "portal-list", payload: {}, target: "zev portal", view: "links" }] : null, o.sel === undefined ? null : { payload: o.sel }];
const time = (v) => (v ? new Date(v).toLocaleString(T.locale, { timeZone: T.zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }) : T.noValue);
if (msg.error) return msg.view === "revoke" || msg.view === "link" ? out({ sel: why("failedPortal", msg), refresh: true }) : out({ note: why("failedPortal", msg) });
if (msg.view === "links") {
  const rows = msg.payload.map((l) => ({
    lid: l.id,
    tenancy: l.tenancyId,
    state: T.states[l.state] || l.state,
    active: l.state === "active",
    created: time(l.createdMs),
    expires: time(l.expiresMs),
    used: time(l.lastUsedMs),
  }));
  flow.set("zevPortalLinks", rows);
  const active = rows.filter((r) => r.active).length;
  return out({ rows, note: rows.length ? fmt(T.linksNote, { active, count: rows.length }) : T.noLinks });
}
if (msg.view === "tenancies") {
  const opts = msg.payload.filter((x) => x.active).map((x) => ({ label: x.id + " · " + x.unit + " · " + x.name, value: x.id }));
  return out({ picker: ${ui === "d2" ? `{ ui_update: { options: opts } }` : `{ options: opts.map((o) => ({ [o.label]: o.value })), payload: "" }`} });
}
if (msg.view === "link") {
  // the link is shown once, only in the browser that asked for it, and never stored by the dashboard
  const l = msg.payload;
  const title = fmt(T.createdTitle, { tenancy: l.tenancy });
  const text = fmt(T.createdText, { expires: time(l.expires) });
  const show = ${
    ui === "d2"
      ? `{ payload: { show: true, title, text, link: l.link, close: T.close }, _client: msg._client }`
      : `{ topic: title, payload: text + "\\n\\n" + l.link, ok: T.close, cancel: "", socketid: msg.socketid }`
  };
  // what was done goes under the table (the list's own note is rewritten by the refresh)
  return out({ sel: fmt(T.created, { id: l.tokenId, tenancy: l.tenancy, expires: time(l.expires) }), show, refresh: true });
}
if (msg.view === "revoke") {
  flow.set("zevPortalLink", null);
  return out({ sel: fmt(T.revoked, { id: (msg.payload.revoked || []).join(", ") }), refresh: true });
}
return null;`,
  );
}

/** Billing page, corrections: a tick or the buttons, the dialog's answer -> zev-billing corrections requests. */
export function correctionsCommandCode(t: DashboardTexts, ui: Ui): string {
  const c = t.admin.corrections;
  return withTexts(
    { title: c.title, text: c.text, ok: c.ok, nothing: c.nothing, stale: c.stale, cancelled: t.admin.pay.cancelled, confirmCancel: t.confirmCancel },
    `${FMT}
${num}
// msg.payload "check" | "correct": the buttons; msg.token: the dialog's answer. Outputs: zev-billing requests, the note, the dialog.
${WHO(ui)}
${DIALOG(ui)}
const out = (reqs, note, dlg) => [reqs || null, note === undefined ? null : { payload: note }, dlg || null];
const req = (payload, view, m) => Object.assign({ command: "corrections", payload, target: "zev billing", view }, who(m));
${ASK}
const cents = (v) => { const t = String(v), neg = t.startsWith("-"), [i, f = ""] = t.replace("-", "").split("."); return (neg ? -1 : 1) * (Number(i) * 100 + Number((f + "00").slice(0, 2))); };
const fromCents = (c) => (c < 0 ? "-" : "") + Math.floor(Math.abs(c) / 100) + "." + String(Math.abs(c) % 100).padStart(2, "0");
if (msg.token !== undefined) {
  const pending = flow.get("zevCorrPending");
  flow.set("zevCorrPending", null);
  if (!pending || pending.token !== msg.token) return out(null, undefined, dialog(msg));
  if (msg.payload !== "ok") return out(null, T.cancelled, dialog(msg));
  // the list must still be what the question named
  const now = (flow.get("zevCorrRows") || []).filter((r) => r.issuable).map((r) => r.number + "=" + r.diffText).join(",");
  if (now !== pending.key || Date.now() - pending.at > 600000) return out(null, T.stale, dialog(msg));
  return out([req({ apply: true, invoices: pending.numbers }, "corr-apply", msg)], undefined, dialog(msg));
}
if (msg.payload === "correct") {
  const rows = (flow.get("zevCorrRows") || []).filter((r) => r.issuable);
  if (!rows.length) return out(null, T.nothing);
  const numbers = rows.map((r) => r.number);
  const amount = money(rows[0].currency, fromCents(rows.reduce((s, r) => s + cents(r.diffText), 0)));
  const text = fmt(T.text, { count: rows.length, numbers: numbers.join(", "), amount });
  const key = rows.map((r) => r.number + "=" + r.diffText).join(",");
  return out(null, undefined, ask(msg, "zevCorrPending", { numbers, key }, T.title, text, fmt(T.ok, { count: rows.length })));
}
// "check", or the page's first look
return out([req({}, "corr-list", msg)]);
`,
  );
}

/** zev-billing's corrections answers -> the table and the note. */
export function correctionsResultCode(t: DashboardTexts): string {
  const c = t.admin.corrections;
  return withTexts(
    { none: c.none, listed: c.listed, done: c.done, blocked: c.blocked, failedCorr: c.failed, noValue: t.noValue, ...errTexts(t) },
    `${FMT}
${num}
${WHY}
${CALL_FAILED("timeout")}
// Outputs: the table, the note, a new look after a correction.
if (msg.error) return [null, { payload: why("failedCorr", msg) }, null];
const r = msg.payload;
if (msg.view === "corr-apply") {
  const list = (r.outcomes || []).map((o) => o.action === "corrected" ? o.number + " → " + o.creditNote.number + ", " + o.invoice.number : o.number + ": " + (o.reason || ""));
  const corrected = (r.outcomes || []).filter((o) => o.action === "corrected").length;
  return [null, { payload: fmt(T.done, { corrected, refused: (r.outcomes || []).length - corrected, list: list.join("; ") }) }, { command: "corrections", payload: {}, target: "zev billing", view: "corr-list" }];
}
const rows = (r.candidates || []).map((k) => ({
  number: k.number,
  recipient: k.recipient,
  period: k.period.from + " – " + k.period.to,
  issuedKWh: sw(k.difference.issuedKWh, 3),
  nowKWh: sw(k.difference.nowKWh, 3),
  kWh: sw(k.difference.kWh, 3),
  amount: money(k.difference.currency, k.difference.amount) + (k.blockers && k.blockers.length ? " (" + T.blocked + ")" : ""),
  diffText: k.difference.amount,
  currency: k.difference.currency,
  issuable: !(k.blockers && k.blockers.length),
}));
flow.set("zevCorrRows", rows);
return [{ payload: rows }, { payload: rows.length ? fmt(T.listed, { count: rows.length }) : T.none }, null];`,
  );
}

/** zev-billing's billing/progress messages -> the bar (Dashboard 2: 0-100 with its label) and the text. */
export function progressCode(t: DashboardTexts, ui: Ui): string {
  const p = t.admin.progress;
  return withTexts(
    { phases: p.phases, text: p.text, idle: p.idle },
    `${FMT}
${num}
// the run's answer (or its refusal) ends the bar: the last step's report may not come
if (msg.view === "run") return [${ui === "d2" ? "{ payload: 0 }" : "null"}, { payload: msg.error ? "" : T.idle }];
const g = msg.payload || {};
if (msg.topic !== "billing/progress" || !g.total) return null;
// three phases one after the other: meter data, invoices, storing; the bar goes once from 0 to 100 over them
const order = { load: 0, compute: 1, write: 2 };
const share = Math.min(100, Math.round(((order[g.phase] || 0) + g.done / g.total) / 3 * 100));
const finished = g.phase === "write" && g.done >= g.total;
const text = finished ? T.idle : fmt(T.text, { period: g.period, phase: T.phases[g.phase] || g.phase, done: sw(g.done, 0), total: sw(g.total, 0), pct: share + " %" });
return [${ui === "d2" ? `{ payload: finished ? 0 : share }` : "null"}, { payload: text }];`,
  );
}
