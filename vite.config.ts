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

export default defineConfig({
  plugins: [reactRouter(), precompressed, ...analyse],
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  server: { port: 3000 },
});
