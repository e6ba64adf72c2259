import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const NODES_DIR = join(__dirname, "..", "..", "nodes");

/** All message catalogs of the package's nodes for one language, merged. */
export function loadCatalog(lang = "en-US"): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const dir of readdirSync(NODES_DIR)) {
    const locDir = join(NODES_DIR, dir, "locales", lang);
    if (!existsSync(locDir)) continue;
    for (const f of readdirSync(locDir).filter((f) => f.endsWith(".json"))) Object.assign(out, JSON.parse(readFileSync(join(locDir, f), "utf8")));
  }
  return out;
}

/** Keys asked for that no catalog has (a test asserts there are none). */
export const missingKeys = new Set<string>();

/** Node-RED's RED._ as i18next does it: dotted keys, __name__ placeholders; unknown keys come back as the key. */
export function translator(lang = "en-US"): (key: string, params?: Record<string, unknown>) => string {
  const catalog = loadCatalog(lang);
  return (key, params) => {
    let v: unknown = catalog;
    for (const part of key.split(".")) v = v && typeof v === "object" ? (v as Record<string, unknown>)[part] : undefined;
    if (typeof v !== "string") {
      missingKeys.add(key);
      return key;
    }
    return v.replace(/__([A-Za-z0-9_]+)__/g, (m: string, name: string) => (params && name in params ? String(params[name]) : m));
  };
}

/** Every leaf key of a catalog, dotted. */
export function leafKeys(obj: unknown, prefix = ""): string[] {
  if (obj === null || typeof obj !== "object") return [prefix];
  return Object.entries(obj as Record<string, unknown>).flatMap(([k, v]) => leafKeys(v, prefix ? `${prefix}.${k}` : k));
}

const ROOT = join(__dirname, "..", "..");

/**
 * The string literals a union in a source file (path from the repository root) can be: the union after
 * `type <at> =`, or after the first match of `at` (a field's type, e.g. /interface BillingProgress \{\s*phase:/).
 * Named members are unions of the same file and resolved; anything else (string, a type from elsewhere)
 * fails, so that a widened union is not read as a shorter one. Comments are dropped first.
 */
export function unionLiterals(file: string, at: string | RegExp): string[] {
  const text = readFileSync(join(ROOT, file), "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "");
  const read = (start: RegExp, what: string): string[] => {
    const m = start.exec(text);
    if (!m) throw new Error(`${file}: no ${what}`);
    const body = text.slice(m.index + m[0].length).split(";")[0]!;
    return body
      .split("|")
      .map((s) => s.trim())
      .filter(Boolean)
      .flatMap((member) => {
        const literal = /^"([^"]+)"$/.exec(member);
        if (literal) return [literal[1]!];
        if (/^[A-Z]\w*$/.test(member)) return read(new RegExp(`\\btype ${member}\\s*=`), `type ${member}`);
        throw new Error(`${file}: ${what} has a member that is not a string literal: ${member}`);
      });
  };
  return [...new Set(typeof at === "string" ? read(new RegExp(`\\btype ${at}\\s*=`), `type ${at}`) : read(at, String(at)))];
}

/** The keys of `keys` that the merged catalog of `lang` has no text for. */
export function lackingKeys(lang: string, keys: Iterable<string>): string[] {
  const catalog = loadCatalog(lang);
  return [...keys].filter((key) => {
    let v: unknown = catalog;
    for (const part of key.split(".")) v = v && typeof v === "object" ? (v as Record<string, unknown>)[part] : undefined;
    return typeof v !== "string";
  });
}
