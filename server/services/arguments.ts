/**
 * Arguments (pro/con, on a proposition or as rebuttals to another argument),
 * their sources, and ratings. Every write runs once per client operation id
 * and takes the debate's next change number (see ./changes.ts).
 *
 * Edits and deletions keep the earlier body as an ArgumentRevision (readable
 * by the author and the facilitators). Arguments inside a hidden thread take
 * no replies or ratings, and their changes are broadcast withheld to everyone
 * but the facilitators and their author (./threads.ts).
 */
import type { ArgumentDTO, ArgumentRevisionsDTO, ParticipantRole, RatingTalliedPayload, RatingTally, Stance } from "../../app/shared/contract";
import { LIMITS, sourceTitleOrHost } from "../../app/shared/contract";
import { forbidden, notFound, unauthenticated, validationError } from "../../app/shared/errors";
import { parseArgumentBody, type ArgumentBody } from "../../app/shared/lexical";
import { emptyArgumentBody, mayViewHidden } from "../../app/shared/moderation";
import { emptyRatingTally, ratingTallyFromCounts } from "../domain/tally";
import { isUniqueViolation, type Tx } from "../db";
import { appendChange, runOperation, storedOperation } from "./changes";
import { Action, requireAllowed } from "./access";
import { AuditAction, recordAudit } from "./audit";
import type { ServiceContext } from "./context";
import type { CurrentParticipant } from "../../app/shared/contract";
import { argumentState, lockArgument } from "./threads";
import { publish } from "./publish";
import { debateRateRule } from "./debate-rate-limits";
import { OPERATIONS, type OperationInput } from "../../app/shared/operations";
import { requireTeamAllowsPost } from "./team-rules";

/** Prisma `include` that loads what an ArgumentDTO shows. */
export const argumentInclude = {
  author: { select: { id: true, displayName: true, role: true } },
  sources: { orderBy: { createdAt: "asc" as const } },
} as const;

type ArgumentRow = {
  id: string;
  editCount: number;
  deletedAt: Date | null;
  hiddenAt: Date | null;
  hiddenReason: string | null;
  propositionId: string;
  parentId: string | null;
  stance: Stance;
  body: unknown;
  bodyText: string;
  tallyVersion: number;
  createdAt: Date;
  updatedAt: Date;
  author: { id: string; displayName: string; role: ParticipantRole };
  sources: { id: string; url: string; title: string; quote: string | null }[];
};

/** Maps a row (loaded with argumentInclude) to its wire shape. */
export function toArgumentDTO(a: ArgumentRow, tally: RatingTally): ArgumentDTO {
  return {
    id: a.id,
    propositionId: a.propositionId,
    parentId: a.parentId,
    stance: a.stance,
    body: a.body as ArgumentBody,
    bodyText: a.bodyText,
    author: { id: a.author.id, displayName: a.author.displayName, role: a.author.role },
    sources: a.deletedAt ? [] : a.sources.map((s) => ({ id: s.id, url: s.url, title: s.title, quote: s.quote })),
    tally,
    tallyVersion: a.tallyVersion,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
    editCount: a.editCount,
    deleted: a.deletedAt !== null,
    hidden: a.hiddenAt ? { reason: a.hiddenReason ?? "", at: a.hiddenAt.toISOString() } : null,
    withheld: false,
  };
}

function parseBody(body: unknown) {
  const parsed = parseArgumentBody(body);
  if (!parsed.ok) throw validationError(parsed.message, parsed.path ? `body.${parsed.path}` : "body");
  return parsed;
}

async function ratingTally(tx: Tx, argumentId: string): Promise<RatingTally> {
  const groups = await tx.rating.groupBy({ by: ["value"], where: { argumentId }, _count: { _all: true } });
  return groups.length ? ratingTallyFromCounts(groups.map((g) => ({ value: g.value, count: g._count._all }))) : emptyRatingTally();
}

/** Loads one argument's full DTO (not withheld: callers decide who receives it). */
export async function loadArgumentDTO(tx: Tx, argumentId: string): Promise<ArgumentDTO> {
  const row = await tx.argument.findUniqueOrThrow({ where: { id: argumentId }, include: argumentInclude });
  return toArgumentDTO(row, await ratingTally(tx, argumentId));
}

/**
 * Posts an argument for (pro) or against (con) a proposition, or, with
 * `parentId`, a rebuttal to another argument of the same proposition (any depth).
 * Sources are written in the same transaction. Broadcasts `argument.created` after commit.
 * @param input `{ opId?, propositionId, parentId?, stance, body: Lexical state, sources?: {url,title,quote?}[] }`.
 * @throws AppError validation_failed, not_found, forbidden.
 */
export async function postArgument(ctx: ServiceContext, actor: CurrentParticipant, input: OperationInput<"postArgument">): Promise<ArgumentDTO> {
  const data = input;
  const body = parseBody(data.body);
  await requireAllowed(ctx, actor, OPERATIONS.postArgument.action, { propositionId: data.propositionId }, actor.debateId, { topLevel: !data.parentId });
  // A team's side and propositions hold for its members' new arguments too (docs/decisions/0073-teams.md).
  if (!data.parentId) await requireTeamAllowsPost(ctx.db, actor, data.propositionId, data.stance);
  if (data.parentId) {
    const state = await argumentState(ctx.db, data.parentId);
    if (state.propositionId !== data.propositionId) throw notFound("The argument you are answering");
    if (state.deleted) throw forbidden("The argument you are answering was deleted by its author, so it takes no new replies.");
    if (state.inHiddenThread) throw forbidden("A facilitator has hidden the argument you are answering (or one it answers), so it takes no new replies.");
  }
  const result = await runOperation(ctx, "postArgument", actor, data.opId, async (tx) => {
    const row = await tx.argument.create({
      data: {
        debateId: actor.debateId,
        propositionId: data.propositionId,
        parentId: data.parentId ?? null,
        authorId: actor.id,
        stance: data.stance,
        body: body.body as object,
        bodyText: body.plainText,
        sources: { create: data.sources.map((s) => ({ url: s.url, title: sourceTitleOrHost(s), quote: s.quote ?? null })) },
      },
      include: argumentInclude,
    });
    return appendChange(tx, actor.debateId, "argument.created", toArgumentDTO(row, emptyRatingTally()));
  });
  return result.data as ArgumentDTO;
}

async function requireOwnArgument(ctx: ServiceContext, actor: CurrentParticipant, argumentId: string, action: Action) {
  const { argument } = await requireAllowed(ctx, actor, action, { argumentId });
  if (argument!.authorId !== actor.id) throw forbidden("You can only change your own arguments.");
  if (argument!.deleted) throw forbidden("This argument was deleted by its author.");
}

/**
 * Takes the argument's row lock and keeps its current body as a revision.
 * @throws AppError forbidden when it was deleted meanwhile.
 */
async function keepRevision(tx: Tx, argumentId: string, editorId: string) {
  await lockArgument(tx, argumentId);
  const current = await tx.argument.findUniqueOrThrow({ where: { id: argumentId }, select: { body: true, bodyText: true, deletedAt: true, propositionId: true } });
  if (current.deletedAt) throw forbidden("This argument was deleted by its author.");
  await tx.argumentRevision.create({ data: { argumentId, editorId, body: current.body as object, bodyText: current.bodyText } });
  return current;
}

/**
 * Replaces the body of the actor's own argument; the previous body is kept as
 * a revision and `editCount` goes up by one, in the same transaction.
 * Broadcasts `argument.updated`.
 * @throws AppError validation_failed, not_found, forbidden.
 */
export async function editArgument(ctx: ServiceContext, actor: CurrentParticipant, input: OperationInput<"editArgument">): Promise<ArgumentDTO> {
  const data = input;
  const body = parseBody(data.body);
  await requireOwnArgument(ctx, actor, data.argumentId, OPERATIONS.editArgument.action);
  const result = await runOperation(ctx, "editArgument", actor, data.opId, async (tx) => {
    await keepRevision(tx, data.argumentId, actor.id);
    await tx.argument.update({ where: { id: data.argumentId }, data: { body: body.body as object, bodyText: body.plainText, editCount: { increment: 1 } } });
    return appendChange(tx, actor.debateId, "argument.updated", await loadArgumentDTO(tx, data.argumentId));
  });
  return result.data as ArgumentDTO;
}

/**
 * Deletes the actor's own argument, softly: the body is kept as a revision,
 * then replaced by an empty document; its sources are removed; replies stay.
 * Audited as "argument.deleted". Broadcasts `argument.updated` (deleted: true).
 * @param input `{ opId?, argumentId }`.
 * @throws AppError validation_failed, not_found, forbidden (not the author, already deleted, muted, locked, closed).
 */
export async function deleteArgument(ctx: ServiceContext, actor: CurrentParticipant, input: OperationInput<"deleteArgument">): Promise<ArgumentDTO> {
  const { opId, argumentId } = input;
  await requireOwnArgument(ctx, actor, argumentId, OPERATIONS.deleteArgument.action);
  const result = await runOperation(ctx, "deleteArgument", actor, opId, async (tx) => {
    const before = await keepRevision(tx, argumentId, actor.id);
    const sources = await tx.source.deleteMany({ where: { argumentId } });
    await tx.argument.update({ where: { id: argumentId }, data: { deletedAt: new Date(), body: emptyArgumentBody() as object, bodyText: "" } });
    await recordAudit(tx, {
      debateId: actor.debateId,
      actor,
      action: AuditAction.argumentDeleted,
      targetType: "argument",
      targetId: argumentId,
      details: { propositionId: before.propositionId, sourcesRemoved: sources.count },
    });
    return appendChange(tx, actor.debateId, "argument.updated", await loadArgumentDTO(tx, argumentId));
  });
  return result.data as ArgumentDTO;
}

/**
 * An argument's earlier bodies (newest first) and its current one. Only its
 * author and the debate's facilitators may read them.
 * @param input `{ argumentId }`.
 * @throws AppError unauthenticated, validation_failed, not_found, forbidden.
 */
export async function argumentRevisions(ctx: ServiceContext, actor: CurrentParticipant | null, input: OperationInput<"argumentRevisions">): Promise<ArgumentRevisionsDTO> {
  const { argumentId } = input;
  if (!actor) throw unauthenticated();
  await requireAllowed(ctx, actor, Action.readDebate, { argumentId });
  const argument = await ctx.db.argument.findUniqueOrThrow({
    where: { id: argumentId },
    select: { authorId: true, body: true, bodyText: true, updatedAt: true, deletedAt: true },
  });
  if (!mayViewHidden(actor, argument.authorId)) throw forbidden("Only the argument's author and the debate's facilitators can read its earlier versions.");
  const revisions = await ctx.db.argumentRevision.findMany({
    where: { argumentId },
    orderBy: { createdAt: "desc" },
    include: { editor: { select: { id: true, displayName: true } } },
  });
  return {
    argumentId,
    current: { body: argument.body as ArgumentBody, bodyText: argument.bodyText, updatedAt: argument.updatedAt.toISOString(), deleted: argument.deletedAt !== null },
    revisions: revisions.map((r) => ({ id: r.id, body: r.body as ArgumentBody, bodyText: r.bodyText, createdAt: r.createdAt.toISOString(), editor: r.editor })),
  };
}

/**
 * Attaches a source to the actor's own argument (at most LIMITS.sourcesPerArgumentMax). Broadcasts `argument.updated`.
 * @throws AppError validation_failed, not_found, forbidden.
 */
export async function addSource(ctx: ServiceContext, actor: CurrentParticipant, input: OperationInput<"addSource">): Promise<ArgumentDTO> {
  const data = input;
  await requireOwnArgument(ctx, actor, data.argumentId, OPERATIONS.addSource.action);
  const result = await runOperation(ctx, "addSource", actor, data.opId, async (tx) => {
    await lockArgument(tx, data.argumentId);
    const count = await tx.source.count({ where: { argumentId: data.argumentId } });
    if (count >= LIMITS.sourcesPerArgumentMax) throw validationError(`An argument can have at most ${LIMITS.sourcesPerArgumentMax} sources.`, "url");
    await tx.source.create({ data: { argumentId: data.argumentId, url: data.url, title: sourceTitleOrHost(data), quote: data.quote ?? null } });
    await tx.argument.update({ where: { id: data.argumentId }, data: { updatedAt: new Date() } });
    return appendChange(tx, actor.debateId, "argument.updated", await loadArgumentDTO(tx, data.argumentId));
  });
  return result.data as ArgumentDTO;
}

/**
 * Removes one source from the actor's own argument (the removeSource operation of
 * app/shared/operations.ts; permission `addSource`). Broadcasts `argument.updated`.
 * @param input `{ opId?, argumentId, sourceId }`.
 * @throws AppError validation_failed, not_found (no such source on that argument), forbidden.
 */
export async function removeSource(ctx: ServiceContext, actor: CurrentParticipant, input: OperationInput<"removeSource">): Promise<ArgumentDTO> {
  const data = input;
  await requireOwnArgument(ctx, actor, data.argumentId, OPERATIONS.removeSource.action);
  const result = await runOperation(ctx, "removeSource", actor, data.opId, async (tx) => {
    await lockArgument(tx, data.argumentId);
    const removed = await tx.source.deleteMany({ where: { id: data.sourceId, argumentId: data.argumentId } });
    if (removed.count === 0) throw notFound("That source");
    // A source is part of the argument's content: its copies elsewhere are older now.
    await tx.argument.update({ where: { id: data.argumentId }, data: { updatedAt: new Date() } });
    return appendChange(tx, actor.debateId, "argument.updated", await loadArgumentDTO(tx, data.argumentId));
  });
  return result.data as ArgumentDTO;
}

/**
 * Sets (up/down) or clears (null) the actor's rating of an argument; one
 * current rating per participant per argument. The write, the version bump
 * (which takes the argument's row lock) and the recount share one transaction,
 * so the returned tally is exact for its version. Broadcast as rating:tallied.
 * @throws AppError validation_failed, not_found, forbidden.
 */
export async function rateArgument(ctx: ServiceContext, actor: CurrentParticipant, input: OperationInput<"rateArgument">): Promise<RatingTalliedPayload> {
  const { opId, argumentId, value } = input;
  await requireAllowed(ctx, actor, OPERATIONS.rateArgument.action, { argumentId });
  const state = await argumentState(ctx.db, argumentId);
  if (state.deleted) throw forbidden("This argument was deleted by its author, so it cannot be rated.");
  // Hidden arguments are counted out of tallies: no new ratings while hidden.
  if (state.inHiddenThread) throw forbidden("A facilitator has hidden this argument (or one it answers), so it cannot be rated.");
  // One statement (docs/decisions/0023-one-statement-votes.md): the rating's upsert or delete, whose trigger moves the
  // argument's counters and bumps its tally version under its row lock, and the opId with its result.
  const { storedAs, limit } = OPERATIONS.rateArgument;
  const rule = limit ? await debateRateRule(ctx, limit, actor.debateId) : null;
  if (limit) await ctx.limits.consume(limit, actor.id, rule);
  let payload: RatingTalliedPayload;
  try {
    [{ r: payload }] = (await ctx.db.$queryRaw<{ r: RatingTalliedPayload }[]>`SELECT steelman_rate_argument(${opId ?? null}::uuid, ${storedAs}, ${actor.id}::uuid, ${argumentId}::uuid, ${value}::"RatingValue") AS r`) as [{ r: RatingTalliedPayload }];
  } catch (error) {
    if (opId && isUniqueViolation(error)) {
      const earlier = await storedOperation<RatingTalliedPayload>(ctx, opId, actor.id, storedAs);
      if (earlier) {
        if (limit) await ctx.limits.reward(limit, actor.id, rule);
        return earlier.result;
      }
    }
    throw error;
  }
  await publish(ctx, [{ kind: "ratingTally", debateId: actor.debateId, payload }]);
  return payload;
}
