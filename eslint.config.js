// `npm run lint` (run by `npm test` right after the typecheck). Why these rules and not more:
// docs/decisions/0022-lint-and-module-boundaries.md.
//
// Type-aware (typescript-eslint's project service reads tsconfig.json), so it needs what the
// typecheck needs first: the Prisma client (npm run prisma:generate) and the route types
// (react-router typegen); `npm run lint` makes both.
import js from "@eslint/js";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import { importX } from "eslint-plugin-import-x";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/", ".react-router/", "app/generated/", "node_modules/", "public/", "test-results/", "playwright-report/", "coverage/", ".data/"] },
  {
    files: ["**/*.{ts,tsx}"],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    plugins: { "import-x": importX, "react-hooks": reactHooks },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    settings: {
      // Without these, import-x reads only .js files and so sees no import between our modules at all.
      "import-x/extensions": [".ts", ".tsx", ".js"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx"] },
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "tsconfig.json" })],
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // Dead code: an unused import, variable or parameter is an error; `_name` marks one kept on purpose
      // (a callback's position, a rest sibling that drops a field).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],
      // Module boundaries: no import cycle at any depth. import-x skips `import type` (erased at build time), so a
      // cycle made only of types is not caught here; ADR 0022 says how those are kept out.
      "import-x/no-cycle": ["error", { maxDepth: Infinity, ignoreExternal: true }],
      // A promise nobody awaits loses its error: await it, return it, or mark a deliberate fire-and-forget with `void`.
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      // The sanitisers (app/shared/contract.ts, accounts.ts, lexical.ts) and the hostile-input tests match control
      // characters on purpose; every hit of this rule was one of them.
      "no-control-regex": "off",
      // A `let` that a closure reads before its one assignment (an error message that names the port once chosen) stays a `let`.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // React code: hooks called in order, and effects that list what they read (a missing dependency is a stale value).
    files: ["app/**/*.{ts,tsx}"],
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
    },
  },
  {
    // Tests and benchmarks read JSON replies of every shape (often deliberately wrong ones): `any` is the honest type there.
    files: ["tests/**/*.ts", "bench/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
