import { readFileSync } from "node:fs";
import { join } from "node:path";
import { unionLiterals } from "./i18n";

const ROOT = join(__dirname, "..", "..");

/** The error classes whose `kind` a source passes on, and the union that kind is. */
const KIND_UNIONS: Record<string, [file: string, type: string]> = {
  ModbusError: ["lib/devices/modbus/connection.ts", "ModbusErrorKind"],
  MiniserverError: ["lib/devices/loxone/http-client.ts", "MiniserverErrorKind"],
};

/** The first argument of the call that starts at `open` (the index of its "("): up to the first comma at depth 0. */
function firstArgument(text: string, open: number): string {
  let depth = 0;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === "(" || c === "{" || c === "[") depth++;
    else if (c === ")" || c === "}" || c === "]") {
      if (depth === 0) return text.slice(open + 1, i);
      depth--;
    } else if (c === "," && depth === 0) return text.slice(open + 1, i);
  }
  throw new Error("unclosed call");
}

/**
 * Every kind a meter or charger source can hand to sink.failed(kind, message) (the node looks up
 * "error.<kind>"): the string literals of the first argument, and for an `e.kind` the union of the
 * error class the same line names (ModbusError, MiniserverError). A `.kind` of no known class is
 * returned in `untyped`, for the caller to account for.
 */
export function failureKinds(files: readonly string[]): { kinds: string[]; untyped: string[] } {
  const kinds = new Set<string>();
  const untyped: string[] = [];
  for (const f of files) {
    const text = readFileSync(join(ROOT, f), "utf8");
    for (const m of text.matchAll(/\bsink\.failed\(/g)) {
      const open = m.index + m[0].length - 1;
      const arg = firstArgument(text, open);
      for (const l of arg.matchAll(/"([^"]+)"/g)) kinds.add(l[1]!);
      if (!/\.kind\b/.test(arg)) continue;
      const line = text.slice(text.lastIndexOf("\n", m.index) + 1, open + 1) + arg;
      const classes = Object.keys(KIND_UNIONS).filter((c) => new RegExp(`\\b${c}\\b`).test(line));
      if (classes.length === 0) untyped.push(`${f}: ${arg.trim()}`);
      for (const c of classes) for (const k of unionLiterals(...KIND_UNIONS[c]!)) kinds.add(k);
    }
  }
  return { kinds: [...kinds].sort(), untyped };
}
