/**
 * Server configuration, parsed once with zod at start-up. A bad value stops the
 * server with a message naming the variable, rather than failing later.
 */
import { z } from "zod";
import { rateLimitsEnvSchema } from "./services/rate-limits";

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  /** TCP port for HTTP and socket.io (one port for both). */
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  /** PostgreSQL URL. Unset: an embedded PostgreSQL is started with its data in .data/postgres. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: "DATABASE_URL must start with postgres:// or postgresql://" })
    .optional(),
  /** Port of the embedded PostgreSQL, when DATABASE_URL is unset. */
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(5433),
  /**
   * The origin people open, e.g. https://steelman.example.org: links in mail use it, requests naming
   * another host are refused (400), and with https cookies are Secure and __Host- and HSTS is sent
   * (server/site.ts). Unset: links use the address the server listens on, any host is answered.
   */
  PUBLIC_URL: z
    .url({ message: "PUBLIC_URL must be a URL like https://steelman.example.org" })
    .refine((v) => /^https?:\/\/[^/?#]+\/?$/.test(v), { message: "PUBLIC_URL must be an origin only, like https://steelman.example.org (http or https, no path)" })
    .optional(),
  /** More host names to answer for besides PUBLIC_URL's, comma-separated: "name", ".example.org" (it and its subdomains), or "*". */
  ALLOWED_HOSTS: z
    .string()
    .regex(/^\s*(\*|\.?[\w.-]+|\[[0-9a-f:.]+\])(\s*,\s*(\*|\.?[\w.-]+|\[[0-9a-f:.]+\]))*\s*$/i, { message: "ALLOWED_HOSTS must be host names separated by commas, like steelman.example.org, .school.example, or *" })
    .transform((v) => v.split(",").map((h) => h.trim()).filter(Boolean))
    .optional(),
  /** Bearer token that GET /metrics requires. Unset: /metrics answers 404. */
  METRICS_TOKEN: z.string().min(16, { message: "METRICS_TOKEN must be at least 16 characters (a random secret)" }).optional(),
  /** SMTP server for outgoing mail, e.g. smtp://user:password@mail.example.org:587 or smtps://…:465. Unset: mail is written to the log (development). */
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^/]+/, { message: "SMTP_URL must look like smtp://user:password@mail.example.org:587 or smtps://mail.example.org:465" }).optional(),
  /** The From of outgoing mail, e.g. "Steelman <steelman@example.org>". Required with SMTP_URL. */
  MAIL_FROM: z.string().min(3).max(300).optional(),
  LOG_LEVEL: z.enum(["silent", "error", "info"]).default("info"),
  /** Most draft propositions a new debate gets, whatever the article's length (default 25; docs/decisions/0040-claim-scoring.md). */
  PROPOSITIONS_DRAFT_MAX: z
    .string()
    .regex(/^\d{1,3}$/, { message: "PROPOSITIONS_DRAFT_MAX must be a whole number from 1 to 300" })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 300, { message: "PROPOSITIONS_DRAFT_MAX must be a whole number from 1 to 300" })
    .optional(),
  /** "off", or JSON overriding rate-limit rules (server/services/rate-limits.ts). */
  RATE_LIMITS: rateLimitsEnvSchema.optional(),
  /** Redis for sharing socket.io rooms between server processes (Redis Streams adapter). */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, { message: "REDIS_URL must start with redis:// or rediss://" }).optional(),
  /**
   * How socket.io rooms are shared between server processes: "postgres" (default; LISTEN/NOTIFY on
   * DATABASE_URL), "redis" (default when REDIS_URL is set), or "memory" (one process only).
   */
  SOCKET_ADAPTER: z.enum(["memory", "postgres", "redis"]).optional(),
  /** Connections in this process's database pool (default 10; see docs/decisions/0061-retryable-database-errors.md). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).optional(),
  /** How long a write waits for a database connection before it is answered `busy` (503, retry), in ms (default 2000). */
  DATABASE_TRANSACTION_WAIT_MS: z.coerce.number().int().min(10).max(60_000).optional(),
  /** Writes one process runs at once (default twice DATABASE_POOL_SIZE; docs/decisions/0064-bounded-write-queue.md). */
  WRITE_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).optional(),
  /** Writes that may wait beyond those before new ones are answered `busy` (503, retry); default 500. */
  WRITE_QUEUE_LIMIT: z.coerce.number().int().min(0).max(100_000).optional(),
  /** Longest a write waits in that queue before it is answered `busy`, in ms (default 10,000). */
  WRITE_QUEUE_WAIT_MS: z.coerce.number().int().min(1).max(120_000).optional(),
  /**
   * Which proxies in front of Steelman to believe about the client's address (X-Forwarded-For), for the
   * per-address rate limits: unset = none (the address is the TCP peer); a number of hops (e.g. 1 behind
   * one load balancer); or Express's names and addresses ("loopback", "10.0.0.0/8, 127.0.0.1").
   * See https://expressjs.com/en/guide/behind-proxies.html.
   */
  TRUST_PROXY: z
    .string()
    .regex(/^(\d{1,2}|[\w.:/]+(\s*,\s*[\w.:/]+)*)$/, { message: "TRUST_PROXY must be a hop count like 1, or addresses/names like loopback, 10.0.0.0/8" })
    .transform((v) => (/^\d+$/.test(v) ? Number(v) : v))
    .optional(),
}).superRefine((env, ctx) => {
  if (env.SMTP_URL && !env.MAIL_FROM) ctx.addIssue({ code: "custom", path: ["MAIL_FROM"], message: 'MAIL_FROM is required with SMTP_URL, e.g. "Steelman <steelman@example.org>"' });
});

export type Env = z.infer<typeof envSchema>;

/**
 * Parses `source` (default process.env).
 * @throws Error listing every invalid variable.
 */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return result.data;
}
