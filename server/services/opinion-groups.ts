/**
 * What a debate concluded (issue 11): importing a Polis conversation, the
 * opinion groups (computed off the event loop by the ComputeRunner and stored
 * in OpinionGroupsSnapshot), and the results page's data.
 *
 * Recomputation: any vote change (or a proposition marked meta, or an import)
 * asks for a recomputation of that debate, which runs as a pg-boss job
 * (server/jobs/opinion-groups-queue.ts): pg-boss waits for the votes to
 * settle, keeps several processes from computing one debate at once and
 * keeps waiting jobs across restarts. The stored input key tells whether the
 * stored result is still current, so a read of a stale debate asks again
 * (docs/decisions/0055-opinion-groups-on-pg-boss.md).
 */
import { createHash, randomUUID } from "node:crypto";
import type { CurrentParticipant, MotionDTO, VoteTally } from "../../app/shared/contract";
import { isUuid } from "../../app/shared/contract";
import { forbidden, notFound, unauthenticated, validationError } from "../../app/shared/errors";
import type { ComputeRunner } from "../compute/runner";
import type { BridgingNeeded } from "../domain/bridging/bridging";
import { pendingOpinionGroups, presentOpinionGroups, type OpinionGroupsResponse, type OpinionGroupsResult, type OpinionInput } from "../domain/opinion-groups";
import { PolisImportError, POLIS_VOTE_VALUE } from "../domain/polis-import/parse";
import { polisImportRequestSchema } from "../domain/polis-import/request";
import { Action, requireAllowed, requireReadable } from "./access";
import type { ServiceContext } from "./context";
import { debatePath, mayReadResults, type DebateCreator } from "./debates";
import { phaseFactsOf } from "./phase-state";
import { listDecisions } from "./decisions";
import { changedMinds, type ChangedMindsDTO } from "./changed-minds";
import type { DecisionDTO } from "../../app/shared/decisions";
import { readMotion } from "./phases";
import { decideRefusal } from "../../app/shared/permissions";
import { hashToken, newParticipantToken } from "./tokens";
import { newJoinCode } from "./join-codes";
import { parseInput } from "./validate";

/** Votes written per INSERT while importing. */
const IMPORT_VOTE_BATCH = 5_000;

export interface ImportResult {
  id: string;
  url: string;
  imported: { propositions: number; participants: number; votes: number };
  warnings: string[];
}

/**
 * `POST /api/imports`: creates a published debate from a Polis export. The
 * CSV files are parsed in the compute worker (they can take a second of CPU);
 * everything is written in one transaction, so a failure creates nothing.
 * Comments become propositions in comment-id order (moderated −1: hidden;
 * is-meta: meta), voters become participants in participant-id order with
 * `externalId` = their Polis participant id and an unusable token (nobody can
 * act as them), and the latest vote per voter and comment is kept.
 * @param input `{ format: "polis", title?, files: { "comments.csv", "participants-votes.csv"?, "votes.csv"? } }`
 * @throws AppError validation_failed (a malformed file: the message names file, line and column; field `files.<name>`).
 */
export async function importPolis(ctx: ServiceContext, runner: ComputeRunner, creator: DebateCreator, input: unknown): Promise<ImportResult> {
  const request = parseInput(polisImportRequestSchema, input);
  let conversation;
  try {
    conversation = await runner.parsePolisExport(request.files);
  } catch (error) {
    if (error instanceof PolisImportError) throw validationError(error.message, `files.${error.file}`);
    throw error;
  }
  const { comments, participants, votes } = conversation;
  if (comments.length === 0) throw validationError("comments.csv has no comments, so there is nothing to debate.", "files.comments.csv");
  const propositionIds = new Map(comments.map((c) => [c.commentId, randomUUID()]));
  const participantIds = new Map(participants.map((p) => [p.participantId, randomUUID()]));
  const now = Date.now();
  const title = request.title ?? "Imported Polis conversation";
  const shown = comments.filter((c) => !c.hidden).length;
  const sourceText = `Imported from a Polis export: ${comments.length} comments (${shown} shown), ${participants.length} voters, ${votes.count} votes.`;
  const debateId = await ctx.db.$transaction(
    async (tx) => {
      const debate = await tx.debate.create({
        data: {
          title,
          sourceText,
          thesisStart: 0,
          thesisEnd: 0,
          status: "published",
          publishedAt: new Date(now),
          joinCode: newJoinCode(),
          visibility: "unlinked",
          createdById: creator.id,
        },
      });
      await tx.participant.create({
        data: { debateId: debate.id, displayName: creator.displayName, role: "host", tokenHash: hashToken(newParticipantToken()), userId: creator.id, createdAt: new Date(now - 1) },
      });
      await tx.proposition.createMany({
        data: comments.map((c, i) => ({
          id: propositionIds.get(c.commentId)!,
          debateId: debate.id,
          position: i,
          text: c.text.replace(/\s+/g, " ").trim() || `(comment ${c.commentId} has no text)`,
          meta: c.meta,
          hiddenAt: c.hidden ? new Date(now) : null,
        })),
      });
      // Join order is Polis's participant-id order (the opinion groups' row order depends on it): one ms apart.
      await tx.participant.createMany({
        data: participants.map((p, i) => ({
          id: participantIds.get(p.participantId)!,
          debateId: debate.id,
          displayName: `Polis participant ${p.participantId}`,
          role: "debater" as const,
          // A hash of a random token nobody ever sees: no one can sign in as an imported voter.
          tokenHash: hashToken(newParticipantToken()),
          externalId: String(p.participantId),
          createdAt: new Date(now + i),
          lastSeenAt: new Date(now),
        })),
      });
      for (let from = 0; from < votes.count; from += IMPORT_VOTE_BATCH) {
        const to = Math.min(votes.count, from + IMPORT_VOTE_BATCH);
        const rows = [];
        for (let i = from; i < to; i++) {
          const at = Number.isFinite(votes.at[i]) ? new Date(votes.at[i]) : new Date(now);
          rows.push({
            participantId: participantIds.get(votes.participantId[i])!,
            propositionId: propositionIds.get(votes.commentId[i])!,
            value: POLIS_VOTE_VALUE[votes.value[i] as 1 | -1 | 0],
            createdAt: at,
            updatedAt: at,
          });
        }
        await tx.vote.createMany({ data: rows });
      }
      return debate.id;
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
  return {
    id: debateId,
    url: debatePath(debateId),
    imported: { propositions: comments.length, participants: participants.length, votes: votes.count },
    warnings: conversation.warnings,
  };
}

/** Whether the actor is one of this debate's facilitators (host or co-host). */
const isFacilitatorOf = (actor: CurrentParticipant | null, debateId: string) =>
  actor !== null && actor.debateId === debateId && (actor.role === "host" || actor.role === "facilitator");

/**
 * The input key of a debate's opinion groups: the sum of its propositions'
 * tally versions (bumped by every vote change) and a hash of the excluded
 * (hidden or meta) ones, plus the number of votes (imports write votes
 * without bumping versions). Equal keys: the same votes and the same columns.
 */
export async function opinionInputKey(ctx: ServiceContext, debateId: string): Promise<string> {
  const [row] = await ctx.db.$queryRaw<{ versions: bigint | null; excluded: string | null; votes: bigint }[]>`
    SELECT (SELECT sum(p."tallyVersion") FROM "Proposition" p WHERE p."debateId" = ${debateId}::uuid) AS versions,
           (SELECT string_agg(p.id::text, ',' ORDER BY p.id) FROM "Proposition" p WHERE p."debateId" = ${debateId}::uuid AND (p.meta OR p."hiddenAt" IS NOT NULL)) AS excluded,
           (SELECT count(*) FROM "Vote" v JOIN "Proposition" p ON p.id = v."propositionId" WHERE p."debateId" = ${debateId}::uuid) AS votes`;
  const excluded = createHash("sha256").update(row?.excluded ?? "").digest("hex").slice(0, 16);
  return `${row?.versions ?? 0}:${row?.votes ?? 0}:${excluded}`;
}

/** The opinion-group input of a debate: participants in join order, propositions in position order, current votes. */
async function loadOpinionInput(ctx: ServiceContext, debateId: string): Promise<OpinionInput> {
  const [participants, propositions, votes] = await Promise.all([
    ctx.db.participant.findMany({ where: { debateId }, select: { id: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
    ctx.db.proposition.findMany({ where: { debateId }, select: { id: true, meta: true, hiddenAt: true }, orderBy: [{ position: "asc" }, { createdAt: "asc" }] }),
    ctx.db.vote.findMany({ where: { proposition: { debateId } }, select: { participantId: true, propositionId: true, value: true } }),
  ]);
  return {
    participantIds: participants.map((p) => p.id),
    propositions: propositions.map((p) => ({ id: p.id, excluded: p.meta || p.hiddenAt !== null })),
    votes,
  };
}

export type RecomputeOutcome = "computed" | "current";

/**
 * Recomputes a debate's opinion groups unless the stored ones are current:
 * reads the input key, loads the votes, computes in the worker thread and
 * stores the result with that key (read before the votes, so a vote arriving
 * meanwhile makes the result stale, never wrongly current). Run by the
 * opinion-groups job (server/jobs/opinion-groups-queue.ts), which pg-boss
 * never runs twice at once for one debate; a direct call has no such guard.
 * @returns "computed" or "current" (nothing to do).
 */
export async function recomputeOpinionGroups(ctx: ServiceContext, runner: ComputeRunner, debateId: string): Promise<RecomputeOutcome> {
  // computedAt is when the input was read: a vote after it is not in the result.
  const readAt = new Date();
  const [stored, key] = await Promise.all([
    ctx.db.opinionGroupsSnapshot.findUnique({ where: { debateId }, select: { inputKey: true, result: true } }),
    opinionInputKey(ctx, debateId),
  ]);
  if (stored && stored.result !== null && stored.inputKey === key) return "current";
  const input = await loadOpinionInput(ctx, debateId);
  const result = await runner.opinionGroups(input);
  const data = { result: result as unknown as object, inputKey: key, computedAt: readAt };
  await ctx.db.opinionGroupsSnapshot.upsert({ where: { debateId }, create: { debateId, ...data }, update: data });
  return "computed";
}

/**
 * `GET /api/debates/:id/opinion-groups`: the stored groups as this reader may
 * see them (server/domain/opinion-groups/present.ts): members with external
 * ids and the map with participant ids for the debate's facilitators (their
 * session or API token); sizes, propositions, anonymous dots and their own
 * place (`you`) for participants; the same without `you` for anyone else who
 * may read the debate. "pending" until a first computation is stored; a
 * stored result older than the votes is answered as it is while a new one is
 * computed (`request` is called).
 * @throws AppError not_found (unreadable or missing debate).
 */
export async function getOpinionGroups(
  ctx: ServiceContext,
  request: (debateId: string) => void,
  debateId: string,
  actor: CurrentParticipant | null,
): Promise<OpinionGroupsResponse & { current: boolean }> {
  if (!isUuid(debateId)) throw notFound("This debate");
  await requireReadable(ctx, debateId, actor);
  const [snapshot, key] = await Promise.all([ctx.db.opinionGroupsSnapshot.findUnique({ where: { debateId } }), opinionInputKey(ctx, debateId)]);
  const current = snapshot?.inputKey === key && snapshot.result !== null;
  if (!current) request(debateId);
  if (!snapshot?.result || !snapshot.computedAt) return { ...pendingOpinionGroups(), current: false };
  const result = snapshot.result as unknown as OpinionGroupsResult;
  if (isFacilitatorOf(actor, debateId)) {
    const rows = await ctx.db.participant.findMany({ where: { debateId, externalId: { not: null } }, select: { id: true, externalId: true } });
    const external = new Map(rows.map((r) => [r.id, r.externalId]));
    return { ...presentOpinionGroups(result, snapshot.computedAt, { kind: "facilitator", externalIdOf: (id) => external.get(id) ?? null }), current };
  }
  const me = actor && actor.debateId === debateId ? actor : null;
  return { ...presentOpinionGroups(result, snapshot.computedAt, me ? { kind: "participant", participantId: me.id } : { kind: "observer" }), current };
}

/** An argument as the results page shows it: the strongest for or against a proposition. */
export interface ResultArgument {
  id: string;
  stance: "pro" | "con";
  /** Plain text, at most 280 characters (cut with "…"). */
  excerpt: string;
  author: string;
  up: number;
  down: number;
}

export interface ResultProposition {
  id: string;
  position: number;
  text: string;
  meta: boolean;
  /** Hidden by a moderator (facilitators only ever see these). */
  hidden: boolean;
  tally: VoteTally;
  /** agree / votes (0 with no votes). */
  agreement: number;
  /** 1 − |agree − disagree| / (agree + disagree): 1 when evenly split, 0 when one-sided or no votes. */
  division: number;
  /** Votes + arguments (rebuttals included). */
  activity: number;
  argumentCounts: { pro: number; con: number };
  strongest: { pro: ResultArgument | null; con: ResultArgument | null };
}

/** An argument in the "convinced people across groups" order (server/domain/bridging). */
export interface BridgingEntry extends ResultArgument {
  propositionId: string;
  /** Intercept of the matrix factorisation, or the Wilson lower bound of the up-vote share (fallback). */
  score: number;
  method: "matrix-factorisation" | "wilson";
  /** Rated helpful on both sides of the main divide (ADR 0051). */
  helpfulAcrossDivide: boolean;
}

export interface DebateResults {
  /** Top-level and reply arguments with ratings, best bridging first (at most 10), and how they were scored. */
  bridging: {
    method: "matrix-factorisation" | "wilson";
    /** Why the debate fell back to the Wilson bound (too few ratings), in a sentence; null when the model was fitted. */
    reason: string | null;
    /** The thresholds `reason` names (for the results page's own sentence); null when the model was fitted. */
    needed: BridgingNeeded | null;
    activeRaters: number;
    arguments: BridgingEntry[];
  };
  debateId: string;
  title: string;
  status: "draft" | "published" | "closed";
  /** Participants who voted or argued. */
  tookPart: number;
  voters: number;
  votes: number;
  propositions: ResultProposition[];
  generatedAt: string;
  /** Oxford debates: the motion's before and after polls, swing and winner (null otherwise). */
  motion: MotionDTO | null;
  /** What changed minds: arguments that moved people (aggregated) and the asker's own path (docs/decisions/0072). */
  changedMinds: ChangedMindsDTO;
  /** Workshop decisions with their answers and outcome, oldest first. */
  decisions: DecisionDTO[];
  /** The arguments the decisions' answers cite (not deleted or hidden), by id: excerpt and author. */
  citedArguments: Record<string, { excerpt: string; author: string }>;
}

const excerpt = (text: string) => {
  const t = text.replace(/\s+/g, " ").trim();
  return t.length > 280 ? `${t.slice(0, 279).trimEnd()}…` : t;
};

/**
 * `GET /api/debates/:id/results`: per proposition its tally, agreement,
 * division and activity, and its strongest top-level argument for and
 * against (most up-votes minus down-votes, then oldest; hidden and deleted
 * arguments never); how many took part. Hidden propositions only for
 * facilitators. Propositions in debate order; the page sorts.
 * @throws AppError not_found.
 */
export async function getResults(ctx: ServiceContext, runner: ComputeRunner, debateId: string, actor: CurrentParticipant | null): Promise<DebateResults> {
  if (!isUuid(debateId)) throw notFound("This debate");
  await requireReadable(ctx, debateId, actor);
  const facilitator = isFacilitatorOf(actor, debateId);
  // Classroom and Oxford debates show their results from the results phase on (or once a facilitator shows them).
  const rules = await ctx.db.debate.findUnique({ where: { id: debateId }, select: { status: true, format: true, phaseIndex: true, resultsShownAt: true } });
  if (rules && !mayReadResults(actor, rules)) {
    const refusal = decideRefusal(actor ?? { id: "", role: "observer", muted: false }, Action.readResults, { status: rules.status, phase: phaseFactsOf(rules) })!;
    throw forbidden(refusal.text).withMessageKey(refusal.key, refusal.values);
  }
  const [debate, propositions, voteGroups, args, ratingGroups, voters, authors] = await Promise.all([
    ctx.db.debate.findUnique({ where: { id: debateId }, select: { title: true, status: true } }),
    ctx.db.proposition.findMany({ where: { debateId, ...(facilitator ? {} : { hiddenAt: null }) }, orderBy: { position: "asc" } }),
    ctx.db.vote.groupBy({ by: ["propositionId", "value"], where: { proposition: { debateId } }, _count: { _all: true } }),
    ctx.db.argument.findMany({
      where: { debateId },
      select: { id: true, propositionId: true, parentId: true, stance: true, bodyText: true, deletedAt: true, hiddenAt: true, createdAt: true, author: { select: { displayName: true } } },
      orderBy: { createdAt: "asc" },
    }),
    ctx.db.rating.groupBy({ by: ["argumentId", "value"], where: { argument: { debateId } }, _count: { _all: true } }),
    ctx.db.vote.findMany({ where: { proposition: { debateId } }, distinct: ["participantId"], select: { participantId: true } }),
    ctx.db.argument.findMany({ where: { debateId }, distinct: ["authorId"], select: { authorId: true } }),
  ]);
  if (!debate) throw notFound("This debate");
  const tallies = new Map<string, VoteTally>();
  let votes = 0;
  for (const g of voteGroups) {
    const t = tallies.get(g.propositionId) ?? { agree: 0, disagree: 0, unsure: 0, total: 0 };
    t[g.value] += g._count._all;
    t.total += g._count._all;
    votes += g._count._all;
    tallies.set(g.propositionId, t);
  }
  const ratings = new Map<string, { up: number; down: number }>();
  for (const g of ratingGroups) {
    const r = ratings.get(g.argumentId) ?? { up: 0, down: 0 };
    r[g.value] += g._count._all;
    ratings.set(g.argumentId, r);
  }
  const byProposition = new Map<string, typeof args>();
  for (const a of args) {
    const list = byProposition.get(a.propositionId) ?? [];
    list.push(a);
    byProposition.set(a.propositionId, list);
  }
  const strongest = (list: typeof args, stance: "pro" | "con"): ResultArgument | null => {
    let best: ResultArgument | null = null;
    for (const a of list) {
      if (a.parentId !== null || a.stance !== stance || !(a.deletedAt === null && a.hiddenAt === null)) continue;
      const r = ratings.get(a.id) ?? { up: 0, down: 0 };
      if (best === null || r.up - r.down > best.up - best.down) best = { id: a.id, stance, excerpt: excerpt(a.bodyText), author: a.author.displayName, up: r.up, down: r.down };
    }
    return best;
  };
  const took = new Set<string>([...voters.map((v) => v.participantId), ...authors.map((a) => a.authorId)]);
  const bridging = await bridgingOrder(ctx, runner, debateId, args.filter((a) => a.deletedAt === null && a.hiddenAt === null));
  const decisions = await listDecisions(ctx.db, debateId);
  const citedIds = new Set(decisions.flatMap((d) => d.responses.flatMap((r) => r.citedArgumentIds)));
  const citedArguments = Object.fromEntries(args.filter((a) => citedIds.has(a.id) && a.deletedAt === null && a.hiddenAt === null).map((a) => [a.id, { excerpt: excerpt(a.bodyText), author: a.author.displayName }]));
  return {
    bridging,
    changedMinds: await changedMinds(ctx, debateId, actor),
    decisions,
    citedArguments,
    motion: await readMotion(ctx.db, debateId),
    debateId,
    title: debate.title,
    status: debate.status,
    tookPart: took.size,
    voters: voters.length,
    votes,
    generatedAt: new Date().toISOString(),
    propositions: propositions.map((p) => {
      const tally = tallies.get(p.id) ?? { agree: 0, disagree: 0, unsure: 0, total: 0 };
      const list = byProposition.get(p.id) ?? [];
      const counted = list.filter((a) => a.deletedAt === null && a.hiddenAt === null && a.parentId === null);
      const sided = tally.agree + tally.disagree;
      return {
        id: p.id,
        position: p.position,
        text: p.text,
        meta: p.meta,
        hidden: p.hiddenAt !== null,
        tally,
        agreement: tally.total > 0 ? tally.agree / tally.total : 0,
        division: sided > 0 ? 1 - Math.abs(tally.agree - tally.disagree) / sided : 0,
        activity: tally.total + list.length,
        argumentCounts: { pro: counted.filter((a) => a.stance === "pro").length, con: counted.filter((a) => a.stance === "con").length },
        strongest: { pro: strongest(list, "pro"), con: strongest(list, "con") },
      };
    }),
  };
}

/**
 * The "convinced people across groups" order (issue 11, ADR 0051): Community
 * Notes' matrix factorisation on the debate's ratings in the compute worker,
 * falling back to the Wilson lower bound with too few ratings; the main
 * divide for the fallback's "helpful on both sides" is the largest opinion
 * group against the others (from the stored groups, when there are any).
 * @param limit how many of the best to return (10 on the results page; every rated one for the
 *   debate page's order, server/services/argument-order.ts).
 */
export async function bridgingOrder(
  ctx: ServiceContext,
  runner: ComputeRunner,
  debateId: string,
  visible: { id: string; propositionId: string; stance: "pro" | "con"; bodyText: string; author: { displayName: string } }[],
  limit = 10,
): Promise<DebateResults["bridging"]> {
  const visibleById = new Map(visible.map((a) => [a.id, a]));
  const [ratings, snapshot] = await Promise.all([
    ctx.db.rating.findMany({ where: { argument: { debateId } }, select: { participantId: true, argumentId: true, value: true } }),
    ctx.db.opinionGroupsSnapshot.findUnique({ where: { debateId }, select: { result: true } }),
  ]);
  const sides = new Map<string, -1 | 1>();
  const groups = (snapshot?.result as unknown as OpinionGroupsResult | null)?.groups ?? [];
  if (groups.length >= 2) for (const g of groups) for (const id of g.memberIds) sides.set(id, g.id === 0 ? -1 : 1);
  const result = await runner.bridging(
    ratings.filter((r) => visibleById.has(r.argumentId)).map((r) => ({ raterId: r.participantId, argumentId: r.argumentId, value: r.value })),
    undefined,
    sides.size ? sides : undefined,
  );
  return {
    method: result.method,
    reason: result.reason,
    needed: result.needed ?? null,
    activeRaters: result.activeRaters,
    arguments: result.arguments
      .filter((b) => b.up + b.down > 0 && visibleById.has(b.argumentId))
      .slice(0, limit)
      .map((b) => {
        const a = visibleById.get(b.argumentId)!;
        return { id: a.id, propositionId: a.propositionId, stance: a.stance, excerpt: excerpt(a.bodyText), author: a.author.displayName, up: b.up, down: b.down, score: b.score, method: b.method, helpfulAcrossDivide: b.helpfulAcrossDivide };
      }),
  };
}

/**
 * Marks a proposition as meta (about the participants) or not: facilitators
 * only (the lock permission's role rule); the opinion groups are recomputed.
 * @param input `{ meta: boolean }`
 * @throws AppError validation_failed, unauthenticated, forbidden, not_found.
 */
export async function setPropositionMeta(
  ctx: ServiceContext,
  request: (debateId: string) => void,
  actor: CurrentParticipant | null,
  propositionId: string,
  input: unknown,
): Promise<{ propositionId: string; meta: boolean }> {
  if (!actor) throw unauthenticated();
  if (!isUuid(propositionId)) throw notFound("That proposition");
  const meta = (input as { meta?: unknown } | null)?.meta;
  if (typeof meta !== "boolean") throw validationError("meta must be true or false.", "meta");
  await requireAllowed(ctx, actor, Action.lockProposition, { propositionId });
  if (actor.role !== "host" && actor.role !== "facilitator") throw forbidden("Only facilitators can mark propositions as meta.");
  await ctx.db.proposition.update({ where: { id: propositionId }, data: { meta } });
  request(actor.debateId);
  return { propositionId, meta };
}
