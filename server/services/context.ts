/**
 * What every service needs: the database and a way to publish events to a
 * debate's room after a change has committed (Outline's habit: services write,
 * then publish; sockets only fan out).
 */
import type { ServerToClientEvents } from "../../app/shared/contract";
import type { Db } from "../db";

export interface Publisher {
  /** Sends `event` to every socket in the debate's room. Called only after commit. */
  publish<E extends keyof ServerToClientEvents>(debateId: string, event: E, ...payload: Parameters<ServerToClientEvents[E]>): void;
}

/** A publisher that drops everything: for scripts and tests without sockets. */
export const silentPublisher: Publisher = { publish() {} };

export interface ServiceContext {
  db: Db;
  publisher: Publisher;
}
