/**
 * `POST /api/imports` for every format (issue 15). Polis keeps its own
 * importer (./opinion-groups.ts importPolis, issue 11); `steelman`,
 * `argdown`, `kialo` and `aif` are read by server/domain/imports/*, checked
 * with the typed-input rules (checkImported) and written here as a **draft**
 * debate in one transaction, for the facilitator to review and publish.
 *
 * Body: `{ format, title?, files: { "<name>": "<text>" } }`; the text formats
 * take exactly one file. Any file over IMPORT_FILE_MAX_BYTES answers 413
 * (payload_too_large) naming it; a malformed file answers 400 naming file,
 * line and column (field `files.<name>`); nothing is created on any error.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { LIMITS } from "../../app/shared/contract";
import { AppError, ErrorCode, validationError } from "../../app/shared/errors";
import { describeBytes } from "../../app/shared/body-limits";
import { importWarningText, type ImportWarning } from "../../app/shared/import-warnings";
import { translate } from "../../app/i18n/catalogues.server";
import { parseAif } from "../domain/imports/aif";
import { parseArgdown } from "../domain/imports/argdown";
import { parseKialo } from "../domain/imports/kialo";
import { checkImported, ImportFileError, type ImportedDebate } from "../domain/imports/model";
import { parseSteelman } from "../domain/imports/steelman";
import type { ComputeRunner } from "../compute/runner";
import type { ServiceContext } from "./context";
import { debatePath, type DebateCreator } from "./debates";
import { newJoinCode } from "./join-codes";
import { importPolis, type ImportResult } from "./opinion-groups";
import { hashToken, newParticipantToken } from "./tokens";
import { parseInput } from "./validate";

/** Largest file accepted by an import (UTF-8 bytes). */
export const IMPORT_FILE_MAX_BYTES = 5 * 1024 * 1024;

export const IMPORT_FORMATS = ["steelman", "argdown", "kialo", "aif", "polis"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

const envelopeSchema = z.object({
  format: z.enum(IMPORT_FORMATS, { error: `format must be one of ${IMPORT_FORMATS.join(", ")}.` }),
  title: z.string({ error: "The title must be text." }).trim().min(1, { error: "The title must not be empty." }).max(LIMITS.titleMaxChars).optional(),
  files: z.record(z.string(), z.string({ error: "Each file must be given as its text, a string." }), { error: 'files must be an object { "<file name>": "<text>" }.' }),
});

const PARSERS: Record<Exclude<ImportFormat, "polis">, (file: string, text: string) => ImportedDebate> = {
  steelman: parseSteelman,
  argdown: parseArgdown,
  kialo: parseKialo,
  aif: parseAif,
};

/** Parses a text-format file into what checkImported reads, without writing (also the Import page's preview). */
export function readImport(input: unknown): { title: string | undefined; debate: ReturnType<typeof checkImported> } {
  const request = parseInput(envelopeSchema, input);
  for (const [name, text] of Object.entries(request.files)) {
    const bytes = Buffer.byteLength(text, "utf8");
    if (bytes > IMPORT_FILE_MAX_BYTES) {
      throw new AppError(ErrorCode.payloadTooLarge, `"${name}" is ${describeBytes(bytes)}; files up to ${describeBytes(IMPORT_FILE_MAX_BYTES)} can be imported.`, `files.${name}`);
    }
  }
  if (request.format === "polis") throw validationError("Polis exports are read by importPolis.", "format");
  const names = Object.keys(request.files);
  if (names.length !== 1) throw validationError(`A ${request.format} import takes exactly one file (found ${names.length}).`, "files");
  const [name] = names;
  try {
    return { title: request.title, debate: checkImported(PARSERS[request.format](name, request.files[name])) };
  } catch (error) {
    if (error instanceof ImportFileError) throw validationError(error.message, `files.${error.file}`);
    throw error;
  }
}

/**
 * An import's warnings as the API sends them: `warnings`, English sentences (as always), and
 * `warningMessages`, the same as catalogue messages the Import page shows in its own language.
 */
export function apiWarnings(list: readonly ImportWarning[]): { warnings: string[]; warningMessages: ImportWarning[] } {
  return { warnings: list.map((w) => importWarningText((id, values) => translate("en", id, values), w)), warningMessages: [...list] };
}

/** Counts of what an import creates. */
export function importCounts(d: ImportedDebate) {
  return { propositions: d.propositions.length, arguments: d.arguments.length, participants: d.participants.length, votes: d.votes.length, ratings: d.ratings.length };
}

/**
 * POST /api/imports: dispatches by format; every format but polis creates a draft.
 * @throws AppError validation_failed (400), payload_too_large (413).
 */
export async function importDebate(ctx: ServiceContext, runner: () => ComputeRunner, creator: DebateCreator, input: unknown): Promise<ImportResult & { imported: Record<string, number>; warningMessages?: ImportWarning[] }> {
  const format = (input as { format?: unknown } | null)?.format;
  if (format === "polis") {
    // The size rule holds for Polis files too; the rest is issue 11's importer.
    const files = (input as { files?: unknown }).files;
    if (files && typeof files === "object") {
      for (const [name, text] of Object.entries(files)) {
        if (typeof text === "string" && Buffer.byteLength(text, "utf8") > IMPORT_FILE_MAX_BYTES) {
          throw new AppError(ErrorCode.payloadTooLarge, `"${name}" is ${describeBytes(Buffer.byteLength(text, "utf8"))}; files up to ${describeBytes(IMPORT_FILE_MAX_BYTES)} can be imported.`, `files.${name}`);
        }
      }
    }
    return importPolis(ctx, runner(), creator, input);
  }
  const { title, debate } = readImport(input);
  const id = await writeImported(ctx, creator, debate, title);
  return { id, url: debatePath(id), imported: importCounts(debate), ...apiWarnings(debate.warnings) };
}

/** Writes a checked import as a draft debate in one transaction; returns its id. */
async function writeImported(ctx: ServiceContext, creator: DebateCreator, d: ReturnType<typeof checkImported>, title: string | undefined): Promise<string> {
  const now = Date.now();
  const summary = `Imported from ${d.file}: ${d.propositions.length} propositions, ${d.arguments.length} arguments.`;
  const sourceText = d.sourceText && d.sourceText.trim() && d.sourceText.length <= LIMITS.sourceTextMaxChars ? d.sourceText : summary;
  const keptSource = sourceText === d.sourceText;
  const inText = (s: { start: number; end: number } | null | undefined) => (keptSource && s && s.start <= s.end && s.end <= sourceText.length ? s : null);
  const thesis = inText(d.thesis) ?? { start: 0, end: 0 };
  const debateTitle = (title ?? d.title ?? "").replace(/\s+/g, " ").trim().slice(0, LIMITS.titleMaxChars) || `Imported debate (${d.file})`.slice(0, LIMITS.titleMaxChars);
  const participantId = new Map<string, string>();
  const hostId = randomUUID();
  if (d.hostKey) participantId.set(d.hostKey, hostId);
  for (const p of d.participants) participantId.set(p.key, randomUUID());
  const participantOf = (key: string | null, what: string) => {
    if (key === null) return hostId;
    const found = participantId.get(key);
    if (!found) throw validationError(`${d.file}: ${what} names the participant "${key}", who is not in the file's participants.`, `files.${d.file}`);
    return found;
  };
  const propositionId = new Map(d.propositions.map((p) => [p.key, randomUUID()]));
  const argumentId = new Map(d.arguments.map((a) => [a.key, randomUUID()]));
  const allTimed = d.arguments.every((a) => a.createdAt && Number.isFinite(Date.parse(a.createdAt)));

  return ctx.db.$transaction(
    async (tx) => {
      const debate = await tx.debate.create({
        data: {
          title: debateTitle,
          sourceText,
          sourceUrl: d.sourceUrl && /^https?:\/\//i.test(d.sourceUrl) ? d.sourceUrl : null,
          thesisStart: thesis.start,
          thesisEnd: thesis.end,
          thesisHeading: d.thesis?.heading ?? null,
          status: "draft",
          joinCode: newJoinCode(),
          visibility: "unlinked",
          createdById: creator.id,
        },
      });
      await tx.participant.create({
        data: { id: hostId, debateId: debate.id, displayName: creator.displayName, role: "host", tokenHash: hashToken(newParticipantToken()), userId: creator.id, createdAt: new Date(now - 1) },
      });
      if (d.participants.length) {
        await tx.participant.createMany({
          data: d.participants.map((p, i) => ({
            id: participantId.get(p.key)!,
            debateId: debate.id,
            displayName: p.displayName.replace(/\s+/g, " ").trim().slice(0, LIMITS.displayNameMaxChars) || `Participant ${i + 1}`,
            role: p.role,
            // Nobody can act as an imported participant: the token behind this hash is never seen.
            tokenHash: hashToken(newParticipantToken()),
            externalId: p.externalId ?? null,
            createdAt: new Date(now + i),
            lastSeenAt: new Date(now),
          })),
        });
      }
      await tx.proposition.createMany({
        data: d.propositions.map((p, i) => {
          const span = inText(p.span);
          return {
            id: propositionId.get(p.key)!,
            debateId: debate.id,
            position: i,
            text: p.text,
            spanStart: span?.start ?? null,
            spanEnd: span?.end ?? null,
            meta: p.meta ?? false,
            hiddenAt: p.hidden ? new Date(now) : null,
            lockedAt: p.locked ? new Date(now) : null,
            createdAt: new Date(now + i),
          };
        }),
      });
      const BATCH = 1000;
      for (let from = 0; from < d.arguments.length; from += BATCH) {
        const chunk = d.arguments.slice(from, from + BATCH);
        await tx.argument.createMany({
          data: chunk.map((a, j) => {
            const at = allTimed ? new Date(a.createdAt!) : new Date(now + from + j);
            return {
              id: argumentId.get(a.key)!,
              debateId: debate.id,
              propositionId: propositionId.get(a.propositionKey)!,
              parentId: a.parentKey ? argumentId.get(a.parentKey)! : null,
              authorId: participantOf(a.authorKey, `argument "${a.key}"`),
              stance: a.stance,
              body: a.body as object,
              bodyText: a.bodyText,
              deletedAt: a.deleted ? new Date(now) : null,
              hiddenAt: a.hidden ? new Date(now) : null,
              hiddenReason: a.hidden ? a.hidden.reason.slice(0, LIMITS.reasonMaxChars) : null,
              hiddenById: a.hidden ? hostId : null,
              createdAt: at,
              updatedAt: at,
            };
          }),
        });
        const sources = chunk.flatMap((a) => a.sources.map((s, k) => ({ argumentId: argumentId.get(a.key)!, url: s.url, title: s.title, quote: s.quote ?? null, createdAt: new Date(now + k) })));
        if (sources.length) await tx.source.createMany({ data: sources });
      }
      const votes = new Map<string, { participantId: string; propositionId: string; value: "agree" | "disagree" | "unsure"; createdAt: Date; updatedAt: Date }>();
      for (const v of d.votes) {
        const p = propositionId.get(v.propositionKey);
        if (!p) throw validationError(`${d.file}: a vote names the proposition "${v.propositionKey}", which is not in the file.`, `files.${d.file}`);
        const who = participantOf(v.participantKey, "a vote");
        const at = v.at && Number.isFinite(Date.parse(v.at)) ? new Date(v.at) : new Date(now);
        votes.set(`${who}:${p}`, { participantId: who, propositionId: p, value: v.value, createdAt: at, updatedAt: at });
      }
      const voteRows = [...votes.values()];
      for (let from = 0; from < voteRows.length; from += 5000) await tx.vote.createMany({ data: voteRows.slice(from, from + 5000) });
      const ratings = new Map<string, { participantId: string; argumentId: string; value: "up" | "down"; createdAt: Date; updatedAt: Date }>();
      for (const r of d.ratings) {
        const a = argumentId.get(r.argumentKey);
        if (!a) throw validationError(`${d.file}: a rating names the argument "${r.argumentKey}", which is not in the file.`, `files.${d.file}`);
        const who = participantOf(r.participantKey, "a rating");
        const at = r.at && Number.isFinite(Date.parse(r.at)) ? new Date(r.at) : new Date(now);
        ratings.set(`${who}:${a}`, { participantId: who, argumentId: a, value: r.value, createdAt: at, updatedAt: at });
      }
      const ratingRows = [...ratings.values()];
      for (let from = 0; from < ratingRows.length; from += 5000) await tx.rating.createMany({ data: ratingRows.slice(from, from + 5000) });
      return debate.id;
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}
