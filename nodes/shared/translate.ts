import type { NodeAPI } from "node-red";

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
