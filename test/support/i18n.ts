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
