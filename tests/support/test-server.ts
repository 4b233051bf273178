/**
 * The in-process server of an integration test file: `useTestServer(options)`
 * registers vitest hooks that start `startServer` (server/app.ts) on the run's
 * fresh database (`inject("databaseUrl")`, see tests/setup/global-setup.ts) and
 * a free port before the file's tests, and afterwards disconnect every socket
 * the file tracked and close the server.
 *
 *   const { server, sockets, connect } = useTestServer({ serveApp: false, rateLimits: "off" });
 *
 * `server` reads through to the running server, so `server.url`, `server.db`
 * and `server.services` work inside tests and hooks (and throw if read before
 * the server has started, e.g. at a file's top level).
 */
import { afterAll, beforeAll, inject } from "vitest";
import { startServer, type RunningServer, type StartOptions } from "../../server/app";
import { connectParticipant, type TestSocket } from "./socket-client";

export interface TestServer {
  /** The running server (reads through once started). */
  server: RunningServer;
  /** Sockets disconnected after the file's tests: push any socket opened by hand. */
  sockets: TestSocket[];
  /** connectParticipant (tests/support/socket-client.ts) on this server, tracked in `sockets`. */
  connect(debateId: string, token?: string, lastSeq?: number): ReturnType<typeof connectParticipant>;
}

/**
 * Starts a server for the current test file (beforeAll) and stops it (afterAll).
 * @param options everything but `databaseUrl` and `port`, passed to startServer as given
 *   (so `rateLimits` keeps its production default unless the file says "off").
 */
export function useTestServer(options: Omit<StartOptions, "databaseUrl" | "port">): TestServer {
  let running: RunningServer | undefined;
  const started = (): RunningServer => {
    if (!running) throw new Error("the test server has not started yet: use it inside a test or hook");
    return running;
  };
  const server: RunningServer = {
    get url() {
      return started().url;
    },
    get port() {
      return started().port;
    },
    get site() {
      return started().site;
    },
    get services() {
      return started().services;
    },
    get db() {
      return started().db;
    },
    get io() {
      return started().io;
    },
    get http() {
      return started().http;
    },
    close: () => started().close(),
  };
  const sockets: TestSocket[] = [];
  beforeAll(async () => {
    running = await startServer({ databaseUrl: inject("databaseUrl"), port: 0, ...options });
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await running?.close();
  });
  return {
    server,
    sockets,
    async connect(debateId, token, lastSeq) {
      const c = await connectParticipant(started().url, debateId, token, lastSeq);
      sockets.push(c.socket);
      return c;
    },
  };
}
