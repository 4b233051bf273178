/**
 * What the export writers read (issue 15): a debate as one reader may see it,
 * with its large collections (arguments, votes, ratings, participants, audit
 * entries) as async iterables of pages read from the database one page at a
 * time, so that no writer ever holds a whole large debate, let alone a whole
 * export string, in memory (server/services/exports.ts builds it).
 *
 * Participants appear under stable pseudonymous ids: `p<n>`, n = 0, 1, … in
 * join order (the same n is the Polis participant id), with their display
 * names only when a facilitator asked for names.
 */
import type { ArgumentBody } from "../../../app/shared/lexical";

export type ExportFormat = "json" | "markdown" | "argdown" | "aif" | "polis";
export const EXPORT_FORMATS: readonly ExportFormat[] = ["json", "markdown", "argdown", "aif", "polis"];

export interface ExportDebate {
  id: string;
  title: string;
  status: "draft" | "published" | "closed";
  visibility: "public" | "unlinked" | "private";
  sourceUrl: string | null;
  sourceText: string;
  /** UTF-16 span of the thesis section in sourceText, end exclusive. */
  thesis: { heading: string | null; start: number; end: number };
  createdAt: string;
  publishedAt: string | null;
  closedAt: string | null;
}

export interface ExportTally { agree: number; disagree: number; unsure: number }

export interface ExportProposition {
  id: string;
  /** 0-based order in the debate (also the Polis comment id). */
  index: number;
  position: number;
  text: string;
  span: { start: number; end: number } | null;
  meta: boolean;
  /** Hidden by a moderator: only in facilitators' exports. */
  hidden: boolean;
  locked: boolean;
  tally: ExportTally;
  createdAt: string;
}

export interface ExportSource {
  url: string;
  title: string;
  quote: string | null;
}

export interface ExportArgument {
  id: string;
  propositionId: string;
  parentId: string | null;
  stance: "pro" | "con";
  body: ArgumentBody;
  bodyText: string;
  /** Pseudonymous participant id (`p<n>`). */
  author: string;
  authorName?: string;
  createdAt: string;
  updatedAt: string;
  editCount: number;
  deleted: boolean;
  /** Hidden by a facilitator (only in facilitators' exports, which alone contain hidden threads). */
  hidden: { reason: string; at: string } | null;
  sources: ExportSource[];
  ratings: { up: number; down: number };
}

export interface ExportParticipant {
  /** `p<n>`. */
  id: string;
  /** n: 0-based join order. */
  number: number;
  role: "host" | "facilitator" | "debater" | "observer";
  name?: string;
  /** Id in the system it was imported from (Polis participant id). */
  externalId: string | null;
  joinedAt: string;
  /** Opinion group (0, 1, …) where groups were computed and the participant was clustered. */
  groupId: number | null;
}

export interface ExportVote { participant: string; propositionId: string; value: "agree" | "disagree" | "unsure"; at: string }
export interface ExportRating { participant: string; argumentId: string; value: "up" | "down"; at: string }
export interface ExportAuditEntry {
  at: string;
  actor: string | null;
  actorName?: string;
  action: string;
  targetType: string;
  targetId: string | null;
  reason: string | null;
  details: unknown;
}

export interface ExportGroups {
  computedAt: string | null;
  groups: { id: number; size: number; members: string[]; representative: { propositionId: string; direction: "agree" | "disagree"; agreeShare: number; disagreeShare: number }[] }[];
  consensus: { propositionId: string; direction: "agree" | "disagree"; groupInformedConsensus: number }[];
  divisive: { propositionId: string; spread: number }[];
}

/** One answer to a decision (workshop decision step). */
export interface ExportDecisionResponse {
  participant: string;
  participantName?: string;
  value: "agree" | "abstain" | "disagree" | "block";
  reason: string | null;
  /** Arguments the reason cites (only those this reader may read). */
  citedArgumentIds: string[];
  at: string;
}
/** A decision a facilitator proposed on propositions, its answers and its outcome. */
export interface ExportDecision {
  id: string;
  text: string;
  propositionIds: string[];
  proposedBy: string;
  createdAt: string;
  closedAt: string | null;
  outcome: "adopted" | "rejected" | "withdrawn" | null;
  outcomeNote: string | null;
  counts: { agree: number; abstain: number; disagree: number; block: number };
  responses: ExportDecisionResponse[];
}

/**
 * One change of phase, from the audit log (`phase.changed`: start, pause, resume, extend, next,
 * previous; `results.shown`: a facilitator showed the results early). Phase names as in
 * app/shared/phases.ts; `seconds` for an extension.
 */
export interface ExportPhaseChange {
  at: string;
  action: "start" | "pause" | "resume" | "extend" | "next" | "previous" | "show-results";
  from: string | null;
  to: string | null;
  seconds?: number;
}

/** A debate as one reader may export it. Iterables can be read more than once (each read queries again). */
export interface DebateExportSource {
  debate: ExportDebate;
  /** Who asked: facilitators also get hidden content, the audit log and (when asked) names. */
  reader: { facilitator: boolean; names: boolean };
  generatedAt: string;
  propositions: ExportProposition[];
  /** Argument pages in creation order (a parent before its rebuttals); `propositionIds` narrows to those propositions. */
  arguments(propositionIds?: string[]): AsyncIterable<ExportArgument[]>;
  participants(): AsyncIterable<ExportParticipant[]>;
  participantCount: number;
  votes(): AsyncIterable<ExportVote[]>;
  /** Votes of the given participants (a page of participants), for the Polis matrix. */
  votesOf(participantIds: string[]): Promise<ExportVote[]>;
  ratings(): AsyncIterable<ExportRating[]>;
  /** Facilitators only; empty otherwise. */
  audit(): AsyncIterable<ExportAuditEntry[]>;
  groups: ExportGroups | null;
  /** Workshop decisions, oldest first (few: read whole). */
  decisions: ExportDecision[];
  /** The phase history, oldest first (for every reader: phases are public). */
  phases: ExportPhaseChange[];
  /** Plain text of the arguments the decisions cite, by id (the Markdown report quotes them; not written to JSON). */
  citedArgumentText: Record<string, string>;
}

/** Propositions per argument query in the tree formats (Markdown, Argdown): their trees are held together. */
export const TREE_BATCH = 50;

/** Reads every page of an iterable into one array (tests and small collections only). */
export async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

/** Only http and https links leave Steelman in an export (anything else is dropped as a link and kept as text). */
export function safeHttpUrl(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}
