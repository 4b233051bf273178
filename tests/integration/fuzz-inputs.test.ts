/**
 * Property-based fuzzing of every socket event and every JSON API body (issue 9,
 * "Hostile traffic"; fast-check). Invariant: whatever arrives, the server
 * answers with success or a stable error code and a sentence, never a crash and
 * never `internal_error` / 500 (a logged server error also fails the test,
 * tests/setup/fail-on-console-error.ts).
 *
 * [F1] socket: FUZZ_SOCKET_RUNS (default 1,000) runs of 100 messages each, sent
 *      at once on a debater's and a facilitator's connection: every client event
 *      name plus unknown ones (`__proto__`, `constructor`, …); payloads derived
 *      from each operation's own zod schema in the operations table
 *      (tests/support/zod-arbitrary.ts: valid, or wrong in one field, missing a
 *      field, or with a `__proto__` / `constructor` key), and generic hostile ones:
 *      any JSON, deeply nested arrays, long strings, fields of the wrong type;
 *      a fifth sent without an acknowledgement callback.
 * [F2] HTTP: FUZZ_HTTP_RUNS (default 200) runs of 10 bodies each on every write
 *      route (POST, PUT, PATCH, DELETE) the API router has, read from the router
 *      itself so a new route is fuzzed without being listed here.
 * A failing run prints fast-check's seed and path; replay it with FUZZ_SEED and FUZZ_PATH.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ClientEvent, OPERATIONS, READS } from "../../app/shared/operations";
import { createApiRouter } from "../../server/http/api";
import { ErrorCode } from "../../app/shared/errors";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { publishedDebateWith } from "../support/api-client";
import { seedArticle } from "../support/article";
import type { TestSocket } from "../support/socket-client";
import { useTestServer } from "../support/test-server";
import { nearValid, type ArbitraryHints } from "../support/zod-arbitrary";

const { server, connect } = useTestServer({ serveApp: false, rateLimits: "off" });

const SOCKET_RUNS = Number(process.env.FUZZ_SOCKET_RUNS ?? 1_000);
const HTTP_RUNS = Number(process.env.FUZZ_HTTP_RUNS ?? 200);
const replay = process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED), path: process.env.FUZZ_PATH } : {};
const STABLE_CODES = new Set<string>(Object.values(ErrorCode).filter((c) => c !== ErrorCode.internal));

/** Payloads a hostile or broken client might send, for fields it knows the names of. */
function payloads(ids: { propositionId: string; argumentId: string }) {
  const junkScalar = fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.uuid());
  const dangerousKeys = fc.dictionary(fc.constantFrom("__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty"), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1 });
  const deep = fc.integer({ min: 20, max: 400 }).map((depth) => {
    let value: unknown = "bottom";
    for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { nested: value };
    return value;
  });
  const longText = fc.integer({ min: 1_000, max: 60_000 }).map((n) => "é".repeat(n));
  const nearValid = fc.record(
    {
      opId: fc.oneof(fc.uuid(), junkScalar),
      propositionId: fc.oneof(fc.constant(ids.propositionId), fc.uuid(), junkScalar),
      argumentId: fc.oneof(fc.constant(ids.argumentId), fc.uuid(), junkScalar),
      parentId: fc.oneof(fc.constant(ids.argumentId), fc.uuid(), junkScalar),
      stance: fc.oneof(fc.constantFrom("pro", "con"), junkScalar),
      value: fc.oneof(fc.constantFrom("agree", "disagree", "unsure", "up", "down", null), junkScalar),
      body: fc.oneof(fc.string({ maxLength: 200 }).map((t) => plainTextToArgumentBody(t)), fc.jsonValue({ maxDepth: 4 }), longText),
      text: fc.oneof(fc.string({ maxLength: 300 }), junkScalar),
      reason: fc.oneof(fc.string({ maxLength: 300 }), junkScalar),
      url: fc.oneof(fc.webUrl(), fc.string({ maxLength: 100 }), junkScalar),
      lastSeq: fc.oneof(fc.integer({ min: -5, max: 1e9 }), junkScalar),
      locked: fc.oneof(fc.boolean(), junkScalar),
    },
    { requiredKeys: [] },
  );
  return fc.oneof(fc.jsonValue({ maxDepth: 4 }), dangerousKeys, deep, nearValid, nearValid, nearValid, fc.constant(undefined));
}

/** Per event name, payloads shaped by that operation's (or read's) own input schema. */
function schemaPayloads(hints: ArbitraryHints): Map<string, fc.Arbitrary<unknown>> {
  const byEvent = new Map<string, fc.Arbitrary<unknown>>();
  for (const spec of [...Object.values(OPERATIONS), ...Object.values(READS)]) byEvent.set(spec.event, nearValid(spec.input, hints));
  return byEvent;
}

/**
 * Every write route of the API as [method, path pattern], read from the Express router's stack
 * (express 5: a layer with a `route` has its `path` and `methods`).
 */
function apiWriteRoutes(): [string, string][] {
  const router = createApiRouter({} as never) as unknown as { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  const routes: [string, string][] = [];
  for (const layer of router.stack) {
    if (!layer.route) continue;
    for (const method of Object.keys(layer.route.methods)) {
      if (["post", "put", "patch", "delete"].includes(method)) routes.push([method.toUpperCase(), layer.route.path]);
    }
  }
  return routes;
}

/** One message's answer, or "no-ack" when sent without a callback, or "timeout". */
async function send(socket: TestSocket, event: string, payload: unknown, withAck: boolean): Promise<unknown> {
  if (!withAck) {
    (socket as unknown as { emit(e: string, p: unknown): void }).emit(event, payload);
    return "no-ack";
  }
  try {
    return await (socket.timeout(30_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<unknown> }).emitWithAck(event, payload);
  } catch {
    return "timeout";
  }
}

/** Whether an acknowledgement is a success or a refusal with a stable code and a sentence. */
function wellFormed(answer: unknown): boolean {
  if (answer === "no-ack") return true;
  const a = answer as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  if (a?.ok === true) return true;
  return a?.ok === false && typeof a.error?.code === "string" && STABLE_CODES.has(a.error.code) && typeof a.error.message === "string" && a.error.message.length > 0;
}

describe("fuzzing with fast-check", () => {
  it(`[F1] ${SOCKET_RUNS * 100} socket messages: every answer a success or a stable error`, async () => {
    const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Fuzz"]);
    const propositionId = debate.propositions[0]!.id;
    const debater = (await connect(debate.id, participants[0]!.token)).socket;
    const host = (await connect(debate.id, debate.hostToken)).socket;
    const first = await send(debater, ClientEvent.postArgument, { opId: randomUUID(), propositionId, stance: "pro", body: plainTextToArgumentBody("A target for the fuzzer.") }, true);
    const argumentId = (first as { data: { id: string } }).data.id;
    const events = [...Object.values(ClientEvent), "unknown:event", "__proto__", "constructor", "toString", ""];
    const bySchema = schemaPayloads({ ids: { propositionId: [propositionId], argumentId: [argumentId], parentId: [argumentId] } });
    const generic = payloads({ propositionId, argumentId });
    const message = fc
      .record({ event: fc.constantFrom(...events), withAck: fc.boolean().map((b) => b || Math.random() < 0.6), asHost: fc.boolean() })
      .chain((m) => {
        const own = bySchema.get(m.event);
        return (own ? fc.oneof({ arbitrary: own, weight: 3 }, { arbitrary: generic, weight: 1 }) : generic).map((payload) => ({ ...m, payload }));
      });
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 100, maxLength: 100 }), async (batch) => {
        const answers = await Promise.all(batch.map((m) => send(m.asHost ? host : debater, m.event, m.payload, m.withAck)));
        sent += batch.length;
        const bad = answers.map((a, i) => ({ a, m: batch[i]! })).filter(({ a }) => !wellFormed(a));
        if (bad.length > 0) throw new Error(`not a success or stable error: ${JSON.stringify(bad.slice(0, 3).map(({ a, m }) => ({ event: m.event, answer: a })))}`);
        return debater.connected && host.connected;
      }),
      { numRuns: SOCKET_RUNS, ...replay },
    );
    expect(sent).toBe(SOCKET_RUNS * 100);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  }, 1_200_000);

  it(`[F2] ${HTTP_RUNS * 10} JSON bodies on every API write route: no 500`, async () => {
    const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Fuzz HTTP", "Fuzz target"]);
    const propositionId = debate.propositions[0]!.id;
    const token = participants[0]!.token;
    const patterns = apiWriteRoutes();
    // The router must have been read: these write routes exist (a change in Express's internals would otherwise fuzz nothing).
    for (const known of ["POST /debates", "POST /debates/:id/arguments", "PUT /debates/:id/propositions/:propositionId/vote", "POST /debates/:id/phase", "PUT /debates/:id/motion-vote", "POST /imports"]) {
      expect(patterns.map(([m, p]) => `${m} ${p}`)).toContain(known);
    }
    const params: Record<string, string> = { id: debate.id, propositionId, argumentId: randomUUID(), participantId: participants[1]!.id, sourceId: randomUUID() };
    const routes = patterns.map(([method, pattern]): [string, string] => [method, "/api" + pattern.replace(/:([A-Za-z]+)/g, (_, name: string) => params[name] ?? randomUUID())]);
    const bySchema = [...schemaPayloads({ ids: { propositionId: [propositionId], parentId: [] } }).values()];
    const body = fc.oneof(payloads({ propositionId, argumentId: randomUUID() }), ...bySchema);
    const request = fc.record({ route: fc.constantFrom(...routes), body, asHost: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 10, maxLength: 10 }), async (batch) => {
        const statuses = await Promise.all(
          batch.map(async ({ route: [method, path], body, asHost }) => {
            const res = await fetch(`${server.url}${path}`, { method, headers: { "Content-Type": "application/json", Authorization: `Bearer ${asHost ? debate.hostToken : token}` }, body: body === undefined ? "" : JSON.stringify(body) });
            const json = (await res.json().catch(() => null)) as { error?: { code?: string } } | null;
            return { status: res.status, code: json?.error?.code, path };
          }),
        );
        const bad = statuses.filter((s) => s.status >= 500 || (s.status >= 400 && !STABLE_CODES.has(String(s.code))));
        if (bad.length > 0) throw new Error(`answered with a server error or without a stable code: ${JSON.stringify(bad.slice(0, 3))}`);
      }),
      { numRuns: HTTP_RUNS, ...replay },
    );
  }, 600_000);
});
