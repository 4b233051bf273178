/**
 * Every hostile payload (tests/fixtures/hostile-payloads.ts) through every
 * input the server stores, over the JSON API and the socket: debate title,
 * article text, article URL, proposition wording, argument bodies (plain text
 * and Lexical states that smuggle HTML), source URL/title/quote, display name.
 *
 * For each: the server answers success or a 400 naming the field (never a
 * 500), URLs that are not http(s) are refused wherever a URL is stored,
 * smuggling Lexical states are refused, and whatever was accepted is stored as
 * sent — plain text, never turned into markup. Problems are collected per
 * input so one run lists every payload that misbehaves.
 */
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ClientEvent, type Ack, type ArgumentDTO, type DebateDTO, type PropositionDTO } from "../../app/shared/contract";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { startServer, type RunningServer } from "../../server/app";
import { api, facilitatorToken } from "../support/api-client";
import { seedArticle } from "../support/article";
import { connectParticipant, emitWithAck, type TestSocket } from "../support/socket-client";
import { HOSTILE_PAYLOADS, HOSTILE_URLS, type HostilePayload, smugglingLexicalStates, type UrlVerdict } from "../fixtures/hostile-payloads";

let server: RunningServer;
/** A facilitator's API token: creating a debate needs an account. */
let facilitator: string;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  server = await startServer({ databaseUrl: inject("databaseUrl"), port: 0, serveApp: false, rateLimits: "off" });
  facilitator = await facilitatorToken(server.url);
});
afterAll(async () => {
  sockets.forEach((s) => s.disconnect());
  await server?.close();
});

// ---------------------------------------------------------------- helpers

/** A short article that always yields propositions (fast to split). */
const SHORT_ARTICLE = "Public transport should be free for everyone in the city. Free buses would cut traffic and pollution in the centre. Critics say the cost would fall on people who never ride a bus.\n";

const BIDI = /[\u202a-\u202e\u2066-\u2069]/;
/** An unpaired UTF-16 surrogate: refused everywhere (PostgreSQL would reject or mangle it). */
const BROKEN = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** C1 controls and Unicode line/paragraph separators: refused in single-line fields. */
const C1_OR_SEPARATOR = /[\u0080-\u009f\u2028\u2029]/;
/** Invisible or direction-changing characters: refused inside URLs. */
const URL_INVISIBLE = /[\u202a-\u202e\u2066-\u2069\u200b-\u200f]/;
const CONTROL = /\p{Cc}/u;
/** What a single-line field (title, display name, proposition, source title) is documented to store: whitespace folded, trimmed. */
const folded = (s: string) => s.replace(/\s+/g, " ").trim();
/** One JSON message a socket may carry (LIMITS.socketMessageMaxBytes is 256 KiB); larger ones are for HTTP only. */
const fitsSocket = (value: unknown) => Buffer.byteLength(JSON.stringify(value)) < 200_000;
/** The verdict for a payload used as a URL: the hand label of URL payloads; other text is never a web address. */
const verdictOf = (p: HostilePayload): UrlVerdict => HOSTILE_URLS.find((u) => u.id === p.id)?.verdict ?? "unsafe";

/** Payloads every text field must accept and keep as text: markup is words, not something to refuse. */
const MUST_KEEP_AS_TEXT = ["script-plain", "handler-img-onerror", "handler-svg-onload", "template-angular", "markdown-link-javascript", "polyglot-attr-tag", "proto-proto"].map((id) => {
  const found = HOSTILE_PAYLOADS.find((p) => p.id === id);
  if (!found) throw new Error(id);
  return found;
});

/** Runs `fn` over `items`, `size` at a time. */
async function inChunks<T, R>(items: readonly T[], size: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(...(await Promise.all(items.slice(i, i + size).map((item, j) => fn(item, i + j)))));
  }
  return out;
}

type Reply = { status: number; json: any };
/** An API reply or a socket acknowledgement as one shape: ok, status, error field. */
type Outcome = { ok: true; data: any } | { ok: false; status: number; code: string; field: string | undefined; message: string };

function fromHttp(reply: Reply): Outcome {
  if (reply.status === 200 || reply.status === 201) return { ok: true, data: reply.json };
  return { ok: false, status: reply.status, code: reply.json?.error?.code, field: reply.json?.error?.field, message: reply.json?.error?.message ?? JSON.stringify(reply.json).slice(0, 200) };
}
function fromAck(reply: Ack<unknown>): Outcome {
  if (reply.ok) return { ok: true, data: reply.data };
  return { ok: false, status: reply.error.code === "validation_failed" ? 400 : reply.error.code === "internal_error" ? 500 : 0, code: reply.error.code, field: reply.error.field, message: reply.error.message };
}

const show = (p: HostilePayload) => `${p.id} ${JSON.stringify(p.text.length > 80 ? `${p.text.slice(0, 80)}…(${p.text.length})` : p.text)}`;

/**
 * Checks one outcome: success, or a 400 validation error naming `field`
 * (a string, or a test on the field). Anything else (a 500, another code, no
 * field) is a problem. Returns whether it was accepted.
 */
function judge(problems: string[], where: string, p: HostilePayload, outcome: Outcome, field: string | ((f: string) => boolean)): boolean {
  if (outcome.ok) return true;
  const fieldOk = typeof field === "string" ? outcome.field === field : outcome.field !== undefined && field(outcome.field);
  if (outcome.status !== 400 || outcome.code !== "validation_failed" || !fieldOk) {
    problems.push(`${where} ${show(p)}: expected success or 400 naming ${typeof field === "string" ? field : "the field"}, got ${outcome.status} ${outcome.code} field=${outcome.field} "${outcome.message}"`);
  }
  return false;
}

/** The documented rules every single-line field shares; returns the reason it must be refused, if any. */
function mustRefuseLine(text: string, max: number): string | null {
  const f = folded(text);
  if (text.includes("\u0000")) return "it holds U+0000";
  if (BIDI.test(f)) return "it holds bidi controls";
  if (BROKEN.test(text)) return "it holds an unpaired surrogate";
  if (C1_OR_SEPARATOR.test(f)) return "it holds a C1 control or a line separator";
  if (f.length === 0) return "it is empty";
  if (!/[\p{L}\p{N}\p{S}\p{P}]/u.test(f)) return "it has nothing visible";
  if (f.length > max) return `it is longer than ${max}`;
  return null;
}

/** Checks a single-line field: refused when it must be, stored folded (and free of control characters) when accepted. */
function checkLine(problems: string[], where: string, p: HostilePayload, accepted: boolean, stored: string | undefined, max: number) {
  const reason = mustRefuseLine(p.text, max);
  if (accepted && reason) problems.push(`${where} ${show(p)}: accepted although ${reason}`);
  if (!accepted && !reason && MUST_KEEP_AS_TEXT.includes(p)) problems.push(`${where} ${show(p)}: refused plain text that merely looks like markup`);
  if (accepted) {
    if (stored !== folded(p.text)) problems.push(`${where} ${show(p)}: stored ${JSON.stringify(stored?.slice(0, 120))}, expected ${JSON.stringify(folded(p.text).slice(0, 120))}`);
    else if (CONTROL.test(stored)) problems.push(`${where} ${show(p)}: stored a control character (${[...stored].filter((c) => CONTROL.test(c)).map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`).join(", ")}) in a single-line field documented to have none`);
  }
}

/** Checks a URL field: http(s) accepted and stored trimmed; everything else refused. */
function checkUrl(problems: string[], where: string, p: HostilePayload, accepted: boolean, stored: string | null | undefined) {
  const verdict = verdictOf(p);
  if (accepted && verdict !== "http") problems.push(`${where} ${show(p)}: an unsafe (${verdict}) URL was accepted and stored as ${JSON.stringify(stored)}`);
  if (accepted && URL_INVISIBLE.test(p.text)) problems.push(`${where} ${show(p)}: a URL with invisible or direction-changing characters was accepted`);
  if (!accepted && verdict === "http" && !URL_INVISIBLE.test(p.text)) problems.push(`${where} ${show(p)}: an http(s) URL was refused`);
  if (accepted && stored !== p.text.trim()) problems.push(`${where} ${show(p)}: URL stored as ${JSON.stringify(stored)}`);
}

/** The plain text `plainTextToArgumentBody(text)` must read back as: the same lines, no markup. */
function expectedBodyText(text: string): string {
  return text.split(/\r\n|\r|\n/).join("\n").replace(/^\s*\n/, "").trimEnd();
}
/** Whether the plain-text body of `text` is one the documented rules refuse (empty, too long, U+0000). */
function mustRefuseBody(text: string): string | null {
  if (text.includes("\u0000")) return "it holds U+0000";
  if (BROKEN.test(text)) return "it holds an unpaired surrogate";
  if (text.trim() === "") return "it is empty";
  if ([...expectedBodyText(text)].length > 5000) return "it is longer than 5,000 characters";
  return null;
}
function checkBody(problems: string[], where: string, p: HostilePayload, outcome: Outcome) {
  const accepted = judge(problems, where, p, outcome, (f) => f === "body" || f.startsWith("body."));
  const reason = mustRefuseBody(p.text);
  if (accepted && reason) problems.push(`${where} ${show(p)}: accepted although ${reason}`);
  if (!accepted && !reason) problems.push(`${where} ${show(p)}: refused a plain-text argument (${outcome.ok ? "" : outcome.message})`);
  if (accepted && outcome.ok) {
    const arg = outcome.data as ArgumentDTO;
    if (!isDeepStrictEqual(arg.body, plainTextToArgumentBody(p.text))) problems.push(`${where} ${show(p)}: body changed on the way: ${JSON.stringify(arg.body).slice(0, 200)}`);
    if (arg.bodyText !== expectedBodyText(p.text)) problems.push(`${where} ${show(p)}: bodyText ${JSON.stringify(arg.bodyText.slice(0, 120))}`);
  }
}

const NODE_KEYS: Record<string, readonly string[]> = {
  root: ["type", "children", "direction", "format", "indent", "textFormat", "textStyle", "version"],
  paragraph: ["type", "children", "direction", "format", "indent", "textFormat", "textStyle", "version"],
  list: ["type", "children", "listType", "start", "tag", "direction", "format", "indent", "textFormat", "textStyle", "version"],
  listitem: ["type", "children", "value", "checked", "direction", "format", "indent", "textFormat", "textStyle", "version"],
  link: ["type", "children", "url", "rel", "target", "title", "direction", "format", "indent", "textFormat", "textStyle", "version"],
  text: ["type", "text", "format", "detail", "mode", "style", "version"],
  linebreak: ["type", "version"],
};
/** Node types, keys and styles in a stored body that the allow-list does not have (empty when clean). */
function smuggledParts(body: unknown): string[] {
  const found: string[] = [];
  if (typeof body !== "object" || body === null || Object.keys(body).join() !== "root") found.push("keys next to root");
  const stack: unknown[] = [(body as { root?: unknown })?.root];
  while (stack.length) {
    const node = stack.pop() as Record<string, unknown>;
    if (typeof node !== "object" || node === null) {
      found.push(`a non-object node ${JSON.stringify(node)}`);
      continue;
    }
    const allowed = NODE_KEYS[String(node.type)];
    if (!allowed) found.push(`node type ${JSON.stringify(node.type)}`);
    for (const key of Object.keys(node)) if (allowed && !allowed.includes(key)) found.push(`key ${JSON.stringify(key)} on ${String(node.type)}`);
    if ((typeof node.style === "string" && node.style !== "") || (typeof node.textStyle === "string" && node.textStyle !== "")) found.push("a style");
    if (node.type === "link" && !/^(https?|mailto):/i.test(String(node.url).trim())) found.push(`link URL ${JSON.stringify(node.url)}`);
    if (Array.isArray(node.children)) stack.push(...node.children);
  }
  return found;
}

async function publishedDebate(names: string[]) {
  const created = await api(server.url, "/api/debates", { body: { sourceText: seedArticle, publish: true }, token: facilitator });
  expect(created.status).toBe(201);
  const participants: { id: string; token: string }[] = [];
  for (const displayName of names) {
    const joined = await api(server.url, `/api/debates/${created.json.id}/participants`, { body: { displayName } });
    expect(joined.status).toBe(201);
    participants.push({ id: joined.json.participant.id, token: joined.json.token });
  }
  return { debate: created.json as { id: string; hostToken: string; propositions: PropositionDTO[] }, participants };
}

async function socketFor(debateId: string, token: string) {
  const { socket } = await connectParticipant(server.url, debateId, token);
  sockets.push(socket);
  return socket;
}

// ---------------------------------------------------------------- tests

describe("hostile input", () => {
  it("the corpus has at least 100 payloads with unique ids", () => {
    expect(HOSTILE_PAYLOADS.length).toBeGreaterThanOrEqual(100);
    expect(new Set(HOSTILE_PAYLOADS.map((p) => p.id)).size).toBe(HOSTILE_PAYLOADS.length);
    expect(new Set([...HOSTILE_PAYLOADS.map((p) => p.id), ...smugglingLexicalStates().map((c) => c.id)]).size).toBe(HOSTILE_PAYLOADS.length + smugglingLexicalStates().length);
  });

  it("debate titles: stored as folded text or refused naming 'title'", async () => {
    const problems: string[] = [];
    await inChunks(HOSTILE_PAYLOADS, 12, async (p) => {
      const outcome = fromHttp(await api(server.url, "/api/debates", { body: { title: p.text, sourceText: SHORT_ARTICLE, publish: true }, token: facilitator }));
      const accepted = judge(problems, "title", p, outcome, "title");
      let stored: string | undefined;
      if (accepted && outcome.ok) {
        const read = await api(server.url, `/api/debates/${outcome.data.id}`);
        stored = read.json.title;
        if (outcome.data.title !== stored) problems.push(`title ${show(p)}: answered ${JSON.stringify(outcome.data.title)} but stored ${JSON.stringify(stored)}`);
      }
      checkLine(problems, "title", p, accepted, stored, 200);
    });
    expect(problems).toEqual([]);
  }, 60_000);

  it("article text: the payload inside a real article is kept verbatim, in the article and in any proposition drawn from it", async () => {
    const problems: string[] = [];
    const anchor = "🔥 Hot Take: America Is Building the Wrong Kind of AI Lead\n";
    expect(seedArticle).toContain(anchor);
    let inProposition = 0;
    let accepted = 0;
    await inChunks(HOSTILE_PAYLOADS, 8, async (p) => {
      const sentence = `Critics of the deployment strategy quoted ${p.text} in their report last year.\n`;
      const sourceText = seedArticle.replace(anchor, anchor + sentence);
      const outcome = fromHttp(await api(server.url, "/api/debates", { body: { sourceText }, token: facilitator }));
      if (!judge(problems, "sourceText", p, outcome, "sourceText")) {
        if (!p.text.includes("\u0000") && sourceText.length <= 500_000 && !/[\p{Cc}\uFFFD]/u.test(p.text) && !BROKEN.test(p.text)) problems.push(`sourceText ${show(p)}: an article with this payload was refused: ${outcome.ok ? "" : outcome.message}`);
        return;
      }
      if (!outcome.ok) return;
      accepted += 1;
      if (p.text.includes("\u0000")) problems.push(`sourceText ${show(p)}: an article holding U+0000 was accepted`);
      const read = await api(server.url, `/api/debates/${outcome.data.id}`, { token: outcome.data.hostToken });
      const debate = read.json as DebateDTO;
      if (debate.sourceText !== sourceText) problems.push(`sourceText ${show(p)}: the article was not stored as sent`);
      for (const prop of debate.propositions) {
        if (!prop.sourceSpan || debate.sourceText.slice(prop.sourceSpan.start, prop.sourceSpan.end) !== prop.text) problems.push(`sourceText ${show(p)}: proposition ${prop.position} is not the exact slice of the article: ${JSON.stringify(prop.text.slice(0, 100))}`);
      }
      const carrying = debate.propositions.find((x) => x.text.includes("Critics of the deployment strategy quoted"));
      if (carrying && carrying.text.includes(p.text)) inProposition += 1;
      if (carrying && !p.text.includes("\n") && !p.text.includes("\r") && p.text.length < 300 && !/[.!?]/.test(p.text) && !carrying.text.includes(p.text)) {
        problems.push(`sourceText ${show(p)}: the proposition drawn from the payload's sentence does not hold the payload verbatim: ${JSON.stringify(carrying.text.slice(0, 200))}`);
      }
    });
    expect(problems).toEqual([]);
    // The check above means something: many payloads ended up inside a proposition, verbatim.
    expect(accepted).toBeGreaterThan(HOSTILE_PAYLOADS.length * 0.8);
    expect(inProposition).toBeGreaterThan(accepted * 0.5);
  }, 60_000);

  it("article URLs: only http(s) URLs are stored, as sent; everything else is refused naming 'sourceUrl'", async () => {
    const problems: string[] = [];
    await inChunks(HOSTILE_PAYLOADS, 12, async (p) => {
      const outcome = fromHttp(await api(server.url, "/api/debates", { body: { sourceText: SHORT_ARTICLE, sourceUrl: p.text, publish: true }, token: facilitator }));
      const accepted = judge(problems, "sourceUrl", p, outcome, "sourceUrl");
      let stored: string | null | undefined;
      if (accepted && outcome.ok) stored = (await api(server.url, `/api/debates/${outcome.data.id}`)).json.sourceUrl;
      checkUrl(problems, "sourceUrl", p, accepted, stored);
    });
    expect(problems).toEqual([]);
  }, 60_000);

  it("display names: stored as folded text or refused naming 'displayName'", async () => {
    const problems: string[] = [];
    const { debate } = await publishedDebate([]);
    await inChunks(HOSTILE_PAYLOADS, 12, async (p) => {
      const outcome = fromHttp(await api(server.url, `/api/debates/${debate.id}/participants`, { body: { displayName: p.text } }));
      const accepted = judge(problems, "displayName", p, outcome, "displayName");
      let stored: string | undefined;
      if (accepted && outcome.ok) {
        stored = (await server.db.participant.findUniqueOrThrow({ where: { id: outcome.data.participant.id } })).displayName;
        if (outcome.data.participant.displayName !== stored) problems.push(`displayName ${show(p)}: answered ${JSON.stringify(outcome.data.participant.displayName)}, stored ${JSON.stringify(stored)}`);
        // The name reaches the socket unchanged too.
        const { socket, welcome } = await connectParticipant(server.url, debate.id, outcome.data.token);
        socket.disconnect();
        if (welcome.participant?.displayName !== stored) problems.push(`displayName ${show(p)}: the socket welcome says ${JSON.stringify(welcome.participant?.displayName)}`);
      }
      checkLine(problems, "displayName", p, accepted, stored, 40);
    });
    expect(problems).toEqual([]);
  }, 60_000);

  it("proposition wording (facilitator): stored as folded text or refused naming 'text', over the API and the socket", async () => {
    const problems: string[] = [];
    const { debate } = await publishedDebate([]);
    const props = debate.propositions;
    expect(props.length).toBeGreaterThanOrEqual(5);
    const host = await socketFor(debate.id, debate.hostToken);
    for (const via of ["api", "socket"] as const) {
      // One payload per proposition at a time, so each row's final text is known.
      await inChunks(HOSTILE_PAYLOADS, props.length, async (p, i) => {
        const prop = props[i % props.length]!;
        const outcome =
          via === "api"
            ? fromHttp(await api(server.url, `/api/debates/${debate.id}/propositions/${prop.id}`, { method: "PATCH", token: debate.hostToken, body: { text: p.text } }))
            : fitsSocket(p.text)
              ? fromAck(await emitWithAck(host, ClientEvent.editProposition, { propositionId: prop.id, text: p.text }))
              : null;
        if (!outcome) return;
        const where = `proposition(${via})`;
        const accepted = judge(problems, where, p, outcome, "text");
        let stored: string | undefined;
        if (accepted && outcome.ok) {
          stored = (await server.db.proposition.findUniqueOrThrow({ where: { id: prop.id } })).text;
          if (outcome.data.text !== stored) problems.push(`${where} ${show(p)}: answered ${JSON.stringify(outcome.data.text)}, stored ${JSON.stringify(stored)}`);
        }
        checkLine(problems, where, p, accepted, stored, 1000);
      });
    }
    expect(problems).toEqual([]);
  }, 60_000);

  it("argument bodies as plain text: kept as the same lines of text, over the API and the socket, when posted and when edited", async () => {
    const problems: string[] = [];
    // Every write in a debate takes the debate's next change number under its row lock, so each way in gets its own debate and they run side by side.
    const lane = async (via: "api" | "socket", op: "post" | "edit") => {
      const { debate, participants } = await publishedDebate([`Author ${via} ${op}`]);
      const me = participants[0]!;
      const socket = via === "socket" ? await socketFor(debate.id, me.token) : null;
      const propositionId = debate.propositions[0]!.id;
      const slots = 8;
      // Arguments to edit: one per concurrent slot, so no two edits of one argument overlap.
      const targets = op === "edit" ? await Promise.all(Array.from({ length: slots }, async () => (await api(server.url, `/api/debates/${debate.id}/arguments`, { token: me.token, body: { propositionId, stance: "pro", body: plainTextToArgumentBody("An argument to edit.") } })).json.id as string)) : [];
      const where = `body(${via} ${op})`;
      await inChunks(HOSTILE_PAYLOADS, slots, async (p, i) => {
        const body = plainTextToArgumentBody(p.text);
        let outcome: Outcome;
        if (via === "api" && op === "post") outcome = fromHttp(await api(server.url, `/api/debates/${debate.id}/arguments`, { token: me.token, body: { propositionId, stance: i % 2 ? "con" : "pro", body } }));
        else if (via === "api") outcome = fromHttp(await api(server.url, `/api/debates/${debate.id}/arguments/${targets[i % slots]}`, { method: "PATCH", token: me.token, body: { body } }));
        else if (!fitsSocket(body)) return;
        else if (op === "post") outcome = fromAck(await emitWithAck(socket!, ClientEvent.postArgument, { propositionId, stance: "con", body }));
        else outcome = fromAck(await emitWithAck(socket!, ClientEvent.editArgument, { argumentId: targets[i % slots], body }));
        checkBody(problems, where, p, outcome);
      });
      // What the API reads back is what the database holds.
      const snapshot = (await api(server.url, `/api/debates/${debate.id}`)).json as DebateDTO;
      const stored = await server.db.argument.findMany({ where: { debateId: debate.id }, select: { id: true, bodyText: true } });
      const byId = new Map(stored.map((a) => [a.id, a.bodyText]));
      for (const a of snapshot.arguments) if (byId.get(a.id) !== a.bodyText) problems.push(`${where}: argument ${a.id} reads back differently`);
    };
    await Promise.all([lane("api", "post"), lane("api", "edit"), lane("socket", "post"), lane("socket", "edit")]);
    expect(problems).toEqual([]);
  }, 60_000);

  it("Lexical states smuggling HTML, scripts, styles or script URLs are refused, over the API and the socket, when posted and when edited", async () => {
    const problems: string[] = [];
    const { debate, participants } = await publishedDebate(["Mallory"]);
    const mallory = participants[0]!;
    const socket = await socketFor(debate.id, mallory.token);
    const propositionId = debate.propositions[1]!.id;
    const target = (await api(server.url, `/api/debates/${debate.id}/arguments`, { token: mallory.token, body: { propositionId, stance: "pro", body: plainTextToArgumentBody("Original.") } })).json.id as string;
    const cases = smugglingLexicalStates();
    await inChunks(cases, 10, async (c) => {
      const asPayload: HostilePayload = { id: c.id, category: "lexical", text: c.description };
      const outcomes: [string, Outcome][] = [
        ["lexical(api post)", fromHttp(await api(server.url, `/api/debates/${debate.id}/arguments`, { token: mallory.token, body: { propositionId, stance: "con", body: c.body } }))],
        ["lexical(socket post)", fromAck(await emitWithAck(socket, ClientEvent.postArgument, { propositionId, stance: "con", body: c.body }))],
        ["lexical(socket edit)", fromAck(await emitWithAck(socket, ClientEvent.editArgument, { argumentId: target, body: c.body }))],
      ];
      for (const [where, outcome] of outcomes) {
        const accepted = judge(problems, where, asPayload, outcome, (f) => f === "body" || f.startsWith("body."));
        if (accepted && c.expect === "refuse") problems.push(`${where} ${c.id}: a smuggling state was accepted (${c.description}); stored body ${JSON.stringify(outcome.ok ? outcome.data.body : null).slice(0, 300)}`);
        if (accepted && outcome.ok && !isDeepStrictEqual(outcome.data.body, c.body)) problems.push(`${where} ${c.id}: accepted but stored differently: ${JSON.stringify(outcome.data.body).slice(0, 300)}`);
      }
    });
    // Edits over the API, one at a time (they all target the same argument).
    for (const c of cases) {
      const outcome = fromHttp(await api(server.url, `/api/debates/${debate.id}/arguments/${target}`, { method: "PATCH", token: mallory.token, body: { body: c.body } }));
      const accepted = judge(problems, "lexical(api edit)", { id: c.id, category: "lexical", text: c.description }, outcome, (f) => f === "body" || f.startsWith("body."));
      if (accepted && c.expect === "refuse") problems.push(`lexical(api edit) ${c.id}: a smuggling state was accepted (${c.description})`);
    }
    // Nothing smuggled reached the database: only allowed node types and keys, no styles.
    const rows = await server.db.argument.findMany({ where: { debateId: debate.id }, select: { body: true } });
    for (const row of rows) {
      const smuggled = smuggledParts(row.body);
      if (smuggled.length) problems.push(`a stored body carries ${smuggled.join(", ")}: ${JSON.stringify(row.body).slice(0, 300)}`);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(problems).toEqual([]);
  }, 60_000);

  it("sources: title and quote stored as text, URL only when http(s), over the API (with an argument and added later) and the socket", async () => {
    const problems: string[] = [];
    const SAFE_URL = "https://example.org/report";
    const debateIds: string[] = [];

    type Field = "title" | "quote" | "url";
    const sourceOf = (field: Field, text: string) => ({ url: field === "url" ? text : SAFE_URL, title: field === "title" ? text : "A report", ...(field === "quote" ? { quote: text } : {}) });
    const check = (where: string, field: Field, p: HostilePayload, outcome: Outcome, fieldName: string) => {
      const accepted = judge(problems, where, p, outcome, fieldName);
      const source = accepted && outcome.ok ? (outcome.data as ArgumentDTO).sources.at(-1) : undefined;
      if (field === "title") checkLine(problems, where, p, accepted, source?.title, 300);
      if (field === "url") checkUrl(problems, where, p, accepted, source?.url);
      if (field === "quote") {
        const expected = p.text.trim();
        if (accepted && source?.quote !== (expected === "" ? null : expected)) problems.push(`${where} ${show(p)}: quote stored as ${JSON.stringify(source?.quote?.slice(0, 120))}`);
        // A quote may hold line breaks and tabs; other control characters and bidi controls may be refused, U+0000 must be.
        const refusable = expected.length > 2000 || /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(p.text) || BIDI.test(p.text) || BROKEN.test(p.text);
        if (!accepted && !refusable) problems.push(`${where} ${show(p)}: a quote was refused`);
        if (accepted && p.text.includes("\u0000")) problems.push(`${where} ${show(p)}: a quote holding U+0000 was accepted`);
      }
    };

    // One debate per field (writes in one debate are serialised by its change sequence).
    await Promise.all((["title", "quote", "url"] as const).map(async (field) => {
      const { debate, participants } = await publishedDebate([`Sourcey ${field}`]);
      debateIds.push(debate.id);
      const me = participants[0]!;
      const socket = await socketFor(debate.id, me.token);
      const propositionId = debate.propositions[2]!.id;
      const carrier = async () => (await api(server.url, `/api/debates/${debate.id}/arguments`, { token: me.token, body: { propositionId, stance: "pro", body: plainTextToArgumentBody("Carrier of sources.") } })).json.id as string;
      // Posted with a new argument (API).
      await inChunks(HOSTILE_PAYLOADS, 8, async (p) => {
        const outcome = fromHttp(await api(server.url, `/api/debates/${debate.id}/arguments`, { token: me.token, body: { propositionId, stance: "con", body: plainTextToArgumentBody("With a source."), sources: [sourceOf(field, p.text)] } }));
        check(`source.${field}(api post)`, field, p, outcome, `sources.0.${field}`);
      });
      // Added to an existing argument (API and socket): a carrier per 4 payloads, so the 5-source limit never interferes.
      const groups = Math.ceil(HOSTILE_PAYLOADS.length / 4);
      const apiCarriers = await inChunks(Array.from({ length: groups }), 8, () => carrier());
      const socketCarriers = await inChunks(Array.from({ length: groups }), 8, () => carrier());
      await inChunks(HOSTILE_PAYLOADS, 8, async (p, i) => {
        const [a, b] = [apiCarriers[Math.floor(i / 4)]!, socketCarriers[Math.floor(i / 4)]!];
        check(`source.${field}(api add)`, field, p, fromHttp(await api(server.url, `/api/debates/${debate.id}/arguments/${a}/sources`, { token: me.token, body: sourceOf(field, p.text) })), field);
        if (fitsSocket(p.text)) check(`source.${field}(socket add)`, field, p, fromAck(await emitWithAck(socket, ClientEvent.addSource, { argumentId: b, ...sourceOf(field, p.text) })), field);
      });
    }));
    const stored = await server.db.source.findMany({ where: { argument: { debateId: { in: debateIds } } }, select: { url: true } });
    for (const s of stored) {
      let protocol = "(unparsable)";
      try {
        protocol = new URL(s.url).protocol;
      } catch {
        /* reported below */
      }
      if (protocol !== "http:" && protocol !== "https:") problems.push(`stored source URL ${JSON.stringify(s.url)} is not http(s)`);
    }
    expect(problems).toEqual([]);
  }, 60_000);

  it("prototype keys in request bodies pollute nothing and never fail the server", async () => {
    const { debate, participants } = await publishedDebate(["Proto"]);
    const me = participants[0]!;
    const propositionId = debate.propositions[0]!.id;
    const raw = [
      ["/api/debates", "POST", `{"__proto__":{"polluted":1,"status":"published"},"constructor":{"prototype":{"polluted":1}},"sourceText":${JSON.stringify(SHORT_ARTICLE)}}`],
      [`/api/debates/${debate.id}/participants`, "POST", `{"__proto__":{"polluted":1,"role":"host"},"displayName":"Proto2"}`],
      [`/api/debates/${debate.id}/arguments`, "POST", `{"__proto__":{"polluted":1},"propositionId":"${propositionId}","stance":"pro","body":{"root":{"type":"root","children":[{"type":"paragraph","children":[{"type":"text","text":"x"}]}]}},"sources":[{"__proto__":{"polluted":1},"url":"https://example.org","title":"t"}]}`],
      [`/api/debates/${debate.id}/propositions/${propositionId}`, "PATCH", `{"__proto__":{"polluted":1},"text":"Reworded with a proto key."}`],
      [`/api/debates/${debate.id}/propositions/${propositionId}/vote`, "PUT", `{"__proto__":{"value":"agree"},"constructor":{"prototype":{"polluted":1}}}`],
    ] as const;
    for (const [path, method, rawBody] of raw) {
      const reply = await api(server.url, path, { method, rawBody, token: path === "/api/debates" ? facilitator : path.includes("/propositions/") && method === "PATCH" ? debate.hostToken : me.token });
      expect([200, 201, 400, 401, 403], `${method} ${path}: ${JSON.stringify(reply.json)}`).toContain(reply.status);
      if (reply.status === 400) expect(reply.json.error.code).toBe("validation_failed");
    }
    const joined = await server.db.participant.findFirst({ where: { debateId: debate.id, displayName: "Proto2" } });
    if (joined) expect(joined.role).toBe("debater");
    const probe = {} as Record<string, unknown>;
    expect(probe.polluted).toBeUndefined();
    expect(probe.role).toBeUndefined();
    expect(probe.status).toBeUndefined();
  });

  it("hostile ids in paths and socket handshakes are answered 404 or refused, never a failure", async () => {
    const problems: string[] = [];
    const ids = HOSTILE_PAYLOADS.filter((p) => p.text.length < 300);
    await inChunks(ids, 16, async (p) => {
      let path: string;
      let res: Response;
      try {
        path = `/api/debates/${encodeURIComponent(p.text)}`;
        res = await fetch(`${server.url}${path}`);
      } catch {
        return; // not encodable as a path (lone surrogates): nothing reached the server
      }
      if (res.status >= 500 || ![400, 404].includes(res.status)) problems.push(`GET ${show(p)} as an id: ${res.status}`);
      const participants = await api(server.url, `${path}/participants`, { body: { displayName: "Ada" } });
      if (participants.status >= 500) problems.push(`POST participants ${show(p)} as an id: ${participants.status}`);
    });
    for (const p of ids.slice(0, 20)) {
      const refused = await connectParticipant(server.url, p.text, p.text).then(
        (c) => {
          c.socket.disconnect();
          return false;
        },
        () => true,
      );
      if (!refused) problems.push(`socket handshake ${show(p)}: connected`);
    }
    expect(problems).toEqual([]);
  }, 60_000);

  it("a socket message over the size limit drops that socket only; the server stays healthy", async () => {
    const { debate, participants } = await publishedDebate(["Big"]);
    const socket = await socketFor(debate.id, participants[0]!.token);
    const huge = HOSTILE_PAYLOADS.find((p) => p.id === "long-600k")!;
    const dropped = new Promise<string>((resolve) => socket.once("disconnect", resolve));
    socket.emit(ClientEvent.postArgument, { propositionId: debate.propositions[0]!.id, stance: "pro", body: plainTextToArgumentBody(huge.text) }, () => undefined);
    expect(await dropped).toBeTruthy();
    expect(await server.db.argument.count({ where: { debateId: debate.id } })).toBe(0);
  });

  it("after all of it, /healthz still answers 200", async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
  });
});
