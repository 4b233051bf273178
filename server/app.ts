/**
 * One Node process: the React Router app, the JSON API, /healthz and
 * socket.io, all on one HTTP port. `startServer` is used by server/index.ts
 * and by the integration tests (which run it in-process on port 0).
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server as HttpServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequestHandler } from "@react-router/express";
import express from "express";
import type { ServerBuild } from "react-router";
import { createPrismaClient, type Db } from "./db";
import { createApiRouter } from "./http/api";
import { isCrossOrigin } from "./http/origin";
import { attachAdapter, type AdapterKind } from "./realtime/adapter";
import { createSocketPublisher, createSocketServer, type DebateServer } from "./realtime/socket";
import { createServices, type Services } from "./services";
import type { Mailer } from "./services/mailer";
import { DEFAULT_RATE_LIMITS, RateLimits, type RateLimitConfig, type RateLimitRedisClient } from "./services/rate-limits";
import { createClient } from "redis";
import { log } from "./log";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface StartOptions {
  databaseUrl: string;
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
  /** Outgoing mail (password-reset links); default: written to the server log (LogMailer). */
  mailer?: Mailer;
  /** PUBLIC_URL: the origin used in links sent by mail; unset: the request's own origin. */
  publicUrl?: string;
  /** TRUST_PROXY: which proxies' X-Forwarded-For to believe for the client address (Express "trust proxy"); default none. */
  trustProxy?: number | string;
  /** How often live connections opened through an account re-check it (ms; default SIGN_IN_SWEEP_MS, 10 s). */
  signInSweepMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  services: Services;
  db: Db;
  io: DebateServer;
  http: HttpServer;
  /** Closes sockets, HTTP and the database pool. */
  close(): Promise<void>;
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
function securityHeaders(req: express.Request, res: express.Response, next: express.NextFunction) {
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
}

/** A connected Redis client for the shared rate-limit counters. @throws when Redis cannot be reached at start. */
async function connectRateLimitRedis(url: string): Promise<RateLimitRedisClient> {
  const client = createClient({ url });
  client.on("error", (error) => log.error("rate-limit redis error", error));
  await client.connect();
  return client;
}

/**
 * Starts the HTTP + socket.io server.
 * @throws when the port is taken or the database is unreachable at start.
 */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const db = createPrismaClient(options.databaseUrl);
  const publisher = createSocketPublisher();
  // With REDIS_URL, rate-limit counters live in Redis so every server node shares them (docs/decisions/0009-rate-limits.md).
  const limitsConfig = options.rateLimits ?? DEFAULT_RATE_LIMITS;
  const limitsRedis = options.redisUrl && limitsConfig !== "off" && options.rateLimitStore !== "memory" ? await connectRateLimitRedis(options.redisUrl) : undefined;
  const services = createServices({ db, publisher, limits: new RateLimits(limitsConfig, { redis: limitsRedis }), mailer: options.mailer, publicUrl: options.publicUrl });

  const app = express();
  app.disable("x-powered-by");
  if (options.trustProxy !== undefined) app.set("trust proxy", options.trustProxy);
  app.use(securityHeaders);

  app.get("/healthz", async (_req, res) => {
    try {
      await db.$queryRaw`SELECT 1`;
      res.json({ status: "ok", database: "reachable" });
    } catch {
      res.status(503).json({ status: "unavailable", database: "unreachable" });
    }
  });

  app.use("/api", createApiRouter(services));

  // Process figures for operators and benchmarks (bench/). `?gc=1` runs a full GC first
  // when Node was started with --expose-gc, so heap figures are comparable.
  app.get("/metrics", (req, res) => {
    if (req.query.gc === "1" && typeof globalThis.gc === "function") globalThis.gc();
    const memory = process.memoryUsage();
    res.json({
      heapUsedBytes: memory.heapUsed,
      rssBytes: memory.rss,
      connectedSockets: io.engine.clientsCount,
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
    app.use("/assets", express.static(path.join(buildDir, "client", "assets"), { immutable: true, maxAge: "1y" }));
    app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h" }));
    app.get("/favicon.ico", (_req, res) => res.redirect(301, "/favicon.svg"));
    const buildEntry = path.join(buildDir, "server", "index.js");
    app.all(
      "/{*splat}",
      createRequestHandler({
        build: () => import(buildEntry) as Promise<ServerBuild>,
        getLoadContext: (req, res) => ({ services, cspNonce: res.locals.cspNonce as string, clientAddress: req.ip ?? "unknown" }),
      }),
    );
  }

  const http = createServer(app);
  const io = createSocketServer(http, services, publisher, options.allowedOrigins, { signInSweepMs: options.signInSweepMs });
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
  return {
    url: `http://localhost:${port}`,
    port,
    services,
    db,
    io,
    http,
    async close() {
      publisher.flush();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await closeAdapter();
      await limitsRedis?.quit().catch(() => undefined);
      await new Promise<void>((resolve) => (http.listening ? http.close(() => resolve()) : resolve()));
      await db.$disconnect();
    },
  };
}

