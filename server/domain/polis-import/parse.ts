/**
 * Parser of a Polis conversation export (the layout of
 * github.com/compdemocracy/openData and of Polis's "export" page):
 *  - comments.csv: timestamp, datetime, comment-id, author-id, agrees,
 *    disagrees, moderated (1 shown, 0 unmoderated, −1 hidden), comment-body;
 *    2024 exports add is-meta, is-seed, group-informed-consensus and drop datetime;
 *  - votes.csv: timestamp, datetime, comment-id, voter-id, vote (1 agree,
 *    −1 disagree, 0 pass); a voter may vote on a comment several times, the
 *    latest counts;
 *  - participants-votes.csv: participant, xid, group-id, n-comments, n-votes,
 *    n-agree, n-disagree, then one column per comment id holding 1, −1, 0 or empty.
 * comments.csv is required; either votes file suffices. With both, votes.csv
 * (which has timestamps) gives the votes and participants-votes.csv the xids
 * and Polis's groups. Every failure is a {@link PolisImportError} naming the
 * file, line and column.
 */
import { z } from "../../../app/shared/zod";
import type { EncodedOpinionInput, OpinionVoteValue } from "../opinion-groups/types";
import { PolisImportError, readCsv, validateRow, type CsvTable } from "./csv";

export { PolisImportError } from "./csv";

export const POLIS_FILES = ["comments.csv", "participants-votes.csv", "votes.csv"] as const;
export type PolisFileName = (typeof POLIS_FILES)[number];
export type PolisExportFiles = { "comments.csv": string; "participants-votes.csv"?: string; "votes.csv"?: string };

export interface PolisComment {
  commentId: number;
  authorId: number | null;
  text: string;
  /** 1 shown, 0 not yet moderated, −1 hidden by a moderator. */
  moderated: -1 | 0 | 1;
  /** moderated = −1. */
  hidden: boolean;
  /** Flagged "meta" (about the participants); only 2024+ exports carry the flag. */
  meta: boolean;
  createdAt: Date | null;
  /** Polis's own group-informed consensus, when the export has it. */
  groupInformedConsensus: number | null;
}

export interface PolisParticipant {
  participantId: number;
  xid: string | null;
  /** The opinion group Polis assigned (participants-votes.csv `group-id`); null when not clustered or unknown. */
  groupId: number | null;
}

interface PolisVote {
  participantId: number;
  commentId: number;
  value: 1 | -1 | 0;
  /** Milliseconds since 1970 (votes.csv); NaN from participants-votes.csv. */
  at: number;
}

/**
 * The votes in columns (typed arrays, cheap to move between threads and to
 * walk in batches): vote i is participant `participantId[i]` on comment
 * `commentId[i]` with `value[i]` (+1 agree, −1 disagree, 0 pass), cast at
 * `at[i]` ms since 1970 (NaN when unknown). The latest vote per participant
 * and comment, ordered by comment then participant.
 */
export interface PolisVotes {
  count: number;
  participantId: Int32Array;
  commentId: Int32Array;
  value: Int8Array;
  at: Float64Array;
}

/** The value names of {@link PolisVotes.value}. */
export const POLIS_VOTE_VALUE: Readonly<Record<1 | -1 | 0, OpinionVoteValue>> = { 1: "agree", [-1]: "disagree", 0: "unsure" };

export interface PolisConversation {
  /** By comment id. */
  comments: PolisComment[];
  /** By participant id. */
  participants: PolisParticipant[];
  /** The latest vote per participant and comment, by comment then participant. */
  votes: PolisVotes;
  /** Which file the votes came from. */
  votesFrom: "votes.csv" | "participants-votes.csv";
  /** Whether participants-votes.csv was given (so `groupId` is Polis's). */
  hasPolisGroups: boolean;
  /** Things a person should know that did not stop the import, in sentences. */
  warnings: string[];
}

// ---- row schemas (keys are header names) ----

const integer = (what: string) =>
  z
    .string({ error: `${what} is missing` })
    .trim()
    .regex(/^-?\d+$/, { error: `${what} must be a whole number` })
    .transform(Number)
    .refine(Number.isSafeInteger, { error: `${what} is too large` });
const nonNegativeInteger = (what: string) => integer(what).refine((n) => n >= 0, { error: `${what} must not be negative` });
const optionalInteger = (what: string) =>
  z
    .string()
    .optional()
    .transform((s) => (s === undefined || s.trim() === "" ? null : s.trim()))
    .pipe(z.union([z.null(), integer(what)]));
const optionalBoolean = (what: string) =>
  z
    .string()
    .optional()
    .transform((s) => (s === undefined ? "" : s.trim().toLowerCase()))
    .refine((s) => ["", "true", "false", "t", "f", "1", "0"].includes(s), { error: `${what} must be true or false` })
    .transform((s) => s === "true" || s === "t" || s === "1");
const optionalNumber = (what: string) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s.trim() === "") return null;
      const n = Number(s);
      if (!Number.isFinite(n)) {
        ctx.addIssue({ code: "custom", message: `${what} must be a number` });
        return z.NEVER;
      }
      return n;
    });
const voteNumber = (what: string) =>
  z
    .string({ error: `${what} is missing` })
    .trim()
    .refine((s) => s === "1" || s === "-1" || s === "0", { error: `${what} must be 1 (agree), -1 (disagree) or 0 (pass)` })
    .transform((s) => Number(s) as 1 | -1 | 0);

const commentRow = z.object({
  "comment-id": nonNegativeInteger("The comment id"),
  "comment-body": z.string({ error: "The comment text is missing" }),
  moderated: z
    .string({ error: "The moderation state is missing" })
    .trim()
    .refine((s) => s === "1" || s === "0" || s === "-1", { error: "The moderation state must be 1 (shown), 0 (unmoderated) or -1 (hidden)" })
    .transform((s) => Number(s) as -1 | 0 | 1),
  "author-id": optionalInteger("The author id"),
  timestamp: optionalInteger("The timestamp (milliseconds since 1970)"),
  "is-meta": optionalBoolean("The meta flag"),
  "group-informed-consensus": optionalNumber("The group-informed consensus"),
});
const COMMENT_COLUMNS = Object.keys(commentRow.shape);

const voteRow = z.object({
  "comment-id": nonNegativeInteger("The comment id"),
  "voter-id": nonNegativeInteger("The voter id"),
  vote: voteNumber("The vote"),
  timestamp: optionalInteger("The timestamp (milliseconds since 1970)"),
});
const VOTE_COLUMNS = Object.keys(voteRow.shape);

const participantRow = z.object({
  participant: nonNegativeInteger("The participant id"),
  xid: z
    .string()
    .optional()
    .transform((s) => (s === undefined || s.trim() === "" ? null : s.trim())),
  "group-id": optionalInteger("The group id"),
});
const PARTICIPANT_COLUMNS = Object.keys(participantRow.shape);
/** participants-votes.csv columns that are not comment ids. */
const PARTICIPANT_SUMMARY_COLUMNS = new Set(["participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]);

/**
 * Parses and checks a Polis export.
 * @param files file name → file text; "comments.csv" and at least one votes file
 * @throws PolisImportError naming the file, line and column of the first problem
 *   (also for a missing file, a vote on a comment absent from comments.csv, a repeated comment id)
 */
export function parsePolisExport(files: PolisExportFiles): PolisConversation {
  const warnings: string[] = [];
  if (typeof files["comments.csv"] !== "string") throw new PolisImportError("comments.csv", null, null, null, "the file is missing; a Polis export needs its comments.");
  if (typeof files["votes.csv"] !== "string" && typeof files["participants-votes.csv"] !== "string") {
    throw new PolisImportError("votes.csv", null, null, null, "neither votes.csv nor participants-votes.csv was given; one of them is needed for the votes.");
  }

  // comments.csv
  const commentsTable = readCsv("comments.csv", files["comments.csv"], ["comment-id", "comment-body", "moderated"]);
  const commentById = new Map<number, PolisComment>();
  for (const row of commentsTable.rows) {
    const r = validateRow(commentsTable, row, commentRow, COMMENT_COLUMNS);
    if (commentById.has(r["comment-id"])) {
      throw cellError(commentsTable, row.line, "comment-id", `comment ${r["comment-id"]} appears twice.`);
    }
    commentById.set(r["comment-id"], {
      commentId: r["comment-id"],
      authorId: r["author-id"],
      text: r["comment-body"],
      moderated: r.moderated,
      hidden: r.moderated === -1,
      meta: r["is-meta"],
      createdAt: r.timestamp !== null ? new Date(r.timestamp) : null,
      groupInformedConsensus: r["group-informed-consensus"],
    });
  }
  if (!commentsTable.columnOf.has("is-meta")) {
    warnings.push("comments.csv has no is-meta column (exports before 2024), so no comment is marked meta; mark them on the debate's page if some are about the participants.");
  }

  // participants-votes.csv
  const participantById = new Map<number, PolisParticipant>();
  let matrixVotes: PolisVote[] | null = null;
  const pvText = files["participants-votes.csv"];
  if (typeof pvText === "string") {
    const table = readCsv("participants-votes.csv", pvText, ["participant"]);
    const commentColumns: { index: number; commentId: number }[] = [];
    table.header.forEach((name, index) => {
      if (PARTICIPANT_SUMMARY_COLUMNS.has(name)) return;
      if (!/^\d+$/.test(name)) throw new PolisImportError(table.file, 1, index + 1, name, `"${name}" is neither a known column nor a comment id.`);
      const commentId = Number(name);
      if (!commentById.has(commentId)) throw new PolisImportError(table.file, 1, index + 1, name, `comment ${commentId} is not in comments.csv.`);
      commentColumns.push({ index, commentId });
    });
    matrixVotes = [];
    for (const row of table.rows) {
      const r = validateRow(table, row, participantRow, PARTICIPANT_COLUMNS);
      if (participantById.has(r.participant)) throw cellError(table, row.line, "participant", `participant ${r.participant} appears twice.`);
      participantById.set(r.participant, { participantId: r.participant, xid: r.xid, groupId: r["group-id"] });
      for (const { index, commentId } of commentColumns) {
        const cell = row.cells[index].trim();
        if (cell === "") continue;
        if (cell !== "1" && cell !== "-1" && cell !== "0") {
          throw new PolisImportError(table.file, row.line, index + 1, table.header[index], `a vote must be 1 (agree), -1 (disagree), 0 (pass) or empty (found "${cell.slice(0, 40)}").`);
        }
        matrixVotes.push({ participantId: r.participant, commentId, value: Number(cell) as 1 | -1 | 0, at: NaN });
      }
    }
  }

  // votes.csv
  let streamVotes: PolisVote[] | null = null;
  const vText = files["votes.csv"];
  if (typeof vText === "string") {
    const table = readCsv("votes.csv", vText, ["comment-id", "voter-id", "vote"]);
    const latest = new Map<string, { vote: PolisVote; timestamp: number; order: number }>();
    let repeated = 0;
    table.rows.forEach((row, order) => {
      const r = validateRow(table, row, voteRow, VOTE_COLUMNS);
      if (!commentById.has(r["comment-id"])) throw cellError(table, row.line, "comment-id", `comment ${r["comment-id"]} is not in comments.csv.`);
      const key = `${r["voter-id"]}:${r["comment-id"]}`;
      const timestamp = r.timestamp ?? -Infinity;
      const previous = latest.get(key);
      if (previous) repeated++;
      // Latest by timestamp; on equal (or absent) timestamps the later line wins.
      if (!previous || timestamp >= previous.timestamp) {
        latest.set(key, {
          vote: { participantId: r["voter-id"], commentId: r["comment-id"], value: r.vote, at: r.timestamp ?? NaN },
          timestamp,
          order,
        });
      }
    });
    streamVotes = [...latest.values()].map((v) => v.vote);
    if (repeated > 0) warnings.push(`votes.csv holds ${repeated} earlier vote${repeated === 1 ? "" : "s"} that a later vote by the same participant on the same comment replaced; only the latest counts.`);
  }

  const votes = (streamVotes ?? matrixVotes ?? []).sort((a, b) => a.commentId - b.commentId || a.participantId - b.participantId);
  if (streamVotes && matrixVotes) {
    const differences = countDifferences(streamVotes, matrixVotes);
    if (differences > 0) warnings.push(`votes.csv and participants-votes.csv disagree on ${differences} vote${differences === 1 ? "" : "s"}; the votes of votes.csv were used.`);
  }
  for (const v of votes) {
    if (!participantById.has(v.participantId)) participantById.set(v.participantId, { participantId: v.participantId, xid: null, groupId: null });
  }

  return {
    comments: [...commentById.values()].sort((a, b) => a.commentId - b.commentId),
    participants: [...participantById.values()].sort((a, b) => a.participantId - b.participantId),
    votes: {
      count: votes.length,
      participantId: Int32Array.from(votes, (v) => v.participantId),
      commentId: Int32Array.from(votes, (v) => v.commentId),
      value: Int8Array.from(votes, (v) => v.value),
      at: Float64Array.from(votes, (v) => v.at),
    },
    votesFrom: streamVotes ? "votes.csv" : "participants-votes.csv",
    hasPolisGroups: typeof pvText === "string",
    warnings,
  };
}

function cellError(table: CsvTable, line: number, name: string, problem: string): PolisImportError {
  const i = table.columnOf.get(name);
  return new PolisImportError(table.file, line, i !== undefined ? i + 1 : null, name, problem);
}

function countDifferences(a: readonly PolisVote[], b: readonly PolisVote[]): number {
  const key = (v: PolisVote) => `${v.participantId}:${v.commentId}`;
  const inB = new Map(b.map((v) => [key(v), v.value]));
  let differences = 0;
  for (const v of a) {
    const other = inB.get(key(v));
    if (other !== v.value) differences++;
    inB.delete(key(v));
  }
  return differences + inB.size;
}

/**
 * The conversation as (encoded) opinion-group input: participant ids are
 * Polis participant ids and proposition ids comment ids (as strings), in
 * Polis's pid / tid order; hidden (moderated −1) and meta comments are excluded.
 * @param extraExcluded comment ids to exclude as well (e.g. marked meta by hand)
 */
export function polisOpinionInput(conversation: PolisConversation, extraExcluded: ReadonlySet<number> = new Set()): EncodedOpinionInput {
  const participantIndex = new Map(conversation.participants.map((p, i) => [p.participantId, i]));
  const commentIndex = new Map(conversation.comments.map((c, i) => [c.commentId, i]));
  const { votes } = conversation;
  return {
    participantIds: conversation.participants.map((p) => String(p.participantId)),
    propositionIds: conversation.comments.map((c) => String(c.commentId)),
    excluded: Uint8Array.from(conversation.comments, (c) => (c.hidden || c.meta || extraExcluded.has(c.commentId) ? 1 : 0)),
    voteParticipant: Int32Array.from(votes.participantId, (p) => participantIndex.get(p)!),
    voteProposition: Int32Array.from(votes.commentId, (c) => commentIndex.get(c)!),
    voteValue: votes.value.slice(),
  };
}
