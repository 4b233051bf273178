/**
 * One Node process: the React Router app, the JSON API, /healthz and
 * socket.io, all on one HTTP port. `startServer` is used by server/index.ts
 * and by the integration tests (which run it in-process on port 0).
 */
import { randomBytes, timingSafeEqual, createHash } from "node:crypto";
import { createServer, type Server as HttpServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequestHandler } from "@react-router/express";
import express from "express";
import type { ServerBuild } from "react-router";
import { ErrorCode } from "../app/shared/errors";
import { servicesForPages } from "../app/utils/errors.server";
import { currentRequestLocale, localeOfRequest, runWithRequestLocale } from "../app/i18n/request-locale.server";
import { translate } from "../app/i18n/catalogues.server";
import { BUSY_RETRY_AFTER_SECONDS, withRetryableDatabaseErrors } from "./database-availability";
import { createPrismaClient, type DatabasePoolOptions, type Db } from "./db";
import { createDrain } from "./drain";
import { createApiRouter } from "./http/api";
import { refuseOversizedBodies } from "./http/body-limits";
import { compressDynamic, servePrecompressed } from "./http/compression";
import { isCrossOrigin } from "./http/origin";
import { attachAdapter, type AdapterKind } from "./realtime/adapter";
import { WriteAdmission, type WriteAdmissionOptions } from "./write-admission";
import { createSocketPublisher, createSocketServer, debateRoom, type DebateServer } from "./realtime/socket";
import { ServerEvent } from "../app/shared/contract";
import { ComputeRunner } from "./compute/runner";
import { OpinionGroupsQueue, type OpinionGroupsRun } from "./jobs/opinion-groups-queue";
import type { RecomputeOutcome } from "./services/opinion-groups";
import { createServices, type Services } from "./services";
import { LogMailer, type Mailer } from "./services/mailer";
import { DEFAULT_RATE_LIMITS, RateLimits, type RateLimitConfig } from "./services/rate-limits";
import { connectRedis } from "./redis";
import { log } from "./log";
import { HSTS_HEADER, Site, type TrustProxyFn } from "./site";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface StartOptions {
  databaseUrl: string;
  /** Pool size and how long a write waits for a connection before answering `busy` (server/db.ts DatabasePoolOptions). */
  databasePool?: DatabasePoolOptions;
  /**
   * Bounds on writes in this process (server/write-admission.ts): WRITE_CONCURRENCY (default twice the
   * pool size), WRITE_QUEUE_LIMIT (500), WRITE_QUEUE_WAIT_MS (10,000). Past them writes answer `busy`.
   */
  writeAdmission?: Partial<WriteAdmissionOptions>;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Serve the built React Router app from build/ (false for API/socket-only tests). */
  serveApp?: boolean;
  /** Extra origins allowed to open sockets (same origin is always allowed). */
  allowedOrigins?: string[];
  /** Rate-limit rules, or "off" (load tests); default DEFAULT_RATE_LIMITS. */
  rateLimits?: RateLimitConfig | "off";
  /** How socket.io rooms are shared with other server processes (default "memory": this process only). */
  adapter?: AdapterKind;
  redisUrl?: string;
  /** Where rate-limit counters live: "redis" (default when `redisUrl` is given: shared by every node) or "memory". */
  rateLimitStore?: "memory" | "redis";
  /** Outgoing mail (password-reset links); default: written to the server log (LogMailer, development only). */
  mailer?: Mailer;
  /**
   * PUBLIC_URL: the origin people open. Links in mail use it; requests naming another host get 400;
   * when https, cookies are Secure and __Host- and HSTS is sent (server/site.ts).
   * Unset: links use the address the server listens on, and any host is answered.
   */
  publicUrl?: string;
  /** ALLOWED_HOSTS: more host names to answer for ("name", ".example.org", "*"). */
  allowedHosts?: string[];
  /**
   * TRUST_PROXY: which proxies' forwarded headers to believe (Express "trust proxy"): X-Forwarded-For for
   * the client address, X-Forwarded-Proto, X-Forwarded-Host for the allowed-host check; default none.
   */
  trustProxy?: number | string;
  /** METRICS_TOKEN: the bearer token GET /metrics requires; unset: /metrics answers 404. */
  metricsToken?: string;
  /** How long opinion groups wait for votes to settle before recomputing (ms; default 2,000): the pg-boss job's startAfter. */
  opinionGroupsSettleMs?: number;
  /** While the database is away at start, how often starting the job queue (pg-boss) is tried again (ms; default 5,000). */
  jobQueueRestartMs?: number;
  /** Told about every opinion-groups computation this process runs (start and end times; tests). */
  onOpinionGroupsRun?: (run: OpinionGroupsRun) => void;
  /** Most draft propositions per new debate (PROPOSITIONS_DRAFT_MAX; default 25). */
  draftMax?: number;
  /** How often live connections opened through an account re-check it (ms; default SIGN_IN_SWEEP_MS, 10 s). */
  signInSweepMs?: number;
}

export interface RunningServer {
  /** http://localhost:<port>, for tests and local clients. */
  url: string;
  /** Where the server is reached and what follows (allowed hosts, cookies, link origin). */
  site: Site;
  port: number;
  services: Services;
  db: Db;
  io: DebateServer;
  http: HttpServer;
  /** Closes sockets, HTTP and the database pool. */
  /**
   * Graceful stop: refuses new connections and new service calls (`busy`), waits for the calls in
   * flight (at most `drainTimeoutMs`, default 8000 ms), then closes sockets, adapter and pool.
   */
  close(options?: { drainTimeoutMs?: number }): Promise<void>;
}

/** Responses that are never an HTML page: the JSON API (which answers 404 itself) and operator endpoints. */
const NON_DOCUMENT_PATH = /^\/(?:api(?:\/|$)|healthz$|metrics$)/;

/** The policy for JSON and other non-document responses: nothing may load, nothing may frame them. */
export const NON_DOCUMENT_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * The Content-Security-Policy of every page React Router renders, for one
 * request's nonce. See docs/decisions/0008-content-security-policy.md for why
 * each directive is what it is (notably `style-src-attr 'unsafe-inline'`).
 */
export function documentCsp(nonce: string): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': only the nonced inline scripts React Router renders, and
    // the module graph they import, may run; 'self' is the CSP 2 fallback.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self'",
    // style="" attributes (server-rendered vote bar widths) cannot run code and
    // img-src keeps url() loads on this origin.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    // Same-origin fetches and the socket.io WebSocket (CSP 3 'self' matches ws:/wss: of this host).
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Features the app never uses, switched off for it and anything it might embed. */
const PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), accelerometer=(), gyroscope=(), magnetometer=()";

/**
 * Security headers for every response. Pages get a strict CSP with a fresh
 * nonce (also in `res.locals.cspNonce`, passed to React Router's load context
 * so every inline script it renders carries it); JSON responses get a policy
 * that allows nothing.
 */
const securityHeaders = (site: Site) => (req: express.Request, res: express.Response, next: express.NextFunction) => {
  // Over https (PUBLIC_URL), browsers must never come back over plain HTTP (ASVS 5 3.4.1).
  if (site.secure) res.setHeader("Strict-Transport-Security", HSTS_HEADER);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Permissions-Policy", PERMISSIONS_POLICY);
  // Older browsers that ignore frame-ancestors.
  res.setHeader("X-Frame-Options", "DENY");
  if (NON_DOCUMENT_PATH.test(req.path)) {
    res.setHeader("Content-Security-Policy", NON_DOCUMENT_CSP);
  } else {
    const nonce = randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    res.setHeader("Content-Security-Policy", documentCsp(nonce));
  }
  next();
};

/**
 * Refuses, with 400, requests naming a host this server does not answer for
 * (PUBLIC_URL's and ALLOWED_HOSTS'; none are checked when both are unset), as
 * Django's ALLOWED_HOSTS does: nothing downstream ever sees a forged Host.
 */
const allowedHostsOnly = (site: Site, trust: () => TrustProxyFn) => (req: express.Request, res: express.Response, next: express.NextFunction) => {
  if (site.allowsRequest(req, trust())) return next();
  res.setHeader("Connection", "close");
  const message = "This server does not answer for that host name. Open it at its own address.";
  res.status(400);
  if (req.path.startsWith("/api/")) res.json({ error: { code: ErrorCode.validation, message } });
  else res.type("text/plain").send(message);
};

/** SHA-256 of a string, for comparing secrets in constant time whatever their lengths. */
const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

/**
 * GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>` (ASVS 5 13.4.5: monitoring endpoints not
 * exposed unless intended). Without METRICS_TOKEN it answers 404, as if it did not exist.
 * @returns whether the request may read the figures (else it has been answered).
 */
function metricsAllowed(req: express.Request, res: express.Response, token: string | undefined): boolean {
  if (!token) {
    res.status(404).json({ error: { code: ErrorCode.notFound, message: "GET /metrics is closed: start the server with METRICS_TOKEN set to read it with that bearer token." } });
    return false;
  }
  const header = req.get("authorization") ?? "";
  const given = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
  if (given && timingSafeEqual(digest(given), digest(token))) return true;
  res.setHeader("WWW-Authenticate", 'Bearer realm="metrics"');
  res.status(401).json({ error: { code: ErrorCode.unauthenticated, message: "GET /metrics needs Authorization: Bearer <METRICS_TOKEN>." } });
  return false;
}

/**
 * Starts the HTTP + socket.io server.
 * @throws when the port is taken or the database is unreachable at start.
 */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const db = createPrismaClient(options.databaseUrl, options.databasePool);
  const publisher = createSocketPublisher();
  // With REDIS_URL, rate-limit counters live in Redis so every server node shares them (docs/decisions/0009-rate-limits.md).
  const limitsConfig = options.rateLimits ?? DEFAULT_RATE_LIMITS;
  const limitsRedis = options.redisUrl && limitsConfig !== "off" && options.rateLimitStore !== "memory" ? await connectRedis(options.redisUrl, "the shared rate-limit counters") : undefined;
  const site = new Site({ publicUrl: options.publicUrl, allowedHosts: options.allowedHosts });
  const mailer = options.mailer ?? new LogMailer();
  // Opinion groups (issue 11): a vote change, meta change or import sends a pg-boss job for its debate,
  // which settles, runs in the compute worker (never twice at once for one debate, across processes) and
  // tells open results pages (results:updated). docs/decisions/0055-opinion-groups-on-pg-boss.md.
  const compute = new ComputeRunner();
  let emitResults: (debateId: string) => void = () => undefined;
  const opinionGroups: OpinionGroupsQueue = new OpinionGroupsQueue({
    databaseUrl: options.databaseUrl,
    run: (debateId): Promise<RecomputeOutcome> => services.recomputeOpinionGroups(debateId),
    onComputed: (debateId) => emitResults(debateId),
    settleMs: options.opinionGroupsSettleMs,
    restartMs: options.jobQueueRestartMs,
    // Tests settle in 200 ms: look for jobs as often as pg-boss allows.
    pollingIntervalSeconds: options.opinionGroupsSettleMs !== undefined && options.opinionGroupsSettleMs < 1_000 ? 0.5 : 1,
    observer: options.onOpinionGroupsRun,
  });
  const voteTally = publisher.voteTally.bind(publisher);
  publisher.voteTally = (debateId, payload, hidden) => {
    voteTally(debateId, payload, hidden);
    opinionGroups.request(debateId);
  };
  // A database that cannot serve now answers the retryable `busy` (503 + Retry-After), never a generic 500.
  // While draining (close(), on SIGTERM) new calls are refused as `busy` and the ones in flight finish first.
  const drain = createDrain();
  const services = drain.track(withRetryableDatabaseErrors(createServices({ db, publisher, limits: new RateLimits(limitsConfig, { redis: limitsRedis }), mailer, site, compute, opinionGroups, draftMax: options.draftMax })));

  const pageServices = servicesForPages(services);
  // Writes beyond what the pool can serve wait in a bounded queue; past it they are refused as `busy` before
  // their body is read (docs/decisions/0064-bounded-write-queue.md).
  const admission = new WriteAdmission({
    concurrency: options.writeAdmission?.concurrency ?? 2 * (options.databasePool?.size ?? 10),
    queueLimit: options.writeAdmission?.queueLimit ?? 500,
    queueWaitMs: options.writeAdmission?.queueWaitMs ?? 10_000,
  });

  const app = express();
  app.disable("x-powered-by");
  if (options.trustProxy !== undefined) app.set("trust proxy", options.trustProxy);
  const trustProxy = (): TrustProxyFn => app.get("trust proxy fn") as TrustProxyFn;
  app.use(allowedHostsOnly(site, trustProxy));
  app.use(securityHeaders(site));
  // Every request knows its language (cookie, Accept-Language) for translating error messages (app/i18n/request-locale.server.ts).
  app.use((req, _res, next) => runWithRequestLocale(localeOfRequest({ cookie: req.headers.cookie, acceptLanguage: req.headers["accept-language"] }, (name) => site.cookieName(name)), next));
  // Before any route reads a body: 413 for a declared body over the route's limit.
  app.use(refuseOversizedBodies);
  app.use(admission.httpMiddleware());
  // Brotli or gzip for pages, data and the API, by the request's Accept-Encoding (server/http/compression.ts).
  app.use(compressDynamic());

  app.get("/healthz", async (_req, res) => {
    if (drain.draining) {
      res.setHeader("Retry-After", String(BUSY_RETRY_AFTER_SECONDS));
      res.status(503).json({ status: "draining", database: "not checked" });
      return;
    }
    try {
      await db.$queryRaw`SELECT 1`;
      res.json({ status: "ok", database: "reachable" });
    } catch {
      res.setHeader("Retry-After", String(BUSY_RETRY_AFTER_SECONDS));
      res.status(503).json({ status: "unavailable", database: "unreachable" });
    }
  });

  app.use("/api", createApiRouter(services, site));

  // Process figures for operators and benchmarks (bench/). `?gc=1` runs a full GC first
  // when Node was started with --expose-gc, so heap figures are comparable.
  app.get("/metrics", (req, res) => {
    if (!metricsAllowed(req, res, options.metricsToken)) return;
    if (req.query.gc === "1" && typeof globalThis.gc === "function") globalThis.gc();
    const memory = process.memoryUsage();
    res.json({
      heapUsedBytes: memory.heapUsed,
      rssBytes: memory.rss,
      connectedSockets: io.engine.clientsCount,
      writes: admission.snapshot(),
      uptimeSeconds: Math.round(process.uptime()),
    });
  });

  // Form posts to the app's own pages must come from its own origin (browsers send Origin on POST).
  app.use((req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD" && isCrossOrigin(req)) {
      res.status(403).type("text/plain").send("This form was sent from another site, so it was refused.");
      return;
    }
    next();
  });

  if (options.serveApp !== false) {
    const buildDir = path.join(projectRoot, "build");
    // A path that does not decode goes to the bad-address page below (the router would answer a bare "URI malformed").
    app.use((req, _res, next) => {
      try {
        decodeURIComponent(req.path);
      } catch (error) {
        next(error);
        return;
      }
      next();
    });
    // The .br / .gz copies written at build time (vite.config.ts); the compression middleware leaves them as they are.
    app.use("/assets", servePrecompressed(path.join(buildDir, "client", "assets"), "immutable"));
    app.use(servePrecompressed(path.join(buildDir, "client"), "short"));
    app.get("/favicon.ico", (_req, res) => res.redirect(301, "/favicon.svg"));
    const buildEntry = path.join(buildDir, "server", "index.js");
    app.all(
      "/{*splat}",
      createRequestHandler({
        build: () => import(buildEntry) as Promise<ServerBuild>,
        getLoadContext: (req, res) => ({ services: pageServices, site, cspNonce: res.locals.cspNonce as string, clientAddress: req.ip ?? "unknown" }),
      }),
    );
  }

  // A page address whose %-codes do not decode (`/debates/%ff`) is refused with a sentence in the reader's language
  // and a way home, not the router's bare "URI malformed".
  app.use((error: unknown, req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (!(error instanceof URIError) || res.headersSent) return next(error);
    const locale = currentRequestLocale();
    // Catalogue text only (nothing from the request is written into the page).
    const sentence = translate(locale, "errors.badAddress");
    const home = translate(locale, "error.backHome");
    res
      .status(400)
      .type("html")
      .send(`<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Steelman</title></head><body><main><h1>Steelman</h1><p>${sentence}</p><p><a href="/">${home}</a></p></main></body></html>`);
  });

  const http = createServer(app);
  const io = createSocketServer(http, services, publisher, options.allowedOrigins, { signInSweepMs: options.signInSweepMs, site, trustProxy, eventsPerSecond: limitsConfig === "off" ? null : undefined, admission });
  emitResults = (debateId) => io.to(debateRoom(debateId)).emit(ServerEvent.resultsUpdated, { debateId, computedAt: new Date().toISOString() });
  const closeAdapter = await attachAdapter(io, options.adapter ?? "memory", { databaseUrl: options.databaseUrl, redisUrl: options.redisUrl });

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port, options.host ?? "0.0.0.0", () => {
      http.off("error", reject);
      resolve();
    });
  });
  const address = http.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  site.listening(options.host ?? "0.0.0.0", port);
  logSiteNotes(site, mailer, options.metricsToken);
  // Last, once nothing else can fail: never rejects; with the database away it keeps trying in the background.
  await opinionGroups.start();
  return {
    url: `http://localhost:${port}`,
    site,
    port,
    services,
    db,
    io,
    http,
    async close(options: { drainTimeoutMs?: number } = {}) {
      // Stop taking connections, let the service calls in flight finish (bounded), then close the
      // sockets (clients reconnect, through the balancer, to another process) and the pool.
      if (http.listening) http.close();
      // No new jobs fetched once shutting down (a drained service would refuse them); a running one finishes
      // (bounded: then pg-boss fails it and another process retries it). Waiting jobs stay for the others.
      await opinionGroups.stop(options.drainTimeoutMs ?? 8_000);
      const { unfinished } = await drain.drain(options.drainTimeoutMs ?? 8_000);
      if (unfinished > 0) log.error(`shutting down with ${unfinished} request(s) still running after the drain timeout`);
      publisher.flush();
      await compute.close();
      await new Promise<void>((resolve) => void io.close(() => resolve()));
      await closeAdapter();
      await limitsRedis?.quit().catch(() => undefined);
      await new Promise<void>((resolve) => (http.listening ? http.close(() => resolve()) : resolve()));
      await db.$disconnect();
      (mailer as { close?: () => void }).close?.();
    },
  };
}

/** Start-up lines about what an operator should set (LOG_LEVEL=info; tests and benchmarks run quieter). */
function logSiteNotes(site: Site, mailer: Mailer, metricsToken: string | undefined): void {
  if (site.publicUrl) {
    log.info(`PUBLIC_URL is ${site.linkOrigin}: links in mail point there; requests for other hosts than ${site.allowedHostsDescription} are refused.${site.secure ? " Cookies are Secure and __Host-, HSTS is on." : " It is plain http: cookies are not Secure and no HSTS is sent."}`);
  } else {
    log.info(
      `PUBLIC_URL is not set: links in mail (password resets) point to ${site.linkOrigin}, the address this server listens on, and any host name is answered. Set PUBLIC_URL to the address people open, e.g. https://steelman.example.org.`,
    );
  }
  log.info(mailer.description);
  if (!metricsToken) log.info("METRICS_TOKEN is not set: GET /metrics is closed (404).");
}

