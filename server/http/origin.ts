import type { Request } from "express";

/**
 * Whether a request was sent by a page of another origin: its Origin header
 * (sent by browsers on POST and on cross-origin requests) names a host other
 * than the one it was sent to. A missing Origin (scripts, same-origin GETs)
 * is not cross-origin; an unparseable one ("null" from sandboxed frames) is.
 */
export function isCrossOrigin(req: Request): boolean {
  const origin = req.get("origin");
  if (!origin) return false;
  try {
    return new URL(origin).host !== req.get("host");
  } catch {
    return true;
  }
}
