/**
 * JSON API helpers used to set a benchmark up the way a client would:
 * sign a facilitator up (POST /api/accounts), create and publish a debate (POST /api/debates), join participants
 * (POST /api/debates/:id/participants), read it back (GET /api/debates/:id).
 */
import { randomUUID } from "node:crypto";
import type { DebateDTO } from "../../app/shared/contract";

export interface CreatedDebate {
  id: string;
  hostToken: string;
  host: { id: string };
  propositions: { id: string; position: number; text: string }[];
}
export interface Joined {
  participant: { id: string; displayName: string };
  token: string;
}

/** A generated op-ed whose "hot take" section yields `sentences` propositions (one per sentence). */
export function benchArticle(sentences = 12): string {
  const claims = Array.from({ length: sentences }, (_, i) => `Claim number ${i + 1} says that public policy ${["should", "must", "could", "will"][i % 4]} favour option ${String.fromCharCode(65 + (i % 26))} over the status quo for reason ${i + 1}.`);
  return `Benchmark op-ed\n\nAn introduction that sets the scene for the argument below.\n\nHot take\n\n${claims.join(" ")}\n`;
}

export async function api<T>(base: string, path: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<T> {
  const res = await fetch(base + path, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { "content-type": "application/json", ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

const facilitatorTokens = new Map<string, Promise<string>>();

/**
 * An API token of a facilitator account signed up for this server through
 * POST /api/accounts (creating debates needs one); one account per server URL.
 */
export function facilitatorToken(base: string): Promise<string> {
  let token = facilitatorTokens.get(base);
  if (!token) {
    const body = { email: `bench-${randomUUID()}@example.org`, password: `bench password ${randomUUID()}`, displayName: "Benchmark facilitator" };
    token = api<{ apiToken: string }>(base, "/api/accounts", { body }).then((r) => r.apiToken);
    token.catch(() => facilitatorTokens.delete(base));
    facilitatorTokens.set(base, token);
  }
  return token;
}

/** Creates a published debate from benchArticle(sentences), as a facilitator (facilitatorToken). */
export async function createDebate(base: string, sentences = 12): Promise<CreatedDebate> {
  return api<CreatedDebate>(base, "/api/debates", { body: { sourceText: benchArticle(sentences), publish: true, title: "Benchmark debate", draft: "sentences" }, token: await facilitatorToken(base) });
}

/** Joins `count` participants named `<prefix> <n>`, `concurrency` requests at a time. */
export async function joinMany(base: string, debateId: string, count: number, prefix = "Bench", concurrency = 16): Promise<Joined[]> {
  const out: Joined[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await api<Joined>(base, `/api/debates/${debateId}/participants`, { body: { displayName: `${prefix} ${i + 1}` } });
      }
    }),
  );
  return out;
}

export const getDebate = (base: string, id: string) => api<DebateDTO>(base, `/api/debates/${id}`);
