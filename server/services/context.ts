/**
 * What every service needs: the database and a way to publish events to a
 * debate's room after a change has committed (Outline's habit: services write,
 * then publish; sockets only fan out).
 */
import type { DebateChange, RatingTalliedPayload, VoteTalliedPayload } from "../../app/shared/contract";
import type { Db } from "../db";
import type { RateLimits } from "./rate-limits";

export interface Publisher {
  /** A numbered content change, to everyone in the debate. Called only after commit. */
  change(debateId: string, change: DebateChange): void;
  /** A vote tally: at once to the voter's other tabs, coalesced to everyone else. */
  voteTally(debateId: string, payload: VoteTalliedPayload): void;
  /** A rating tally, like voteTally. */
  ratingTally(debateId: string, payload: RatingTalliedPayload): void;
}

/** A publisher that drops everything: for scripts and tests without sockets. */
export const silentPublisher: Publisher = { change() {}, voteTally() {}, ratingTally() {} };

export interface ServiceContext {
  db: Db;
  publisher: Publisher;
  limits: RateLimits;
}
