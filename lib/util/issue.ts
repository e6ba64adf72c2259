/**
 * A problem found by a validator, in a form that can be translated: a stable
 * `code` (the editor looks up "zev-community.validation.<code>"), the values
 * the text needs (`params`) and the English `message` (the default, used by
 * the CLI and wherever no translation is at hand).
 */
export type IssueParams = Record<string, string | number>;

export interface Issue {
  code: string;
  params: IssueParams;
  message: string;
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
