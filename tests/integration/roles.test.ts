/**
 * The role × action table (docs/roles.md, app/shared/permissions.ts) tried
 * against the running server, cell by cell, on every transport that exposes
 * each action: the JSON API, socket events, and the web pages' form actions
 * and loaders (the built app is served: `npm run build` first).
 *
 * - EXPECTED below is this test's own copy of the table, written from
 *   docs/roles.md; the first test checks it equals PERMISSIONS, so changing
 *   who may do what means changing both on purpose. Every expectation is taken
 *   from EXPECTED, never from PERMISSIONS.
 * - ATTEMPTS lists, per action, one attempt per route, event or page intent
 *   that performs it. Each attempt sets up its own fresh targets (an argument
 *   to edit, a participant to mute…) through the API as the host, then acts as
 *   the participant under test.
 * - Roles: host (the account that created the debate), facilitator (a co-host
 *   the host appointed through the API), debater, observer (joined as one),
 *   and nobody (no credentials at all).
 * - Guards: every socket event, every API route and every page form intent is
 *   covered by an attempt or listed, with a reason, as outside the table.
 * - States: closed debate, muted participant, locked proposition, removed
 *   participant, and one's own versus others' arguments and participants.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type ParticipantRole } from "../../app/shared/contract";
import { ClientEvent } from "../../app/shared/operations";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { Action, ALLOWED_IN_DRAFT, ALLOWED_WHEN_CLOSED, PERMISSIONS, REFUSED_WHEN_LOCKED, REFUSED_WHEN_MUTED } from "../../app/shared/permissions";
import { useTestServer } from "../support/test-server";
import { createApiRouter } from "../../server/http/api";
import { hashToken, newParticipantToken } from "../../server/services/tokens";
import { facilitatorToken } from "../support/api-client";
import { projectRoot, seedArticle } from "../support/article";
import { getPage, participantCookie, postPageAction } from "../support/page-client";
import { connectParticipant, emitWithAck, nextEvent, type TestSocket } from "../support/socket-client";

// ---------------------------------------------------------------- the expected table (from docs/roles.md)

type Role = ParticipantRole;
const ROLE_LIST: readonly Role[] = ["host", "facilitator", "debater", "observer"];
const everyone: readonly Role[] = ["host", "facilitator", "debater", "observer"];
const writers: readonly Role[] = ["host", "facilitator", "debater"];
const facilitators: readonly Role[] = ["host", "facilitator"];

/** docs/roles.md, "Who may do what": action → the roles that may attempt it. */
const EXPECTED: Record<Action, readonly Role[]> = {
  readDebate: everyone,
  postArgument: writers,
  editOwnArgument: writers,
  deleteOwnArgument: writers,
  addSource: writers,
  castVote: writers,
  rateArgument: writers,
  reportArgument: writers,
  editProposition: facilitators,
  curatePropositions: facilitators,
  publishDebate: facilitators,
  lockProposition: facilitators,
  hideArgument: facilitators,
  readModeration: facilitators,
  manageParticipants: facilitators,
  changeSettings: facilitators,
  closeDebate: facilitators,
  reopenDebate: facilitators,
  appointFacilitator: ["host"],
  runPhases: facilitators,
  castMotionVote: writers,
  readResults: everyone,
  runDecisions: facilitators,
  respondToDecision: writers,
  manageTeams: facilitators,
  draftInTeam: writers,
};
/** docs/roles.md, "States that refuse actions whatever the role". */
const WORKS_WHEN_CLOSED: readonly Action[] = ["readDebate", "readModeration", "reopenDebate", "readResults"];
const REFUSED_TO_MUTED: readonly Action[] = ["postArgument", "editOwnArgument", "deleteOwnArgument", "addSource"];
const ALLOWED_TO_MUTED: readonly Action[] = ["castVote", "rateArgument", "reportArgument"];
const REFUSED_ON_LOCKED: readonly Action[] = ["postArgument", "editOwnArgument", "deleteOwnArgument", "addSource", "castVote", "rateArgument"];
const WORKS_IN_DRAFT: readonly Action[] = ["readDebate", "editProposition", "curatePropositions", "publishDebate", "readModeration", "changeSettings", "manageParticipants", "appointFacilitator", "readResults"];

const may = (role: Role, action: Action) => EXPECTED[action].includes(role);

// ---------------------------------------------------------------- server and debates

const { server, sockets } = useTestServer({ serveApp: true, rateLimits: "off" });

/** Someone acting in a debate: a participant (role, token, live connection) or nobody (all null). */
interface Actor {
  label: string;
  role: Role | null;
  id: string | null;
  token: string | null;
  socket: TestSocket | null;
}

/** A debate with one participant per role, plus an extra debater whose arguments are "someone else's". */
interface Ctx {
  id: string;
  hostToken: string;
  /** Proposition ids in order when the debate was made (published debates keep them). */
  propositions: string[];
  actors: Record<Role, Actor>;
  nobody: Actor;
  author: Actor;
  /** Whose argument "one's own argument" attempts act on, when not the actor's (own-versus-others tests). */
  argumentOwner?: Actor;
}

/** Proposition roles in a published debate: arguments/votes/ratings on 0, rewording on 1, locking on 2. */
const ARG = 0;
const REWORD = 1;
const LOCK = 2;

interface Reply {
  status: number;
  json: any;
}

/** A JSON API call; `token` as a Bearer token. */
async function call(method: string, apiPath: string, { token, body }: { token?: string | null; body?: unknown } = {}): Promise<Reply> {
  const res = await fetch(`${server.url}/api${apiPath}`, {
    method,
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = text;
  if ((res.headers.get("content-type") ?? "").includes("json")) json = JSON.parse(text);
  return { status: res.status, json };
}

/** A setup call that must succeed (returns the JSON answer). */
async function must(method: string, apiPath: string, token: string, body?: unknown) {
  const reply = await call(method, apiPath, { token, body });
  if (reply.status >= 300) throw new Error(`setup ${method} ${apiPath} failed: ${reply.status} ${JSON.stringify(reply.json)}`);
  return reply.json;
}

async function connect(debateId: string, token?: string | null): Promise<TestSocket> {
  const { socket } = await connectParticipant(server.url, debateId, token ?? undefined);
  sockets.push(socket);
  return socket;
}

const nobody = (): Actor => ({ label: "nobody", role: null, id: null, token: null, socket: null });

/** Joins a published debate through the API. */
async function join(ctx: { id: string }, displayName: string, role: "debater" | "observer" = "debater"): Promise<Actor> {
  const reply = await call("POST", `/debates/${ctx.id}/participants`, { body: { displayName, role } });
  if (reply.status !== 201) throw new Error(`join failed: ${JSON.stringify(reply.json)}`);
  return { label: displayName, role, id: reply.json.participant.id, token: reply.json.token, socket: null };
}

/** A fresh facilitator (co-host): joins as a debater, then the host appoints them through the API. */
async function appoint(ctx: Ctx, displayName: string): Promise<Actor> {
  const actor = await join(ctx, displayName);
  await must("PATCH", `/debates/${ctx.id}/participants/${actor.id}`, ctx.hostToken, { role: "facilitator" });
  return { ...actor, role: "facilitator" };
}

/**
 * A published, unlinked Oxford debate in its arguments phase (where every action of the table
 * is allowed: arguments, votes, the before poll, phase changes), with its results shown early
 * (so that readResults is the table's alone), a host, a co-host appointed by the host, a
 * debater, an observer (joined as one) and an author; each role (and nobody) connected live when `live`.
 * What each phase refuses is tried in tests/integration/phases.test.ts.
 */
async function publishedDebate(live = true): Promise<Ctx> {
  const created = await call("POST", "/debates", { token: await facilitatorToken(server.url), body: { sourceText: seedArticle, publish: true, format: "oxford" } });
  expect(created.status).toBe(201);
  const c = created.json;
  await must("POST", `/debates/${c.id}/phase`, c.hostToken, { action: "next" });
  await server.db.debate.update({ where: { id: c.id }, data: { resultsShownAt: new Date() } });
  expect(c.propositions.length).toBeGreaterThan(LOCK);
  const ctx: Ctx = {
    id: c.id,
    hostToken: c.hostToken,
    propositions: c.propositions.map((p: { id: string }) => p.id),
    actors: {} as Record<Role, Actor>,
    nobody: nobody(),
    author: null as unknown as Actor,
  };
  ctx.actors.host = { label: "host", role: "host", id: c.host.id, token: c.hostToken, socket: null };
  ctx.actors.facilitator = await appoint(ctx, "Co-host");
  ctx.actors.debater = await join(ctx, "Debater");
  ctx.actors.observer = await join(ctx, "Observer", "observer");
  ctx.author = await join(ctx, "Author");
  if (live) {
    for (const actor of [...Object.values(ctx.actors), ctx.nobody]) actor.socket = await connect(ctx.id, actor.token);
  }
  return ctx;
}

/**
 * A draft debate with one participant per role. Nobody can join a draft (and
 * so nobody can be appointed in one) through the app, so the co-host, debater
 * and observer are written to the database directly, with tokens as the app
 * makes them: the only way to try the draft-only actions (curation,
 * publishing) as each role.
 */
async function draftDebate(): Promise<Ctx> {
  const created = await call("POST", "/debates", { token: await facilitatorToken(server.url), body: { sourceText: seedArticle, publish: false } });
  expect(created.status).toBe(201);
  const c = created.json;
  const actors = { host: { label: "host", role: "host", id: c.host.id, token: c.hostToken, socket: null } } as Record<Role, Actor>;
  for (const role of ["facilitator", "debater", "observer"] as const) {
    const token = newParticipantToken();
    const row = await server.db.participant.create({ data: { debateId: c.id, displayName: `Draft ${role}`, role, tokenHash: hashToken(token) } });
    actors[role] = { label: role, role, id: row.id, token, socket: null };
  }
  return { id: c.id, hostToken: c.hostToken, propositions: c.propositions.map((p: { id: string }) => p.id), actors, nobody: nobody(), author: actors.debater };
}

const argumentBody = (text: string) => plainTextToArgumentBody(text);

/** Posts an argument on proposition `index` as `actor`, through the API. */
async function postAs(ctx: Ctx, actor: Actor, index = ARG, extra: Record<string, unknown> = {}): Promise<string> {
  const posted = await must("POST", `/debates/${ctx.id}/arguments`, actor.token!, { propositionId: ctx.propositions[index], stance: "pro", body: argumentBody(`By ${actor.label}.`), ...extra });
  return posted.id;
}

/**
 * A fresh argument of `actor`'s own. Observers may not post, so the host lets
 * the observer take part for one post and switches them back (all through the
 * API); nobody has no arguments, so they get the author's.
 */
async function ownArgument(ctx: Ctx, actor: Actor, index = ARG, extra: Record<string, unknown> = {}): Promise<string> {
  if (ctx.argumentOwner) return postAs(ctx, ctx.argumentOwner, index, extra);
  if (!actor.token) return postAs(ctx, ctx.author, index, extra);
  if (actor.role !== "observer") return postAs(ctx, actor, index, extra);
  await must("PATCH", `/debates/${ctx.id}/participants/${actor.id}`, ctx.hostToken, { role: "debater" });
  try {
    return await postAs(ctx, actor, index, extra);
  } finally {
    await must("PATCH", `/debates/${ctx.id}/participants/${actor.id}`, ctx.hostToken, { role: "observer" });
  }
}

/** A fresh argument of `actor`'s own (as ownArgument) with one source, and that source's id. */
async function ownArgumentWithSource(ctx: Ctx, actor: Actor): Promise<{ argumentId: string; sourceId: string }> {
  const argumentId = await ownArgument(ctx, actor, ARG, { sources: [{ url: "https://example.org/old", title: "An old source" }] });
  const debate = (await must("GET", `/debates/${ctx.id}`, ctx.hostToken)) as { arguments: { id: string; sources: { id: string }[] }[] };
  return { argumentId, sourceId: debate.arguments.find((a) => a.id === argumentId)!.sources[0]!.id };
}

/** A fresh argument by the author (someone else's, for everyone under test). */
const othersArgument = (ctx: Ctx, index = ARG) => postAs(ctx, ctx.author, index);

// ---------------------------------------------------------------- attempts

/** What happened, whatever the transport. */
interface Outcome {
  ok: boolean;
  /** HTTP status, for API calls and page loads. */
  status?: number;
  code?: string;
  message: string;
}
type Transport = "API" | "socket" | "page";
interface Prepared {
  fire(): Promise<Outcome>;
  /** Puts the debate back as it was (e.g. reopens it) after the attempt. */
  cleanup?(outcome: Outcome): Promise<void>;
}
interface Attempt {
  action: Action;
  transport: Transport;
  /** The route as registered ("PATCH /debates/:id/…"), the socket event, or "edit#split" / "GET /debates/:id/moderation" for pages. */
  via: string;
  /** What it does, in the test's name. */
  what: string;
  /** False for reads: a closed debate still answers them. */
  write: boolean;
  /** The shared published debate, the shared draft, or a new draft for each try (publishing). */
  context: "published" | "draft" | "fresh-draft";
  /** Reading an unlinked debate needs no credentials (docs/roles.md: visitors read like observers). */
  nobodyMayRead?: boolean;
  prepare(ctx: Ctx, actor: Actor): Promise<Prepared>;
}

const outcomeOfReply = (r: Reply): Outcome => ({
  ok: r.status >= 200 && r.status < 300,
  status: r.status,
  code: r.json?.error?.code,
  message: r.json?.error?.message ?? (typeof r.json === "string" ? r.json.slice(0, 200) : ""),
});

type Setup<T> = (ctx: Ctx, actor: Actor) => Promise<T & { cleanup?: Prepared["cleanup"] }>;
type Options = { write?: boolean; context?: Attempt["context"]; nobodyMayRead?: boolean };

/** An attempt through a JSON API route; `setup` gives the route's parameters and body. */
function viaApi(action: Action, route: string, what: string, setup: Setup<{ params?: Record<string, string>; query?: Record<string, string>; body?: unknown }>, options: Options = {}): Attempt {
  const [method, template] = route.split(" ") as [string, string];
  return {
    action,
    transport: "API",
    via: route,
    what,
    write: options.write ?? method !== "GET",
    context: options.context ?? "published",
    nobodyMayRead: options.nobodyMayRead,
    async prepare(ctx, actor) {
      const { params = {}, query, body, cleanup } = await setup(ctx, actor);
      const url = template.replace(/:(\w+)/g, (_m, name: string) => (name === "id" ? ctx.id : params[name]!)) + (query ? `?${new URLSearchParams(query)}` : "");
      return { fire: async () => outcomeOfReply(await call(method, url, { token: actor.token, body })), cleanup };
    },
  };
}

/** An attempt through a socket event; `setup` gives its payload. */
function viaSocket(action: Action, event: string, what: string, setup: Setup<{ payload: unknown }>, options: Options = {}): Attempt {
  return {
    action,
    transport: "socket",
    via: event,
    what,
    write: options.write ?? true,
    context: "published",
    nobodyMayRead: options.nobodyMayRead,
    async prepare(ctx, actor) {
      const { payload, cleanup } = await setup(ctx, actor);
      return {
        async fire() {
          const ack = await emitWithAck<unknown>(actor.socket!, event as never, payload);
          return ack.ok ? { ok: true, message: "" } : { ok: false, code: ack.error.code, message: ack.error.message };
        },
        cleanup,
      };
    },
  };
}

type Page = "edit" | "settings" | "moderation" | "results";
/** An attempt through a page's form action (`intent` plus the fields `setup` gives), with the participant cookie. */
function viaForm(action: Action, page: Page, intent: string, what: string, setup: Setup<{ fields?: Record<string, string> }>, options: Options = {}): Attempt {
  return {
    action,
    transport: "page",
    via: `${page}#${intent}`,
    what,
    write: true,
    context: options.context ?? "published",
    async prepare(ctx, actor) {
      const { fields = {}, cleanup } = await setup(ctx, actor);
      return {
        async fire() {
          const reply = await postPageAction(server.url, `/debates/${ctx.id}/${page}`, { intent, ...fields }, actor.token ? participantCookie(ctx.id, actor.token) : undefined);
          if (reply.redirect) return { ok: !reply.redirect.startsWith("/login"), message: `redirect to ${reply.redirect}` };
          const data = reply.data as { ok?: boolean; error?: { code?: string; message: string } } | undefined;
          if (data?.ok === true) return { ok: true, message: "" };
          if (data?.error) return { ok: false, code: data.error.code, message: data.error.message };
          return { ok: false, status: reply.status, message: `unexpected reply ${reply.status}: ${JSON.stringify(reply.data ?? reply.text)?.slice(0, 200)}` };
        },
        cleanup,
      };
    },
  };
}

/** An attempt to load a page (its loader), with the participant cookie: 200 or a refusal status. */
function viaPageLoad(action: Action, pagePath: string, what: string, options: Options = {}): Attempt {
  return {
    action,
    transport: "page",
    via: `GET ${pagePath}`,
    what,
    write: false,
    context: "published",
    nobodyMayRead: options.nobodyMayRead,
    async prepare(ctx, actor) {
      return {
        async fire() {
          const res = await getPage(server.url, pagePath.replace(":id", ctx.id), actor.token ? participantCookie(ctx.id, actor.token) : undefined);
          const text = await res.text();
          return { ok: res.status === 200, status: res.status, code: res.status === 403 ? "forbidden" : res.status === 401 ? "unauthenticated" : undefined, message: text.slice(0, 200) };
        },
      };
    },
  };
}

const none = async () => ({});
const reason = "Off topic for this proposition.";

/** Host-side preparations shared by several attempts. */
const hiddenArgument = async (ctx: Ctx) => {
  const argumentId = await othersArgument(ctx);
  await must("POST", `/debates/${ctx.id}/arguments/${argumentId}/hide`, ctx.hostToken, { reason });
  return argumentId;
};
const reportedArgument = async (ctx: Ctx) => {
  const argumentId = await othersArgument(ctx);
  await must("POST", `/debates/${ctx.id}/arguments/${argumentId}/reports`, ctx.actors.debater.token!, { reason });
  return argumentId;
};
/** An open decision the host proposed (through the database when the debate is closed or a draft, where proposing is refused). */
const openDecision = async (ctx: Ctx) => {
  const { status } = await server.db.debate.findUniqueOrThrow({ where: { id: ctx.id }, select: { status: true } });
  const host = await server.db.participant.findFirstOrThrow({ where: { debateId: ctx.id, role: "host" }, select: { id: true } });
  if (status !== "published") return (await server.db.decision.create({ data: { debateId: ctx.id, propositionIds: [], text: "Set up.", proposedById: host.id } })).id;
  return (await must("POST", `/debates/${ctx.id}/decisions`, ctx.hostToken, { propositionIds: [ctx.propositions[ARG]], text: "A decision to answer." })).id as string;
};
/** A new team of the debate (written directly, so it works in any state); `cleanup` deletes it. */
const aTeam = async (ctx: Ctx) => {
  const team = await server.db.team.create({ data: { debateId: ctx.id, name: "A team", propositionIds: [] } });
  return { teamId: team.id, cleanup: async () => void (await server.db.team.deleteMany({ where: { id: team.id } })) };
};
/** A new team with `actor` in it (when they are a participant): the space they may draft in if their role allows. */
const teamWith = async (ctx: Ctx, actor: Actor) => {
  const team = await aTeam(ctx);
  if (actor.id) await server.db.participant.update({ where: { id: actor.id }, data: { teamId: team.teamId } });
  return team;
};
/** A team with `actor` in it and a draft the host wrote there (on the arguments' proposition, pro). */
const teamDraft = async (ctx: Ctx, actor: Actor) => {
  const team = await teamWith(ctx, actor);
  const host = await server.db.participant.findFirstOrThrow({ where: { debateId: ctx.id, role: "host" }, select: { id: true } });
  const draft = await server.db.teamDraft.create({ data: { debateId: ctx.id, teamId: team.teamId, propositionId: ctx.propositions[ARG]!, stance: "pro", text: "A team's draft.", authorId: host.id } });
  return { ...team, draftId: draft.id };
};
const freshDebater = async (ctx: Ctx) => (await join(ctx, "Target")).id!;
const freshObserver = async (ctx: Ctx) => (await join(ctx, "Watcher", "observer")).id!;
const mutedDebater = async (ctx: Ctx) => {
  const id = await freshDebater(ctx);
  await must("PATCH", `/debates/${ctx.id}/participants/${id}`, ctx.hostToken, { muted: true });
  return id;
};
const freshFacilitator = async (ctx: Ctx) => (await appoint(ctx, "Other co-host")).id!;
/** The draft's propositions now, in order. */
const draftPropositions = (ctx: Ctx) => server.db.proposition.findMany({ where: { debateId: ctx.id }, orderBy: { position: "asc" }, select: { id: true, text: true } });
/** Adds a proposition to the draft as the host, through the edit page. */
async function addToDraft(ctx: Ctx, text: string): Promise<string> {
  const reply = await postPageAction(server.url, `/debates/${ctx.id}/edit`, { intent: "add", text }, participantCookie(ctx.id, ctx.hostToken));
  expect(reply.data?.ok, JSON.stringify(reply.data)).toBe(true);
  const all = await draftPropositions(ctx);
  return all[all.length - 1]!.id;
}
/** After closing (or a refused close that wrongly succeeded), the host reopens the debate. */
const reopenAfter = (ctx: Ctx) => async () => {
  await must("POST", `/debates/${ctx.id}/reopen`, ctx.hostToken, {});
};
const closedFirst = async (ctx: Ctx) => {
  await must("POST", `/debates/${ctx.id}/close`, ctx.hostToken, {});
  return { cleanup: reopenAfter(ctx) };
};
const backToUnlinked = (ctx: Ctx) => async () => {
  await must("PATCH", `/debates/${ctx.id}/settings`, ctx.hostToken, { visibility: "unlinked" });
};

const ATTEMPTS: Attempt[] = [
  // readDebate
  viaApi(Action.readDebate, "GET /debates/:id", "read the debate", none, { nobodyMayRead: true }),
  viaSocket(Action.readDebate, ClientEvent.resync, "catch up on the debate", async () => ({ payload: { lastSeq: 0 } }), { write: false, nobodyMayRead: true }),
  viaPageLoad(Action.readDebate, "/debates/:id", "open the debate page", { nobodyMayRead: true }),
  viaApi(Action.readResults, "GET /debates/:id/results", "read the results", none, { nobodyMayRead: true }),
  viaApi(Action.readDebate, "GET /debates/:id/decisions", "read the decisions", none, { nobodyMayRead: true }),
  viaApi(Action.readDebate, "POST /debates/:id/reads", "record reads of arguments", async (ctx) => ({ body: { reads: [{ argumentId: await othersArgument(ctx), kind: "viewed", msAgo: 0 }] } })),
  viaSocket(Action.readDebate, ClientEvent.recordReads, "record reads of arguments", async (ctx) => ({ payload: { reads: [{ argumentId: await othersArgument(ctx), kind: "opened", msAgo: 10 }] } })),
  viaApi(Action.readDebate, "GET /debates/:id/opinion-groups", "read the opinion groups", none, { nobodyMayRead: true }),
  viaApi(Action.readDebate, "GET /debates/:id/arguments/bridging", "read the arguments' bridging order", none, { nobodyMayRead: true }),
  viaApi(Action.readDebate, "GET /debates/:id/propositions/:propositionId/arguments", "read a page of a proposition's arguments", async (ctx) => ({ params: { propositionId: ctx.propositions[ARG]! } }), { nobodyMayRead: true }),
  viaApi(Action.readDebate, "GET /debates/:id/search", "search the debate", async () => ({ query: { q: "argument" } }), { nobodyMayRead: true }),
  viaApi(Action.readDebate, "GET /debates/:id/arguments/:argumentId/ancestors", "read an argument with the arguments it answers (a deep link)", async (ctx) => ({ params: { argumentId: await othersArgument(ctx) } }), { nobodyMayRead: true }),
  viaPageLoad(Action.readResults, "/debates/:id/results", "open the results page", { nobodyMayRead: true }),
  viaApi(Action.readDebate, "GET /debates/:id/arguments/:argumentId/revisions", "read one's own argument's revisions", async (ctx, actor) => ({ params: { argumentId: await ownArgument(ctx, actor) } })),
  viaSocket(Action.readDebate, ClientEvent.argumentRevisions, "read one's own argument's revisions", async (ctx, actor) => ({ payload: { argumentId: await ownArgument(ctx, actor) } }), { write: false }),

  // postArgument
  viaApi(Action.postArgument, "POST /debates/:id/arguments", "post an argument", async (ctx) => ({ body: { propositionId: ctx.propositions[ARG], stance: "pro", body: argumentBody("A new argument.") } })),
  viaSocket(Action.postArgument, ClientEvent.postArgument, "post an argument", async (ctx) => ({ payload: { propositionId: ctx.propositions[ARG], stance: "con", body: argumentBody("A new argument.") } })),
  viaSocket(Action.postArgument, ClientEvent.postArgument, "post a rebuttal", async (ctx) => ({ payload: { propositionId: ctx.propositions[ARG], parentId: await othersArgument(ctx), stance: "con", body: argumentBody("A rebuttal.") } })),

  // editOwnArgument
  viaApi(Action.editOwnArgument, "PATCH /debates/:id/arguments/:argumentId", "edit one's own argument", async (ctx, actor) => ({ params: { argumentId: await ownArgument(ctx, actor) }, body: { body: argumentBody("Edited.") } })),
  viaSocket(Action.editOwnArgument, ClientEvent.editArgument, "edit one's own argument", async (ctx, actor) => ({ payload: { argumentId: await ownArgument(ctx, actor), body: argumentBody("Edited.") } })),

  // deleteOwnArgument
  viaApi(Action.deleteOwnArgument, "DELETE /debates/:id/arguments/:argumentId", "delete one's own argument", async (ctx, actor) => ({ params: { argumentId: await ownArgument(ctx, actor) }, body: {} })),
  viaSocket(Action.deleteOwnArgument, ClientEvent.deleteArgument, "delete one's own argument", async (ctx, actor) => ({ payload: { argumentId: await ownArgument(ctx, actor) } })),

  // addSource
  viaApi(Action.addSource, "POST /debates/:id/arguments/:argumentId/sources", "add a source to one's own argument", async (ctx, actor) => ({ params: { argumentId: await ownArgument(ctx, actor) }, body: { url: "https://example.org/report", title: "A report" } })),
  viaSocket(Action.addSource, ClientEvent.addSource, "add a source to one's own argument", async (ctx, actor) => ({ payload: { argumentId: await ownArgument(ctx, actor), url: "https://example.org/report", title: "A report" } })),
  viaApi(Action.addSource, "DELETE /debates/:id/arguments/:argumentId/sources/:sourceId", "remove a source from one's own argument", async (ctx, actor) => ({ params: await ownArgumentWithSource(ctx, actor), body: {} })),
  viaSocket(Action.addSource, ClientEvent.removeSource, "remove a source from one's own argument", async (ctx, actor) => ({ payload: await ownArgumentWithSource(ctx, actor) })),

  // castVote
  viaApi(Action.castVote, "PUT /debates/:id/propositions/:propositionId/vote", "vote", async (ctx) => ({ params: { propositionId: ctx.propositions[ARG]! }, body: { value: "agree" } })),
  viaSocket(Action.castVote, ClientEvent.castVote, "vote", async (ctx) => ({ payload: { propositionId: ctx.propositions[ARG], value: "disagree" } })),

  // rateArgument
  viaApi(Action.rateArgument, "PUT /debates/:id/arguments/:argumentId/rating", "rate an argument", async (ctx) => ({ params: { argumentId: await othersArgument(ctx) }, body: { value: "up" } })),
  viaSocket(Action.rateArgument, ClientEvent.rateArgument, "rate an argument", async (ctx) => ({ payload: { argumentId: await othersArgument(ctx), value: "down" } })),

  // reportArgument
  viaApi(Action.reportArgument, "POST /debates/:id/arguments/:argumentId/reports", "report an argument", async (ctx) => ({ params: { argumentId: await othersArgument(ctx) }, body: { reason } })),
  viaSocket(Action.reportArgument, ClientEvent.reportArgument, "report an argument", async (ctx) => ({ payload: { argumentId: await othersArgument(ctx), reason } })),

  // editProposition
  viaApi(Action.editProposition, "PATCH /debates/:id/propositions/:propositionId", "reword a proposition", async (ctx) => ({ params: { propositionId: ctx.propositions[REWORD]! }, body: { text: "Reworded through the API." } })),
  viaSocket(Action.editProposition, ClientEvent.editProposition, "reword a proposition", async (ctx) => ({ payload: { propositionId: ctx.propositions[REWORD], text: "Reworded live." } })),
  viaForm(Action.editProposition, "edit", "edit", "reword a proposition", async (ctx) => ({ fields: { propositionId: ctx.propositions[REWORD]!, text: "Reworded on the page." } })),
  viaForm(Action.editProposition, "edit", "add", "add a proposition", async () => ({ fields: { text: "A proposition added by hand." } })),

  // curatePropositions (draft only: once published, propositions can only be reworded or added)
  viaForm(Action.curatePropositions, "edit", "move", "move a proposition", async (ctx) => ({ fields: { propositionId: (await draftPropositions(ctx))[0]!.id, direction: "down" } }), { context: "draft" }),
  viaForm(Action.curatePropositions, "edit", "split", "split a proposition", async (ctx) => {
    const propositionId = await addToDraft(ctx, "First half here. Second half there.");
    return { fields: { propositionId, at: String("First half here.".length) } };
  }, { context: "draft" }),
  viaForm(Action.curatePropositions, "edit", "merge-next", "merge two propositions", async (ctx) => {
    const propositionId = await addToDraft(ctx, "Merge me.");
    await addToDraft(ctx, "With me.");
    return { fields: { propositionId } };
  }, { context: "draft" }),
  viaForm(Action.curatePropositions, "edit", "delete", "delete a proposition", async (ctx) => ({ fields: { propositionId: await addToDraft(ctx, "Delete me.") } }), { context: "draft" }),
  viaForm(Action.curatePropositions, "edit", "resection", "re-draft from a section", async () => ({ fields: { section: "whole" } }), { context: "draft" }),

  // publishDebate
  viaApi(Action.publishDebate, "POST /debates/:id/publish", "publish the draft", none, { context: "fresh-draft" }),
  viaForm(Action.publishDebate, "edit", "publish", "publish the draft", none, { context: "fresh-draft" }),

  // lockProposition
  viaApi(Action.lockProposition, "PUT /debates/:id/propositions/:propositionId/lock", "lock a proposition", async (ctx) => ({ params: { propositionId: ctx.propositions[LOCK]! }, body: { locked: true } })),
  viaSocket(Action.lockProposition, ClientEvent.lockProposition, "unlock a proposition", async (ctx) => ({ payload: { propositionId: ctx.propositions[LOCK], locked: false } })),
  viaApi(Action.lockProposition, "PUT /debates/:id/propositions/:propositionId/meta", "mark a proposition as meta", async (ctx) => ({ params: { propositionId: ctx.propositions[LOCK]! }, body: { meta: true } })),
  viaForm(Action.lockProposition, "results", "meta", "mark a proposition as meta on the results page", async (ctx) => ({ fields: { propositionId: ctx.propositions[LOCK]!, meta: "false" } })),

  // hideArgument (hide, unhide, dismiss reports)
  viaApi(Action.hideArgument, "POST /debates/:id/arguments/:argumentId/hide", "hide an argument", async (ctx) => ({ params: { argumentId: await othersArgument(ctx) }, body: { reason } })),
  viaApi(Action.hideArgument, "POST /debates/:id/arguments/:argumentId/unhide", "unhide an argument", async (ctx) => ({ params: { argumentId: await hiddenArgument(ctx) }, body: {} })),
  viaApi(Action.hideArgument, "POST /debates/:id/arguments/:argumentId/reports/dismiss", "dismiss reports", async (ctx) => ({ params: { argumentId: await reportedArgument(ctx) }, body: {} })),
  viaSocket(Action.hideArgument, ClientEvent.hideArgument, "hide an argument", async (ctx) => ({ payload: { argumentId: await othersArgument(ctx), reason } })),
  viaSocket(Action.hideArgument, ClientEvent.unhideArgument, "unhide an argument", async (ctx) => ({ payload: { argumentId: await hiddenArgument(ctx) } })),
  viaSocket(Action.hideArgument, ClientEvent.dismissReports, "dismiss reports", async (ctx) => ({ payload: { argumentId: await reportedArgument(ctx) } })),
  viaForm(Action.hideArgument, "moderation", "hide", "hide an argument", async (ctx) => ({ fields: { argumentId: await othersArgument(ctx), reason } })),
  viaForm(Action.hideArgument, "moderation", "unhide", "unhide an argument", async (ctx) => ({ fields: { argumentId: await hiddenArgument(ctx) } })),
  viaForm(Action.hideArgument, "moderation", "dismiss", "dismiss reports", async (ctx) => ({ fields: { argumentId: await reportedArgument(ctx) } })),

  // readModeration
  viaApi(Action.readModeration, "GET /debates/:id/reports", "read the moderation queue", none),
  viaApi(Action.readModeration, "GET /debates/:id/audit", "read the audit log", none),
  viaApi(Action.readModeration, "GET /debates/:id/audit.csv", "export the audit log", none),
  viaPageLoad(Action.readModeration, "/debates/:id/moderation", "open the moderation page"),

  // manageParticipants (debaters and observers)
  viaApi(Action.manageParticipants, "GET /debates/:id/participants", "list participants", none),
  viaApi(Action.manageParticipants, "PATCH /debates/:id/participants/:participantId", "rename a debater", async (ctx) => ({ params: { participantId: await freshDebater(ctx) }, body: { displayName: "Renamed" } })),
  viaApi(Action.manageParticipants, "PATCH /debates/:id/participants/:participantId", "mute a debater", async (ctx) => ({ params: { participantId: await freshDebater(ctx) }, body: { muted: true } })),
  viaApi(Action.manageParticipants, "PATCH /debates/:id/participants/:participantId", "unmute a debater", async (ctx) => ({ params: { participantId: await mutedDebater(ctx) }, body: { muted: false } })),
  viaApi(Action.manageParticipants, "PATCH /debates/:id/participants/:participantId", "make a debater an observer", async (ctx) => ({ params: { participantId: await freshDebater(ctx) }, body: { role: "observer" } })),
  viaApi(Action.manageParticipants, "PATCH /debates/:id/participants/:participantId", "make an observer a debater", async (ctx) => ({ params: { participantId: await freshObserver(ctx) }, body: { role: "debater" } })),
  viaApi(Action.manageParticipants, "DELETE /debates/:id/participants/:participantId", "remove a debater", async (ctx) => ({ params: { participantId: await freshDebater(ctx) }, body: {} })),
  viaForm(Action.manageParticipants, "settings", "rename", "rename a debater", async (ctx) => ({ fields: { participantId: await freshDebater(ctx), displayName: "Renamed" } })),
  viaForm(Action.manageParticipants, "settings", "mute", "mute a debater", async (ctx) => ({ fields: { participantId: await freshDebater(ctx) } })),
  viaForm(Action.manageParticipants, "settings", "unmute", "unmute a debater", async (ctx) => ({ fields: { participantId: await mutedDebater(ctx) } })),
  viaForm(Action.manageParticipants, "settings", "role", "make a debater an observer", async (ctx) => ({ fields: { participantId: await freshDebater(ctx), role: "observer" } })),
  viaForm(Action.manageParticipants, "settings", "remove", "remove a debater", async (ctx) => ({ fields: { participantId: await freshDebater(ctx) } })),

  // changeSettings
  viaApi(Action.changeSettings, "GET /debates/:id/settings", "read the settings and join code", none),
  viaApi(Action.changeSettings, "PATCH /debates/:id/settings", "change visibility", async (ctx) => ({ body: { visibility: "public" }, cleanup: backToUnlinked(ctx) })),
  viaApi(Action.changeSettings, "PATCH /debates/:id/settings", "set rate limits", async () => ({ body: { rateLimits: { argument: { points: 100, durationSeconds: 60 } } } })),
  viaApi(Action.changeSettings, "POST /debates/:id/join-code", "rotate the join code", async () => ({ body: {} })),
  viaForm(Action.changeSettings, "settings", "visibility", "change visibility", async (ctx) => ({ fields: { visibility: "public" }, cleanup: backToUnlinked(ctx) })),
  viaForm(Action.changeSettings, "settings", "rate-limits", "set rate limits", async () => ({ fields: { argumentPoints: "50", argumentSeconds: "60", votePoints: "", voteSeconds: "" } })),
  viaForm(Action.changeSettings, "settings", "reset-rate-limits", "reset rate limits", none),
  viaForm(Action.changeSettings, "settings", "language", "set the debate's language", async () => ({ fields: { language: "de" } })),
  viaForm(Action.changeSettings, "settings", "rotate-code", "rotate the join code", none),
  viaPageLoad(Action.changeSettings, "/debates/:id/settings", "open the settings page"),

  // closeDebate, reopenDebate
  viaApi(Action.closeDebate, "POST /debates/:id/close", "close the debate", async (ctx) => ({ body: {}, cleanup: async (o) => (o.ok ? reopenAfter(ctx)() : undefined) })),
  viaSocket(Action.closeDebate, ClientEvent.closeDebate, "close the debate", async (ctx) => ({ payload: {}, cleanup: async (o) => (o.ok ? reopenAfter(ctx)() : undefined) })),
  viaForm(Action.closeDebate, "settings", "close", "close the debate", async (ctx) => ({ cleanup: async (o) => (o.ok ? reopenAfter(ctx)() : undefined) })),
  viaApi(Action.reopenDebate, "POST /debates/:id/reopen", "reopen the debate", async (ctx) => ({ body: {}, ...(await closedFirst(ctx)) })),
  viaSocket(Action.reopenDebate, ClientEvent.reopenDebate, "reopen the debate", async (ctx) => ({ payload: {}, ...(await closedFirst(ctx)) })),
  viaForm(Action.reopenDebate, "settings", "reopen", "reopen the debate", async (ctx) => ({ ...(await closedFirst(ctx)) })),

  // runPhases, castMotionVote (the shared debate is an Oxford debate in its arguments phase)
  viaApi(Action.runPhases, "POST /debates/:id/phase", "extend the phase", async () => ({ body: { action: "extend", seconds: 1 } })),
  viaSocket(Action.runPhases, ClientEvent.changePhase, "extend the phase", async () => ({ payload: { action: "extend", seconds: 1 } })),
  viaApi(Action.runPhases, "POST /debates/:id/show-results", "show the results early", none),
  viaSocket(Action.runPhases, ClientEvent.showResults, "show the results early", async () => ({ payload: {} })),
  viaApi(Action.castMotionVote, "PUT /debates/:id/motion-vote", "vote on the motion", async () => ({ body: { stage: "before", value: "for" } })),
  viaSocket(Action.castMotionVote, ClientEvent.castMotionVote, "vote on the motion", async () => ({ payload: { stage: "before", value: "against" } })),

  // runDecisions, respondToDecision (workshop decisions; any format may have them)
  viaApi(Action.runDecisions, "POST /debates/:id/decisions", "propose a decision", async (ctx) => ({ body: { propositionIds: [ctx.propositions[ARG]], text: "We decide this." } })),
  viaSocket(Action.runDecisions, ClientEvent.proposeDecision, "propose a decision", async (ctx) => ({ payload: { propositionIds: [ctx.propositions[ARG]], text: "We decide this live." } })),
  viaApi(Action.runDecisions, "POST /debates/:id/decisions/:decisionId/close", "close a decision", async (ctx) => ({ params: { decisionId: await openDecision(ctx) }, body: { outcome: "adopted" } })),
  viaSocket(Action.runDecisions, ClientEvent.closeDecision, "close a decision", async (ctx) => ({ payload: { decisionId: await openDecision(ctx), outcome: "withdrawn" } })),
  viaApi(Action.respondToDecision, "PUT /debates/:id/decisions/:decisionId/response", "answer a decision", async (ctx) => ({ params: { decisionId: await openDecision(ctx) }, body: { value: "agree" } })),
  viaSocket(Action.respondToDecision, ClientEvent.respondToDecision, "answer a decision", async (ctx) => ({ payload: { decisionId: await openDecision(ctx), value: "block", reason: "Not yet." } })),

  // manageTeams, draftInTeam (teams and small groups; reading them is readDebate)
  viaApi(Action.readDebate, "GET /debates/:id/teams", "read the teams", none, { nobodyMayRead: true }),
  viaApi(Action.manageTeams, "POST /debates/:id/teams", "create a team", async (ctx) => {
    const name = `Created ${Math.random().toString(36).slice(2, 10)}`;
    return { body: { name }, cleanup: async () => void (await server.db.team.deleteMany({ where: { debateId: ctx.id, name } })) };
  }),
  viaApi(Action.manageTeams, "POST /debates/:id/teams", "split the debaters at random", async (ctx) => ({ body: { action: "random" }, ...(await aTeam(ctx)) })),
  viaApi(Action.manageTeams, "PATCH /debates/:id/teams/:teamId", "rename a team and give it a side", async (ctx) => {
    const { teamId, cleanup } = await aTeam(ctx);
    return { params: { teamId }, body: { name: "Renamed", side: "con" }, cleanup };
  }),
  viaApi(Action.manageTeams, "DELETE /debates/:id/teams/:teamId", "delete a team", async (ctx) => {
    const { teamId, cleanup } = await aTeam(ctx);
    return { params: { teamId }, body: {}, cleanup };
  }),
  viaApi(Action.manageTeams, "PUT /debates/:id/teams/members/:participantId", "move a debater to a team", async (ctx) => {
    const { teamId, cleanup } = await aTeam(ctx);
    return { params: { participantId: await freshDebater(ctx) }, body: { teamId }, cleanup };
  }),
  viaSocket(Action.manageTeams, ClientEvent.manageTeams, "set a team's propositions", async (ctx) => {
    const { teamId, cleanup } = await aTeam(ctx);
    return { payload: { action: "update", teamId, propositionIds: [ctx.propositions[ARG]] }, cleanup };
  }),
  viaApi(Action.draftInTeam, "POST /debates/:id/teams/:teamId/drafts", "draft in one's team's space", async (ctx, actor) => {
    const { teamId, cleanup } = await teamWith(ctx, actor);
    return { params: { teamId }, body: { propositionId: ctx.propositions[ARG], stance: "pro", text: "Drafted." }, cleanup };
  }),
  viaSocket(Action.draftInTeam, ClientEvent.draftTeamArgument, "draft in one's team's space", async (ctx, actor) => {
    const { teamId, cleanup } = await teamWith(ctx, actor);
    return { payload: { teamId, propositionId: ctx.propositions[ARG], stance: "con", text: "Drafted live." }, cleanup };
  }),
  viaApi(Action.draftInTeam, "POST /debates/:id/teams/:teamId/drafts/:draftId/publish", "publish a team's draft", async (ctx, actor) => {
    const { teamId, draftId, cleanup } = await teamDraft(ctx, actor);
    return { params: { teamId, draftId }, body: {}, cleanup };
  }),
  viaSocket(Action.draftInTeam, ClientEvent.publishTeamDraft, "publish a team's draft", async (ctx, actor) => {
    const { teamId, draftId, cleanup } = await teamDraft(ctx, actor);
    return { payload: { teamId, draftId }, cleanup };
  }),

  // appointFacilitator (and anything else touching a facilitator)
  viaApi(Action.appointFacilitator, "PATCH /debates/:id/participants/:participantId", "appoint a co-host", async (ctx) => ({ params: { participantId: await freshDebater(ctx) }, body: { role: "facilitator" } })),
  viaApi(Action.appointFacilitator, "PATCH /debates/:id/participants/:participantId", "turn a co-host back into a debater", async (ctx) => ({ params: { participantId: await freshFacilitator(ctx) }, body: { role: "debater" } })),
  viaApi(Action.appointFacilitator, "PATCH /debates/:id/participants/:participantId", "mute a co-host", async (ctx) => ({ params: { participantId: await freshFacilitator(ctx) }, body: { muted: true } })),
  viaApi(Action.appointFacilitator, "DELETE /debates/:id/participants/:participantId", "remove a co-host", async (ctx) => ({ params: { participantId: await freshFacilitator(ctx) }, body: {} })),
  viaForm(Action.appointFacilitator, "settings", "role", "appoint a co-host", async (ctx) => ({ fields: { participantId: await freshDebater(ctx), role: "facilitator" } })),
  viaForm(Action.appointFacilitator, "settings", "rename", "rename a co-host", async (ctx) => ({ fields: { participantId: await freshFacilitator(ctx), displayName: "Renamed co-host" } })),
  viaForm(Action.appointFacilitator, "settings", "remove", "remove a co-host", async (ctx) => ({ fields: { participantId: await freshFacilitator(ctx) } })),
];

/** Name of a cell: "castVote × observer over socket: vote:cast (vote)". */
const cellName = (a: Attempt, who: string) => `${a.action} × ${who} over ${a.transport}: ${a.via} (${a.what})`;

const describeOutcome = (o: Outcome) => JSON.stringify(o);

function expectAllowed(o: Outcome) {
  expect(o.ok, describeOutcome(o)).toBe(true);
}
function expectForbidden(o: Outcome, message?: RegExp) {
  expect(o.ok, describeOutcome(o)).toBe(false);
  expect(o.code, describeOutcome(o)).toBe("forbidden");
  if (o.status !== undefined) expect(o.status).toBe(403);
  if (message) expect(o.message).toMatch(message);
}
/** Without credentials: 401/403 or an unauthenticated ack, never a success. */
function expectRefusedToNobody(o: Outcome) {
  expect(o.ok, describeOutcome(o)).toBe(false);
  if (o.status !== undefined && o.status >= 400) expect([401, 403], describeOutcome(o)).toContain(o.status);
  // The moderation page answers nobody in words only ("Only this debate's facilitators can moderate it.").
  if (o.code !== undefined) expect(["unauthenticated", "forbidden"], describeOutcome(o)).toContain(o.code);
  else expect(o.message, describeOutcome(o)).toMatch(/facilitator|join|sign in/i);
}

async function attempt(a: Attempt, ctx: Ctx, actor: Actor): Promise<Outcome> {
  const prepared = await a.prepare(ctx, actor);
  const outcome = await prepared.fire();
  await prepared.cleanup?.(outcome);
  return outcome;
}

// ---------------------------------------------------------------- the table itself

describe("the expected table", () => {
  it("equals the server's table (app/shared/permissions.ts) and its state rules, as docs/roles.md shows them", () => {
    const serverTable = Object.fromEntries(Object.entries(PERMISSIONS).map(([action, { roles }]) => [action, [...roles].sort()]));
    const ours = Object.fromEntries(Object.entries(EXPECTED).map(([action, roles]) => [action, [...roles].sort()]));
    expect(serverTable).toEqual(ours);
    expect([...ALLOWED_WHEN_CLOSED].sort()).toEqual([...WORKS_WHEN_CLOSED].sort());
    expect([...REFUSED_WHEN_MUTED].sort()).toEqual([...REFUSED_TO_MUTED].sort());
    expect([...REFUSED_WHEN_LOCKED].sort()).toEqual([...REFUSED_ON_LOCKED].sort());
    expect([...ALLOWED_IN_DRAFT].sort()).toEqual([...WORKS_IN_DRAFT].sort());
    const doc = readFileSync(path.join(projectRoot, "docs", "roles.md"), "utf8");
    for (const [action, roles] of Object.entries(EXPECTED)) {
      const row = doc.split("\n").find((line) => line.startsWith(`| \`${action}\` |`));
      expect(row, action).toBeDefined();
      expect(row!.split("|").slice(-5, -1).map((c) => c.trim() === "yes"), action).toEqual(ROLE_LIST.map((r) => roles.includes(r)));
    }
  });

  it("has at least one attempt for every action", () => {
    for (const action of Object.keys(EXPECTED)) expect(ATTEMPTS.some((a) => a.action === action), action).toBe(true);
  });
});

// ---------------------------------------------------------------- coverage guards

/** Socket events that only read, so the guard lets them be untried (the catch-up is tried anyway, as readDebate). */
const READ_ONLY_EVENTS: readonly string[] = [ClientEvent.resync];

/**
 * API routes outside the role × action table, with why. Everything else the
 * API router registers must be tried by an attempt.
 */
const ROUTES_OUTSIDE_THE_TABLE: Record<string, string> = {
  "POST /accounts": "facilitator sign-up: no debate, no role yet (tests/integration/accounts.test.ts)",
  "GET /account": "one's own account, by its session or API token (accounts.test.ts)",
  "POST /debates": "creating a debate needs a facilitator account, not a role in a debate (accounts.test.ts)",
  "GET /debates": "the public list of public debates (management.test.ts)",
  "POST /debates/:id/participants": "joining: how one gets a role (management.test.ts)",
  "POST /join": "joining by code: how one gets a role (management.test.ts)",
  "POST /imports": "importing a Polis conversation creates a debate: needs a facilitator account, not a role (opinion-groups-api.test.ts)",
  "POST /imports/preview": "what an import would create, nothing written: needs a facilitator account, not a role (imports.test.ts)",
  "GET /schema/debate-v1.json": "a static JSON Schema, the same for everyone",
  "GET /debates/:id/export": "reading, under the rule of GET /debates/:id (requireReadable); what each role's export holds is tested in exports.test.ts",
};

/** Page modules with a form action that is not in the table, with why. */
const PAGE_ACTIONS_OUTSIDE_THE_TABLE: Record<string, string> = {
  "debate.tsx": "joining the debate (display name, join code, just watch)",
  "join.tsx": "joining by code",
  "new-debate.tsx": "creating a debate (needs a facilitator account)",
  "signup.tsx": "account",
  "login.tsx": "account",
  "logout.tsx": "account",
  "account.tsx": "one's own account, sessions and API tokens",
  "account-password.tsx": "one's own password (tests/integration/credentials.test.ts)",
  "forgot-password.tsx": "account",
  "reset-password.tsx": "account",
  "language.tsx": "the reader's interface language (a cookie), whatever their role or none (tests/e2e/languages.spec.ts)",
};
/** The page modules whose form intents are tried as the table's actions (file → the attempts' page name). */
const PAGES_IN_THE_TABLE: Record<string, Page> = { "debate-edit.tsx": "edit", "debate-settings.tsx": "settings", "debate-moderation.tsx": "moderation", "debate-results.tsx": "results" };

describe("every way in is tried", () => {
  it("every socket event a client can send is tried (except the read-only ones listed)", () => {
    const tried = new Set(ATTEMPTS.filter((a) => a.transport === "socket").map((a) => a.via));
    const missing = Object.values(ClientEvent).filter((event) => !tried.has(event) && !READ_ONLY_EVENTS.includes(event));
    expect(missing).toEqual([]);
    for (const event of tried) expect(Object.values(ClientEvent) as string[], `attempt names an unknown event ${event}`).toContain(event);
  });

  it("every route the API router registers is tried or listed as outside the table", () => {
    // Introspects the real router (Express 5: one layer per route, with its path and methods).
    const router = createApiRouter(server.services) as unknown as { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
    const registered = router.stack
      .filter((layer) => layer.route)
      .flatMap((layer) => Object.keys(layer.route!.methods).filter((m) => m !== "_all").map((m) => `${m.toUpperCase()} ${layer.route!.path}`));
    expect(registered.length).toBeGreaterThan(20);
    const tried = new Set(ATTEMPTS.filter((a) => a.transport === "API").map((a) => a.via));
    expect(registered.filter((r) => !tried.has(r) && !(r in ROUTES_OUTSIDE_THE_TABLE))).toEqual([]);
    // And nothing tried or listed is a route that does not exist (a typo would test nothing).
    expect([...tried, ...Object.keys(ROUTES_OUTSIDE_THE_TABLE)].filter((r) => !registered.includes(r))).toEqual([]);
  });

  it("every page form action is tried intent by intent, or listed as outside the table", () => {
    const dir = path.join(projectRoot, "app", "routes");
    const withActions = readdirSync(dir).filter((f) => /export (async )?function action\b/.test(readFileSync(path.join(dir, f), "utf8")));
    expect(withActions.filter((f) => !(f in PAGES_IN_THE_TABLE) && !(f in PAGE_ACTIONS_OUTSIDE_THE_TABLE))).toEqual([]);
    const tried = new Set(ATTEMPTS.filter((a) => a.transport === "page" && a.via.includes("#")).map((a) => a.via));
    for (const [file, page] of Object.entries(PAGES_IN_THE_TABLE)) {
      const source = readFileSync(path.join(dir, file), "utf8");
      const intents = [...source.matchAll(/case "([a-z-]+)":/g)].map((m) => m[1]!);
      expect(intents.length, file).toBeGreaterThan(0);
      expect(intents.filter((intent) => !tried.has(`${page}#${intent}`)), file).toEqual([]);
    }
  });
});

// ---------------------------------------------------------------- every cell

describe("every cell of the table, on every transport", () => {
  let shared: Ctx;
  let draft: Ctx;
  beforeAll(async () => {
    shared = await publishedDebate();
    draft = await draftDebate();
  });

  const contextFor = async (a: Attempt) => (a.context === "published" ? shared : a.context === "draft" ? draft : draftDebate());

  for (const a of ATTEMPTS) {
    for (const role of ROLE_LIST) {
      const allowed = may(role, a.action);
      it(`${cellName(a, role)} → ${allowed ? "allowed" : "forbidden"}`, async () => {
        const ctx = await contextFor(a);
        const outcome = await attempt(a, ctx, ctx.actors[role]);
        if (allowed) expectAllowed(outcome);
        else expectForbidden(outcome);
      });
    }
    it(`${cellName(a, "nobody")} → ${a.nobodyMayRead ? "allowed (unlinked debate)" : "refused"}`, async () => {
      const ctx = await contextFor(a);
      const outcome = await attempt(a, ctx, ctx.nobody);
      if (a.nobodyMayRead) expectAllowed(outcome);
      else expectRefusedToNobody(outcome);
    });
  }
});

// ---------------------------------------------------------------- states

describe("a closed debate refuses every write, whatever the role; reopening restores them", () => {
  let ctx: Ctx;
  const writes = ATTEMPTS.filter((a) => a.write && !WORKS_WHEN_CLOSED.includes(a.action));
  const reads = ATTEMPTS.filter((a) => !a.write);
  const prepared = new Map<string, Prepared>();
  beforeAll(async () => {
    ctx = await publishedDebate();
    // Targets are set up while the debate is open; then it is closed.
    for (const a of [...writes, ...reads]) for (const role of ROLE_LIST) if (may(role, a.action)) prepared.set(cellName(a, role), await a.prepare(ctx, ctx.actors[role]));
    await must("POST", `/debates/${ctx.id}/close`, ctx.hostToken, {});
  });

  it("tries every action a closed debate refuses", () => {
    expect(writes.map((a) => a.action)).toEqual(expect.arrayContaining(Object.keys(EXPECTED).filter((a) => !WORKS_WHEN_CLOSED.includes(a as Action))));
  });

  for (const a of writes) {
    for (const role of ROLE_LIST.filter((r) => may(r, a.action))) {
      it(`closed: ${cellName(a, role)} → refused, "closed"`, async () => {
        const outcome = await prepared.get(cellName(a, role))!.fire();
        expectForbidden(outcome, /closed/i);
      });
    }
  }
  for (const a of reads) {
    for (const role of ROLE_LIST.filter((r) => may(r, a.action))) {
      it(`closed: ${cellName(a, role)} → still allowed (a read)`, async () => {
        expectAllowed(await prepared.get(cellName(a, role))!.fire());
      });
    }
  }

  describe("after reopening", () => {
    beforeAll(async () => {
      await must("POST", `/debates/${ctx.id}/reopen`, ctx.hostToken, {});
    });
    // Curation and publishing are tried on drafts above; everything else works again.
    for (const a of writes.filter((w) => w.context === "published")) {
      for (const role of ROLE_LIST.filter((r) => may(r, a.action))) {
        it(`reopened: ${cellName(a, role)} → allowed`, async () => {
          expectAllowed(await attempt(a, ctx, ctx.actors[role]));
        });
      }
    }
  });
});

describe("a draft debate takes no arguments, votes, locks or closing, even from its facilitators", () => {
  let ctx: Ctx;
  // Arguments cannot exist in a draft, so only the attempts that need none are tried here
  // (curation, publishing and the other actions a draft allows are tried on drafts above).
  const tries = ATTEMPTS.filter((a) => ["postArgument", "castVote", "lockProposition", "closeDebate"].includes(a.action) && !a.what.includes("rebuttal"));
  beforeAll(async () => {
    ctx = await draftDebate();
    for (const role of ["host", "facilitator"] as const) ctx.actors[role].socket = await connect(ctx.id, ctx.actors[role].token);
  });

  it("tries only actions a draft refuses", () => {
    expect(tries.length).toBeGreaterThan(0);
    for (const a of tries) expect(WORKS_IN_DRAFT).not.toContain(a.action);
  });
  for (const a of tries) {
    for (const role of ["host", "facilitator"] as const) {
      it(`draft: ${cellName(a, role)} → refused, "not open yet"`, async () => {
        expectForbidden(await attempt(a, ctx, ctx.actors[role]), /not open yet/i);
      });
    }
  }
});

describe("a muted debater may read, vote, rate and report, but not post, edit, delete or add sources", () => {
  let ctx: Ctx;
  let muted: Actor;
  const tries = ATTEMPTS.filter((a) => REFUSED_TO_MUTED.includes(a.action) || ALLOWED_TO_MUTED.includes(a.action));
  const prepared = new Map<Attempt, Prepared>();
  beforeAll(async () => {
    ctx = await publishedDebate(false);
    muted = await join(ctx, "Muted debater");
    muted.socket = await connect(ctx.id, muted.token);
    for (const a of tries) prepared.set(a, await a.prepare(ctx, muted));
    await must("PATCH", `/debates/${ctx.id}/participants/${muted.id}`, ctx.hostToken, { muted: true });
  });

  it("tries every action of both lists", () => {
    expect([...new Set(tries.map((a) => a.action))].sort()).toEqual([...REFUSED_TO_MUTED, ...ALLOWED_TO_MUTED].sort());
  });
  for (const a of tries) {
    const refused = REFUSED_TO_MUTED.includes(a.action);
    it(`muted: ${cellName(a, "muted debater")} → ${refused ? 'refused, "muted"' : "allowed"}`, async () => {
      const outcome = await prepared.get(a)!.fire();
      if (refused) expectForbidden(outcome, /muted/i);
      else expectAllowed(outcome);
    });
  }
});

describe("a locked proposition takes no arguments, edits, deletions, sources, votes or ratings, even from the host", () => {
  let ctx: Ctx;
  const tries = ATTEMPTS.filter((a) => REFUSED_ON_LOCKED.includes(a.action));
  const prepared = new Map<string, Prepared>();
  beforeAll(async () => {
    ctx = await publishedDebate();
    for (const a of tries) for (const role of ROLE_LIST) if (may(role, a.action)) prepared.set(cellName(a, role), await a.prepare(ctx, ctx.actors[role]));
    await must("PUT", `/debates/${ctx.id}/propositions/${ctx.propositions[ARG]}/lock`, ctx.hostToken, { locked: true });
  });

  it("tries every action the lock refuses", () => {
    expect([...new Set(tries.map((a) => a.action))].sort()).toEqual([...REFUSED_ON_LOCKED].sort());
  });
  for (const a of tries) {
    for (const role of ROLE_LIST.filter((r) => may(r, a.action))) {
      it(`locked: ${cellName(a, role)} → refused, "locked"`, async () => {
        expectForbidden(await prepared.get(cellName(a, role))!.fire(), /locked/i);
      });
    }
  }
  it("other propositions stay open, and unlocking restores the locked one", async () => {
    const elsewhere = await call("PUT", `/debates/${ctx.id}/propositions/${ctx.propositions[REWORD]}/vote`, { token: ctx.actors.debater.token, body: { value: "agree" } });
    expect(elsewhere.status).toBe(200);
    await must("PUT", `/debates/${ctx.id}/propositions/${ctx.propositions[ARG]}/lock`, ctx.hostToken, { locked: false });
    for (const a of tries) expectAllowed(await attempt(a, ctx, ctx.actors.host));
  });
});

describe("a removed participant is nobody: their token stops working on the API and the socket", () => {
  it("answers 401 on the API, closes their connection, and makes a new handshake anonymous (or refused when private)", async () => {
    const ctx = await publishedDebate(false);
    const gone = await join(ctx, "Removed");
    const argumentId = await postAs(ctx, gone);
    const socket = await connect(ctx.id, gone.token);
    const told = nextEvent(socket, "debate:error");
    const closed = new Promise<void>((resolve) => socket.once("disconnect", () => resolve()));
    await must("DELETE", `/debates/${ctx.id}/participants/${gone.id}`, ctx.hostToken, {});
    expect((await told).code).toBe("unauthenticated");
    await closed;

    for (const [method, apiPath, body] of [
      ["PUT", `/debates/${ctx.id}/propositions/${ctx.propositions[ARG]}/vote`, { value: "agree" }],
      ["POST", `/debates/${ctx.id}/arguments`, { propositionId: ctx.propositions[ARG], stance: "pro", body: argumentBody("Still here?") }],
      ["PATCH", `/debates/${ctx.id}/arguments/${argumentId}`, { body: argumentBody("Still mine?") }],
    ] as const) {
      const reply = await call(method, apiPath, { token: gone.token, body });
      expect(reply.status, `${method} ${apiPath}`).toBe(401);
      expect(reply.json.error.code).toBe("unauthenticated");
    }
    // A new connection with the removed token is an anonymous reader of this unlinked debate: it may not write.
    const again = await connectParticipant(server.url, ctx.id, gone.token!);
    sockets.push(again.socket);
    expect(again.welcome.participant).toBeNull();
    const ack = await emitWithAck(again.socket, ClientEvent.castVote, { propositionId: ctx.propositions[ARG], value: "agree" });
    expect(ack.ok ? null : ack.error.code).toBe("unauthenticated");
    // And a page form with their cookie acts as nobody.
    const form = await postPageAction(server.url, `/debates/${ctx.id}/settings`, { intent: "rotate-code" }, participantCookie(ctx.id, gone.token!));
    expect((form.data as { error?: { code: string } }).error?.code).toBe("unauthenticated");

    // In a private debate, the handshake itself is refused.
    await must("PATCH", `/debates/${ctx.id}/settings`, ctx.hostToken, { visibility: "private" });
    await expect(connectParticipant(server.url, ctx.id, gone.token!)).rejects.toThrow();
    expect((await call("GET", `/debates/${ctx.id}`, { token: gone.token })).status).toBe(404);
  });
});

describe("one's own and others' arguments and participants", () => {
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await publishedDebate();
  });

  const ownOnly = ATTEMPTS.filter((a) => ["editOwnArgument", "deleteOwnArgument", "addSource"].includes(a.action));
  for (const a of ownOnly) {
    for (const role of writers) {
      it(`${cellName(a, role)}, aimed at someone else's argument → forbidden`, async () => {
        // The same attempt, with the author's argument as the target instead of one's own.
        expectForbidden(await attempt(a, { ...ctx, argumentOwner: ctx.author }, ctx.actors[role]), /your own/i);
      });
    }
  }

  it("revisions of someone else's argument: its author and the facilitators only", async () => {
    const argumentId = await othersArgument(ctx);
    for (const role of ROLE_LIST) {
      const facilitator = role === "host" || role === "facilitator";
      const api = await call("GET", `/debates/${ctx.id}/arguments/${argumentId}/revisions`, { token: ctx.actors[role].token });
      const ack = await emitWithAck(ctx.actors[role].socket!, ClientEvent.argumentRevisions, { argumentId });
      if (facilitator) {
        expect(api.status, role).toBe(200);
        expect(ack.ok, role).toBe(true);
      } else {
        expectForbidden(outcomeOfReply(api));
        expect(ack.ok ? "ok" : ack.error.code, role).toBe("forbidden");
      }
    }
    expect((await call("GET", `/debates/${ctx.id}/arguments/${argumentId}/revisions`, { token: ctx.author.token })).status).toBe(200);
  });

  it("nobody reports their own argument", async () => {
    const argumentId = await postAs(ctx, ctx.actors.debater);
    expectForbidden(outcomeOfReply(await call("POST", `/debates/${ctx.id}/arguments/${argumentId}/reports`, { token: ctx.actors.debater.token, body: { reason } })), /own argument/);
  });

  it("a co-host may not manage the host, nor another co-host, nor appoint one; nobody mutes or removes the host", async () => {
    const host = ctx.actors.host.id!;
    const cohost = ctx.actors.facilitator;
    const other = await freshFacilitator(ctx);
    const target = await freshDebater(ctx);
    const tries: [string, string, unknown][] = [
      ["PATCH", `/debates/${ctx.id}/participants/${host}`, { muted: true }],
      ["PATCH", `/debates/${ctx.id}/participants/${host}`, { displayName: "Not the host" }],
      ["PATCH", `/debates/${ctx.id}/participants/${host}`, { role: "debater" }],
      ["DELETE", `/debates/${ctx.id}/participants/${host}`, {}],
      ["PATCH", `/debates/${ctx.id}/participants/${other}`, { muted: true }],
      ["PATCH", `/debates/${ctx.id}/participants/${other}`, { role: "observer" }],
      ["DELETE", `/debates/${ctx.id}/participants/${other}`, {}],
      ["PATCH", `/debates/${ctx.id}/participants/${target}`, { role: "facilitator" }],
    ];
    for (const [method, apiPath, body] of tries) expectForbidden(outcomeOfReply(await call(method, apiPath, { token: cohost.token, body })));
    const cookie = participantCookie(ctx.id, cohost.token!);
    const forms: Record<string, string>[] = [
      { intent: "mute", participantId: host },
      { intent: "remove", participantId: host },
      { intent: "role", participantId: host, role: "debater" },
      { intent: "mute", participantId: other },
      { intent: "role", participantId: target, role: "facilitator" },
    ];
    for (const fields of forms) {
      const reply = await postPageAction(server.url, `/debates/${ctx.id}/settings`, fields, cookie);
      expect((reply.data as { error?: { code: string } }).error?.code, JSON.stringify(fields)).toBe("forbidden");
    }
    // The host cannot be muted or removed by themselves either.
    for (const body of [{ muted: true }, { role: "debater" }]) expectForbidden(outcomeOfReply(await call("PATCH", `/debates/${ctx.id}/participants/${host}`, { token: ctx.hostToken, body })));
    expectForbidden(outcomeOfReply(await call("DELETE", `/debates/${ctx.id}/participants/${host}`, { token: ctx.hostToken, body: {} })));
    // Nothing changed.
    const list = (await must("GET", `/debates/${ctx.id}/participants`, ctx.hostToken)).participants as { id: string; role: string; muted: boolean; removed: boolean }[];
    expect(list.find((p) => p.id === host)).toMatchObject({ role: "host", muted: false, removed: false });
    expect(list.find((p) => p.id === other)).toMatchObject({ role: "facilitator", muted: false, removed: false });
    expect(list.find((p) => p.id === target)).toMatchObject({ role: "debater" });
  });
});
