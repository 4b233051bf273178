/**
 * Arguments (pro/con, on a proposition or as rebuttals to another argument),
 * their sources, and ratings.
 */
import type { ArgumentDTO, RatingTalliedPayload, RatingTally } from "../../app/shared/contract";
import { addSourceSchema, editArgumentSchema, LIMITS, postArgumentSchema, rateArgumentSchema, ServerEvent } from "../../app/shared/contract";
import { forbidden, notFound, validationError } from "../../app/shared/errors";
import { parseArgumentBody, type ArgumentBody } from "../../app/shared/lexical";
import { emptyRatingTally, ratingTallyFromCounts } from "../domain/tally";
import type { ServiceContext } from "./context";
import { KeyedQueue } from "./keyed-queue";
import type { AuthenticatedParticipant } from "./participants";
import { parseInput } from "./validate";

/** Prisma `include` that loads what an ArgumentDTO shows. */
export const argumentInclude = {
  author: { select: { id: true, displayName: true } },
  sources: { orderBy: { createdAt: "asc" as const } },
} as const;

type ArgumentRow = {
  id: string;
  propositionId: string;
  parentId: string | null;
  stance: "pro" | "con";
  body: unknown;
  bodyText: string;
  createdAt: Date;
  updatedAt: Date;
  author: { id: string; displayName: string };
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
    author: { id: a.author.id, displayName: a.author.displayName },
    sources: a.sources.map((s) => ({ id: s.id, url: s.url, title: s.title, quote: s.quote })),
    tally,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

function parseBody(body: unknown) {
  const parsed = parseArgumentBody(body);
  if (!parsed.ok) throw validationError(parsed.message, parsed.path ? `body.${parsed.path}` : "body");
  return parsed;
}

async function requireWritableDebate(ctx: ServiceContext, actor: AuthenticatedParticipant) {
  if (actor.role === "observer") throw forbidden("Observers can read the debate but not write in it.");
  const debate = await ctx.db.debate.findUnique({ where: { id: actor.debateId }, select: { status: true } });
  if (!debate) throw notFound("This debate");
  if (debate.status !== "published") throw forbidden("This debate is not open yet: the facilitator has not published it.");
}

async function ratingTally(ctx: ServiceContext, argumentId: string): Promise<RatingTally> {
  const groups = await ctx.db.rating.groupBy({ by: ["value"], where: { argumentId }, _count: { _all: true } });
  return groups.length ? ratingTallyFromCounts(groups.map((g) => ({ value: g.value, count: g._count._all }))) : emptyRatingTally();
}

async function loadArgumentDTO(ctx: ServiceContext, argumentId: string): Promise<ArgumentDTO> {
  const row = await ctx.db.argument.findUniqueOrThrow({ where: { id: argumentId }, include: argumentInclude });
  return toArgumentDTO(row, await ratingTally(ctx, argumentId));
}

/**
 * Posts an argument for (pro) or against (con) a proposition, or, with
 * `parentId`, a rebuttal to another argument of the same proposition (any depth).
 * Sources are written in the same transaction. Broadcasts argument:created after commit.
 * @param input `{ propositionId, parentId?, stance, body: Lexical state, sources?: {url,title,quote?}[] }`.
 * @throws AppError validation_failed, not_found, forbidden.
 */
export async function postArgument(ctx: ServiceContext, actor: AuthenticatedParticipant, input: unknown): Promise<ArgumentDTO> {
  const data = parseInput(postArgumentSchema, input);
  const body = parseBody(data.body);
  await requireWritableDebate(ctx, actor);
  const proposition = await ctx.db.proposition.findUnique({ where: { id: data.propositionId }, select: { debateId: true } });
  if (!proposition || proposition.debateId !== actor.debateId) throw notFound("That proposition");
  if (data.parentId) {
    const parent = await ctx.db.argument.findUnique({ where: { id: data.parentId }, select: { propositionId: true } });
    if (!parent || parent.propositionId !== data.propositionId) throw notFound("The argument you are answering");
  }
  const row = await ctx.db.argument.create({
    data: {
      debateId: actor.debateId,
      propositionId: data.propositionId,
      parentId: data.parentId ?? null,
      authorId: actor.id,
      stance: data.stance,
      body: body.body as object,
      bodyText: body.plainText,
      sources: { create: data.sources.map((s) => ({ url: s.url, title: s.title, quote: s.quote ?? null })) },
    },
    include: argumentInclude,
  });
  const dto = toArgumentDTO(row, emptyRatingTally());
  ctx.publisher.publish(actor.debateId, ServerEvent.argumentCreated, dto);
  return dto;
}

async function requireOwnArgument(ctx: ServiceContext, actor: AuthenticatedParticipant, argumentId: string) {
  const existing = await ctx.db.argument.findUnique({ where: { id: argumentId }, select: { debateId: true, authorId: true } });
  if (!existing || existing.debateId !== actor.debateId) throw notFound("That argument");
  if (existing.authorId !== actor.id) throw forbidden("You can only change your own arguments.");
}

/**
 * Replaces the body of the actor's own argument. Broadcasts argument:updated.
 * @throws AppError validation_failed, not_found, forbidden.
 */
export async function editArgument(ctx: ServiceContext, actor: AuthenticatedParticipant, input: unknown): Promise<ArgumentDTO> {
  const data = parseInput(editArgumentSchema, input);
  const body = parseBody(data.body);
  await requireWritableDebate(ctx, actor);
  await requireOwnArgument(ctx, actor, data.argumentId);
  await ctx.db.argument.update({ where: { id: data.argumentId }, data: { body: body.body as object, bodyText: body.plainText } });
  const dto = await loadArgumentDTO(ctx, data.argumentId);
  ctx.publisher.publish(actor.debateId, ServerEvent.argumentUpdated, dto);
  return dto;
}

/**
 * Attaches a source to the actor's own argument (at most LIMITS.sourcesPerArgumentMax). Broadcasts argument:updated.
 * @throws AppError validation_failed, not_found, forbidden.
 */
export async function addSource(ctx: ServiceContext, actor: AuthenticatedParticipant, input: unknown): Promise<ArgumentDTO> {
  const data = parseInput(addSourceSchema, input);
  await requireWritableDebate(ctx, actor);
  await requireOwnArgument(ctx, actor, data.argumentId);
  await ctx.db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM "Argument" WHERE id = ${data.argumentId}::uuid FOR UPDATE`;
    const count = await tx.source.count({ where: { argumentId: data.argumentId } });
    if (count >= LIMITS.sourcesPerArgumentMax) throw validationError(`An argument can have at most ${LIMITS.sourcesPerArgumentMax} sources.`, "url");
    await tx.source.create({ data: { argumentId: data.argumentId, url: data.url, title: data.title, quote: data.quote ?? null } });
  });
  const dto = await loadArgumentDTO(ctx, data.argumentId);
  ctx.publisher.publish(actor.debateId, ServerEvent.argumentUpdated, dto);
  return dto;
}

const ratingQueue = new KeyedQueue();

/**
 * Sets (up/down) or clears (null) the actor's rating of an argument; one
 * current rating per participant per argument. Returns the exact tally
 * counted after the change and broadcasts it as rating:tallied.
 * @throws AppError validation_failed, not_found, forbidden.
 */
export async function rateArgument(ctx: ServiceContext, actor: AuthenticatedParticipant, input: unknown): Promise<RatingTalliedPayload> {
  const { argumentId, value } = parseInput(rateArgumentSchema, input);
  await requireWritableDebate(ctx, actor);
  const argument = await ctx.db.argument.findUnique({ where: { id: argumentId }, select: { debateId: true } });
  if (!argument || argument.debateId !== actor.debateId) throw notFound("That argument");
  return ratingQueue.run(argumentId, async () => {
    const tally = await ctx.db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM "Argument" WHERE id = ${argumentId}::uuid FOR UPDATE`;
      if (value === null) {
        await tx.rating.deleteMany({ where: { participantId: actor.id, argumentId } });
      } else {
        await tx.rating.upsert({
          where: { participantId_argumentId: { participantId: actor.id, argumentId } },
          create: { participantId: actor.id, argumentId, value },
          update: { value },
        });
      }
      const groups = await tx.rating.groupBy({ by: ["value"], where: { argumentId }, _count: { _all: true } });
      return ratingTallyFromCounts(groups.map((g) => ({ value: g.value, count: g._count._all })));
    });
    const payload: RatingTalliedPayload = { argumentId, tally, participantId: actor.id, value };
    ctx.publisher.publish(actor.debateId, ServerEvent.ratingTallied, payload);
    return payload;
  });
}
