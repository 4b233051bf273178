/**
 * What a route's first load costs in JavaScript, read from a React Router client build
 * (build/client): the route manifest script, the client entry and its imports, and the module and
 * static imports of each route on the page (root, then the route itself). Dynamic imports (a chunk
 * loaded only when code asks for it, such as the rich-text editor) are not part of the first load.
 * Used by scripts/js-budget.ts (the build's budget) and bench/phone.ts.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

/** One script of the first load: its URL path and sizes in bytes. */
export interface ScriptSize {
  url: string;
  raw: number;
  /** Bytes of its Brotli copy (what the server sends to a browser that accepts br). */
  brotli: number;
  /** Bytes of its gzip copy (what the server sends to a browser that accepts gzip only). */
  gzip: number;
}

/** A route's first-load scripts and their totals (bytes). */
export interface FirstLoad {
  routeIds: string[];
  scripts: ScriptSize[];
  raw: number;
  brotli: number;
  gzip: number;
}

interface ManifestEntry {
  module: string;
  imports?: string[];
}

interface Manifest {
  entry: ManifestEntry;
  routes: Record<string, ManifestEntry & { parentId?: string }>;
}

/**
 * Reads build/client/assets/manifest-*.js.
 * @throws when the build has no (or more than one) route manifest.
 */
export function readManifest(clientDir: string): { url: string; manifest: Manifest } {
  const files = readdirSync(path.join(clientDir, "assets")).filter((name) => /^manifest-[\w-]+\.js$/.test(name));
  if (files.length !== 1) throw new Error(`Expected one route manifest in ${clientDir}/assets, found ${files.length}: run \`react-router build\` first.`);
  const text = readFileSync(path.join(clientDir, "assets", files[0]!), "utf8");
  const json = text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1);
  return { url: `/assets/${files[0]}`, manifest: JSON.parse(json) as Manifest };
}

/** Sizes of one built file: the .br and .gz written beside it at build time, or computed the same way when absent. */
function sizeOf(clientDir: string, url: string): ScriptSize {
  const file = path.join(clientDir, url);
  const raw = readFileSync(file);
  const compressed = (suffix: string, make: () => Buffer) => (existsSync(file + suffix) ? readFileSync(file + suffix).length : make().length);
  return {
    url,
    raw: raw.length,
    brotli: compressed(".br", () => brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })),
    gzip: compressed(".gz", () => gzipSync(raw, { level: 9 })),
  };
}

/**
 * The first-load JavaScript of a route (and its parents up to root).
 * @param clientDir build/client
 * @param routeId the manifest's route id, e.g. "routes/debate"
 * @throws when the route is not in the manifest
 */
export function firstLoad(clientDir: string, routeId: string): FirstLoad {
  const { url, manifest } = readManifest(clientDir);
  const chain: string[] = [];
  for (let id: string | undefined = routeId; id; id = manifest.routes[id]?.parentId) {
    if (!manifest.routes[id]) throw new Error(`The route ${id} is not in the build's manifest.`);
    chain.unshift(id);
  }
  const urls = new Set<string>([url, manifest.entry.module, ...(manifest.entry.imports ?? [])]);
  for (const id of chain) {
    const route = manifest.routes[id]!;
    urls.add(route.module);
    for (const imported of route.imports ?? []) urls.add(imported);
  }
  const scripts = [...urls].map((u) => sizeOf(clientDir, u)).sort((a, b) => b.brotli - a.brotli);
  const sum = (key: "raw" | "brotli" | "gzip") => scripts.reduce((total, s) => total + s[key], 0);
  return { routeIds: chain, scripts, raw: sum("raw"), brotli: sum("brotli"), gzip: sum("gzip") };
}

/** Bytes as "123.4 KB" (1 KB = 1,000 bytes). */
export const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
