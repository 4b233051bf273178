/**
 * Connecting to the Redis named by REDIS_URL (rate-limit counters, the Redis Streams socket.io
 * adapter). node-redis on its own retries a refused first connection forever, logging each
 * attempt; here the first connection gets three tries (about half a second, or up to 15 s
 * against a host that does not answer), then start-up fails with a sentence naming REDIS_URL.
 * Once connected, a lost connection is retried for as long as it takes, as before.
 */
import { createClient } from "redis";
import { log } from "./log";

export type RedisClient = ReturnType<typeof createClient>;

const FIRST_CONNECT_TRIES = 3;

/**
 * Connects to `url` for `purpose` (words that finish "needed for …").
 * @returns the connected client; later connection errors are logged and retried.
 * @throws Error naming REDIS_URL when Redis cannot be reached at start.
 */
export async function connectRedis(url: string, purpose: string): Promise<RedisClient> {
  let connected = false;
  const client = createClient({
    url,
    socket: {
      connectTimeout: 5_000,
      reconnectStrategy: (retries, cause) => (connected ? Math.min(100 * (retries + 1), 2_000) : retries + 1 >= FIRST_CONNECT_TRIES ? cause : 200),
    },
  });
  client.on("error", (error) => {
    if (connected) log.error(`redis (${purpose}) connection error; reconnecting`, error);
  });
  try {
    await client.connect();
  } catch (error) {
    if (client.isOpen) client.destroy(); // after its last try it has closed itself
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Redis at ${withoutPassword(url)} cannot be reached (${reason}); it is needed for ${purpose}. Check REDIS_URL, or unset it to run without Redis (rooms are then shared through PostgreSQL, and each process counts its own rate limits).`, { cause: error });
  }
  connected = true;
  return client;
}

/** `url` with any password replaced by `***`, for messages. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.href;
  } catch {
    return "REDIS_URL";
  }
}
