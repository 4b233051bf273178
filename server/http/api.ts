/**
 * The JSON API for scripts and other tools (docs/api.md). Every route
 * validates through the services, answers errors as
 * `{ error: { code, message, field? } }` with a matching status, and never
 * leaks a stack trace. Participants authenticate with `Authorization: Bearer
 * <token>` (the token returned when creating or joining a debate) or the
 * participant cookie; facilitators also with their account — the session
 * cookie or `Authorization: Bearer smk_…` (an API token) — which acts as their
 * host or co-host participant in each debate (services.findActor).
 */
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import { parse as parseCookie } from "cookie";
import { LIMITS, participantCookieName } from "../../app/shared/contract";
import { ErrorCode, httpStatusFor, isAppError } from "../../app/shared/errors";
import { localizedErrorBody, serverMessage } from "../../app/i18n/errors.server";
import { isApiToken, SESSION_COOKIE } from "../../app/shared/accounts";
import type { Credentials, Services } from "../services";
import { parseOperationInput } from "../services/validate";
import { Site } from "../site";
import { asRetryable } from "../database-availability";
import { log } from "../log";
import { addModerationRoutes } from "./moderation-api";
import { addExportRoutes } from "./export-api";
import { bodyLimitFor, describeBytes, IMPORT_BODY_MAX_BYTES } from "../../app/shared/body-limits";
import { isCrossOrigin } from "./origin";

type Handler = (req: Request, res: Response) => Promise<unknown>;
const route = (fn: Handler) => (req: Request, res: Response, next: NextFunction) => {
  fn(req, res).catch(next);
};

/**
 * What a request carries to say who it is: an `Authorization: Bearer` token
 * (an `smk_…` facilitator API token, or a participant token) or, without one,
 * the cookies — the debate's participant cookie (when `debateId` is given)
 * and the facilitator session cookie. Services decide what they identify.
 */
function readCredentials(site: Site, req: Request, debateId?: string): Credentials {
  const header = req.get("authorization");
  if (header?.startsWith("Bearer ")) {
    const token = header.slice(7).trim();
    return isApiToken(token) ? { apiToken: token } : { participantToken: token };
  }
  const cookies = parseCookie(req.get("cookie") ?? "");
  // Cookies under this site's names only (`__Host-…` over https, see server/site.ts).
  return { participantToken: debateId ? cookies[site.cookieName(participantCookieName(debateId))] : undefined, sessionToken: cookies[site.cookieName(SESSION_COOKIE)] };
}

/** Maps any thrown value to a JSON error reply. Body-parser errors (too large, bad JSON) get clear messages. */
export function apiErrorHandler(thrown: unknown, req: Request, res: Response, _next: NextFunction) {
  const error = asRetryable(thrown);
  if (isAppError(error)) {
    if (error.retryAfterSeconds) res.setHeader("Retry-After", String(error.retryAfterSeconds));
    res.status(httpStatusFor(error.code)).json({ error: localizedErrorBody(error) });
    return;
  }
  // A %-code in the address that does not decode (`/api/debates/%ff`): the address is at fault, not the body.
  if (error instanceof URIError) {
    res.status(400).json({ error: { code: ErrorCode.validation, message: serverMessage("errors.badAddress") } });
    return;
  }
  const e = error as { type?: string; status?: number };
  if (e?.type === "entity.too.large") {
    res.status(413).json({ error: { code: ErrorCode.payloadTooLarge, message: serverMessage("errors.tooLarge", { limit: describeBytes(bodyLimitFor(req.baseUrl + req.path)) }) } });
    return;
  }
  if (e?.type === "entity.parse.failed") {
    res.status(400).json({ error: { code: ErrorCode.validation, message: serverMessage("errors.invalidJson") } });
    return;
  }
  if (typeof e?.status === "number" && e.status >= 400 && e.status < 500) {
    res.status(e.status).json({ error: { code: ErrorCode.validation, message: serverMessage("errors.unreadableBody") } });
    return;
  }
  log.error("API request failed", error);
  res.status(500).json({ error: { code: ErrorCode.internal, message: serverMessage("errors.internal") } });
}

/**
 * Cross-site request forgery guard for writes that rely on any cookie (the
 * participant cookie, or the facilitator session cookie `sm_session`): a
 * browser sends cookies with cross-site form posts, so a write without a
 * Bearer token must come from our own origin (Origin header equal to the
 * Host) and be JSON (which a plain form cannot send without a preflight).
 * Scripts using Bearer tokens are not affected.
 */
function rejectCrossSiteCookieWrites(req: Request, res: Response, next: NextFunction) {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
  if (req.get("authorization")?.startsWith("Bearer ") || !req.get("cookie")) return next();
  if (!req.get("origin") || isCrossOrigin(req) || !req.is("application/json")) {
    res.status(403).json({ error: { code: ErrorCode.forbidden, message: serverMessage("errors.crossSite") } });
    return;
  }
  next();
}

/**
 * Builds the `/api` router.
 * @param site where the site is reached (cookie names); default: plain http, no PUBLIC_URL.
 */
export function createApiRouter(services: Services, site: Site = new Site()): Router {
  const credentialsFrom = (req: Request, debateId?: string) => readCredentials(site, req, debateId);
  const api = express.Router();
  api.use(rejectCrossSiteCookieWrites);
  // A Polis export travels as JSON strings: its own, larger limit (app/shared/body-limits.ts IMPORT_BODY_MAX_BYTES).
  api.post("/imports", express.json({ limit: IMPORT_BODY_MAX_BYTES, strict: false, type: () => true }), route(async (req, res) => {
    const creator = await services.requireUser(credentialsFrom(req));
    res.status(201).json(await services.importDebate(creator, req.body));
  }));
  api.post("/imports/preview", express.json({ limit: IMPORT_BODY_MAX_BYTES, strict: false, type: () => true }), route(async (req, res) => {
    await services.requireUser(credentialsFrom(req));
    res.json(services.previewImport(req.body));
  }));
  api.use(express.json({ limit: LIMITS.httpBodyMaxBytes, strict: false, type: () => true }));

  api.post("/debates", route(async (req, res) => {
    const creator = await services.requireUser(credentialsFrom(req));
    const created = await services.createDebate(creator, req.body, req.ip);
    res.status(201).json(created);
  }));

  // Facilitator accounts from scripts: sign up and get a first API token.
  api.post("/accounts", route(async (req, res) => {
    res.status(201).json(await services.signUpWithApiToken(req.body, req.ip));
  }));

  // Who the session cookie or API token belongs to.
  api.get("/account", route(async (req, res) => {
    res.json({ user: await services.requireUser(credentialsFrom(req)) });
  }));

  api.get("/debates", route(async (_req, res) => {
    res.json({ debates: await services.listPublishedDebates() });
  }));

  api.get("/debates/:id", route(async (req, res) => {
    const id = String(req.params.id);
    // Who is asking decides what they see: hidden arguments are withheld from all but facilitators and their authors.
    const actor = await services.findActor(id, credentialsFrom(req, id));
    // Drafts only for their facilitators, private debates only for their participants (404 for anyone else).
    await services.requireReadable(id, actor);
    // The frame (docs/decisions/0026-debate-page-frame.md): a big debate's arguments come a page at a time.
    const debate = await services.getDebate(id, actor, { frame: true });
    res.json(debate);
  }));

  api.post("/debates/:id/publish", route(async (req, res) => {
    const id = String(req.params.id);
    const actor = await services.findActor(id, credentialsFrom(req, id));
    await services.publishDebate(id, actor);
    res.json(await services.getDebate(id, actor));
  }));

  api.post("/debates/:id/participants", route(async (req, res) => {
    const joined = await services.joinDebate(String(req.params.id), req.body, { address: req.ip });
    res.status(201).json(joined);
  }));

  const actorFor = async (req: Request) => {
    const id = String(req.params.id);
    return services.requireActor(id, credentialsFrom(req, id));
  };
  /** actorFor for what only the debate's facilitators may do or read: nobody recognised is asked to sign in as one (services.whyNoActor). */
  const facilitatorFor = async (req: Request) => {
    const id = String(req.params.id);
    return services.requireActor(id, credentialsFrom(req, id), { facilitatorOnly: true });
  };

  api.post("/debates/:id/arguments", route(async (req, res) => {
    res.status(201).json(await services.postArgument(await actorFor(req), parseOperationInput("postArgument", req.body)));
  }));
  api.patch("/debates/:id/arguments/:argumentId", route(async (req, res) => {
    res.json(await services.editArgument(await actorFor(req), parseOperationInput("editArgument", { ...req.body, argumentId: req.params.argumentId })));
  }));
  api.post("/debates/:id/arguments/:argumentId/sources", route(async (req, res) => {
    res.status(201).json(await services.addSource(await actorFor(req), parseOperationInput("addSource", { ...req.body, argumentId: req.params.argumentId })));
  }));
  api.delete("/debates/:id/arguments/:argumentId/sources/:sourceId", route(async (req, res) => {
    res.json(await services.removeSource(await actorFor(req), parseOperationInput("removeSource", { opId: req.body?.opId, argumentId: req.params.argumentId, sourceId: req.params.sourceId })));
  }));
  api.put("/debates/:id/arguments/:argumentId/rating", route(async (req, res) => {
    res.json(await services.rateArgument(await actorFor(req), parseOperationInput("rateArgument", { value: req.body?.value, argumentId: req.params.argumentId })));
  }));
  api.put("/debates/:id/propositions/:propositionId/vote", route(async (req, res) => {
    res.json(await services.castVote(await actorFor(req), parseOperationInput("castVote", { value: req.body?.value, propositionId: req.params.propositionId })));
  }));
  api.patch("/debates/:id/propositions/:propositionId", route(async (req, res) => {
    res.json(await services.editProposition(await actorFor(req), parseOperationInput("editProposition", { text: req.body?.text, propositionId: req.params.propositionId })));
  }));

  addModerationRoutes(api, services, actorFor, facilitatorFor);
  // Exports (issue 15): the debate as the caller may read it, in the field's formats (server/http/export-api.ts).
  addExportRoutes(api, services, (req) => services.findActor(String(req.params.id), credentialsFrom(req, String(req.params.id))), () => site.linkOrigin);

  // What the debate concluded (issue 11): results, opinion groups, meta propositions.
  api.get("/debates/:id/results", route(async (req, res) => {
    const id = String(req.params.id);
    res.json(await services.getResults(id, await services.findActor(id, credentialsFrom(req, id))));
  }));
  // A proposition's arguments a page at a time, and search over the debate (server/services/argument-pages.ts).
  api.get("/debates/:id/propositions/:propositionId/arguments", route(async (req, res) => {
    const id = String(req.params.id);
    res.json(await services.argumentPage(id, String(req.params.propositionId), await services.findActor(id, credentialsFrom(req, id)), req.query));
  }));
  api.get("/debates/:id/search", route(async (req, res) => {
    const id = String(req.params.id);
    res.json(await services.searchDebate(id, await services.findActor(id, credentialsFrom(req, id)), req.query));
  }));
  // An argument with the arguments it answers, for deep links (server/services/argument-pages.ts argumentChain).
  api.get("/debates/:id/arguments/:argumentId/ancestors", route(async (req, res) => {
    const id = String(req.params.id);
    res.json(await services.argumentChain(id, String(req.params.argumentId), await services.findActor(id, credentialsFrom(req, id))));
  }));
  api.get("/debates/:id/arguments/bridging", route(async (req, res) => {
    const id = String(req.params.id);
    res.json(await services.getArgumentBridgingOrder(id, await services.findActor(id, credentialsFrom(req, id))));
  }));
  api.get("/debates/:id/opinion-groups", route(async (req, res) => {
    const id = String(req.params.id);
    const { current: _current, ...groups } = await services.getOpinionGroups(id, await services.findActor(id, credentialsFrom(req, id)));
    res.json(groups);
  }));
  api.put("/debates/:id/propositions/:propositionId/meta", route(async (req, res) => {
    res.json(await services.setPropositionMeta(await actorFor(req), String(req.params.propositionId), req.body));
  }));

  // Running a debate (server/services/settings.ts, locks.ts, participants.ts): join codes, settings, closing, locks, participants.
  api.post("/join", route(async (req, res) => {
    res.status(201).json(await services.joinByCode(req.body, { address: req.ip }));
  }));
  api.get("/debates/:id/settings", route(async (req, res) => {
    res.json(await services.getSettings(await facilitatorFor(req), String(req.params.id)));
  }));
  api.patch("/debates/:id/settings", route(async (req, res) => {
    res.json(await services.updateSettings(await facilitatorFor(req), String(req.params.id), req.body));
  }));
  api.post("/debates/:id/join-code", route(async (req, res) => {
    res.json(await services.rotateJoinCode(await facilitatorFor(req), String(req.params.id), req.body ?? {}));
  }));
  api.post("/debates/:id/close", route(async (req, res) => {
    res.json(await services.closeDebate(await facilitatorFor(req), String(req.params.id), parseOperationInput("closeDebate", req.body ?? {})));
  }));
  api.post("/debates/:id/reopen", route(async (req, res) => {
    res.json(await services.reopenDebate(await facilitatorFor(req), String(req.params.id), parseOperationInput("reopenDebate", req.body ?? {})));
  }));
  // Formats and phases (issue 13, server/services/phases.ts).
  api.post("/debates/:id/phase", route(async (req, res) => {
    res.json(await services.changePhase(await actorFor(req), String(req.params.id), parseOperationInput("changePhase", req.body ?? {})));
  }));
  api.post("/debates/:id/show-results", route(async (req, res) => {
    res.json(await services.showResults(await actorFor(req), String(req.params.id), parseOperationInput("showResults", req.body ?? {})));
  }));
  api.put("/debates/:id/motion-vote", route(async (req, res) => {
    res.json(await services.castMotionVote(await actorFor(req), parseOperationInput("castMotionVote", req.body ?? {})));
  }));
  // Reads of arguments, batched by the debate page (what changed minds, server/services/changed-minds.ts).
  api.post("/debates/:id/reads", route(async (req, res) => {
    res.json(await services.recordReads(await actorFor(req), parseOperationInput("recordReads", req.body ?? {})));
  }));
  // Workshop decisions (issue 13, server/services/decisions.ts).
  api.get("/debates/:id/decisions", route(async (req, res) => {
    const id = String(req.params.id);
    await services.requireReadable(id, await services.findActor(id, credentialsFrom(req, id)));
    res.json({ decisions: await services.listDecisions(id) });
  }));
  api.post("/debates/:id/decisions", route(async (req, res) => {
    res.status(201).json(await services.proposeDecision(await actorFor(req), String(req.params.id), parseOperationInput("proposeDecision", req.body ?? {})));
  }));
  api.put("/debates/:id/decisions/:decisionId/response", route(async (req, res) => {
    res.json(await services.respondToDecision(await actorFor(req), parseOperationInput("respondToDecision", { ...(req.body ?? {}), decisionId: req.params.decisionId })));
  }));
  api.post("/debates/:id/decisions/:decisionId/close", route(async (req, res) => {
    res.json(await services.closeDecision(await actorFor(req), String(req.params.id), parseOperationInput("closeDecision", { ...(req.body ?? {}), decisionId: req.params.decisionId })));
  }));
  // Teams and small groups (issue 13, server/services/teams.ts).
  api.get("/debates/:id/teams", route(async (req, res) => {
    const id = String(req.params.id);
    const actor = await services.findActor(id, credentialsFrom(req, id));
    await services.requireReadable(id, actor);
    res.json(await services.teamsView(actor, id));
  }));
  api.post("/debates/:id/teams", route(async (req, res) => {
    const body = req.body ?? {};
    const input = parseOperationInput("manageTeams", body.action === "random" ? body : { ...body, action: "create" });
    res.status(input.action === "create" ? 201 : 200).json(await services.manageTeams(await actorFor(req), String(req.params.id), input));
  }));
  api.put("/debates/:id/teams/members/:participantId", route(async (req, res) => {
    res.json(await services.manageTeams(await actorFor(req), String(req.params.id), parseOperationInput("manageTeams", { ...(req.body ?? {}), action: "assign", participantId: req.params.participantId })));
  }));
  api.patch("/debates/:id/teams/:teamId", route(async (req, res) => {
    res.json(await services.manageTeams(await actorFor(req), String(req.params.id), parseOperationInput("manageTeams", { ...(req.body ?? {}), action: "update", teamId: req.params.teamId })));
  }));
  api.delete("/debates/:id/teams/:teamId", route(async (req, res) => {
    res.json(await services.manageTeams(await actorFor(req), String(req.params.id), parseOperationInput("manageTeams", { opId: req.body?.opId, action: "delete", teamId: req.params.teamId })));
  }));
  api.post("/debates/:id/teams/:teamId/drafts", route(async (req, res) => {
    res.status(201).json(await services.draftTeamArgument(await actorFor(req), parseOperationInput("draftTeamArgument", { ...(req.body ?? {}), teamId: req.params.teamId })));
  }));
  api.post("/debates/:id/teams/:teamId/drafts/:draftId/publish", route(async (req, res) => {
    res.status(201).json(await services.publishTeamDraft(await actorFor(req), parseOperationInput("publishTeamDraft", { opId: req.body?.opId, teamId: req.params.teamId, draftId: req.params.draftId })));
  }));
  api.put("/debates/:id/propositions/:propositionId/lock", route(async (req, res) => {
    res.json(await services.lockProposition(await actorFor(req), parseOperationInput("lockProposition", { opId: req.body?.opId, locked: req.body?.locked, propositionId: req.params.propositionId })));
  }));
  api.get("/debates/:id/participants", route(async (req, res) => {
    res.json({ participants: await services.listParticipants(await facilitatorFor(req), String(req.params.id)) });
  }));
  api.patch("/debates/:id/participants/:participantId", route(async (req, res) => {
    res.json(await services.updateParticipant(await facilitatorFor(req), String(req.params.id), String(req.params.participantId), req.body));
  }));
  api.delete("/debates/:id/participants/:participantId", route(async (req, res) => {
    res.json(await services.removeParticipant(await facilitatorFor(req), String(req.params.id), String(req.params.participantId), req.body ?? {}));
  }));

  api.use((_req, res) => {
    res.status(404).json({ error: { code: ErrorCode.notFound, message: serverMessage("errors.noEndpoint") } });
  });
  api.use(apiErrorHandler);
  return api;
}
