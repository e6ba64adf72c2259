/**
 * The one shape of "something is wrong" (decision 0091): a stable `code` and
 * the values its text needs (`params`). lib/ finds problems in this shape;
 * the edge (a node, the dashboard, the CLI) turns them into text, a node with
 * its catalog ("<node>.<section>.<code>", nodes/shared/translate.ts).
 */
export type IssueParams = Record<string, string | number>;

export interface Problem {
  code: string;
  params: IssueParams;
}

/**
 * A problem with its English text as `message`: the default, used by the CLI
 * (which prints English) and wherever no translation is at hand. Validators,
 * billing notices and coded errors carry one; a node's own configuration
 * problem needs none, its catalog has every code.
 */
export interface Issue extends Problem {
  message: string;
}

/** A problem without an English text of its own (its texts are in a node catalog). */
export function problem(code: string, params: IssueParams = {}): Problem {
  return { code, params };
}

/** Fills __name__ placeholders (the syntax of Node-RED's message catalogs) with `params`. */
export function fillPlaceholders(template: string, params: IssueParams): string {
  return template.replace(/__([A-Za-z0-9_]+)__/g, (m: string, name: string) => (Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : m));
}

/**
 * An issue with code, params and its English text. `template` is the English
 * catalog text of the code (nodes/zev-community/locales/en-US, "validation"),
 * with __name__ placeholders; a test keeps both the same.
 */
export function issue(code: string, template: string, params: IssueParams = {}): Issue {
  return { code, params, message: fillPlaceholders(template, params) };
}

/** A value as the messages quote it: strings in double quotes, like JSON. */
export function quoted(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
