/**
 * JSON API routes for deleting and revising arguments, reports, hiding and
 * the facilitators' moderation queue and audit log (docs/api.md,
 * "Moderation"). Mounted by ./api.ts on its router, after its CSRF guard and
 * JSON body parser, with its way of recognising the actor.
 */
import type { NextFunction, Request, Response, Router } from "express";
import type { CurrentParticipant } from "../../app/shared/contract";
import type { Services } from "../services";
import { parseOperationInput } from "../services/validate";

type Handler = (req: Request, res: Response) => Promise<unknown>;
const route = (fn: Handler) => (req: Request, res: Response, next: NextFunction) => {
  fn(req, res).catch(next);
};

/**
 * Adds the moderation routes to `api`.
 * @param actorFor the participant (or facilitator acting as one) a request is from; throws unauthenticated.
 * @param facilitatorFor the same, for the facilitators' routes (hide, unhide, dismiss, the queue and the audit log):
 *   nobody recognised is asked to sign in as the debate's facilitator (401), or refused (403) when signed in elsewhere.
 */
export function addModerationRoutes(api: Router, services: Services, actorFor: (req: Request) => Promise<CurrentParticipant>, facilitatorFor: (req: Request) => Promise<CurrentParticipant> = actorFor): void {
  const argumentId = (req: Request) => String(req.params.argumentId);

  api.delete("/debates/:id/arguments/:argumentId", route(async (req, res) => {
    res.json(await services.deleteArgument(await actorFor(req), parseOperationInput("deleteArgument", { opId: req.body?.opId, argumentId: argumentId(req) })));
  }));
  api.get("/debates/:id/arguments/:argumentId/revisions", route(async (req, res) => {
    res.json(await services.argumentRevisions(await actorFor(req), parseOperationInput("argumentRevisions", { argumentId: argumentId(req) })));
  }));
  api.post("/debates/:id/arguments/:argumentId/reports", route(async (req, res) => {
    const { report, created } = await services.reportArgument(await actorFor(req), parseOperationInput("reportArgument", { opId: req.body?.opId, reason: req.body?.reason, argumentId: argumentId(req) }));
    res.status(created ? 201 : 200).json(report);
  }));
  api.post("/debates/:id/arguments/:argumentId/hide", route(async (req, res) => {
    res.json(await services.hideArgument(await facilitatorFor(req), parseOperationInput("hideArgument", { opId: req.body?.opId, reason: req.body?.reason, argumentId: argumentId(req) })));
  }));
  api.post("/debates/:id/arguments/:argumentId/unhide", route(async (req, res) => {
    res.json(await services.unhideArgument(await facilitatorFor(req), parseOperationInput("unhideArgument", { opId: req.body?.opId, reason: req.body?.reason, argumentId: argumentId(req) })));
  }));
  api.post("/debates/:id/arguments/:argumentId/reports/dismiss", route(async (req, res) => {
    res.json(await services.dismissReports(await facilitatorFor(req), parseOperationInput("dismissReports", { opId: req.body?.opId, reason: req.body?.reason, argumentId: argumentId(req) })));
  }));
  api.get("/debates/:id/reports", route(async (req, res) => {
    res.json(await services.moderationQueue(await facilitatorFor(req)));
  }));
  api.get("/debates/:id/audit", route(async (req, res) => {
    res.json(await services.auditLog(await facilitatorFor(req), { page: req.query.page, pageSize: req.query.pageSize }));
  }));
  api.get("/debates/:id/audit.csv", route(async (req, res) => {
    const { filename, csv } = await services.auditLogExport(await facilitatorFor(req));
    res.setHeader("Content-Type", "text/csv; charset=utf-8");
    res.setHeader("Content-Disposition", `attachment; filename="${filename}"`);
    res.setHeader("Cache-Control", "no-store");
    res.send(csv);
  }));
}
