/**
 * Debates: creation from an article, reading, publishing, and the
 * facilitator's curation of the draft propositions.
 */
import type {
  ArgumentDTO,
  DebateDTO,
  DebateStatus,
  DebateSummaryDTO,
  DebateSettingsDTO,
  DebateVisibility,
  PropositionDTO,
  PropositionWithTallyDTO,
  Span,
} from "../../app/shared/contract";
import { createDebateSchema, isUuid, LIMITS, propositionTextSchema } from "../../app/shared/contract";
import { conflict, notFound, unauthenticated, validationError } from "../../app/shared/errors";
import { appendChange, runOperation } from "./changes";
import { inTransaction } from "./publish";
import { AuditAction, auditActor, recordAudit } from "./audit";
import type { Tx } from "../db";
import { OPERATIONS, type OperationInput } from "../../app/shared/operations";
import { findHeadings, listSections, type Section } from "../domain/sections";
import { draftFromArticle, type DraftProposition } from "../domain/propositions";
import { CANDIDATES_MAX, DEFAULT_MAX_DRAFTS, draftPropositionList } from "../domain/claims";
import { emptyVoteTally, ratingTallyFromCounts, voteTallyFromCounts } from "../domain/tally";
import type { ServiceContext } from "./context";
import type { CurrentParticipant } from "../../app/shared/contract";
import { Action, authorize, requireAllowed } from "./access";
import { hashToken, newParticipantToken } from "./tokens";
import { newJoinCode } from "./join-codes";
import { parseInput } from "./validate";
import { toArgumentDTO, argumentInclude } from "./arguments";
import { argumentsForViewer } from "../../app/shared/moderation";
import { completeFrame, countDebateArguments, FRAME_INLINE_ALL, partialFrame } from "./debate-frame";
import { checkDurations } from "../../app/shared/phases";
import { mayReadResults, phaseSelect, publishedPhaseColumns, resultsVisibleTo, toPhaseStateDTO, withholdMotion } from "./phase-state";
import { readMotion } from "./phases";
import { listDecisions } from "./decisions";
import { listTeams } from "./teams";

/** Path of a debate's participant page. */
export const debatePath = (id: string) => `/debates/${id}`;
/** Path of a debate's facilitator (review) page. */
export const debateEditPath = (id: string) => `/debates/${id}/edit`;

export interface CreatedDebate {
  id: string;
  url: string;
  editUrl: string;
  status: DebateStatus;
  title: string;
  thesis: { heading: string | null; span: Span };
  propositions: PropositionDTO[];
  /** The host's secret: send it as a Bearer token (API) or keep it in the participant cookie (web). */
  hostToken: string;
  host: { id: string; displayName: string; role: "host" };
}

/** The facilitator account creating a debate (server/services/accounts.ts). */
export interface DebateCreator {
  id: string;
  displayName: string;
}

const firstLine = (text: string) => {
  const line = text.trim().split(/\r?\n/)[0] ?? "";
  return line.length > 80 ? `${line.slice(0, 77).trimEnd()}…` : line;
};

/**
 * Creates a debate from an article: finds its thesis section ("hot take"), or
 * uses the whole text, and drafts propositions from it. Everything is written
 * in one transaction: a failure leaves no partial debate.
 * @param creator the signed-in facilitator: recorded as Debate.createdById, and the host
 *   participant is linked to the account (Participant.userId) under its display name.
 * @param input `{ title?, sourceText, sourceUrl?, publish?, visibility?, draft? }` (see createDebateSchema): the
 *   debatable claims of the article, thesis first and about one per 120 words (draftPropositionList), or with
 *   `draft: "sentences"` every sentence group as before.
 * @param address the client's network address, for the per-address limit on new debates.
 * @throws AppError validation_failed (field named) when the input is invalid or no proposition can be drawn; rate_limited.
 */
export async function createDebate(ctx: ServiceContext, creator: DebateCreator, input: unknown, address = "unknown"): Promise<CreatedDebate> {
  const data = parseInput(createDebateSchema, input);
  await ctx.limits.consume("createDebate", address);
  const draft =
    data.draft === "sentences"
      ? (({ section, span, propositions }) => ({ section, span, drafts: propositions.slice(0, LIMITS.propositionsMax) }))(draftFromArticle(data.sourceText))
      : draftPropositionList(data.sourceText, { maxDrafts: Math.min(ctx.draftMax ?? DEFAULT_MAX_DRAFTS, LIMITS.propositionsMax) });
  if (draft.drafts.length === 0) {
    if (onlyQuestions(data.sourceText)) {
      throw validationError(
        "Steelman found only questions in this text. A proposition is a statement to agree or disagree with: paste an article that states its claims, or turn the questions into statements.",
        "sourceText",
      );
    }
    throw validationError(
      "Steelman found no sentences to draw propositions from. Paste an article written in full sentences.",
      "sourceText",
    );
  }
  const propositions = draft.drafts;
  const format = data.format ?? "open";
  if (data.motion !== undefined && format !== "oxford") throw validationError("Only an Oxford-style debate has a motion: send format \"oxford\" with it.", "motion");
  const durations = checkDurations(format, data.durations);
  // The motion is the thesis: its heading when the article has one, else the first drafted proposition.
  const motionText = format === "oxford" ? (data.motion ?? draft.section?.heading?.replace(/^[^\p{L}\p{N}]+/u, "").trim() ?? propositions[0]!.text) : null;
  const title = data.title ?? draft.section?.heading?.replace(/^[^\p{L}\p{N}]+/u, "").trim() ?? firstLine(data.sourceText);
  const token = newParticipantToken();
  const publish = data.publish === true;
  const created = await ctx.db.$transaction(async (tx) => {
    const debate = await tx.debate.create({
      data: {
        title: title || "Untitled debate",
        sourceText: data.sourceText,
        sourceUrl: data.sourceUrl ?? null,
        thesisStart: draft.span.start,
        thesisEnd: draft.span.end,
        thesisHeading: draft.section?.heading ?? null,
        status: publish ? "published" : "draft",
        publishedAt: publish ? new Date() : null,
        joinCode: newJoinCode(),
        visibility: data.visibility ?? "unlinked",
        createdById: creator.id,
        format,
        motionText,
        phaseDurations: durations ?? undefined,
        // A debate published at creation starts in its first phase, waiting for "start".
        ...(publish ? publishedPhaseColumns(format, durations, 0) : {}),
      },
    });
    await tx.proposition.createMany({
      data: propositions.map((p, i) => ({
        debateId: debate.id,
        position: i,
        text: p.text,
        spanStart: p.sourceSpan.start,
        spanEnd: p.sourceSpan.end,
      })),
    });
    const host = await tx.participant.create({
      data: { debateId: debate.id, displayName: creator.displayName, role: "host", tokenHash: hashToken(token), userId: creator.id },
    });
    // Publishing at creation is publishing: the audit log says so (nobody can be watching yet, so there is no change to number).
    if (publish) await recordAudit(tx, { debateId: debate.id, actor: auditActor(host), action: AuditAction.debatePublished, targetType: "debate", targetId: debate.id, details: { atCreation: true } });
    const rows = await tx.proposition.findMany({ where: { debateId: debate.id }, orderBy: { position: "asc" } });
    return { debate, host, rows };
  });
  return {
    id: created.debate.id,
    url: debatePath(created.debate.id),
    editUrl: debateEditPath(created.debate.id),
    status: created.debate.status,
    title: created.debate.title,
    thesis: { heading: created.debate.thesisHeading, span: { start: created.debate.thesisStart, end: created.debate.thesisEnd } },
    propositions: created.rows.map(toPropositionDTO),
    hostToken: token,
    host: { id: created.host.id, displayName: created.host.displayName, role: "host" },
  };
}

type PropositionRow = { id: string; position: number; text: string; spanStart: number | null; spanEnd: number | null; lockedAt: Date | null };
/** A debate's status, visibility and title as a `debate.updated` change carries them. */
export const toDebateSettingsDTO = (d: { status: DebateStatus; visibility: DebateVisibility; title: string }): DebateSettingsDTO => ({ status: d.status, visibility: d.visibility, title: d.title });

/** Maps a row to its wire shape. */
export function toPropositionDTO(p: PropositionRow): PropositionDTO {
  return {
    id: p.id,
    position: p.position,
    text: p.text,
    sourceSpan: p.spanStart !== null && p.spanEnd !== null ? { start: p.spanStart, end: p.spanEnd } : null,
    locked: p.lockedAt !== null,
  };
}

/**
 * The whole debate as `viewer` may see it: source, propositions with vote
 * tallies, and every argument (flat; `parentId` links rebuttals) with its
 * sources and rating tally; arguments in a hidden thread are withheld unless
 * the viewer is a facilitator or their author (app/shared/moderation.ts).
 * @param viewer the participant reading (null: an observer who has not joined).
 * @throws AppError not_found.
 */
export async function getDebate(ctx: ServiceContext, debateId: string, viewer: CurrentParticipant | null, options: { frame?: boolean } = {}): Promise<DebateDTO> {
  if (!isUuid(debateId)) throw notFound("This debate");
  // The sequence number is read before the data, so that replaying changes after it can only repeat, never skip.
  const head = await ctx.db.debate.findUnique({ where: { id: debateId }, select: { lastSeq: true } });
  if (!head) throw notFound("This debate");
  const debate = await ctx.db.debate.findUnique({
    where: { id: debateId },
    include: { propositions: { orderBy: { position: "asc" } } },
  });
  if (!debate) throw notFound("This debate");
  // The frame (issue 14, ./debate-frame.ts): a big debate's arguments are read a page at a time.
  // Tallies come from the counters the vote and rating triggers keep on each row (migration
  // 20261206172000), read with the row itself: regrouping every vote and rating of the debate cost a
  // third of this read on the large debate (docs/performance.md, section 11).
  const partial = options.frame === true && (await countDebateArguments(ctx, debateId)) > FRAME_INLINE_ALL;
  const args = partial ? [] : await ctx.db.argument.findMany({ where: { debateId }, include: argumentInclude, orderBy: { createdAt: "asc" } });
  // Propositions hidden by a moderator (imported Polis comments moderated −1) only for facilitators.
  const seesHidden = viewer !== null && (viewer.role === "host" || viewer.role === "facilitator");
  const propositions: PropositionWithTallyDTO[] = debate.propositions.filter((p) => seesHidden || p.hiddenAt === null).map((p) => ({
    ...toPropositionDTO(p),
    tally: voteTallyFromCounts([{ value: "agree", count: p.agreeCount }, { value: "disagree", count: p.disagreeCount }, { value: "unsure", count: p.unsureCount }]),
    tallyVersion: p.tallyVersion,
  }));
  let argumentsDTO: ArgumentDTO[] = argumentsForViewer(
    args.map((a) => toArgumentDTO(a, ratingTallyFromCounts([{ value: "up", count: a.upCount }, { value: "down", count: a.downCount }]))),
    viewer,
  );
  let frame: DebateDTO["frame"];
  if (partial) ({ frame, arguments: argumentsDTO } = await partialFrame(ctx, debateId, propositions.map((p) => p.id), viewer));
  else if (options.frame) frame = completeFrame(propositions.map((p) => p.id), argumentsDTO);
  // Until the results phase (or until a facilitator shows them), only facilitators see the vote tallies.
  // Version 0, so that the real tallies (higher versions) replace them once the results are shown.
  const seesResults = mayReadResults(viewer, debate);
  if (!seesResults) for (const p of propositions) Object.assign(p, { tally: emptyVoteTally(), tallyVersion: 0 });
  const motion = await readMotion(ctx.db, debateId);
  return {
    ...toSummary(debate),
    ...toPhaseStateDTO(debate),
    motion: motion && !seesResults ? withholdMotion(motion) : motion,
    decisions: await listDecisions(ctx.db, debateId),
    teams: await listTeams(ctx.db, debateId),
    seq: head.lastSeq,
    sourceText: debate.sourceText,
    thesis: { heading: debate.thesisHeading, span: { start: debate.thesisStart, end: debate.thesisEnd } },
    propositions,
    arguments: argumentsDTO,
    ...(frame ? { frame } : {}),
  };
}

export { mayReadResults, resultsVisibleTo };

function toSummary(d: { id: string; title: string; status: DebateStatus; visibility: DebateVisibility; sourceUrl: string | null; createdAt: Date }): DebateSummaryDTO {
  return { id: d.id, title: d.title, status: d.status, visibility: d.visibility, sourceUrl: d.sourceUrl, url: debatePath(d.id), createdAt: d.createdAt.toISOString() };
}

/** Public debates that are published or closed, newest first (at most `limit`, default 50). Unlinked and private ones are never listed. */
export async function listPublishedDebates(ctx: ServiceContext, limit = 50): Promise<DebateSummaryDTO[]> {
  const rows = await ctx.db.debate.findMany({
    where: { status: { in: ["published", "closed"] }, visibility: "public" },
    orderBy: { publishedAt: "desc" },
    take: limit,
    select: { id: true, title: true, status: true, visibility: true, sourceUrl: true, createdAt: true },
  });
  return rows.map(toSummary);
}

/** The article's sections (headings and spans), for the facilitator's "pick the section" control. */
export async function getSections(ctx: ServiceContext, debateId: string): Promise<Section[]> {
  if (!isUuid(debateId)) throw notFound("This debate");
  const debate = await ctx.db.debate.findUnique({ where: { id: debateId }, select: { sourceText: true } });
  if (!debate) throw notFound("This debate");
  return listSections(debate.sourceText);
}

/** What the review page offers beside the drafts (server/domain/claims.ts). */
export interface DraftReview {
  /** The language detected in the drafted span, and whether claims were scored (English) or sentences drafted by position. */
  language: { code: string; name: string; claimScoring: boolean };
  /** Candidate propositions not yet in the debate (their spans overlap no proposition), in text order, at most CANDIDATES_MAX. */
  candidates: { text: string; sourceSpan: Span; suggestion: string | null }[];
  /** Suggested self-contained wordings of propositions still worded as in the article, by proposition id. */
  suggestions: Record<string, string>;
  /** Candidates past the list's cap (CANDIDATES_MAX), not offered; 0 normally. */
  candidatesLeftOut: number;
  /** The characters drafted from (UTF-16 code units) when the drafted span stops inside its section, as a section longer than DRAFT_SPAN_MAX_CHARS is cut; else null. */
  draftedChars: number | null;
}

/**
 * The review page's "more candidate sentences", suggested rewordings and detected
 * language, recomputed from the article and the current thesis span.
 * @throws AppError not_found.
 */
export async function getDraftReview(ctx: ServiceContext, debateId: string): Promise<DraftReview> {
  if (!isUuid(debateId)) throw notFound("This debate");
  const debate = await ctx.db.debate.findUnique({
    where: { id: debateId },
    select: { sourceText: true, thesisStart: true, thesisEnd: true, propositions: { select: { id: true, text: true, spanStart: true, spanEnd: true } } },
  });
  if (!debate) throw notFound("This debate");
  const span = { start: debate.thesisStart, end: debate.thesisEnd };
  const valid = Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.start <= span.end && span.end <= debate.sourceText.length;
  const draft = draftPropositionList(debate.sourceText, valid ? { span, maxDrafts: LIMITS.propositionsMax } : { maxDrafts: LIMITS.propositionsMax });
  const anchored = debate.propositions.filter((p) => p.spanStart !== null && p.spanEnd !== null).map((p) => ({ start: p.spanStart!, end: p.spanEnd! }));
  const overlaps = (s: Span) => anchored.some((a) => a.start < s.end && s.start < a.end);
  const all = [...draft.drafts, ...draft.candidates].sort((a, b) => a.sourceSpan.start - b.sourceSpan.start);
  const suggestions: Record<string, string> = {};
  for (const p of debate.propositions) {
    if (p.spanStart === null || p.spanEnd === null || debate.sourceText.slice(p.spanStart, p.spanEnd) !== p.text) continue;
    const match = all.find((c) => c.sourceSpan.start === p.spanStart && c.sourceSpan.end === p.spanEnd);
    if (match?.suggestion) suggestions[p.id] = match.suggestion;
  }
  const offered = all.filter((c) => !overlaps(c.sourceSpan));
  return {
    language: draft.language,
    candidates: offered.slice(0, CANDIDATES_MAX).map((c) => ({ text: c.text, sourceSpan: c.sourceSpan, suggestion: c.suggestion })),
    suggestions,
    candidatesLeftOut: draft.candidatesLeftOut + Math.max(0, offered.length - CANDIDATES_MAX),
    draftedChars: stopsMidSection(debate.sourceText, span) ? span.end - span.start : null,
  };
}

/**
 * True when `span` stops before the end of the section it is in: text with letters lies between its
 * end and the next heading (or the end of the text). A drafted span always runs to its section's end
 * unless the drafter cut it at DRAFT_SPAN_MAX_CHARS (server/domain/claims.ts), so this tells, from the
 * stored span alone, that the rest of the section was not drafted.
 */
function stopsMidSection(text: string, span: Span): boolean {
  const nextHeading = findHeadings(text)
    .map((h) => h.blockSpan.start)
    .filter((start) => start >= span.end)
    .reduce((a, b) => Math.min(a, b), text.length);
  return /\p{L}/u.test(text.slice(span.end, nextHeading));
}

async function loadDraftable(ctx: ServiceContext, debateId: string, actor: CurrentParticipant | null) {
  if (!isUuid(debateId) || (actor && actor.debateId !== debateId)) throw notFound("This debate");
  const debate = await ctx.db.debate.findUnique({ where: { id: debateId } });
  if (!debate) throw notFound("This debate");
  authorize(actor, Action.publishDebate, { status: debate.status });
  return debate;
}

async function renumber(tx: Pick<ServiceContext["db"], "proposition">, debateId: string, orderedIds: string[]) {
  for (let i = 0; i < orderedIds.length; i++) {
    await tx.proposition.update({ where: { id: orderedIds[i], debateId }, data: { position: i } });
  }
}

/**
 * True when every sentence of `text` with a letter in it ends with a question mark. Sentences end at
 * a line break or after . ! ? … (and their CJK and Arabic forms) and closing quotes followed by a
 * space; a regular expression, linear in the text's length, as `text` may be 500,000 characters
 * that drafted nothing (Intl.Segmenter over one long string grows faster than its length in V8).
 */
export function onlyQuestions(text: string): boolean {
  const sentences = text
    .split(/\n|(?<=[.!?…。！？؟]["'”’»)\]]*)[ \t]+/u)
    .map((s) => s.trim())
    .filter((s) => /\p{L}/u.test(s));
  return sentences.length > 0 && sentences.every((s) => /[?？؟]["'”’»)\]]*$/u.test(s));
}

/**
 * Publishes a draft debate so participants can join.
 * @throws AppError forbidden (not a facilitator), validation_failed (no propositions, or one longer than
 *   LIMITS.propositionMaxChars characters, numbered from 1 in the list's order).
 */
export async function publishDebate(ctx: ServiceContext, debateId: string, actor: CurrentParticipant | null): Promise<void> {
  const debate = await loadDraftable(ctx, debateId, actor);
  if (debate.status === "published") return;
  await inTransaction(ctx, async (tx) => {
    // Locks the debate row: two publish clicks at once publish (and are audited) once.
    const [current] = await tx.$queryRaw<{ status: DebateStatus }[]>`SELECT status FROM "Debate" WHERE id = ${debateId}::uuid FOR UPDATE`;
    if (!current || current.status !== "draft") return;
    const propositions = await tx.proposition.findMany({ where: { debateId }, orderBy: { position: "asc" }, select: { text: true } });
    const count = propositions.length;
    if (count === 0) throw validationError("Add at least one proposition before publishing.");
    // Drafts are checked where they are written, but a debate drafted before that check (or by an older
    // drafter) may hold a longer one: participants could not quote or edit it, so it is refused here too.
    const tooLong = propositions.findIndex((p) => p.text.length > LIMITS.propositionMaxChars);
    if (tooLong >= 0) {
      throw validationError(`Proposition ${(tooLong + 1).toLocaleString("en")} is longer than ${LIMITS.propositionMaxChars.toLocaleString("en")} characters: shorten or split it before publishing.`);
    }
    const phase = await tx.debate.findUniqueOrThrow({ where: { id: debateId }, select: phaseSelect });
    // A published debate starts in its first phase, waiting for "start" (docs/decisions/0070-phases-server-clock.md).
    const row = await tx.debate.update({
      where: { id: debateId },
      data: { status: "published", publishedAt: new Date(), ...publishedPhaseColumns(phase.format, phase.phaseDurations as Record<string, number> | null, phase.phaseVersion) },
      select: { visibility: true, title: true, ...phaseSelect },
    });
    await recordAudit(tx, { debateId, actor: auditActor(actor!), action: AuditAction.debatePublished, targetType: "debate", targetId: debateId, details: { propositions: count } });
    await appendChange(tx, debateId, "debate.updated", toDebateSettingsDTO(row));
    if (row.phaseIndex !== null) await appendChange(tx, debateId, "debate.phase", toPhaseStateDTO(row));
  });
}

/** The facilitator's edits to the proposition list. Each is one transaction. */
export type CurationAction =
  | { intent: "edit"; propositionId: string; text: string }
  | { intent: "delete"; propositionId: string }
  | { intent: "merge-next"; propositionId: string }
  | { intent: "split"; propositionId: string; at: number }
  | { intent: "move"; propositionId: string; direction: "up" | "down" }
  | { intent: "add"; text: string; span?: Span }
  | { intent: "resection"; section: "whole" | number };

/**
 * Applies one curation action: edit wording, delete, merge with the next,
 * split at a character index, move up/down, add by hand, or re-draft from
 * another section (index into listSections, or "whole").
 *
 * Each action is one transaction that first locks the debate row, so two
 * actions at once (two tabs, a double click) apply one after the other on the
 * current list. Once the debate is published only wording edits and
 * additions are allowed (both broadcast as proposition.updated): deleting,
 * merging, splitting, moving or re-drafting would pull propositions out from
 * under arguments and votes.
 * @throws AppError forbidden, not_found, validation_failed, conflict.
 */
export async function curatePropositions(ctx: ServiceContext, debateId: string, actor: CurrentParticipant | null, action: CurationAction): Promise<void> {
  if (!actor) throw unauthenticated();
  if (actor.debateId !== debateId) throw notFound("This debate");
  await inTransaction(ctx, async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Debate" WHERE id = ${debateId}::uuid FOR UPDATE`;
    if (locked.length === 0) throw notFound("This debate");
    const debate = await tx.debate.findUniqueOrThrow({ where: { id: debateId } });
    const structural = action.intent !== "edit" && action.intent !== "add";
    authorize(actor, structural ? Action.curatePropositions : Action.editProposition, { status: debate.status });
    const published = debate.status !== "draft";
    const all = await tx.proposition.findMany({ where: { debateId }, orderBy: { position: "asc" } });
    const index = "propositionId" in action ? all.findIndex((p) => p.id === action.propositionId) : -1;
    if ("propositionId" in action && index < 0) throw notFound("That proposition (it may have just been merged or deleted)");
    const target = all[index]!;
    if (published && structural) {
      throw conflict("Once a debate is published its propositions can only be reworded or added to, so that no argument or vote loses its proposition.");
    }

    // Every facilitator action is audited, in the transaction that makes it.
    if (structural) {
      await recordAudit(tx, { debateId, actor: auditActor(actor), action: AuditAction.propositionsCurated, targetType: "proposition", targetId: target?.id ?? null, details: { intent: action.intent, ...(index >= 0 ? { position: index + 1 } : {}) } });
    }
    switch (action.intent) {
      case "edit": {
        const text = parseInput(propositionTextSchema, action.text);
        const row = await tx.proposition.update({ where: { id: target.id }, data: { text } });
        await auditPropositionEdit(tx, actor, row, target.text);
        return published ? appendChange(tx, debateId, "proposition.updated", toPropositionDTO(row)) : null;
      }
      case "add": {
        const text = parseInput(propositionTextSchema, action.text);
        if (all.length >= LIMITS.propositionsMax) throw validationError(`A debate can have at most ${LIMITS.propositionsMax} propositions.`);
        // A candidate sentence added with one click keeps its anchor, if it still is that part of the article.
        const span = action.span;
        if (span && !(Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.start < span.end && span.end <= debate.sourceText.length && debate.sourceText.slice(span.start, span.end).replace(/\s+/g, " ").trim() === text)) {
          throw validationError("That candidate sentence is not in the article as written. Reload the page and try again.", "text");
        }
        const row = await tx.proposition.create({ data: { debateId, position: all.length, text, spanStart: span?.start ?? null, spanEnd: span?.end ?? null } });
        await recordAudit(tx, { debateId, actor: auditActor(actor), action: AuditAction.propositionAdded, targetType: "proposition", targetId: row.id, details: { position: row.position + 1, to: text } });
        return published ? appendChange(tx, debateId, "proposition.updated", toPropositionDTO(row)) : null;
      }
      case "delete": {
        await tx.proposition.delete({ where: { id: target.id } });
        await renumber(tx, debateId, all.filter((p) => p.id !== target.id).map((p) => p.id));
        return null;
      }
      case "merge-next": {
        const next = all[index + 1];
        if (!next) throw validationError("The last proposition has nothing after it to merge with.");
        const text = parseInput(propositionTextSchema, `${target.text} ${next.text}`);
        const spans = [target, next].filter((p) => p.spanStart !== null && p.spanEnd !== null);
        await tx.proposition.update({
          where: { id: target.id },
          data: {
            text,
            spanStart: spans.length ? Math.min(...spans.map((p) => p.spanStart!)) : null,
            spanEnd: spans.length ? Math.max(...spans.map((p) => p.spanEnd!)) : null,
          },
        });
        await tx.proposition.delete({ where: { id: next.id } });
        await renumber(tx, debateId, all.filter((p) => p.id !== next.id).map((p) => p.id));
        return null;
      }
      case "split": {
        const at = action.at;
        if (!Number.isInteger(at) || at < 1 || at >= target.text.length) throw validationError("Choose a place inside the proposition to split it in two.", "at");
        const first = target.text.slice(0, at).trim();
        const second = target.text.slice(at).trim();
        if (!first || !second) throw validationError("Choose a place inside the proposition to split it in two.", "at");
        // When the wording is still the source's, each half keeps its own span; otherwise both keep the original anchor.
        const verbatim = target.spanStart !== null && target.spanEnd !== null && debate.sourceText.slice(target.spanStart, target.spanEnd) === target.text;
        const firstEnd = verbatim ? target.spanStart! + target.text.slice(0, at).trimEnd().length : target.spanEnd;
        const secondStart = verbatim ? target.spanStart! + at + (target.text.slice(at).length - target.text.slice(at).trimStart().length) : target.spanStart;
        await tx.proposition.update({ where: { id: target.id }, data: { text: first, spanEnd: firstEnd } });
        const created = await tx.proposition.create({ data: { debateId, position: all.length, text: second, spanStart: secondStart, spanEnd: target.spanEnd } });
        const ids = all.map((p) => p.id);
        ids.splice(index + 1, 0, created.id);
        await renumber(tx, debateId, ids);
        return null;
      }
      case "move": {
        const swapWith = action.direction === "up" ? index - 1 : index + 1;
        if (swapWith < 0 || swapWith >= all.length) return null;
        const ids = all.map((p) => p.id);
        [ids[index], ids[swapWith]] = [ids[swapWith]!, ids[index]!];
        await renumber(tx, debateId, ids);
        return null;
      }
      case "resection": {
        let span: Span;
        let heading: string | null = null;
        if (action.section === "whole") {
          span = { start: 0, end: debate.sourceText.length };
        } else {
          const section = Number.isInteger(action.section) ? listSections(debate.sourceText)[action.section] : undefined;
          if (!section) throw validationError("That section does not exist.", "section");
          span = section.span;
          heading = section.heading;
        }
        const drafted: DraftProposition[] = draftPropositionList(debate.sourceText, { span, maxDrafts: Math.min(ctx.draftMax ?? DEFAULT_MAX_DRAFTS, LIMITS.propositionsMax) }).drafts;
        if (drafted.length === 0) throw validationError("That section has no sentences to draw propositions from. Choose another.", "section");
        await tx.proposition.deleteMany({ where: { debateId } });
        await tx.proposition.createMany({
          data: drafted.map((p, i) => ({ debateId, position: i, text: p.text, spanStart: p.sourceSpan.start, spanEnd: p.sourceSpan.end })),
        });
        await tx.debate.update({ where: { id: debateId }, data: { thesisStart: span.start, thesisEnd: span.end, thesisHeading: heading } });
        return null;
      }
    }
  });
}

/**
 * Edits one proposition's wording (socket and JSON API); broadcasts the change proposition.updated.
 * @throws AppError forbidden, not_found, validation_failed.
 */
export async function editProposition(ctx: ServiceContext, actor: CurrentParticipant | null, input: OperationInput<"editProposition">): Promise<PropositionDTO> {
  const { opId, propositionId, text } = input;
  if (!actor) throw unauthenticated();
  await requireAllowed(ctx, actor, OPERATIONS.editProposition.action, { propositionId });
  const result = await runOperation(ctx, "editProposition", actor, opId, async (tx) => {
    const before = await tx.proposition.findUniqueOrThrow({ where: { id: propositionId }, select: { text: true } });
    const row = await tx.proposition.update({ where: { id: propositionId }, data: { text } });
    await auditPropositionEdit(tx, actor, row, before.text);
    return appendChange(tx, actor.debateId, "proposition.updated", toPropositionDTO(row));
  });
  return result.data as PropositionDTO;
}

/** Audits a rewording (AuditAction.propositionEdited): its number, the text before and after. Inside the edit's transaction. */
async function auditPropositionEdit(tx: Tx, actor: CurrentParticipant, row: { id: string; debateId: string; position: number; text: string }, from: string) {
  if (from === row.text) return;
  await recordAudit(tx, { debateId: row.debateId, actor: auditActor(actor), action: AuditAction.propositionEdited, targetType: "proposition", targetId: row.id, details: { position: row.position + 1, from, to: row.text } });
}
