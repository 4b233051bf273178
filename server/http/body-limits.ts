/**
 * Refuses request bodies over their route's limit (app/shared/body-limits.ts)
 * with 413 before anything reads them: a declared Content-Length over the
 * limit is answered at once, with `Connection: close` so the server does not
 * spend its time draining the rest. Bodies without a length (chunked) are
 * counted where they are read (readForm, express.json) and refused there.
 * docs/decisions/0031-request-body-limits.md.
 */
import type { NextFunction, Request, Response } from "express";
import { bodyLimitFor, describeBytes } from "../../app/shared/body-limits";
import { ErrorCode } from "../../app/shared/errors";

/** The sentence of a 413: what the limit is. */
export function tooLargeMessage(limit: number): string {
  return `The request is too large: this address accepts at most ${describeBytes(limit)}.`;
}

/** Express middleware: 413 for a Content-Length over the path's limit (JSON under /api, plain text elsewhere). */
export function refuseOversizedBodies(req: Request, res: Response, next: NextFunction): void {
  const declared = req.headers["content-length"];
  if (declared === undefined) return next();
  const limit = bodyLimitFor(req.path);
  const length = Number(declared);
  if (!Number.isFinite(length) || length <= limit) return next();
  res.setHeader("Connection", "close");
  res.status(413);
  const message = tooLargeMessage(limit);
  if (req.path === "/api" || req.path.startsWith("/api/")) res.json({ error: { code: ErrorCode.payloadTooLarge, message } });
  else res.type("text/plain").send(message);
}
