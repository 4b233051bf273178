/**
 * Importing our own `json` export (format "steelman-debate", version 1, see
 * server/domain/exports/schema.ts): article, thesis span, propositions with
 * spans and flags, participants (by pseudonymous id, with names when the
 * export had them), arguments with parent links, Lexical bodies, sources,
 * hidden/deleted marks, votes and ratings. The export's host (`p0` when it
 * was the host, else the first host listed) becomes the importing
 * facilitator. Read with zod; a JSON syntax error names its line and column.
 */
import { z } from "zod";
import type { ImportedDebate } from "./model";
import { ImportFileError } from "./model";

const pseudonym = z.string().regex(/^p\d+$/, { error: "a participant id p<number> was expected" });
const steelmanSchema = z.object({
  format: z.literal("steelman-debate", { error: 'the file must be a Steelman export ("format": "steelman-debate")' }),
  version: z.literal(1, { error: "only version 1 of the Steelman format can be read" }),
  debate: z.object({
    title: z.string(),
    sourceText: z.string(),
    sourceUrl: z.string().nullable().optional(),
    thesis: z.object({ heading: z.string().nullable(), start: z.number().int().min(0), end: z.number().int().min(0) }),
  }),
  propositions: z.array(
    z.object({
      id: z.string(),
      text: z.string(),
      span: z.object({ start: z.number().int().min(0), end: z.number().int().min(0) }).nullable(),
      meta: z.boolean().optional(),
      hidden: z.boolean().optional(),
      locked: z.boolean().optional(),
    }),
  ),
  participants: z.array(z.object({ id: pseudonym, role: z.enum(["host", "facilitator", "debater", "observer"]), name: z.string().optional(), externalId: z.string().nullable().optional() })),
  arguments: z.array(
    z.object({
      id: z.string(),
      propositionId: z.string(),
      parentId: z.string().nullable(),
      stance: z.enum(["pro", "con"]),
      body: z.unknown(),
      bodyText: z.string(),
      author: pseudonym,
      createdAt: z.string().optional(),
      deleted: z.boolean().optional(),
      hidden: z.object({ reason: z.string() }).nullable().optional(),
      sources: z.array(z.object({ url: z.string(), title: z.string(), quote: z.string().nullable().optional() })),
    }),
  ),
  votes: z.array(z.object({ participant: pseudonym, propositionId: z.string(), value: z.enum(["agree", "disagree", "unsure"]), at: z.string().optional() })),
  ratings: z.array(z.object({ participant: pseudonym, argumentId: z.string(), value: z.enum(["up", "down"]), at: z.string().optional() })),
});

/** Line and column (1-based) of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line += 1;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Parses JSON text; a syntax error is an ImportFileError with line and column. */
export function parseJsonFile(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const where = position ? lineAndColumn(text, Number(position[1])) : text.trim() === "" ? { line: 1, column: 1 } : null;
    throw new ImportFileError(file, where?.line ?? null, where?.column ?? null, `the file is not valid JSON (${message.replace(/ in JSON at position \d+.*$/, "").replace(/^JSON\.parse: /, "")}); a JSON document was expected.`);
  }
}

/**
 * Reads a Steelman JSON export.
 * @throws ImportFileError (syntax: line and column; structure: the JSON path and what was expected).
 */
export function parseSteelman(file: string, text: string): ImportedDebate {
  const parsed = steelmanSchema.safeParse(parseJsonFile(file, text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
    throw new ImportFileError(file, null, null, `at ${path || "the top level"}: ${issue.message}.`);
  }
  const doc = parsed.data;
  const host = doc.participants.find((p) => p.role === "host")?.id ?? null;
  return {
    file,
    title: doc.debate.title,
    sourceText: doc.debate.sourceText,
    sourceUrl: doc.debate.sourceUrl ?? null,
    thesis: doc.debate.thesis,
    hostKey: host,
    propositions: doc.propositions.map((p) => ({ key: p.id, text: p.text, span: p.span, meta: p.meta, hidden: p.hidden, locked: p.locked })),
    participants: doc.participants
      .filter((p) => p.id !== host)
      .map((p) => ({ key: p.id, displayName: p.name ?? `Participant ${p.id}`, role: p.role === "host" ? "facilitator" : p.role, externalId: p.externalId ?? null })),
    arguments: doc.arguments.map((a) => ({
      key: a.id,
      propositionKey: a.propositionId,
      parentKey: a.parentId,
      stance: a.stance,
      text: a.bodyText,
      body: a.deleted ? undefined : a.body,
      authorKey: a.author === host ? null : a.author,
      sources: a.sources,
      deleted: a.deleted,
      hidden: a.hidden ?? null,
      createdAt: a.createdAt,
    })),
    votes: doc.votes.map((v) => ({ participantKey: v.participant, propositionKey: v.propositionId, value: v.value, at: v.at })),
    ratings: doc.ratings.map((r) => ({ participantKey: r.participant, argumentKey: r.argumentId, value: r.value, at: r.at })),
    warnings: [],
  };
}
