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
 * A coded problem in the editor's language. Node-RED's Catch message takes
 * `code` (an own property) into msg.error.code and err.toString() as
 * msg.error.message: toString is the text alone, without "Error: ".
 */
export class NodeProblem extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly params: Record<string, string | number>,
  ) {
    super(message);
    this.name = "ZevProblem";
  }

  override toString(): string {
    return this.message;
  }
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
  return new NodeProblem(text === key ? e.message : text, e.code, e.params);
}
