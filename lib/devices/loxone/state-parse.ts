/**
 * Answers of the Loxone Miniserver web services:
 *
 *   GET /jdev/sps/io/<name>/state
 *   {"LL":{"control":"dev/sps/io/<name>/state","value":"531.68","Code":"200"}}
 *
 *   GET /jdev/sps/io/<block>/all
 *   {"LL":{"control":"...","value":"1.2","Code":"200",
 *          "output0":{"name":"Pf","nr":0,"value":1.2},"output1":{"name":"Mr","nr":1,"value":12345.6}, ...}}
 *
 * The status key is "Code" or "code" (text or number). HTTP 200 can carry LL
 * code 401 (not authorised) or 404 (unknown name). `value` is text and may
 * carry a unit ("31.0 kWh"); the unit is judged later by the meter.
 */
export type LoxoneAnswer =
  | { ok: true; value: unknown; outputs: Record<string, unknown> }
  | { ok: false; kind: "auth"; detail: string }
  | { ok: false; kind: "ll-code"; code: number; detail: string }
  | { ok: false; kind: "http"; status: number; detail: string }
  | { ok: false; kind: "malformed"; detail: string };

export function parseLoxoneAnswer(status: number, body: string): LoxoneAnswer {
  if (status === 401 || status === 403) return { ok: false, kind: "auth", detail: `HTTP ${status}` };
  if (status !== 200) return { ok: false, kind: "http", status, detail: `HTTP ${status}` };
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return { ok: false, kind: "malformed", detail: "answer is not JSON" };
  }
  if (!isObject(doc) || !isObject(doc.LL)) return { ok: false, kind: "malformed", detail: 'answer has no "LL" object' };
  const ll = doc.LL;
  const rawCode = ll.Code ?? ll.code;
  const code = typeof rawCode === "number" ? rawCode : typeof rawCode === "string" && /^\d{1,4}$/.test(rawCode.trim()) ? Number(rawCode) : NaN;
  if (Number.isNaN(code)) return { ok: false, kind: "malformed", detail: 'answer has no numeric "Code"' };
  if (code === 401 || code === 403) return { ok: false, kind: "auth", detail: `LL code ${code}` };
  if (code !== 200) return { ok: false, kind: "ll-code", code, detail: `LL code ${code}${typeof ll.value === "string" ? `: ${ll.value.slice(0, 60)}` : ""}` };
  const outputs: Record<string, unknown> = {};
  for (const v of Object.values(ll)) {
    if (isObject(v) && typeof v.name === "string" && "value" in v && !(v.name in outputs)) outputs[v.name] = v.value;
  }
  return { ok: true, value: ll.value, outputs };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
