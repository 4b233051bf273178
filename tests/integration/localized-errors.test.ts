/**
 * Server error messages in the request's language (issue 16; app/i18n/errors.server.ts):
 * [L1] over HTTP, a German (Accept-Language) and a French (`lang` cookie) request get a service
 *      error and a schema's validation error in their language, with the same code and field;
 *      an English request gets exactly the English sentence;
 * [L2] over the socket, the handshake's language decides the acknowledgements' language, for a
 *      service error, a schema's sentence and a socket guard's refusal;
 * [L3] a message sent to many sockets at once (a participant removed, on two devices in two
 *      languages) reaches each socket in its own language before it is disconnected.
 */
import { randomUUID } from "node:crypto";
import { io } from "socket.io-client";
import { describe, expect, it } from "vitest";
import { translate } from "../../app/i18n/catalogues.server";
import { LANGUAGE_COOKIE, type Locale } from "../../app/i18n/locales";
import { type Ack, type WelcomePayload, ServerEvent } from "../../app/shared/contract";
import { ErrorCode } from "../../app/shared/errors";
import { ClientEvent } from "../../app/shared/operations";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { api, facilitatorToken, publishedDebateWith } from "../support/api-client";
import { seedArticle } from "../support/article";
import type { TestSocket } from "../support/socket-client";
import { useTestServer } from "../support/test-server";

const { server, sockets } = useTestServer({ serveApp: false, rateLimits: "off" });

/** A JSON request in a language: German by Accept-Language, French by the `lang` cookie. */
async function request(path: string, locale: Locale, init: { body?: unknown; token?: string } = {}) {
  const language: Record<string, string> =
    locale === "fr" ? { Cookie: `${server.site.cookieName(LANGUAGE_COOKIE)}=fr`, "Accept-Language": "de" } : { "Accept-Language": locale };
  const res = await fetch(`${server.url}${path}`, {
    method: init.body === undefined ? "GET" : "POST",
    headers: { "Content-Type": "application/json", ...language, ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, error: ((await res.json()) as { error: { code: string; message: string; field?: string } }).error };
}

/** A socket to `debateId` whose handshake asks for `locale`. */
async function connectIn(locale: Locale, debateId: string, token?: string): Promise<TestSocket> {
  const socket: TestSocket = io(server.url, { auth: { debateId, token }, transports: ["websocket"], forceNew: true, reconnection: false, extraHeaders: { "Accept-Language": locale } });
  sockets.push(socket);
  await new Promise<WelcomePayload>((resolve, reject) => {
    socket.once(ServerEvent.welcome, resolve);
    socket.once("connect_error", reject);
  });
  return socket;
}

const ack = (socket: TestSocket, event: string, payload: unknown) =>
  (socket.timeout(10_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack<unknown>> }).emitWithAck(event, payload);

const MOTION_ONLY_OXFORD = 'Only an Oxford-style debate has a motion: send format "oxford" with it.';
const ARTICLE_EMPTY = "The article is empty: paste its text or upload a .txt, .md or .html file.";

describe("error messages in the request's language", () => {
  it("[L1] answers HTTP requests in German and French, same code and field; English unchanged", async () => {
    const token = await facilitatorToken(server.url);
    const serviceError = { sourceText: seedArticle, format: "open", motion: "This house would test everything." };
    const english = await request("/api/debates", "en", { body: serviceError, token });
    expect(english).toEqual({ status: 400, error: { code: ErrorCode.validation, field: "motion", message: MOTION_ONLY_OXFORD } });
    for (const locale of ["de", "fr"] as const) {
      const answer = await request("/api/debates", locale, { body: serviceError, token });
      expect(answer).toEqual({ status: 400, error: { code: ErrorCode.validation, field: "motion", message: translate(locale, "errors.debate.motionOnlyOxford") } });
      expect(answer.error.message).not.toBe(MOTION_ONLY_OXFORD);
    }
    expect((await request("/api/debates", "de", { body: serviceError, token })).error.message).toBe('Nur eine Debatte im Oxford-Stil hat einen Antrag: Senden Sie dazu format "oxford" mit.');

    const schemaError = { sourceText: " \n " };
    expect((await request("/api/debates", "en", { body: schemaError, token })).error).toEqual({ code: ErrorCode.validation, field: "sourceText", message: ARTICLE_EMPTY });
    expect((await request("/api/debates", "de", { body: schemaError, token })).error).toEqual({
      code: ErrorCode.validation,
      field: "sourceText",
      message: "Der Artikel ist leer: Fügen Sie seinen Text ein oder laden Sie eine .txt-, .md- oder .html-Datei hoch.",
    });
    expect((await request("/api/debates", "fr", { body: schemaError, token })).error).toEqual({
      code: ErrorCode.validation,
      field: "sourceText",
      message: "L’article est vide : collez son texte ou téléversez un fichier .txt, .md ou .html.",
    });

    // The search box's query: its field is named in the sentence as a word of the request's language.
    const created = (await (await fetch(`${server.url}/api/debates`, { method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` }, body: JSON.stringify({ sourceText: seedArticle, publish: true }) })).json()) as { id: string };
    const search = async (locale: "en" | "de" | "fr", q: string) => {
      const res = await fetch(`${server.url}/api/debates/${created.id}/search?q=${encodeURIComponent(q)}`, { headers: { Authorization: `Bearer ${token}`, "Accept-Language": locale } });
      return { status: res.status, error: ((await res.json()) as { error: { field?: string; message: string } }).error };
    };
    expect(await search("en", " ")).toMatchObject({ status: 400, error: { field: "q", message: "Type the words to search for (q)." } });
    expect(await search("de", " ")).toMatchObject({ status: 400, error: { field: "q", message: "Geben Sie die Suchbegriffe ein (q)." } });
    expect(await search("fr", "x".repeat(201))).toMatchObject({ status: 400, error: { field: "q", message: "Les mots à rechercher (q) ne peuvent dépasser 200 caractères." } });

    // A guessable password: zxcvbn's reason and hint come in the request's language too.
    const weak = { email: `weak-${randomUUID()}@example.org`, password: "password1234", displayName: "Weak" };
    const englishWeak = await request("/api/accounts", "en", { body: weak });
    expect(englishWeak.status).toBe(400);
    expect(englishWeak.error.message).toMatch(/^That password is too easy to guess\. \S/);
    const germanWeak = await request("/api/accounts", "de", { body: weak });
    expect(germanWeak.error.message).toMatch(/^Dieses Passwort ist zu leicht zu erraten\. \S/);
    expect(germanWeak.error.message).not.toContain("This is");
  });

  it("[L2] acknowledges socket events in the handshake's language", async () => {
    const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Ada", "Grace"]);
    const propositionId = debate.propositions[0]!.id;
    const english = await connectIn("en", debate.id, participants[0]!.token);
    const german = await connectIn("de", debate.id, participants[0]!.token);
    const french = await connectIn("fr", debate.id, participants[1]!.token);

    // A service error: changing someone else's argument.
    const posted = (await ack(english, ClientEvent.postArgument, { opId: randomUUID(), propositionId, stance: "pro", body: plainTextToArgumentBody("Ada's argument.") })) as Ack<{ id: string }>;
    expect(posted.ok).toBe(true);
    const argumentId = posted.ok ? posted.data.id : "";
    const edit = { opId: randomUUID(), argumentId, body: plainTextToArgumentBody("Grace's change.") };
    const refused = await ack(french, ClientEvent.editArgument, edit);
    expect(refused).toEqual({ ok: false, error: { code: ErrorCode.forbidden, message: "Vous ne pouvez modifier que vos propres arguments." } });

    // A schema's own sentence.
    const badId = { opId: randomUUID(), propositionId: "not-an-id", value: "agree" };
    expect(await ack(english, ClientEvent.castVote, badId)).toEqual({ ok: false, error: { code: ErrorCode.validation, field: "propositionId", message: "propositionId must be a valid id." } });
    expect(await ack(german, ClientEvent.castVote, badId)).toEqual({ ok: false, error: { code: ErrorCode.validation, field: "propositionId", message: "propositionId muss eine gültige ID sein." } });
    expect(await ack(french, ClientEvent.castVote, badId)).toEqual({ ok: false, error: { code: ErrorCode.validation, field: "propositionId", message: "propositionId doit être un identifiant valide." } });

    // A socket guard's refusal (sent before any handler).
    const unknown = (await ack(german, "argument:launch-missiles", {})) as Ack<never>;
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) {
      expect(unknown.error.code).toBe(ErrorCode.unknownEvent);
      expect(unknown.error.message).toBe('Dieser Server kennt das Ereignis "argument:launch-missiles" nicht. Laden Sie die Seite neu, um die aktuelle Version zu bekommen.');
    }
  });

  it("[L3] tells each of a removed participant's sockets why, in its own language", async () => {
    const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Ada"]);
    const sockets = { en: await connectIn("en", debate.id, participants[0]!.token), de: await connectIn("de", debate.id, participants[0]!.token), fr: await connectIn("fr", debate.id, participants[0]!.token) };
    const told = Object.fromEntries(
      Object.entries(sockets).map(([locale, socket]) => [locale, new Promise<{ code: string; message: string }>((resolve) => socket.once(ServerEvent.error, resolve))]),
    );
    const closed = Object.values(sockets).map((socket) => new Promise<string>((resolve) => socket.once("disconnect", resolve)));
    const removed = await api(server.url, `/api/debates/${debate.id}/participants/${participants[0]!.id}`, { method: "DELETE", body: {}, token: await facilitatorToken(server.url) });
    expect(removed.status, JSON.stringify(removed.json)).toBe(200);
    expect(await told.en).toEqual({ code: ErrorCode.unauthenticated, message: "A facilitator removed you from this debate. You can no longer take part in it." });
    expect(await told.de).toEqual({ code: ErrorCode.unauthenticated, message: "Die Moderation hat Sie aus dieser Debatte entfernt. Sie können nicht mehr daran teilnehmen." });
    expect((await told.fr).message).toBe(translate("fr", "errors.participant.removed"));
    expect(await Promise.all(closed)).toEqual(["io server disconnect", "io server disconnect", "io server disconnect"]);
  });
});
