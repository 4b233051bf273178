/**
 * How large a request body each route accepts, in bytes
 * (docs/decisions/0031-request-body-limits.md). The server refuses a larger
 * declared body (Content-Length) with 413 before anything reads it
 * (server/http/body-limits.ts); a body sent without a length (chunked) is
 * counted as a page action reads it (app/utils/errors.server.ts readForm) or
 * as the JSON parser reads it, and refused at the limit.
 */
import { LIMITS } from "./contract";

/** Page forms (sign-in, arguments, settings…): far above any form's real size. */
export const FORM_BODY_MAX_BYTES = 1024 * 1024;

/**
 * The new-debate form carries a whole article (up to 500,000 characters,
 * which URL-encoding can triple) and so gets the JSON API's limit, which
 * takes the same article as JSON.
 */
export const ARTICLE_FORM_BODY_MAX_BYTES = LIMITS.httpBodyMaxBytes;

/** The JSON API (/api/…), as before: LIMITS.httpBodyMaxBytes. */
export const API_BODY_MAX_BYTES = LIMITS.httpBodyMaxBytes;

/**
 * POST /api/imports carries a whole Polis export as JSON strings (the
 * Austrian fixture is about 4 MB of CSV, more once JSON-escaped; exports at
 * the 2,000 × 1,000 scale reach 10–20 MB).
 */
export const IMPORT_BODY_MAX_BYTES = 32 * 1024 * 1024;

/**
 * The body limit of a request path: the API's under /api/, the article
 * form's for /debates/new (and its `.data` fetch), 1 MiB for every other page.
 */
export function bodyLimitFor(pathname: string): number {
  if (/^\/api\/imports\/?$/.test(pathname)) return IMPORT_BODY_MAX_BYTES;
  if (pathname === "/api" || pathname.startsWith("/api/")) return API_BODY_MAX_BYTES;
  if (/^\/debates\/new(?:\.data)?\/?$/.test(pathname)) return ARTICLE_FORM_BODY_MAX_BYTES;
  return FORM_BODY_MAX_BYTES;
}

/** "1 MB", "8 MB": a limit as people read it. */
export function describeBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}
