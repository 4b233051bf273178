import { reactRouter } from "@react-router/dev/vite";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import { compression } from "vite-plugin-compression2";
import { visualizer } from "rollup-plugin-visualizer";

/**
 * Brotli (.br) and gzip (.gz) copies of the browser's scripts and styles, written beside them at build
 * time and served by server/app.ts (express-static-gzip) with long immutable caching: no CPU per request,
 * and Brotli at its best quality (11), which is too slow to run on the fly. Client build only.
 */
const precompressed: Plugin = { ...(compression({ algorithms: ["brotliCompress", "gzip"], logLevel: "silent" }) as Plugin), applyToEnvironment: (environment) => environment.name === "client" };

/** `ANALYZE=1 npm run build`: build/stats.html, what each chunk of the browser's bundle holds (sizes raw, gzip, brotli). */
const analyse: Plugin[] = process.env.ANALYZE
  ? [{ ...(visualizer({ filename: "build/stats.html", gzipSize: true, brotliSize: true, template: "treemap" }) as Plugin), applyToEnvironment: (environment) => environment.name === "client" }]
  : [];

/**
 * The browser gets its catalogue already parsed (app/i18n/catalogues.server.ts sends ICU ASTs), so its
 * bundle uses FormatJS's parser-less build of @formatjs/icu-messageformat-parser (the optimisation FormatJS
 * documents for precompiled messages): about 10 KB compressed less on every page. Client build only: the
 * server parses the catalogues.
 */
const icuWithoutParser: Plugin = {
  name: "icu-messageformat-without-parser",
  enforce: "pre",
  applyToEnvironment: (environment) => environment.name === "client",
  async resolveId(source, importer) {
    if (source !== "@formatjs/icu-messageformat-parser") return null;
    return this.resolve("@formatjs/icu-messageformat-parser/no-parser.js", importer, { skipSelf: true });
  },
};

export default defineConfig({
  plugins: [icuWithoutParser, reactRouter(), precompressed, ...analyse],
  // `SOURCEMAP=1 npm run build`: hidden source maps (the scripts do not point at them) beside the
  // scripts, which bench/scroll.ts SCROLL_TRACE=1 reads to name the functions of its CPU profile.
  // Benchmarks only: the server would serve them to anyone asking.
  build: { sourcemap: process.env.SOURCEMAP === "1" ? "hidden" : false },
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  server: { port: 3000 },
});
