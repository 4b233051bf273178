/**
 * Compression of what the server sends over HTTP (issue 21, docs/decisions/0090-compression.md).
 *
 * - Built browser files (build/client): served from the Brotli (.br) and gzip (.gz) copies written at
 *   build time by vite-plugin-compression2 (vite.config.ts), chosen by the request's Accept-Encoding
 *   (express-static-gzip; Brotli first), with `Vary: Accept-Encoding`. Hashed files under /assets are
 *   cached for a year and `immutable`; the rest (favicon, robots.txt) for an hour.
 * - Everything else (pages, loader and action data, the JSON API, CSV exports): compressed on the fly
 *   by the `compression` middleware: Brotli at quality 4 (its default: about gzip's speed, smaller
 *   output) when the client accepts it, else gzip; bodies under 1 KiB and responses already encoded
 *   or marked `Cache-Control: no-transform` are sent as they are. A client that sends no
 *   Accept-Encoding (or `identity`) gets the plain body.
 *
 * socket.io is not touched here: engine.io answers its own requests before Express sees them.
 */
import compression from "compression";
import expressStaticGzip from "express-static-gzip";
import type { RequestHandler } from "express";

/** Smallest body (bytes) compressed on the fly: below it the headers and the CPU cost more than they save. */
export const COMPRESS_THRESHOLD_BYTES = 1024;

/**
 * The on-the-fly compression middleware for dynamic responses (pages, data, API).
 * Streamed pages are compressed as they stream (`res.flush()` is added by the middleware).
 */
export function compressDynamic(): RequestHandler {
  return compression({ threshold: COMPRESS_THRESHOLD_BYTES });
}

/**
 * Serves one directory of built files, preferring their precompressed copies.
 * @param root the directory (build/client/assets or build/client)
 * @param cache `immutable`: hashed file names, cached for a year; otherwise an hour
 */
export function servePrecompressed(root: string, cache: "immutable" | "short"): RequestHandler {
  return expressStaticGzip(root, {
    enableBrotli: true,
    orderPreference: ["br", "gzip"],
    index: false,
    serveStatic: cache === "immutable" ? { immutable: true, maxAge: "1y", index: false } : { maxAge: "1h", index: false },
  }) as RequestHandler;
}
