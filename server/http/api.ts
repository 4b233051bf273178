/**
 * The JSON API for scripts and other tools (docs/api.md). Every route
 * validates through the services, answers errors as
 * `{ error: { code, message, field? } }` with a matching status, and never
 * leaks a stack trace. Participants authenticate with `Authorization: Bearer
 * <token>` (the token returned when creating or joining a debate) or the
 * participant cookie.
 */
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import { parse as parseCookie } from "cookie";
import { LIMITS, participantCookieName } from "../../app/shared/contract";
import { AppError, ErrorCode, httpStatusFor, isAppError } from "../../app/shared/errors";
import type { Services } from "../services";
import { log } from "../log";
import { isCrossOrigin } from "./origin";

type Handler = (req: Request, res: Response) => Promise<unknown>;
const route = (fn: Handler) => (req: Request, res: Response, next: NextFunction) => {
  fn(req, res).catch(next);
};

function tokenFrom(req: Request, debateId: string): string | undefined {
  const header = req.get("authorization");
  if (header?.startsWith("Bearer ")) return header.slice(7).trim();
  return parseCookie(req.get("cookie") ?? "")[participantCookieName(debateId)];
}

/** Maps any thrown value to a JSON error reply. Body-parser errors (too large, bad JSON) get clear messages. */
export function apiErrorHandler(error: unknown, _req: Request, res: Response, _next: NextFunction) {
  if (isAppError(error)) {
    if (error.retryAfterSeconds) res.setHeader("Retry-After", String(error.retryAfterSeconds));
    res.status(httpStatusFor(error.code)).json({ error: error.toBody() });
    return;
  }
  const e = error as { type?: string; status?: number };
  if (e?.type === "entity.too.large") {
    res.status(413).json({ error: { code: ErrorCode.payloadTooLarge, message: `The request is too large: at most ${LIMITS.httpBodyMaxBytes / 1024 / 1024} MB.` } });
    return;
  }
  if (e?.type === "entity.parse.failed") {
    res.status(400).json({ error: { code: ErrorCode.validation, message: "The request body is not valid JSON." } });
    return;
  }
  if (typeof e?.status === "number" && e.status >= 400 && e.status < 500) {
    res.status(e.status).json({ error: { code: ErrorCode.validation, message: "The request body could not be read: send UTF-8 JSON, uncompressed or correctly compressed." } });
    return;
  }
  log.error("API request failed", error);
  res.status(500).json({ error: { code: ErrorCode.internal, message: "Something went wrong on the server; nothing was saved. Please try again." } });
}

/**
 * Cross-site request forgery guard for writes that rely on the participant
 * cookie: a browser sends cookies with cross-site form posts, so a write
 * without a Bearer token must come from our own origin (Origin header equal
 * to the Host) and be JSON (which a plain form cannot send without a preflight).
 * Scripts using Bearer tokens are not affected.
 */
function rejectCrossSiteCookieWrites(req: Request, res: Response, next: NextFunction) {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
  if (req.get("authorization")?.startsWith("Bearer ") || !req.get("cookie")) return next();
  if (!req.get("origin") || isCrossOrigin(req) || !req.is("application/json")) {
    res.status(403).json({ error: { code: ErrorCode.forbidden, message: "Cross-site requests cannot use your Steelman cookie. Scripts should send an Authorization: Bearer token." } });
    return;
  }
  next();
}

/** Builds the `/api` router. */
export function createApiRouter(services: Services): Router {
  const api = express.Router();
  api.use(rejectCrossSiteCookieWrites);
  api.use(express.json({ limit: LIMITS.httpBodyMaxBytes, strict: false, type: () => true }));

  api.post("/debates", route(async (req, res) => {
    const created = await services.createDebate(req.body, req.ip);
    res.status(201).json(created);
  }));

  api.get("/debates", route(async (_req, res) => {
    res.json({ debates: await services.listPublishedDebates() });
  }));

  api.get("/debates/:id", route(async (req, res) => {
    const id = String(req.params.id);
    const debate = await services.getDebate(id);
    if (debate.status !== "published") {
      // Drafts are visible only to their facilitators.
      const actor = await services.findParticipant(id, tokenFrom(req, id));
      if (!actor || (actor.role !== "host" && actor.role !== "facilitator")) throw new AppError(ErrorCode.notFound, "This debate was not found, or it is a draft that only its facilitator can see.");
    }
    res.json(debate);
  }));

  api.post("/debates/:id/publish", route(async (req, res) => {
    const id = String(req.params.id);
    await services.publishDebate(id, await services.findParticipant(id, tokenFrom(req, id)));
    res.json(await services.getDebate(id));
  }));

  api.post("/debates/:id/participants", route(async (req, res) => {
    const joined = await services.joinDebate(String(req.params.id), req.body, req.ip);
    res.status(201).json(joined);
  }));

  const actorFor = async (req: Request) => {
    const id = String(req.params.id);
    return services.requireParticipant(id, tokenFrom(req, id));
  };

  api.post("/debates/:id/arguments", route(async (req, res) => {
    res.status(201).json(await services.postArgument(await actorFor(req), req.body));
  }));
  api.patch("/debates/:id/arguments/:argumentId", route(async (req, res) => {
    res.json(await services.editArgument(await actorFor(req), { ...req.body, argumentId: req.params.argumentId }));
  }));
  api.post("/debates/:id/arguments/:argumentId/sources", route(async (req, res) => {
    res.status(201).json(await services.addSource(await actorFor(req), { ...req.body, argumentId: req.params.argumentId }));
  }));
  api.put("/debates/:id/arguments/:argumentId/rating", route(async (req, res) => {
    res.json(await services.rateArgument(await actorFor(req), { value: req.body?.value, argumentId: req.params.argumentId }));
  }));
  api.put("/debates/:id/propositions/:propositionId/vote", route(async (req, res) => {
    res.json(await services.castVote(await actorFor(req), { value: req.body?.value, propositionId: req.params.propositionId }));
  }));
  api.patch("/debates/:id/propositions/:propositionId", route(async (req, res) => {
    res.json(await services.editProposition(await actorFor(req), { text: req.body?.text, propositionId: req.params.propositionId }));
  }));

  api.use((_req, res) => {
    res.status(404).json({ error: { code: ErrorCode.notFound, message: "No such API endpoint. See docs/api.md." } });
  });
  api.use(apiErrorHandler);
  return api;
}
