// ESLint (flat config): eslint's and typescript-eslint's recommended rules on
// the TypeScript sources and the plain-JS scripts (`npm run lint`). Layout is
// Prettier's business (.prettierrc), not ESLint's. Type-aware rules are left
// out: `npm run typecheck` (tsc, strict) already covers types, and linting
// stays fast.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

// The Node.js globals the .mjs scripts use (no `globals` package for a handful of names).
const nodeGlobals = Object.fromEntries(
  ["process", "console", "Buffer", "URL", "setTimeout", "clearTimeout", "setInterval", "clearInterval", "fetch", "AbortController"].map((name) => [
    name,
    "readonly",
  ]),
);

export default defineConfig(
  // Generated flows, build output (dist/, resources/) and the .html editor templates are not linted.
  { ignores: ["dist/", "resources/", "node_modules/", "coverage/", "test-artifacts/", ".zev-demo/", "dashboard/", "examples/"] },
  {
    // An eslint-disable comment that no longer suppresses anything fails the lint, so none points at nothing.
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ["**/*.mjs", "**/*.js"],
    languageOptions: { sourceType: "module", globals: nodeGlobals },
  },
  {
    rules: {
      // tsc (noUnusedLocals, noUnusedParameters) is the first check; `_` marks a binding that is unused on purpose.
      "@typescript-eslint/no-unused-vars": ["error", { varsIgnorePattern: "^_", argsIgnorePattern: "^_" }],
      // Node-RED's idiom: `const node = this` in a node's constructor, for its handlers.
      "@typescript-eslint/no-this-alias": ["error", { allowedNames: ["node"] }],
      // The errors rethrown in a catch are written for the user and carry the cause's message;
      // attaching `cause` everywhere is a separate change (issue #12 reworks the error shapes).
      "preserve-caught-error": "off",
    },
  },
  {
    files: ["test/**/*.ts"],
    rules: {
      // Tests match column-aligned CLI output literally; "  " reads better there than " {2}".
      "no-regex-spaces": "off",
    },
  },
);
