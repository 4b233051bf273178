/** Small JSON API client for tests and benchmarks. */
export async function api(baseUrl: string, path: string, init: { method?: string; body?: unknown; token?: string; rawBody?: string } = {}) {
  const res = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? (init.body !== undefined || init.rawBody !== undefined ? "POST" : "GET"),
    headers: { "Content-Type": "application/json", ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}) },
    body: init.rawBody ?? (init.body !== undefined ? JSON.stringify(init.body) : undefined),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, json: (await res.json()) as any };
}

/** Creates a published debate from `sourceText` and joins `names` as debaters. */
export async function publishedDebateWith(baseUrl: string, sourceText: string, names: string[]) {
  const created = await api(baseUrl, "/api/debates", { body: { sourceText, publish: true } });
  if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.json)}`);
  const participants: { id: string; token: string; name: string }[] = [];
  for (const name of names) {
    const joined = await api(baseUrl, `/api/debates/${created.json.id}/participants`, { body: { displayName: name } });
    participants.push({ id: joined.json.participant.id, token: joined.json.token, name });
  }
  return { debate: created.json as { id: string; propositions: { id: string; text: string }[]; hostToken: string }, participants };
}
