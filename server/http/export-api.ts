/**
 * Export routes (issue 15, docs/api.md "Exports and imports"):
 * - `GET /api/debates/:id/export?format=json|markdown|argdown|aif|polis[&names=1]`:
 *   the debate as the caller may read it, streamed as an attachment.
 * - `GET /api/schema/debate-v1.json`: the JSON Schema of the `json` format.
 * Errors found before the first byte (unknown format, not readable, names
 * asked by a non-facilitator) answer as JSON errors; a failure while
 * streaming ends the connection, so a client never mistakes a cut file for
 * a whole one.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { NextFunction, Request, Response, Router } from "express";
import { z } from "zod";
import type { CurrentParticipant } from "../../app/shared/contract";
import { validationError, type ValidationIssue } from "../../app/shared/errors";
import { writeAif } from "../domain/exports/aif";
import { writeArgdown } from "../domain/exports/argdown";
import { writeJson } from "../domain/exports/json";
import { writeMarkdown } from "../domain/exports/markdown";
import { writePolisZip } from "../domain/exports/polis";
import { DEBATE_V1_SCHEMA } from "../domain/exports/schema";
import { EXPORT_FORMATS, type DebateExportSource, type ExportFormat } from "../domain/exports/types";
import type { Services } from "../services";
import { log } from "../log";

type Handler = (req: Request, res: Response) => Promise<unknown>;
const route = (fn: Handler) => (req: Request, res: Response, next: NextFunction) => {
  fn(req, res).catch(next);
};

const exportQuery = z.object({
  format: z.enum(EXPORT_FORMATS as [ExportFormat, ...ExportFormat[]], { error: `format must be one of ${EXPORT_FORMATS.join(", ")}` }),
  names: z.enum(["0", "1", "true", "false"], { error: "names must be 1 or 0" }).optional(),
});

/** Per format: media type, file extension and writer. */
const FORMATS: Record<ExportFormat, { type: string; ext: string; write: (src: DebateExportSource, url: string) => AsyncIterable<string | Uint8Array> }> = {
  json: { type: "application/json; charset=utf-8", ext: "steelman.json", write: (src) => writeJson(src) },
  markdown: { type: "text/markdown; charset=utf-8", ext: "md", write: (src) => writeMarkdown(src) },
  argdown: { type: "text/plain; charset=utf-8", ext: "argdown", write: (src) => writeArgdown(src) },
  aif: { type: "application/json; charset=utf-8", ext: "aif.json", write: (src) => writeAif(src) },
  polis: { type: "application/zip", ext: "polis.zip", write: (src, url) => writePolisZip(src, url) },
};

/** A file name from the title: lower-case ASCII letters, digits and dashes, at most 60 characters. */
export function exportFileName(title: string, date: string, ext: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return `steelman-${slug || "debate"}-${date.slice(0, 10)}.${ext}`;
}

/**
 * Adds the export routes to `api`.
 * @param actorOf the participant (or facilitator acting as one) a request is from in the debate, or null.
 * @param linkOrigin the site's origin, for links written into files (Polis summary.csv `url`).
 */
export function addExportRoutes(api: Router, services: Services, actorOf: (req: Request) => Promise<CurrentParticipant | null>, linkOrigin: () => string): void {
  api.get("/schema/debate-v1.json", (_req, res) => {
    res.setHeader("Cache-Control", "public, max-age=3600");
    res.type("application/schema+json").send(JSON.stringify(DEBATE_V1_SCHEMA, null, 2));
  });

  api.get("/debates/:id/export", route(async (req, res) => {
    const parsed = exportQuery.safeParse({ format: req.query.format, names: req.query.names });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw validationError(issue.message, String(issue.path[0] ?? "format")).withIssue(issue as ValidationIssue);
    }
    const { format, names } = parsed.data;
    const id = String(req.params.id);
    const source = await services.exportDebate(id, await actorOf(req), { format, names: names === "1" || names === "true" });
    const spec = FORMATS[format];
    res.setHeader("Content-Type", spec.type);
    res.setHeader("Content-Disposition", `attachment; filename="${exportFileName(source.debate.title, source.generatedAt, spec.ext)}"`);
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("X-Content-Type-Options", "nosniff");
    try {
      await pipeline(Readable.from(spec.write(source, `${linkOrigin()}/debates/${id}`)), res);
    } catch (error) {
      // Headers are gone: end the connection so the client sees a broken transfer, not a short file.
      if ((error as { code?: string }).code !== "ERR_STREAM_PREMATURE_CLOSE") log.error("export stream failed", error);
      res.destroy();
    }
  }));
}
