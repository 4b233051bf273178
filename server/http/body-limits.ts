/**
 * Refuses request bodies over their route's limit (app/shared/body-limits.ts)
 * with 413 before anything reads them (docs/decisions/0031-request-body-limits.md):
 * a declared Content-Length over the limit is answered at once; a body sent
 * without a length (chunked) is counted where it is read (readForm,
 * express.json) and refused at the limit.
 *
 * After a 413 the rest of the body is discarded as it arrives — never
 * buffered — so the client, still sending, reads the answer (closing at once
 * makes many clients report a broken pipe instead); after DISCARD_MAX_MS the
 * connection is closed whatever is left (nginx's "lingering close").
 */
import type { IncomingMessage } from "node:http";
import type { NextFunction, Request, Response } from "express";
import { bodyLimitFor, describeBytes } from "../../app/shared/body-limits";
import { ErrorCode } from "../../app/shared/errors";
import { localizedSentence } from "../../app/i18n/errors.server";

/** How long the rest of a refused body is read and thrown away before the connection is closed. */
export const DISCARD_MAX_MS = 10_000;

/** The sentence of a 413: what the limit is. */
export function tooLargeMessage(limit: number): string {
  return `The request is too large: this address accepts at most ${describeBytes(limit)}.`;
}

/** Throws away what is left of a request body (whoever was reading it stops), for at most DISCARD_MAX_MS. */
function discardRest(req: IncomingMessage): void {
  if (req.complete || req.destroyed) return;
  req.removeAllListeners("data");
  req.resume();
  const timer = setTimeout(() => req.socket.destroy(), DISCARD_MAX_MS);
  timer.unref();
  const done = () => clearTimeout(timer);
  req.once("end", done);
  req.once("close", done);
}

/**
 * Express middleware: 413 for a Content-Length over the path's limit (JSON
 * under /api, a sentence elsewhere); and after any 413 (this one, readForm's
 * or the JSON parser's) the rest of the body is discarded, not read.
 */
export function refuseOversizedBodies(req: Request, res: Response, next: NextFunction): void {
  res.once("finish", () => {
    if (res.statusCode === 413) discardRest(req);
  });
  const declared = req.headers["content-length"];
  if (declared === undefined) return next();
  const limit = bodyLimitFor(req.path);
  const length = Number(declared);
  if (!Number.isFinite(length) || length <= limit) return next();
  res.status(413);
  const message = localizedSentence(tooLargeMessage(limit));
  if (req.path === "/api" || req.path.startsWith("/api/")) res.json({ error: { code: ErrorCode.payloadTooLarge, message } });
  else res.type("text/plain").send(message);
}
