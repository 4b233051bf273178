/**
 * What every service needs: the database and a way to publish events to a
 * debate's room after a change has committed (Outline's habit: services write,
 * then publish; sockets only fan out).
 */
import type { DebateChange, ModerationNotice, RatingTalliedPayload, VoteTalliedPayload } from "../../app/shared/contract";
import type { ErrorBody } from "../../app/shared/errors";
import type { ComputeRunner } from "../compute/runner";
import type { Db } from "../db";
import type { Mailer } from "./mailer";
import type { RateLimits } from "./rate-limits";
import type { Site } from "../site";

export interface Publisher {
  /** A numbered content change, to everyone in the debate. Called only after commit. */
  change(debateId: string, change: DebateChange): void;
  /**
   * A vote tally: at once to the voter's other tabs, coalesced to everyone else. With `facilitatorsOnly`
   * (results hidden by the phase), the coalesced tally goes to the debate's facilitators only and the
   * voter's tabs get `ownCopy` (the tally withheld) instead.
   */
  voteTally(debateId: string, payload: VoteTalliedPayload, hidden?: { ownCopy: VoteTalliedPayload }): void;
  /** A rating tally, like voteTally. */
  ratingTally(debateId: string, payload: RatingTalliedPayload): void;
  /**
   * A numbered change about an argument inside a hidden thread: `full` to the
   * debate's facilitators and to `authorId`'s sockets, `withheld` (same seq) to everyone else.
   */
  restrictedChange(debateId: string, full: DebateChange, withheld: DebateChange, authorId: string | null): void;
  /** A report was filed or resolved: to the debate's facilitators only. */
  moderation(debateId: string, notice: ModerationNotice): void;
  /**
   * Ends a removed participant's live connections on every node at once: each of
   * their sockets first gets `error` (debate:error), then is disconnected. Called only after commit.
   */
  disconnectParticipant(participantId: string, error: ErrorBody): void;
  /** Ends the live connections of everyone reading the debate without having joined it (every node): `error` first, then disconnected. */
  disconnectAnonymous(debateId: string, error: ErrorBody): void;
}

/** A publisher that drops everything: for scripts and tests without sockets. */
export const silentPublisher: Publisher = { change() {}, voteTally() {}, ratingTally() {}, disconnectParticipant() {}, disconnectAnonymous() {}, restrictedChange() {}, moderation() {} };

export interface ServiceContext {
  db: Db;
  publisher: Publisher;
  limits: RateLimits;
  /** Outgoing mail (password resets); default: the server log (server/services/mailer.ts LogMailer). */
  mailer?: Mailer;
  /**
   * Where the site is reached (server/site.ts): links sent by mail take `site.linkOrigin`
   * (PUBLIC_URL, else the listening address), never anything from a request. Default: http://localhost.
   */
  site?: Site;
  /** The worker thread for heavy computations (opinion groups, Polis import parsing); created on first need when absent. */
  compute?: ComputeRunner;
  /** Asks for a debate's opinion groups to be recomputed (server/jobs/opinion-groups-queue.ts OpinionGroupsQueue: a pg-boss job); absent: nothing is scheduled. */
  opinionGroups?: { request(debateId: string): void };
  /** Most draft propositions per new debate or re-draft (default DEFAULT_MAX_DRAFTS, 25; server/domain/claims.ts). */
  draftMax?: number;
}
