import type { NodeAPI } from "node-red";
import { isCodedError } from "../../lib/util/coded-error";

/**
 * RED._ with a fallback that keeps the facts: where no catalog answers (the
 * key comes back, as under node-red-node-test-helper), the values are
 * appended, so a message never loses the reason it carries.
 */
export function translator(RED: NodeAPI, prefix: string): (key: string, vars?: Record<string, string | number>) => string {
  return (key, vars) => {
    const full = `${prefix}.${key}`;
    const text = RED._(full, vars);
    if (text !== full || !vars) return text;
    return `${full}: ${Object.entries(vars)
      .map(([k, v]) => `${k}=${v}`)
      .join(", ")}`;
  };
}

/**
 * The error a node hands to done() and its status: a coded error from lib/
 * in the editor's language ("<prefix>.problems.<code>"), keeping `code` and
 * `params` so that a dashboard or a Catch node can tell it apart; any other
 * error unchanged.
 */
export function localisedError(RED: Pick<NodeAPI, "_">, prefix: string, e: unknown): Error {
  if (!isCodedError(e)) return e instanceof Error ? e : new Error(String(e));
  const key = `${prefix}.problems.${e.code}`;
  const text = RED._(key, e.params);
  const out = new Error(text === key ? e.message : text) as Error & { code: string; params: unknown };
  out.code = e.code;
  out.params = e.params;
  return out;
}
