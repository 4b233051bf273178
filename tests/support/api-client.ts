import { randomUUID } from "node:crypto";

/** Small JSON API client for tests and benchmarks. */
export async function api(baseUrl: string, path: string, init: { method?: string; body?: unknown; token?: string; rawBody?: string } = {}) {
  const res = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? (init.body !== undefined || init.rawBody !== undefined ? "POST" : "GET"),
    headers: { "Content-Type": "application/json", ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}) },
    body: init.rawBody ?? (init.body !== undefined ? JSON.stringify(init.body) : undefined),
  });
  return { status: res.status, json: (await res.json()) as any };
}

/**
 * `api`, resending a request answered 503 `busy` (the server's retryable refusal under load,
 * docs/decisions/0061 and 0064) after its Retry-After, as the app's clients do, up to `attempts`
 * times; the last answer is returned whatever it is. For tests that check what is stored, not how
 * the server sheds load (those call `api` and expect the 503).
 */
export async function apiRetryingBusy(baseUrl: string, path: string, init: Parameters<typeof api>[2] = {}, attempts = 10) {
  for (let attempt = 1; ; attempt++) {
    const answer = await api(baseUrl, path, init);
    if (answer.status !== 503 || answer.json?.error?.code !== "busy" || attempt >= attempts) return answer;
    await new Promise((resolve) => setTimeout(resolve, (answer.json.error.retryAfterSeconds ?? 1) * 1000 * (0.5 + Math.random())));
  }
}

/** A new facilitator's sign-up details, with a random email address. */
export function randomAccount(displayName = "Test Facilitator") {
  return { email: `facilitator-${randomUUID()}@example.org`, password: `correct horse ${randomUUID()}`, displayName };
}

/**
 * Signs a new facilitator up through `POST /api/accounts` and returns its API
 * token (`smk_…`), for creating debates. One account per server URL is made
 * and reused (sign-ups are rate limited per address when limits are on).
 */
export function facilitatorToken(baseUrl: string): Promise<string> {
  let token = facilitatorTokens.get(baseUrl);
  if (!token) {
    token = api(baseUrl, "/api/accounts", { body: randomAccount() }).then(({ status, json }) => {
      if (status !== 201) throw new Error(`sign-up failed: ${status} ${JSON.stringify(json)}`);
      return json.apiToken as string;
    });
    token.catch(() => facilitatorTokens.delete(baseUrl));
    facilitatorTokens.set(baseUrl, token);
  }
  return token;
}
const facilitatorTokens = new Map<string, Promise<string>>();

/** Creates a published debate from `sourceText` (as a facilitator, see facilitatorToken) and joins `names` as debaters. */
export async function publishedDebateWith(baseUrl: string, sourceText: string, names: string[]) {
  const created = await api(baseUrl, "/api/debates", { body: { sourceText, publish: true }, token: await facilitatorToken(baseUrl) });
  if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.json)}`);
  const participants: { id: string; token: string; name: string }[] = [];
  for (const name of names) {
    const joined = await api(baseUrl, `/api/debates/${created.json.id}/participants`, { body: { displayName: name } });
    participants.push({ id: joined.json.participant.id, token: joined.json.token, name });
  }
  return { debate: created.json as { id: string; propositions: { id: string; text: string }[]; hostToken: string }, participants };
}
