import type { NodeAPI } from "node-red";
import { isCodedError } from "../../lib/util/coded-error";
import type { IssueParams, Problem } from "../../lib/util/issue";

/** RED._ (Node-RED's message catalogs). */
export type Catalog = NodeAPI["_"];

/**
 * The one translator of the node files: RED._ under the node's prefix, with a
 * fallback that keeps the facts: where no catalog answers (the key comes
 * back, as under node-red-node-test-helper), the values are appended, so a
 * message never loses the reason it carries.
 */
export function translator(_: Catalog, prefix: string): (key: string, vars?: IssueParams) => string {
  return (key, vars) => {
    const full = `${prefix}.${key}`;
    const text = _(full, vars);
    if (text !== full || !vars || Object.keys(vars).length === 0) return text;
    return `${full}: ${Object.entries(vars)
      .map(([k, v]) => `${k}=${v}`)
      .join(", ")}`;
  };
}

/**
 * A problem from lib/ or a node's own check in the editor's language: the
 * catalog text "<prefix>.<section>.<code>" with its params, or, where the
 * catalog has none, the problem's English `message` (an Issue), or the key
 * with its values (translator's fallback).
 */
export function problemText(_: Catalog, prefix: string, section: string, p: Problem & { message?: string }): string {
  const key = `${prefix}.${section}.${p.code}`;
  const text = _(key, p.params);
  if (typeof text === "string" && text !== "" && text !== key) return text;
  return p.message ?? translator(_, prefix)(`${section}.${p.code}`, p.params);
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
    readonly params: IssueParams,
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
  return new NodeProblem(problemText(RED._, prefix, "problems", e), e.code, e.params);
}
