/**
 * Every hostile payload (tests/fixtures/hostile-payloads.ts) through every
 * input the server stores, over the JSON API and the socket: debate title,
 * article text, article URL, proposition wording, argument bodies (plain text
 * and Lexical states that smuggle HTML), source URL/title/quote, display name;
 * and the inputs of moderation, management and accounts: report and hide
 * reasons (API and socket; the queue, the audit log and its CSV export, where
 * formula-looking cells must be neutralised), participant renames, join codes
 * and names on /api/join, sign-up display names, emails and passwords (never
 * sent back), account names, API token names, the sign-in `next` parameter
 * (never off this site) and per-debate settings (rate limits, visibility).
 *
 * For each: the server answers success or a 400 naming the field (never a
 * 500), URLs that are not http(s) are refused wherever a URL is stored,
 * smuggling Lexical states are refused, and whatever was accepted is stored as
 * sent — plain text, never turned into markup. Problems are collected per
 * input so one run lists every payload that misbehaves.
 */
import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS, safeNextPath } from "../../app/shared/accounts";
import { type Ack, type ArgumentDTO, type AuditEntryDTO, type DebateDTO, type ModerationQueueDTO, type PropositionDTO } from "../../app/shared/contract";
import { ClientEvent } from "../../app/shared/operations";
import { httpStatusFor, isAppError } from "../../app/shared/errors";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { useTestServer } from "../support/test-server";
import { AUDIT_CSV_COLUMNS } from "../../server/domain/audit-csv";
import { apiRetryingBusy as api, facilitatorToken, randomAccount } from "../support/api-client";
// Every request here resends a `busy` answer, as the app does: under load the server may shed a
// write (503 busy); what these tests check is what is stored and refused, not load shedding.
import { seedArticle } from "../support/article";
import { connectParticipant, emitWithAck } from "../support/socket-client";
import { HOSTILE_PAYLOADS, HOSTILE_URLS, type HostilePayload, OPEN_REDIRECTS, smugglingLexicalStates, type UrlVerdict } from "../fixtures/hostile-payloads";

/** A facilitator's API token: creating a debate needs an account. */
let facilitator: string;

const { server, sockets } = useTestServer({ serveApp: false, rateLimits: "off" });
beforeAll(async () => {
  facilitator = await facilitatorToken(server.url);
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
  }, 180_000);

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
  }, 180_000);

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
  }, 180_000);

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
  }, 180_000);

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
  }, 180_000);

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
  }, 180_000);

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
  }, 180_000);

  it("sources: title and quote stored as text, URL only when http(s), over the API (with an argument and added later) and the socket", async () => {
    const problems: string[] = [];
    const SAFE_URL = "https://example.org/report";
    const debateIds: string[] = [];

    type Field = "title" | "quote" | "url";
    const sourceOf = (field: Field, text: string) => ({ url: field === "url" ? text : SAFE_URL, title: field === "title" ? text : "A report", ...(field === "quote" ? { quote: text } : {}) });
    const check = (where: string, field: Field, p: HostilePayload, outcome: Outcome, fieldName: string) => {
      if (field === "title" && folded(p.text) === "") {
        // A source's title is optional: an empty one is stored as the URL's host (sourceTitleOrHost).
        const title = outcome.ok ? (outcome.data as ArgumentDTO).sources.at(-1)?.title : undefined;
        if (title !== "example.org") problems.push(`${where} ${show(p)}: an empty title gave ${outcome.ok ? `the title ${JSON.stringify(title)}` : "a refusal"}, not the URL's host`);
        return;
      }
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
  }, 180_000);

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
  }, 180_000);

  it("a socket message over the size limit is refused with payload_too_large and stores nothing; over the transport limit it drops that socket only", async () => {
    const { debate, participants } = await publishedDebate(["Big"]);
    const socket = await socketFor(debate.id, participants[0]!.token);
    const huge = HOSTILE_PAYLOADS.find((p) => p.id === "long-600k")!;
    const refused = await new Promise<{ ok: boolean; error?: { code: string } }>((resolve) =>
      socket.emit(ClientEvent.postArgument, { propositionId: debate.propositions[0]!.id, stance: "pro", body: plainTextToArgumentBody(huge.text) }, resolve),
    );
    expect(refused.ok).toBe(false);
    expect(refused.error?.code).toBe("payload_too_large");
    const dropped = new Promise<string>((resolve) => socket.once("disconnect", resolve));
    socket.emit(ClientEvent.postArgument, { propositionId: debate.propositions[0]!.id, stance: "pro", body: plainTextToArgumentBody(huge.text.repeat(3)) }, () => undefined);
    expect(await dropped).toBeTruthy();
    expect(await server.db.argument.count({ where: { debateId: debate.id } })).toBe(0);
  });

  it("after all of it, /healthz still answers 200", async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
  });
});

// ---------------------------------------------------------------- moderation, management and accounts

/** A cell a spreadsheet would run as a formula (csv-stringify's escape_formulas list, OWASP "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
/** What the audit CSV must hold for a stored text: the text, with an apostrophe in front when it looks like a formula. */
const csvCell = (value: string | null) => (value === null ? "" : FORMULA_START.test(value) ? `'${value}` : value);

/** Reads RFC 4180 CSV (quoted cells, doubled quotes, CRLF records) into rows of cells: only to check the export. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === "") quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  if (cell !== "" || row.length) rows.push([...row, cell]);
  return rows;
}

/** A service call (the same function a page's action calls) as an Outcome. */
async function fromService(call: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, data: await call() };
  } catch (error) {
    if (!isAppError(error)) return { ok: false, status: 500, code: "internal_error", field: undefined, message: String(error).slice(0, 200) };
    return { ok: false, status: httpStatusFor(error.code), code: error.code, field: error.field, message: error.message };
  }
}

/** Posts `n` plain arguments by `token`; returns their ids, in order. */
async function postMany(debateId: string, token: string, propositionId: string, n: number): Promise<string[]> {
  return inChunks(Array.from({ length: n }), 8, async (_, i) => {
    const res = await api(server.url, `/api/debates/${debateId}/arguments`, { token, body: { propositionId, stance: i % 2 ? "con" : "pro", body: plainTextToArgumentBody(`Argument number ${i + 1}.`) } });
    if (res.status !== 201) throw new Error(`could not post: ${JSON.stringify(res.json)}`);
    return res.json.id as string;
  });
}

/**
 * Checks the audit log of a debate, as its facilitators read it: the JSON
 * pages hold `expected` (targetId → reason) for `action` (when given), and the CSV export
 * holds the same entries oldest first, every cell that looks like a formula
 * neutralised with an apostrophe.
 */
async function checkAuditLog(problems: string[], debateId: string, token: string, action: string | null, expected: ReadonlyMap<string, string> = new Map()) {
  const entries: AuditEntryDTO[] = [];
  for (let page = 1; ; page++) {
    const res = await api(server.url, `/api/debates/${debateId}/audit?page=${page}&pageSize=200`, { token });
    if (res.status !== 200) {
      problems.push(`audit log page ${page}: ${res.status} ${JSON.stringify(res.json).slice(0, 200)}`);
      return;
    }
    entries.push(...(res.json.entries as AuditEntryDTO[]));
    if (entries.length >= res.json.total) break;
  }
  if (action) {
    const logged = new Map(entries.filter((e) => e.action === action).map((e) => [e.targetId, e.reason]));
    for (const [targetId, reason] of expected) if (logged.get(targetId) !== reason) problems.push(`audit log (${action}) for ${targetId}: ${JSON.stringify(logged.get(targetId))}, stored ${JSON.stringify(reason)}`);
    if (logged.size !== expected.size) problems.push(`audit log has ${logged.size} ${action} entries, expected ${expected.size}`);
  }

  const res = await fetch(`${server.url}/api/debates/${debateId}/audit.csv`, { headers: { Authorization: `Bearer ${token}` } });
  if (res.status !== 200) {
    problems.push(`audit.csv: ${res.status}`);
    return;
  }
  const [header, ...rows] = parseCsv(await res.text());
  if (!isDeepStrictEqual(header, [...AUDIT_CSV_COLUMNS])) problems.push(`audit.csv header ${JSON.stringify(header)}`);
  const oldestFirst = [...entries].reverse();
  if (rows.length !== oldestFirst.length) problems.push(`audit.csv has ${rows.length} rows for ${oldestFirst.length} entries`);
  rows.forEach((row, i) => {
    const e = oldestFirst[i];
    for (const cell of row) if (FORMULA_START.test(cell)) problems.push(`audit.csv row ${i + 1}: a cell a spreadsheet would run as a formula: ${JSON.stringify(cell.slice(0, 120))}`);
    if (!e) return;
    if (row.length !== AUDIT_CSV_COLUMNS.length) problems.push(`audit.csv row ${i + 1} has ${row.length} cells: ${JSON.stringify(row).slice(0, 200)}`);
    if (row[1] !== csvCell(e.actor.displayName)) problems.push(`audit.csv row ${i + 1}: actor ${JSON.stringify(row[1])}, stored ${JSON.stringify(e.actor.displayName)}`);
    if (row[3] !== e.action || row[5] !== (e.targetId ?? "")) problems.push(`audit.csv row ${i + 1} is not entry ${e.id} (${e.action} ${e.targetId})`);
    if (row[6] !== csvCell(e.reason)) problems.push(`audit.csv row ${i + 1}: reason ${JSON.stringify(row[6]?.slice(0, 120))}, stored ${JSON.stringify(e.reason?.slice(0, 120))}`);
  });
}


describe("hostile input: moderation, management and accounts", () => {
  it("report reasons: stored as folded text or refused naming 'reason', over the API and the socket; the queue and the audit log show them as stored", async () => {
    const problems: string[] = [];
    const { debate, participants } = await publishedDebate(["Reported author", "Reporter"]);
    const [author, reporter] = participants as [{ id: string; token: string }, { id: string; token: string }];
    const targets = await postMany(debate.id, author.token, debate.propositions[0]!.id, HOSTILE_PAYLOADS.length * 2);
    const socket = await socketFor(debate.id, reporter.token);
    const stored = new Map<string, string>();
    await inChunks(HOSTILE_PAYLOADS, 8, async (p, i) => {
      for (const via of ["api", "socket"] as const) {
        const argumentId = targets[i * 2 + (via === "api" ? 0 : 1)]!;
        let outcome: Outcome;
        if (via === "api") outcome = fromHttp(await api(server.url, `/api/debates/${debate.id}/arguments/${argumentId}/reports`, { token: reporter.token, body: { reason: p.text } }));
        else if (!fitsSocket(p.text)) continue;
        else outcome = fromAck(await emitWithAck(socket, ClientEvent.reportArgument, { argumentId, reason: p.text }));
        const where = `report reason(${via})`;
        const accepted = judge(problems, where, p, outcome, "reason");
        let reason: string | undefined;
        if (accepted && outcome.ok) {
          reason = (await server.db.report.findFirstOrThrow({ where: { argumentId, reporterId: reporter.id } })).reason;
          if (outcome.data.reason !== reason) problems.push(`${where} ${show(p)}: answered ${JSON.stringify(outcome.data.reason)}, stored ${JSON.stringify(reason)}`);
          stored.set(argumentId, reason);
        }
        checkLine(problems, where, p, accepted, reason, 500);
      }
    });
    expect(stored.size).toBeGreaterThan(HOSTILE_PAYLOADS.length);
    // The facilitators' queue lists each report with its reason as stored.
    const queue = (await api(server.url, `/api/debates/${debate.id}/reports`, { token: debate.hostToken })).json as ModerationQueueDTO;
    const listed = new Map(queue.items.map((item) => [item.argument.id, item.reports.map((r) => r.reason)]));
    for (const [id, reason] of stored) if (!isDeepStrictEqual(listed.get(id), [reason])) problems.push(`queue: argument ${id} lists ${JSON.stringify(listed.get(id))?.slice(0, 200)}, stored ${JSON.stringify(reason).slice(0, 200)}`);
    if (queue.openReports !== stored.size) problems.push(`queue counts ${queue.openReports} open reports, ${stored.size} were filed`);
    await checkAuditLog(problems, debate.id, debate.hostToken, "report.filed", stored);
    expect(problems).toEqual([]);
  }, 180_000);

  it("hide reasons: stored as folded text or refused naming 'reason', over the API and the socket; shown as stored to facilitators, to everyone else, in the audit log and (formulas neutralised) in its CSV", async () => {
    const problems: string[] = [];
    // The host's own name is a spreadsheet formula too: it is the audit log's actor.
    const signup = await api(server.url, "/api/accounts", { body: randomAccount("=1+cmd|' /C calc'!A0 (host)") });
    expect(signup.status).toBe(201);
    const created = await api(server.url, "/api/debates", { body: { sourceText: seedArticle, publish: true }, token: signup.json.apiToken });
    expect(created.status).toBe(201);
    const debate = created.json as { id: string; hostToken: string; propositions: PropositionDTO[] };
    const author = (await api(server.url, `/api/debates/${debate.id}/participants`, { body: { displayName: "Hidden author" } })).json as { token: string };
    const targets = await postMany(debate.id, author.token, debate.propositions[0]!.id, HOSTILE_PAYLOADS.length * 2);
    const host = await socketFor(debate.id, debate.hostToken);
    const stored = new Map<string, string>();
    await inChunks(HOSTILE_PAYLOADS, 8, async (p, i) => {
      for (const via of ["api", "socket"] as const) {
        const argumentId = targets[i * 2 + (via === "api" ? 0 : 1)]!;
        let outcome: Outcome;
        if (via === "api") outcome = fromHttp(await api(server.url, `/api/debates/${debate.id}/arguments/${argumentId}/hide`, { token: debate.hostToken, body: { reason: p.text } }));
        else if (!fitsSocket(p.text)) continue;
        else outcome = fromAck(await emitWithAck(host, ClientEvent.hideArgument, { argumentId, reason: p.text }));
        const where = `hide reason(${via})`;
        const accepted = judge(problems, where, p, outcome, "reason");
        let reason: string | undefined;
        if (accepted && outcome.ok) {
          reason = (await server.db.argument.findUniqueOrThrow({ where: { id: argumentId } })).hiddenReason ?? undefined;
          if (outcome.data.hidden?.reason !== reason) problems.push(`${where} ${show(p)}: answered ${JSON.stringify(outcome.data.hidden?.reason)}, stored ${JSON.stringify(reason)}`);
          if (reason !== undefined) stored.set(argumentId, reason);
        }
        checkLine(problems, where, p, accepted, reason, 500);
      }
    });
    expect(stored.size).toBeGreaterThan(HOSTILE_PAYLOADS.length);
    // The facilitator sees the argument and the reason; anyone else the reason and nothing of the argument.
    // Each argument read as a deep link reads it (GET …/arguments/:id/ancestors): a debate of this size
    // (over 300 arguments) is sent as a frame by GET /api/debates/:id, its arguments a page at a time.
    for (const [who, token] of [["host", debate.hostToken], ["reader", undefined]] as const) {
      const byId = new Map<string, ArgumentDTO>();
      await inChunks([...stored.keys()], 8, async (id) => {
        const read = await api(server.url, `/api/debates/${debate.id}/arguments/${id}/ancestors`, { token });
        if (read.status === 200) byId.set(id, read.json.argument as ArgumentDTO);
        else problems.push(`${who}: argument ${id} could not be read: ${read.status} ${JSON.stringify(read.json)}`);
      });
      for (const [id, reason] of stored) {
        const a = byId.get(id);
        if (a?.hidden?.reason !== reason) problems.push(`${who}: argument ${id} shows hidden reason ${JSON.stringify(a?.hidden?.reason)}, stored ${JSON.stringify(reason)}`);
        if (who === "reader" && (!a?.withheld || a.bodyText !== "")) problems.push(`reader: hidden argument ${id} is not withheld`);
        if (who === "host" && a?.withheld) problems.push(`host: hidden argument ${id} is withheld from its facilitator`);
      }
    }
    await checkAuditLog(problems, debate.id, debate.hostToken, "argument.hidden", stored);
    expect(problems).toEqual([]);
  }, 180_000);

  it("participant renames (facilitator): stored as folded text or refused naming 'displayName'; the new name is what the participant list, the debate and the socket say", async () => {
    const problems: string[] = [];
    const slots = 8;
    const { debate, participants } = await publishedDebate(Array.from({ length: slots }, (_, i) => `Renamed ${i + 1}`));
    const propositionId = debate.propositions[0]!.id;
    for (const me of participants) await postMany(debate.id, me.token, propositionId, 1);
    // One payload per participant at a time, so each row's final name is known.
    const current = participants.map((_, i) => `Renamed ${i + 1}`);
    let renamed = 0;
    await inChunks(HOSTILE_PAYLOADS, slots, async (p, i) => {
      const target = participants[i % slots]!;
      const outcome = fromHttp(await api(server.url, `/api/debates/${debate.id}/participants/${target.id}`, { method: "PATCH", token: debate.hostToken, body: { displayName: p.text } }));
      const accepted = judge(problems, "rename", p, outcome, "displayName");
      let name: string | undefined;
      if (accepted && outcome.ok) {
        name = (await server.db.participant.findUniqueOrThrow({ where: { id: target.id } })).displayName;
        if (outcome.data.displayName !== name) problems.push(`rename ${show(p)}: answered ${JSON.stringify(outcome.data.displayName)}, stored ${JSON.stringify(name)}`);
        if (name !== current[i % slots]) renamed += 1;
        current[i % slots] = name;
      }
      checkLine(problems, "rename", p, accepted, name, 40);
    });
    const list = (await api(server.url, `/api/debates/${debate.id}/participants`, { token: debate.hostToken })).json.participants as { id: string; displayName: string }[];
    const snapshot = (await api(server.url, `/api/debates/${debate.id}`)).json as DebateDTO;
    for (const me of participants) {
      const name = (await server.db.participant.findUniqueOrThrow({ where: { id: me.id } })).displayName;
      if (list.find((x) => x.id === me.id)?.displayName !== name) problems.push(`participant list: ${me.id} is not ${JSON.stringify(name)}`);
      for (const a of snapshot.arguments.filter((x) => x.author.id === me.id)) if (a.author.displayName !== name) problems.push(`debate: author of ${a.id} shows ${JSON.stringify(a.author.displayName)}, stored ${JSON.stringify(name)}`);
      const { socket, welcome } = await connectParticipant(server.url, debate.id, me.token);
      socket.disconnect();
      if (welcome.participant?.displayName !== name) problems.push(`socket welcome: ${JSON.stringify(welcome.participant?.displayName)}, stored ${JSON.stringify(name)}`);
    }
    expect(renamed).toBeGreaterThan(HOSTILE_PAYLOADS.length / 3);
    expect(await server.db.auditEntry.count({ where: { debateId: debate.id, action: "participant.renamed" } })).toBe(renamed);
    await checkAuditLog(problems, debate.id, debate.hostToken, null);
    expect(problems).toEqual([]);
  }, 180_000);

  it("join codes: a hostile code is refused naming 'code' (400, or 404 for a well-formed unknown code) and never echoed; hostile names with a real code are stored as folded text or refused naming 'displayName'", async () => {
    const problems: string[] = [];
    const { debate } = await publishedDebate([]);
    await api(server.url, `/api/debates/${debate.id}/settings`, { method: "PATCH", token: debate.hostToken, body: { visibility: "private" } });
    const code = (await api(server.url, `/api/debates/${debate.id}/settings`, { token: debate.hostToken })).json.joinCode as string;
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const echoes = (p: HostilePayload, message: string) => message.includes("<") || (p.text.trim().length >= 4 && message.includes(p.text.trim()));
    await inChunks(HOSTILE_PAYLOADS, 12, async (p) => {
      // The payload as the code, on /api/join and as the private debate's joinCode.
      for (const [where, reply] of [
        ["join code (/api/join)", await api(server.url, "/api/join", { body: { code: p.text, displayName: "Ada" } })],
        ["join code (participants)", await api(server.url, `/api/debates/${debate.id}/participants`, { body: { displayName: "Ada", joinCode: p.text } })],
      ] as const) {
        const field = where.includes("participants") ? "joinCode" : "code";
        const outcome = fromHttp(reply);
        if (outcome.ok) problems.push(`${where} ${show(p)}: accepted`);
        else {
          if (![400, 403, 404].includes(outcome.status) || outcome.field !== field) problems.push(`${where} ${show(p)}: expected 400/403/404 naming ${field}, got ${outcome.status} ${outcome.code} field=${outcome.field} "${outcome.message}"`);
          if (outcome.message.length < 20) problems.push(`${where} ${show(p)}: the refusal says only ${JSON.stringify(outcome.message)}`);
          if (echoes(p, outcome.message)) problems.push(`${where} ${show(p)}: the refusal echoes it: ${JSON.stringify(outcome.message)}`);
        }
      }
      // A hostile name with the right code.
      const outcome = fromHttp(await api(server.url, "/api/join", { body: { code: code.toLowerCase(), displayName: p.text } }));
      const accepted = judge(problems, "join displayName", p, outcome, "displayName");
      let name: string | undefined;
      if (accepted && outcome.ok) name = (await server.db.participant.findUniqueOrThrow({ where: { id: outcome.data.participant.id } })).displayName;
      checkLine(problems, "join displayName", p, accepted, name, 40);
      // A hostile role.
      const role = fromHttp(await api(server.url, "/api/join", { body: { code, displayName: "Ada", role: p.text } }));
      judge(problems, "join role", p, role, "role");
      if (role.ok) problems.push(`join role ${show(p)}: accepted as a role`);
    });
    expect(await server.db.participant.count({ where: { debateId: debate.id, displayName: "Ada" } })).toBe(0);
    expect(problems).toEqual([]);
  }, 180_000);

  it("sign-up display names and emails, account renames and API token names: stored as folded text (emails trimmed, lower-cased, markup-free) or refused naming the field", async () => {
    const problems: string[] = [];
    const EMAILS: HostilePayload[] = [
      ['"<script>alert(1)</script>"@example.org', "quoted-script"],
      ["<img src=x onerror=alert(1)>@example.org", "img-local"],
      ["a@example.org<script>alert(1)</script>", "script-after"],
      ["a@example.org\r\nBcc: victim@example.org", "crlf-bcc"],
      ["a@example.org%0d%0aBcc:victim@example.org", "encoded-crlf"],
      ["javascript:alert(1)//@example.org", "javascript-local"],
      ["a+<svg/onload=alert(1)>@example.org", "svg-tag"],
      ["  MiXeD.Case+tag@Example.ORG  ", "mixed-case-spaces"],
      ["o'hara@example.org", "apostrophe"],
      ["a@ex\u0430mple.org", "homoglyph-domain"],
      ["a@\u202eelpmaxe.org", "bidi-domain"],
      ["a\u0000@example.org", "nul"],
      ["=HYPERLINK(\"http://evil.example\")@example.org", "formula"],
      [`${"a".repeat(250)}@example.org`, "too-long"],
    ].map(([text, id]) => ({ id: `email-${id}`, category: "email", text: text! }));
    const strong = `a strong passphrase ${randomUUID()}`;
    // Sign-up display names and emails (JSON API; the sign-up page calls the same service).
    await inChunks([...HOSTILE_PAYLOADS, ...EMAILS], 8, async (p) => {
      if (p.category !== "email") {
        const outcome = fromHttp(await api(server.url, "/api/accounts", { body: { email: `hostile-${randomUUID()}@example.org`, password: strong, displayName: p.text } }));
        const accepted = judge(problems, "sign-up displayName", p, outcome, "displayName");
        let name: string | undefined;
        if (accepted && outcome.ok) {
          name = (await server.db.user.findUniqueOrThrow({ where: { id: outcome.data.user.id } })).displayName;
          if (outcome.data.user.displayName !== name) problems.push(`sign-up displayName ${show(p)}: answered ${JSON.stringify(outcome.data.user.displayName)}`);
        }
        checkLine(problems, "sign-up displayName", p, accepted, name, 40);
      }
      const outcome = fromHttp(await api(server.url, "/api/accounts", { body: { email: p.text, password: strong, displayName: "Pat" } }));
      if (judge(problems, "sign-up email", p, outcome, "email") && outcome.ok) {
        const email = (await server.db.user.findUniqueOrThrow({ where: { id: outcome.data.user.id } })).email;
        if (email !== p.text.trim().toLowerCase()) problems.push(`sign-up email ${show(p)}: stored as ${JSON.stringify(email)}`);
        if (!/^[^\s<>"\\\p{Cc}\u202a-\u202e\u2066-\u2069]+@[a-z0-9.-]+$/u.test(email) || email.length > 254) problems.push(`sign-up email ${show(p)}: an address that is not one was accepted: ${JSON.stringify(email)}`);
      }
    });

    // Account renames and API token names, through the services the /account page's actions call.
    const owners: string[] = [];
    for (let i = 0; i < Math.ceil(HOSTILE_PAYLOADS.length / 40); i++) owners.push((await api(server.url, "/api/accounts", { body: randomAccount(`Token owner ${i}`) })).json.user.id);
    const names = new Map<string, string[]>(owners.map((id) => [id, ["first token"]]));
    await inChunks(HOSTILE_PAYLOADS, owners.length, async (p, i) => {
      const owner = owners[i % owners.length]!;
      const renamed = await fromService(() => server.services.updateAccount(owner, { displayName: p.text }));
      const acceptedName = judge(problems, "account displayName", p, renamed, "displayName");
      const name = acceptedName ? (await server.db.user.findUniqueOrThrow({ where: { id: owner } })).displayName : undefined;
      checkLine(problems, "account displayName", p, acceptedName, name, 40);

      const created = await fromService(() => server.services.createApiToken(owner, { name: p.text }));
      const accepted = judge(problems, "token name", p, created, "name");
      let stored: string | undefined;
      if (accepted && created.ok) {
        stored = (await server.db.apiToken.findFirstOrThrow({ where: { id: created.data.apiToken.id } })).name;
        if (created.data.apiToken.name !== stored) problems.push(`token name ${show(p)}: answered ${JSON.stringify(created.data.apiToken.name)}, stored ${JSON.stringify(stored)}`);
        names.get(owner)!.push(stored);
      }
      checkLine(problems, "token name", p, accepted, stored, 60);
    });
    for (const owner of owners) {
      const listed = (await server.services.listApiTokens(owner)).map((t) => t.name).sort();
      if (!isDeepStrictEqual(listed, [...names.get(owner)!].sort())) problems.push(`token list of ${owner} differs from what was stored`);
    }
    expect(problems).toEqual([]);
  }, 180_000);

  it("passwords: refused naming 'password' or kept exactly as typed, and never sent back; hostile sign-in attempts get the one generic answer", async () => {
    const problems: string[] = [];
    const known = randomAccount("Known");
    expect((await api(server.url, "/api/accounts", { body: known })).status).toBe(201);
    const echoed = (p: HostilePayload, reply: unknown) => p.text.length >= 6 && JSON.stringify(reply).includes(JSON.stringify(p.text).slice(1, -1));
    await inChunks(HOSTILE_PAYLOADS, 8, async (p) => {
      const email = `password-${randomUUID()}@example.org`;
      const reply = await api(server.url, "/api/accounts", { body: { email, password: p.text, displayName: "Pat" } });
      if (echoed(p, reply.json)) problems.push(`sign-up password ${show(p)}: sent back in ${JSON.stringify(reply.json).slice(0, 200)}`);
      const outcome = fromHttp(reply);
      if (judge(problems, "sign-up password", p, outcome, "password")) {
        if (p.text.length < PASSWORD_MIN_CHARS || p.text.length > PASSWORD_MAX_CHARS) problems.push(`sign-up password ${show(p)}: accepted a password of ${p.text.length} characters`);
        // Kept exactly: the same text signs in; the text before a NUL byte does not.
        const same = await fromService(() => server.services.signIn({ email, password: p.text }));
        if (!same.ok) problems.push(`sign-up password ${show(p)}: the same password does not sign in: ${same.message}`);
        const cut = p.text.split("\u0000")[0]!;
        if (cut !== p.text && (await fromService(() => server.services.signIn({ email, password: cut }))).ok) problems.push(`sign-up password ${show(p)}: the text before its NUL byte also signs in`);
      }
      // Hostile sign-in attempts: the known account with a hostile password, and a hostile email.
      for (const [where, input] of [
        ["sign-in password", { email: known.email, password: p.text }],
        ["sign-in email", { email: p.text, password: known.password }],
      ] as const) {
        const attempt = await fromService(() => server.services.signIn(input));
        if (attempt.ok) problems.push(`${where} ${show(p)}: signed in`);
        else if (attempt.code !== "unauthenticated" || attempt.message !== "The email or password is wrong.") problems.push(`${where} ${show(p)}: answered ${attempt.status} ${attempt.code} "${attempt.message}"`);
        if (!attempt.ok && echoed(p, attempt.message)) problems.push(`${where} ${show(p)}: the answer echoes it`);
      }
    });
    expect(problems).toEqual([]);
  }, 180_000);

  it("the sign-in `next` parameter: every payload and open-redirect attempt ends on this site, as a path a Location header can carry", () => {
    const problems: string[] = [];
    const base = "http://localhost:3000";
    for (const next of [...OPEN_REDIRECTS, ...HOSTILE_PAYLOADS.map((p) => p.text)]) {
      for (const fallback of ["/", "/account"]) {
        const to = safeNextPath(next, fallback);
        let origin = "(unparsable)";
        try {
          origin = new URL(to, base).origin;
        } catch {
          /* reported below */
        }
        if (origin !== base || !to.startsWith("/") || to.startsWith("//") || to.includes("\\")) problems.push(`next ${JSON.stringify(next.slice(0, 80))} leads to ${JSON.stringify(to)}`);
        // A Location header holds bytes: anything but printable ASCII either fails the response (500) or reaches the browser garbled.
        if (!/^[\x21-\x7e]+$/.test(to)) problems.push(`next ${JSON.stringify(next.slice(0, 80))} gives a path a Location header cannot carry: ${JSON.stringify(to.slice(0, 80))}`);
      }
    }
    // Paths on this site are kept.
    for (const path of ["/debates/new", "/debates/3f0c6f1e-8f5b-4a55-9d1e-0c5a3b2f6a11/edit", "/account?tab=tokens#api", "/join?code=ABCD-EFGH"]) expect(safeNextPath(path)).toBe(path);
    expect(problems).toEqual([]);
  });

  it("per-debate rate limits, visibility and title through the settings: non-numbers, huge, negative and hostile values are refused with a sentence naming the field, and nothing changes", async () => {
    const problems: string[] = [];
    const { debate } = await publishedDebate([]);
    const patch = (body: unknown) => api(server.url, `/api/debates/${debate.id}/settings`, { method: "PATCH", token: debate.hostToken, body });
    const badNumbers: unknown[] = [0, -1, -0.5, 1.5, 1001, 1e308, -1e308, 2 ** 53, Number.MAX_VALUE, Number.MIN_VALUE, null, "10", "1e3", "0x10", "", " ", true, [], [5], {}, { valueOf: 5 }];
    const cases: { where: string; body: unknown; field: (f: string) => boolean }[] = [];
    for (const key of ["argument", "vote"] as const) {
      for (const value of badNumbers) {
        cases.push({ where: `rateLimits.${key}.points=${JSON.stringify(value)}`, body: { rateLimits: { [key]: { points: value, durationSeconds: 60 } } }, field: (f) => f === `rateLimits.${key}.points` });
        if (value !== 1001) cases.push({ where: `rateLimits.${key}.durationSeconds=${JSON.stringify(value)}`, body: { rateLimits: { [key]: { points: 5, durationSeconds: value } } }, field: (f) => f === `rateLimits.${key}.durationSeconds` });
      }
      cases.push({ where: `rateLimits.${key}.durationSeconds=3601`, body: { rateLimits: { [key]: { points: 5, durationSeconds: 3601 } } }, field: (f) => f === `rateLimits.${key}.durationSeconds` });
    }
    for (const p of HOSTILE_PAYLOADS) {
      cases.push({ where: `points ${show(p)}`, body: { rateLimits: { argument: { points: p.text, durationSeconds: 60 } } }, field: (f) => f === "rateLimits.argument.points" });
      cases.push({ where: `durationSeconds ${show(p)}`, body: { rateLimits: { vote: { points: 5, durationSeconds: p.text } } }, field: (f) => f === "rateLimits.vote.durationSeconds" });
      cases.push({ where: `rule ${show(p)}`, body: { rateLimits: { argument: p.text } }, field: (f) => f === "rateLimits.argument" });
      cases.push({ where: `rateLimits ${show(p)}`, body: { rateLimits: p.text }, field: (f) => f === "rateLimits" });
      cases.push({ where: `visibility ${show(p)}`, body: { visibility: p.text }, field: (f) => f === "visibility" });
      cases.push({ where: `title ${show(p)}`, body: { title: p.text }, field: () => true });
    }
    cases.push({ where: "an unknown rule", body: { rateLimits: { login: { points: 1, durationSeconds: 1 } } }, field: (f) => f.startsWith("rateLimits") });
    await inChunks(cases, 12, async (c) => {
      const reply = await patch(c.body);
      const error = reply.json?.error;
      if (reply.status !== 400 || error?.code !== "validation_failed") problems.push(`${c.where}: expected 400, got ${reply.status} ${JSON.stringify(reply.json).slice(0, 200)}`);
      else {
        if (c.where.startsWith("title") ? error.field !== undefined && error.field !== "title" : !(error.field && c.field(error.field))) problems.push(`${c.where}: refused naming ${JSON.stringify(error.field)}: "${error.message}"`);
        if (typeof error.message !== "string" || error.message.length < 15 || !/[.!?]$/.test(error.message) || /^Invalid input/.test(error.message)) problems.push(`${c.where}: the refusal is not a clear sentence: ${JSON.stringify(error.message)}`);
      }
    });
    const settings = (await api(server.url, `/api/debates/${debate.id}/settings`, { token: debate.hostToken })).json;
    expect(settings.rateLimits).toEqual({ argument: null, vote: null });
    expect(settings.visibility).toBe("unlinked");
    expect(settings.title).toBe((await server.db.debate.findUniqueOrThrow({ where: { id: debate.id } })).title);
    expect(await server.db.auditEntry.count({ where: { debateId: debate.id, action: { in: ["debate.rate_limits_changed", "debate.visibility_changed"] } } })).toBe(0);
    expect(problems).toEqual([]);
  }, 180_000);

  it("after all of it, /healthz still answers 200", async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
