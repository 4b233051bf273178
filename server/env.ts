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
  /** Public base URL used in join links, e.g. https://steelman.example.org. Defaults to the request's origin. */
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(["silent", "error", "info"]).default("info"),
  /** "off", or JSON overriding rate-limit rules (server/services/rate-limits.ts). */
  RATE_LIMITS: rateLimitsEnvSchema.optional(),
  /** Redis for sharing socket.io rooms between server processes (Redis Streams adapter). */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, { message: "REDIS_URL must start with redis:// or rediss://" }).optional(),
  /**
   * How socket.io rooms are shared between server processes: "postgres" (default; LISTEN/NOTIFY on
   * DATABASE_URL), "redis" (default when REDIS_URL is set), or "memory" (one process only).
   */
  SOCKET_ADAPTER: z.enum(["memory", "postgres", "redis"]).optional(),
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
