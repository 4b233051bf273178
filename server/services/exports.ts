/**
 * Exports (issue 15): `GET /api/debates/:id/export?format=…` reads the debate
 * as the asking reader may see it and hands a DebateExportSource to the
 * format's writer (server/domain/exports/), which streams the file.
 *
 * Who gets what: anyone who may read the debate (requireReadable) may export
 * it. Facilitators (host and co-hosts) get everything, hidden propositions
 * and hidden threads included, the audit log in the JSON format, and display
 * names when they ask for them (`names=1`). Everyone else gets no hidden
 * proposition and no argument in a hidden thread (not even their own, unlike
 * the live page), and participants only by pseudonymous ids `p<n>` (n: join
 * order, stable across exports).
 *
 * Large collections are read in pages of EXPORT_PAGE_SIZE rows (keyset
 * pagination), so memory holds a page plus small per-row maps (participant
 * numbers, the argument skeleton used to find hidden threads).
 */
import type { CurrentParticipant } from "../../app/shared/contract";
import { forbidden } from "../../app/shared/errors";
import { hiddenThreadIds } from "../../app/shared/moderation";
import { isFacilitatorRole } from "../../app/shared/permissions";
import type { ArgumentBody } from "../../app/shared/lexical";
import type { OpinionGroupsResult } from "../domain/opinion-groups/types";
import type {
  DebateExportSource,
  ExportArgument,
  ExportAuditEntry,
  ExportDecision,
  ExportFormat,
  ExportGroups,
  ExportParticipant,
  ExportPhaseChange,
  ExportRating,
  ExportVote,
} from "../domain/exports/types";
import { requireReadable } from "./access";
import type { ServiceContext } from "./context";
import { AuditAction } from "./audit";

/** Rows read per database round trip. */
export const EXPORT_PAGE_SIZE = 500;

export interface ExportOptions {
  format: ExportFormat;
  /** Include display names (facilitators only; refused for anyone else). */
  names?: boolean;
}

type Cursor = { createdAt: Date; id: string } | null;
const after = (c: Cursor) => (c ? { OR: [{ createdAt: { gt: c.createdAt } }, { createdAt: c.createdAt, id: { gt: c.id } }] } : {});

/**
 * The debate as `actor` may export it.
 * @throws AppError not_found (not readable), forbidden (names asked by a non-facilitator).
 */
export async function debateExportSource(ctx: ServiceContext, debateId: string, actor: CurrentParticipant | null, options: ExportOptions): Promise<DebateExportSource> {
  await requireReadable(ctx, debateId, actor);
  const me = actor && actor.debateId === debateId ? actor : null;
  const facilitator = !!me && isFacilitatorRole(me.role);
  if (options.names && !facilitator) throw forbidden("Only the debate's facilitators can export participants' names.");
  const names = facilitator && !!options.names;
  const db = ctx.db;

  const debateRow = await db.debate.findUniqueOrThrow({ where: { id: debateId } });
  const propositionRows = await db.proposition.findMany({
    where: { debateId, ...(facilitator ? {} : { hiddenAt: null }) },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
  });
  const visiblePropositions = new Set(propositionRows.map((p) => p.id));
  const voteGroups = await db.vote.groupBy({ by: ["propositionId", "value"], where: { proposition: { debateId } }, _count: { _all: true } });
  const tallies = new Map<string, { agree: number; disagree: number; unsure: number }>();
  for (const g of voteGroups) {
    const t = tallies.get(g.propositionId) ?? { agree: 0, disagree: 0, unsure: 0 };
    t[g.value] = g._count._all;
    tallies.set(g.propositionId, t);
  }

  // Participant numbers: join order, stable (participants are never deleted, only marked removed).
  const people = await db.participant.findMany({ where: { debateId }, select: { id: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  const numberOf = new Map(people.map((p, i) => [p.id, i]));
  const pseudonym = (id: string) => `p${numberOf.get(id) ?? "?"}`;

  // Which arguments this reader gets: facilitators all; others none inside a hidden thread or on a hidden proposition.
  const skeleton = await db.argument.findMany({ where: { debateId }, select: { id: true, parentId: true, hiddenAt: true, propositionId: true } });
  const hiddenThread = facilitator ? new Set<string>() : hiddenThreadIds(skeleton.map((a) => ({ id: a.id, parentId: a.parentId, hidden: a.hiddenAt ? { reason: "", at: "" } : null })));
  const readable = new Set(skeleton.filter((a) => !hiddenThread.has(a.id) && visiblePropositions.has(a.propositionId)).map((a) => a.id));

  const snapshot = await db.opinionGroupsSnapshot.findUnique({ where: { debateId } });
  const result = snapshot?.result as OpinionGroupsResult | null | undefined;
  const groupOf = new Map<string, number | null>();
  let groups: ExportGroups | null = null;
  if (result && result.status === "ready") {
    for (const m of result.map) groupOf.set(m.participantId, m.groupId);
    groups = {
      computedAt: snapshot?.computedAt?.toISOString() ?? null,
      groups: result.groups.map((g) => ({
        id: g.id,
        size: g.size,
        members: g.memberIds.map(pseudonym),
        representative: g.representative
          .filter((r) => visiblePropositions.has(r.propositionId))
          .map((r) => ({ propositionId: r.propositionId, direction: r.direction, agreeShare: r.agreeShare, disagreeShare: r.disagreeShare })),
      })),
      consensus: result.consensus.filter((c) => visiblePropositions.has(c.propositionId)).map((c) => ({ propositionId: c.propositionId, direction: c.direction, groupInformedConsensus: c.groupInformedConsensus })),
      divisive: result.divisive.filter((d) => visiblePropositions.has(d.propositionId)).map((d) => ({ propositionId: d.propositionId, spread: d.spread })),
    };
  }

  const argumentPage = (propositionIds: string[] | undefined, cursor: Cursor) =>
    db.argument.findMany({
      where: { debateId, ...(propositionIds ? { propositionId: { in: propositionIds } } : {}), ...after(cursor) },
      include: { author: { select: { id: true, displayName: true } }, sources: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: EXPORT_PAGE_SIZE,
    });
  async function* argumentPages(propositionIds?: string[]): AsyncIterable<ExportArgument[]> {
    let cursor: Cursor = null;
    for (;;) {
      const rows: Awaited<ReturnType<typeof argumentPage>> = await argumentPage(propositionIds, cursor);
      if (rows.length === 0) return;
      cursor = { createdAt: rows[rows.length - 1].createdAt, id: rows[rows.length - 1].id };
      const kept = rows.filter((a) => readable.has(a.id));
      const ratingGroups = kept.length
        ? await db.rating.groupBy({ by: ["argumentId", "value"], where: { argumentId: { in: kept.map((a) => a.id) } }, _count: { _all: true } })
        : [];
      const ratings = new Map<string, { up: number; down: number }>();
      for (const g of ratingGroups) {
        const r = ratings.get(g.argumentId) ?? { up: 0, down: 0 };
        r[g.value] = g._count._all;
        ratings.set(g.argumentId, r);
      }
      yield kept.map((a) => ({
        id: a.id,
        propositionId: a.propositionId,
        parentId: a.parentId,
        stance: a.stance,
        body: a.body as ArgumentBody,
        bodyText: a.bodyText,
        author: pseudonym(a.authorId),
        ...(names ? { authorName: a.author.displayName } : {}),
        createdAt: a.createdAt.toISOString(),
        updatedAt: a.updatedAt.toISOString(),
        editCount: a.editCount,
        deleted: a.deletedAt !== null,
        hidden: a.hiddenAt ? { reason: a.hiddenReason ?? "", at: a.hiddenAt.toISOString() } : null,
        sources: a.deletedAt ? [] : a.sources.map((s) => ({ url: s.url, title: s.title, quote: s.quote })),
        ratings: ratings.get(a.id) ?? { up: 0, down: 0 },
      }));
      if (rows.length < EXPORT_PAGE_SIZE) return;
    }
  }

  const participantPage = (cursor: Cursor) =>
    db.participant.findMany({
      where: { debateId, ...after(cursor) },
      select: { id: true, displayName: true, role: true, externalId: true, createdAt: true },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: EXPORT_PAGE_SIZE,
    });
  async function* participantPages(): AsyncIterable<ExportParticipant[]> {
    let cursor: Cursor = null;
    for (;;) {
      const rows: Awaited<ReturnType<typeof participantPage>> = await participantPage(cursor);
      if (rows.length === 0) return;
      cursor = { createdAt: rows[rows.length - 1].createdAt, id: rows[rows.length - 1].id };
      yield rows.map((p) => ({
        id: pseudonym(p.id),
        number: numberOf.get(p.id) ?? -1,
        role: p.role,
        ...(names ? { name: p.displayName } : {}),
        externalId: p.externalId,
        joinedAt: p.createdAt.toISOString(),
        groupId: groupOf.get(p.id) ?? null,
      }));
      if (rows.length < EXPORT_PAGE_SIZE) return;
    }
  }

  const toVote = (v: { participantId: string; propositionId: string; value: ExportVote["value"]; updatedAt: Date }): ExportVote => ({
    participant: pseudonym(v.participantId),
    propositionId: v.propositionId,
    value: v.value,
    at: v.updatedAt.toISOString(),
  });
  const voteWhere = { proposition: { debateId, ...(facilitator ? {} : { hiddenAt: null }) } };

  const votePage = (lastId: string | null) =>
    db.vote.findMany({
      where: { ...voteWhere, ...(lastId ? { id: { gt: lastId } } : {}) },
      select: { id: true, participantId: true, propositionId: true, value: true, updatedAt: true },
      orderBy: { id: "asc" },
      take: EXPORT_PAGE_SIZE * 4,
    });
  async function* votePages(): AsyncIterable<ExportVote[]> {
    let lastId: string | null = null;
    for (;;) {
      const rows: Awaited<ReturnType<typeof votePage>> = await votePage(lastId);
      if (rows.length === 0) return;
      lastId = rows[rows.length - 1].id;
      yield rows.map(toVote);
      if (rows.length < EXPORT_PAGE_SIZE * 4) return;
    }
  }

  const ratingPage = (lastId: string | null) =>
    db.rating.findMany({
      where: { argument: { debateId }, ...(lastId ? { id: { gt: lastId } } : {}) },
      select: { id: true, participantId: true, argumentId: true, value: true, updatedAt: true },
      orderBy: { id: "asc" },
      take: EXPORT_PAGE_SIZE * 4,
    });
  async function* ratingPages(): AsyncIterable<ExportRating[]> {
    let lastId: string | null = null;
    for (;;) {
      const rows: Awaited<ReturnType<typeof ratingPage>> = await ratingPage(lastId);
      if (rows.length === 0) return;
      lastId = rows[rows.length - 1].id;
      yield rows.filter((r) => readable.has(r.argumentId)).map((r) => ({ participant: pseudonym(r.participantId), argumentId: r.argumentId, value: r.value, at: r.updatedAt.toISOString() }));
      if (rows.length < EXPORT_PAGE_SIZE * 4) return;
    }
  }

  const auditPage = (cursor: Cursor) => db.auditEntry.findMany({ where: { debateId, ...after(cursor) }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: EXPORT_PAGE_SIZE });
  async function* auditPages(): AsyncIterable<ExportAuditEntry[]> {
    if (!facilitator) return;
    let cursor: Cursor = null;
    for (;;) {
      const rows: Awaited<ReturnType<typeof auditPage>> = await auditPage(cursor);
      if (rows.length === 0) return;
      cursor = { createdAt: rows[rows.length - 1].createdAt, id: rows[rows.length - 1].id };
      yield rows.map((e) => ({
        at: e.createdAt.toISOString(),
        actor: e.actorId ? pseudonym(e.actorId) : null,
        ...(names ? { actorName: e.actorName } : {}),
        action: e.action,
        targetType: e.targetType,
        targetId: e.targetId,
        reason: e.reason,
        details: e.details ?? null,
      }));
      if (rows.length < EXPORT_PAGE_SIZE) return;
    }
  }

  // Workshop decisions: few per debate, read whole; answers of removed participants left out (as on the page).
  const decisionRows = await db.decision.findMany({
    where: { debateId },
    include: { responses: { where: { participant: { removedAt: null } }, include: { participant: { select: { displayName: true } } }, orderBy: { createdAt: "asc" } } },
    orderBy: { createdAt: "asc" },
  });
  const citedIds = [...new Set(decisionRows.flatMap((d) => d.responses.flatMap((r) => r.citedArgumentIds)))].filter((id) => readable.has(id));
  const citedRows = citedIds.length ? await db.argument.findMany({ where: { id: { in: citedIds }, deletedAt: null }, select: { id: true, bodyText: true } }) : [];
  const citedArgumentText = Object.fromEntries(citedRows.map((a) => [a.id, a.bodyText]));
  const decisions: ExportDecision[] = decisionRows.map((d) => {
    const counts = { agree: 0, abstain: 0, disagree: 0, block: 0 };
    for (const r of d.responses) counts[r.value]++;
    return {
      id: d.id,
      text: d.text,
      propositionIds: d.propositionIds.filter((id) => visiblePropositions.has(id)),
      proposedBy: pseudonym(d.proposedById),
      createdAt: d.createdAt.toISOString(),
      closedAt: d.closedAt?.toISOString() ?? null,
      outcome: d.outcome,
      outcomeNote: d.outcomeNote,
      counts,
      responses: d.responses.map((r) => ({
        participant: pseudonym(r.participantId),
        ...(names ? { participantName: r.participant.displayName } : {}),
        value: r.value,
        reason: r.reason,
        citedArgumentIds: r.citedArgumentIds.filter((id) => readable.has(id)),
        at: r.updatedAt.toISOString(),
      })),
    };
  });

  // The phase history: its changes are audited (server/services/phases.ts); everyone may read it, not only facilitators.
  const phaseRows = await db.auditEntry.findMany({ where: { debateId, action: { in: [AuditAction.phaseChanged, AuditAction.resultsShown] } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { createdAt: true, action: true, details: true } });
  const phases: ExportPhaseChange[] = phaseRows.map((e) => {
    const d = (e.details ?? {}) as { action?: ExportPhaseChange["action"]; from?: string; to?: string; seconds?: number; phase?: string };
    if (e.action === AuditAction.resultsShown) return { at: e.createdAt.toISOString(), action: "show-results", from: d.phase ?? null, to: d.phase ?? null };
    return { at: e.createdAt.toISOString(), action: d.action ?? "next", from: d.from ?? null, to: d.to ?? null, ...(typeof d.seconds === "number" ? { seconds: d.seconds } : {}) };
  });

  return {
    decisions,
    phases,
    citedArgumentText,
    debate: {
      id: debateRow.id,
      title: debateRow.title,
      status: debateRow.status,
      visibility: debateRow.visibility,
      sourceUrl: debateRow.sourceUrl,
      sourceText: debateRow.sourceText,
      thesis: { heading: debateRow.thesisHeading, start: debateRow.thesisStart, end: debateRow.thesisEnd },
      createdAt: debateRow.createdAt.toISOString(),
      publishedAt: debateRow.publishedAt?.toISOString() ?? null,
      closedAt: debateRow.closedAt?.toISOString() ?? null,
    },
    reader: { facilitator, names },
    generatedAt: new Date().toISOString(),
    propositions: propositionRows.map((p, index) => ({
      id: p.id,
      index,
      position: p.position,
      text: p.text,
      span: p.spanStart !== null && p.spanEnd !== null ? { start: p.spanStart, end: p.spanEnd } : null,
      meta: p.meta,
      hidden: p.hiddenAt !== null,
      locked: p.lockedAt !== null,
      tally: tallies.get(p.id) ?? { agree: 0, disagree: 0, unsure: 0 },
      createdAt: p.createdAt.toISOString(),
    })),
    arguments: argumentPages,
    participants: participantPages,
    participantCount: people.length,
    votes: votePages,
    async votesOf(participantIds: string[]) {
      if (participantIds.length === 0) return [];
      const ids = participantIds.map((p) => people[Number(p.slice(1))]?.id).filter((id): id is string => !!id);
      const rows = await db.vote.findMany({ where: { ...voteWhere, participantId: { in: ids } }, select: { participantId: true, propositionId: true, value: true, updatedAt: true } });
      return rows.map(toVote);
    },
    ratings: ratingPages,
    audit: auditPages,
    groups,
  };
}
