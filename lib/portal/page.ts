import { PORTAL_TEXTS } from "./i18n";

/*
 * The tenant portal's page: one HTML file, one script, one style sheet, all
 * served by the portal's own listener (nothing from a CDN, no web font, no
 * external request). The page is the same for every tenant; the token lives
 * in the URL's fragment, which the browser never sends to a server, and
 * goes to the JSON endpoints in an Authorization header only.
 */

export const PORTAL_HTML = `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>ZEV</title>
<link rel="stylesheet" href="portal.css">
<script src="portal.js" defer></script>
</head>
<body>
<header><h1 id="title">ZEV</h1><p id="who"></p></header>
<main id="main"><p id="message" role="status">…</p></main>
<footer><p id="privacy"></p></footer>
</body>
</html>
`;

export const PORTAL_CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d2a30;background:#f3f6f4}
header{background:#1f6f50;color:#fff;padding:16px}
header h1{margin:0;font-size:1.35rem}
header p{margin:4px 0 0;opacity:.9;font-size:.95rem}
main{padding:12px;max-width:960px;margin:0 auto}
section{background:#fff;border-radius:10px;padding:12px 14px;margin:0 0 14px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
h2{font-size:1.1rem;margin:0 0 8px}
h3{font-size:1rem;margin:14px 0 6px}
.hint{font-size:.85rem;color:#4f5d63;margin:4px 0 8px}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:8px;margin:0 0 8px}
.tile{background:#eef5f1;border-radius:8px;padding:8px 10px}
.tile b{display:block;font-size:1.25rem}
.tile span{font-size:.85rem;color:#4f5d63}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e3e8e5;white-space:nowrap}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tr.sel td{background:#eef5f1;font-weight:600}
button{font:inherit;border:1px solid #1f6f50;color:#1f6f50;background:#fff;border-radius:6px;padding:4px 10px;cursor:pointer;min-height:32px}
button.link{border:0;padding:0;background:none;text-decoration:underline;min-height:0}
.bar{display:inline-block;height:8px;background:#f0b429;border-radius:4px;vertical-align:middle}
ul.cards{list-style:none;margin:0;padding:0;display:grid;gap:8px}
.card{border:1px solid #e3e8e5;border-radius:8px;padding:8px 10px}
.card .row{display:flex;flex-wrap:wrap;justify-content:space-between;gap:4px 12px;margin:2px 0}
.card .number{font-size:1.05rem}
small{color:#4f5d63}
@media (max-width:480px){table{font-size:.84rem}th,td{padding:6px 4px}.bar{display:none}section{padding:10px}main{padding:8px}}
@media (min-width:760px){ul.cards{grid-template-columns:1fr 1fr}}
.status-open,.status-partial{color:#a5421a;font-weight:600}
.status-paid{color:#1f6f50}
#message.error{color:#a5421a;font-weight:600}
footer{padding:12px 16px 24px;font-size:.8rem;color:#4f5d63;max-width:960px;margin:0 auto}
@media (min-width:760px){main{padding:20px}.cols{display:grid;grid-template-columns:1fr 1fr;gap:14px}}
`;

const SCRIPT = String.raw`
"use strict";
(function () {
  var token = (/(?:^#|&)t=([A-Za-z0-9_-]+)/.exec(location.hash) || [])[1] || "";
  var langs = Object.keys(TEXTS);
  var nav = (navigator.languages || [navigator.language || "de"]).map(function (l) { return String(l).slice(0, 2); });
  var lang = nav.filter(function (l) { return langs.indexOf(l) >= 0; })[0] || "de";
  var T = TEXTS[lang];
  var view = null;
  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) { if (k === "text") e.textContent = attrs[k]; else if (k === "cls") e.className = attrs[k]; else e.setAttribute(k, attrs[k]); }
    (kids || []).forEach(function (c) { if (c) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return e;
  }
  function locale() { return lang + "-CH"; }
  function num(x, d) { return new Intl.NumberFormat(locale(), { minimumFractionDigits: d, maximumFractionDigits: d }).format(x); }
  function pct(x) { return x === null ? "–" : new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 0 }).format(x); }
  function money(text, cur) { return cur + " " + num(Number(text), 2); }
  function date(d) { var p = d.split("-"); return p[2] + "." + p[1] + "." + p[0]; }
  function monthName(key) { var p = key.split("-"); return new Intl.DateTimeFormat(locale(), { month: window.innerWidth < 480 ? "short" : "long", year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(+p[0], +p[1] - 1, 1))); }
  function message(text, isError) { var m = $("message"); if (!m) { m = el("p", { id: "message", role: "status" }); $("main").replaceChildren(m); } m.textContent = text; m.className = isError ? "error" : ""; }
  function texts() {
    document.documentElement.lang = lang;
    document.title = T.title;
    $("title").textContent = T.title;
    $("privacy").textContent = T.privacy;
  }
  function api(path) {
    return fetch(path, { headers: { Authorization: "Bearer " + token }, cache: "no-store", credentials: "omit", referrerPolicy: "no-referrer" });
  }
  function refused(res) {
    message(res.status === 429 ? T.rateLimited : res.status === 401 || res.status === 403 || res.status === 404 ? T.refused : T.failed, true);
  }
  function load(month) {
    api("api/view" + (month ? "?month=" + encodeURIComponent(month) : "")).then(function (res) {
      if (!res.ok) return refused(res);
      return res.json().then(function (v) { view = v; lang = v.language; T = TEXTS[lang] || T; texts(); render(); });
    }).catch(function () { message(T.failed, true); });
  }
  function table(head, rows, numeric) {
    var thead = el("thead", {}, [el("tr", {}, head.map(function (h, i) { return el("th", { text: h, cls: numeric[i] ? "n" : "" }); }))]);
    return el("div", { cls: "scroll" }, [el("table", {}, [thead, el("tbody", {}, rows)])]);
  }
  function energyRows(list, label, selectable) {
    return list.map(function (r) {
      var name = label(r.key);
      var first = selectable ? el("button", { cls: "link", type: "button", text: name }) : name;
      if (selectable) first.addEventListener("click", function () { load(r.key); });
      var bar = el("span", { cls: "bar" }); bar.style.width = Math.round((r.solarShare || 0) * 40) + "px";
      var tr = el("tr", { cls: selectable && r.key === view.month ? "sel" : "", "data-key": r.key }, [
        el("td", {}, [first]), el("td", { cls: "n", text: num(r.consumptionKWh, 1) }), el("td", { cls: "n", text: num(r.solarKWh + r.batteryKWh, 1) }),
        el("td", { cls: "n" }, [pct(r.solarShare) + " ", bar])
      ]);
      return tr;
    });
  }
  function statusText(inv) {
    if (inv.kind === "credit-note") return T.creditNote;
    if (inv.status === "cancelled") return T.statusCancelled;
    var s = inv.payment ? inv.payment.status : "open";
    return { open: T.statusOpen, partial: T.statusPartial, paid: T.statusPaid, overpaid: T.statusOverpaid }[s];
  }
  function pdf(inv) {
    api("api/invoices/" + encodeURIComponent(inv.ref) + ".pdf").then(function (res) {
      if (!res.ok) return refused(res);
      return res.blob().then(function (b) {
        var url = URL.createObjectURL(b);
        var a = el("a", { href: url, download: inv.number + ".pdf" });
        document.body.appendChild(a); a.click(); a.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
      });
    }).catch(function () { message(T.failed, true); });
  }
  function render() {
    var v = view, main = $("main");
    $("who").textContent = v.tenant.name + " · " + T.unit + " " + v.unit.label + " · " + v.community.name + " · " + T.since + " " + date(v.tenancy.from) + (v.tenancy.to ? " " + T.until + " " + date(v.tenancy.to) : "");
    var parts = [];
    var total = v.months.reduce(function (a, m) { return { c: a.c + m.consumptionKWh, s: a.s + m.solarKWh + m.batteryKWh }; }, { c: 0, s: 0 });
    var cons = el("section", { id: "consumption" }, [el("h2", { text: T.consumption }),
      el("div", { cls: "tiles" }, [
        el("div", { cls: "tile" }, [el("b", { text: num(total.c, 0) + " " + T.kWh }), el("span", { text: T.consumption })]),
        el("div", { cls: "tile" }, [el("b", { text: pct(total.c > 0 ? total.s / total.c : null) }), el("span", { text: T.solarShare })])
      ]),
      el("p", { cls: "hint", text: T.consumptionHint })]);
    var head = function (first) { return [first, T.kWh, T.fromSolar, T.solarShare]; };
    if (!v.months.length) cons.appendChild(el("p", { text: T.noData }));
    else {
      cons.appendChild(el("h3", { text: T.byMonth }));
      cons.appendChild(table(head(T.month), energyRows(v.months.slice().reverse(), monthName, true), [0, 1, 1, 1]));
      if (v.month) {
        cons.appendChild(el("h3", { text: T.byDay + " · " + monthName(v.month) }));
        cons.appendChild(table(head(T.day), energyRows(v.days, date, false), [0, 1, 1, 1]));
      }
    }
    parts.push(cons);
    var inv = el("section", { id: "invoices" }, [el("h2", { text: T.invoices })]);
    if (!v.invoices.length) inv.appendChild(el("p", { text: T.noInvoices }));
    else inv.appendChild(el("ul", { cls: "cards" }, v.invoices.map(function (i) {
      var b = el("button", { type: "button", text: T.pdf }); b.addEventListener("click", function () { pdf(i); });
      var st = i.payment ? i.payment.status : i.status;
      return el("li", { cls: "card" }, [
        el("div", { cls: "row" }, [el("b", { cls: "number", text: i.number }), el("span", { cls: "status-" + st, text: statusText(i) })]),
        el("div", { cls: "row" }, [el("span", { text: T.period + " " + date(i.periodFrom) + " – " + date(i.periodTo) })]),
        el("div", { cls: "row" }, [el("span", { text: T.total + " " + money(i.total, i.currency) }), i.payment ? el("span", { cls: "n", text: T.open + " " + money(i.payment.open, i.currency) }) : null]),
        el("div", { cls: "row" }, [b])
      ]);
    })));
    parts.push(inv);
    var ses = el("section", { id: "sessions" }, [el("h2", { text: T.sessions })]);
    if (!v.sessions.length) ses.appendChild(el("p", { text: T.noSessions }));
    else ses.appendChild(table([T.date, T.kWh, T.priority + " / " + T.normal, T.card], v.sessions.map(function (s) {
      return el("tr", {}, [el("td", {}, [date(s.date), el("br"), el("small", { text: s.start + (s.end ? "–" + s.end : "") })]), el("td", { cls: "n", text: num(s.kWh, 1) }),
        el("td", { cls: "n", text: num(s.priorityKWh, 1) + " / " + num(s.normalKWh, 1) }), el("td", { text: s.idTail ? "…" + s.idTail : "–" })]);
    }), [0, 1, 1, 0]));
    parts.push(ses);
    var prod = el("section", { id: "production" }, [el("h2", { text: T.production }), el("p", { cls: "hint", text: T.productionHint })]);
    if (v.months.length) prod.appendChild(table([T.month, T.kWh], v.months.slice().reverse().map(function (m) {
      return el("tr", {}, [el("td", { text: monthName(m.key) }), el("td", { cls: "n", text: num(m.productionKWh, 1) })]);
    }), [0, 1]));
    parts.push(prod);
    main.replaceChildren.apply(main, parts);
  }
  texts();
  if (!token) { message(T.refused, true); return; }
  message(T.loading, false);
  load(null);
})();
`;

export const PORTAL_JS = `var TEXTS = ${JSON.stringify(PORTAL_TEXTS)};\n${SCRIPT}`;
