/**
 * Teams and small groups against the running server (issue 13, docs/decisions/0073-teams.md):
 * every team action of the JSON API (create, list, rename, side, propositions, delete, assign, move,
 * random split), late joiners to the smallest team, drafts seen by the team and the facilitators
 * only, publishing a draft (a normal argument, live for everyone), the team's side and propositions,
 * the socket operations, the audit log, and the races (stale moves, removed participants, deleted
 * teams): a clear error and nothing changed.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { ServerEvent, type ArgumentDTO } from "../../app/shared/contract";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { ClientEvent } from "../../app/shared/operations";
import type { TeamDraftDTO, TeamsViewDTO } from "../../app/shared/teams";
import { api as callApi, facilitatorToken } from "../support/api-client";
import { seedArticle } from "../support/article";
import { emitWithAck, nextEvent } from "../support/socket-client";
import { useTestServer } from "../support/test-server";

let facilitator: string;
const { server, connect } = useTestServer({ serveApp: false, rateLimits: "off" });
beforeAll(async () => {
  facilitator = await facilitatorToken(server.url);
});
const api = (path: string, init?: Parameters<typeof callApi>[2]) => callApi(server.url, path, init);

interface Joined {
  token: string;
  participant: { id: string; displayName: string };
}

/** A published classroom debate with `names.length` debaters and an observer. */
async function classroom(names: string[] = ["Ada", "Bo", "Cy"]) {
  const created = await api("/api/debates", { body: { sourceText: seedArticle, publish: true }, token: facilitator });
  expect(created.status).toBe(201);
  const debate = created.json;
  const join = async (displayName: string, role = "debater") => (await api(`/api/debates/${debate.id}/participants`, { body: { displayName, role } })).json as Joined;
  const students: Joined[] = [];
  for (const name of names) students.push(await join(name));
  const olga = await join("Olga", "observer");
  return { id: debate.id as string, host: debate.hostToken as string, students, olga, join, propositions: debate.propositions.map((p: { id: string }) => p.id) as string[] };
}
type Room = Awaited<ReturnType<typeof classroom>>;

const teamsOf = async (room: Room, token?: string) => (await api(`/api/debates/${room.id}/teams`, token ? { token } : {})).json as TeamsViewDTO;
const createTeam = (room: Room, body: unknown, token = room.host) => api(`/api/debates/${room.id}/teams`, { body, token });
const assign = (room: Room, participantId: string, body: unknown, token = room.host) => api(`/api/debates/${room.id}/teams/members/${participantId}`, { method: "PUT", body, token });
const draft = (room: Room, teamId: string, token: string, body: unknown) => api(`/api/debates/${room.id}/teams/${teamId}/drafts`, { body, token });
const publish = (room: Room, teamId: string, draftId: string, token: string) => api(`/api/debates/${room.id}/teams/${teamId}/drafts/${draftId}/publish`, { body: {}, token });
const membersOf = (view: TeamsViewDTO) => Object.fromEntries(view.teams.map((t) => [t.name, t.members.map((m) => m.displayName).sort()]));

describe("a facilitator's team actions over the JSON API", () => {
  it("creates, lists, renames, sets a side and propositions, assigns, moves and deletes; each audited and in the debate", async () => {
    const room = await classroom();
    const [ada, bo, cy] = room.students;
    const pro = await createTeam(room, { name: "Reds", side: "pro" });
    expect(pro.status).toBe(201);
    const con = await createTeam(room, { name: "Blues", side: "con", propositionIds: [room.propositions[0]] });
    const reds = pro.json.teams.find((t: { name: string }) => t.name === "Reds").id as string;
    const blues = con.json.teams.find((t: { name: string }) => t.name === "Blues").id as string;
    expect(con.json.teams).toEqual([
      expect.objectContaining({ name: "Reds", side: "pro", propositionIds: [], members: [] }),
      expect.objectContaining({ name: "Blues", side: "con", propositionIds: [room.propositions[0]], members: [] }),
    ]);
    expect(con.json.unassigned.map((p: { displayName: string }) => p.displayName)).toEqual(["Ada", "Bo", "Cy"]);

    expect((await assign(room, ada!.participant.id, { teamId: reds })).status).toBe(200);
    expect((await assign(room, bo!.participant.id, { teamId: blues })).status).toBe(200);
    expect((await assign(room, cy!.participant.id, { teamId: blues, fromTeamId: null })).status).toBe(200);
    // Moving Cy with the team the page showed.
    const moved = await assign(room, cy!.participant.id, { teamId: reds, fromTeamId: blues });
    expect(moved.status).toBe(200);
    expect(membersOf(moved.json)).toEqual({ Reds: ["Ada", "Cy"], Blues: ["Bo"] });

    const renamed = await api(`/api/debates/${room.id}/teams/${blues}`, { method: "PATCH", body: { name: "Greens", side: null, propositionIds: [] }, token: room.host });
    expect(renamed.status).toBe(200);
    expect(renamed.json.teams[1]).toMatchObject({ name: "Greens", side: null, propositionIds: [] });

    // Everyone sees the teams (not the drafts), in the teams view and the debate.
    const asObserver = await teamsOf(room, room.olga.token);
    expect(membersOf(asObserver)).toEqual({ Reds: ["Ada", "Cy"], Greens: ["Bo"] });
    expect(asObserver).toMatchObject({ myTeamId: null, drafts: [], unassigned: [] });
    expect((await teamsOf(room, ada!.token)).myTeamId).toBe(reds);
    expect((await api(`/api/debates/${room.id}`, { token: bo!.token })).json.teams.map((t: { name: string }) => t.name)).toEqual(["Reds", "Greens"]);

    const deleted = await api(`/api/debates/${room.id}/teams/${blues}`, { method: "DELETE", body: {}, token: room.host });
    expect(deleted.status).toBe(200);
    expect(deleted.json.teams.map((t: { name: string }) => t.name)).toEqual(["Reds"]);
    expect(deleted.json.unassigned.map((p: { displayName: string }) => p.displayName)).toEqual(["Bo"]);

    const audit = (await api(`/api/debates/${room.id}/audit`, { token: room.host })).json.entries.filter((e: { action: string }) => e.action === "teams.changed");
    expect(audit.map((e: { details: { action: string } }) => e.details.action).sort()).toEqual(["assign", "assign", "assign", "assign", "create", "create", "delete", "update"]);
  });

  it("refuses debaters and observers, bad input and other debates' propositions, with nothing changed", async () => {
    const room = await classroom(["Ada"]);
    const other = await classroom(["Zed"]);
    expect((await createTeam(room, { name: "Mine" }, room.students[0]!.token)).status).toBe(403);
    expect((await createTeam(room, { name: "Mine" }, room.olga.token)).status).toBe(403);
    const bad = await createTeam(room, { name: "  " });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/name/i);
    const side = await createTeam(room, { name: "X", side: "maybe" });
    expect(side.status).toBe(400);
    const foreign = await createTeam(room, { name: "X", propositionIds: [other.propositions[0]] });
    expect(foreign.status).toBe(400);
    expect(foreign.json.error.field).toBe("propositionIds");
    const observer = await createTeam(room, { name: "Solo" });
    const solo = observer.json.teams[0].id;
    const notDebater = await assign(room, room.olga.participant.id, { teamId: solo });
    expect(notDebater.status).toBe(409);
    expect(notDebater.json.error.message).toMatch(/observer.*Nothing was changed/);
    expect((await assign(room, other.students[0]!.participant.id, { teamId: solo })).status).toBe(404);
    expect(membersOf(await teamsOf(room, room.host))).toEqual({ Solo: [] });
  });
});

describe("a random balanced split and late joiners", () => {
  it("splits seven debaters into three teams of 3, 2 and 2; a late joiner goes to the smallest team", async () => {
    const room = await classroom(["A", "B", "C", "D", "E", "F", "G"]);
    const split = await createTeam(room, { action: "random", count: 3 });
    expect(split.status).toBe(200);
    const view = split.json as TeamsViewDTO;
    expect(view.teams.map((t) => t.name)).toEqual(["Team 1", "Team 2", "Team 3"]);
    expect(view.teams.map((t) => t.members.length)).toEqual([3, 2, 2]);
    expect(new Set(view.teams.flatMap((t) => t.members.map((m) => m.displayName)))).toEqual(new Set(["A", "B", "C", "D", "E", "F", "G"]));
    expect(view.unassigned).toEqual([]);

    const late = await room.join("Hal");
    const after = await teamsOf(room, late.token);
    const halsTeam = after.teams.find((t) => t.members.some((m) => m.id === late.participant.id))!;
    expect(halsTeam.name).toBe("Team 2");
    expect(after.myTeamId).toBe(halsTeam.id);
    // Observers join no team.
    const watcher = await room.join("Wes", "observer");
    expect((await teamsOf(room, watcher.token)).myTeamId).toBeNull();

    // A second split keeps the teams; a count that does not match them is refused.
    expect((await createTeam(room, { action: "random" })).json.teams.map((t: { members: unknown[] }) => t.members.length).sort()).toEqual([3, 3, 2].sort());
    const wrong = await createTeam(room, { action: "random", count: 2 });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.message).toMatch(/already has 3 teams/);
  });

  it("late joiners arriving together spread over the teams", async () => {
    const room = await classroom([]);
    await createTeam(room, { name: "One" });
    await createTeam(room, { name: "Two" });
    await Promise.all(["P", "Q", "R", "S"].map((name) => room.join(name)));
    expect((await teamsOf(room, room.host)).teams.map((t) => t.members.length)).toEqual([2, 2]);
  });
});

describe("team drafts", () => {
  it("a draft is read by the team and the facilitators only, until a member publishes it; then it is a live argument", async () => {
    const room = await classroom();
    const [ada, bo, cy] = room.students;
    const reds = (await createTeam(room, { name: "Reds", side: "pro" })).json.teams[0].id as string;
    const blues = (await createTeam(room, { name: "Blues", side: "con" })).json.teams[1].id as string;
    await assign(room, ada!.participant.id, { teamId: reds });
    await assign(room, bo!.participant.id, { teamId: reds });
    await assign(room, cy!.participant.id, { teamId: blues });

    const drafted = await draft(room, reds, ada!.token, { propositionId: room.propositions[0], stance: "pro", text: "Four days of work leave one for learning." });
    expect(drafted.status).toBe(201);
    const d = drafted.json as TeamDraftDTO;
    expect(d).toMatchObject({ teamId: reds, stance: "pro", author: { displayName: "Ada" }, publishedAt: null });

    expect((await teamsOf(room, bo!.token)).drafts.map((x) => x.text)).toEqual(["Four days of work leave one for learning."]);
    expect((await teamsOf(room, room.host)).drafts.map((x) => x.id)).toEqual([d.id]);
    expect((await teamsOf(room, cy!.token)).drafts).toEqual([]);
    expect((await teamsOf(room, room.olga.token)).drafts).toEqual([]);
    expect((await teamsOf(room)).drafts).toEqual([]);
    // Not in the debate yet.
    expect((await api(`/api/debates/${room.id}`, { token: room.host })).json.arguments).toEqual([]);

    // Another team's member cannot draft or publish in this space; the side holds.
    expect((await draft(room, reds, cy!.token, { propositionId: room.propositions[0], stance: "pro", text: "Sneaky." })).status).toBe(403);
    expect((await publish(room, reds, d.id, cy!.token)).status).toBe(403);
    const wrongSide = await draft(room, reds, bo!.token, { propositionId: room.propositions[0], stance: "con", text: "Against." });
    expect(wrongSide.status).toBe(403);
    expect(wrongSide.json.error.message).toMatch(/argues for/);
    // Direct posting by a member keeps the team's side too.
    const direct = await api(`/api/debates/${room.id}/arguments`, { body: { propositionId: room.propositions[0], stance: "con", body: plainTextToArgumentBody("Direct con.") }, token: bo!.token });
    expect(direct.status).toBe(403);

    const watcher = await connect(room.id, room.olga.token);
    const live = nextEvent(watcher.socket, ServerEvent.change, (c) => c.kind === "argument.created");
    const published = await publish(room, reds, d.id, bo!.token);
    expect(published.status).toBe(201);
    const argument = published.json as ArgumentDTO;
    expect(argument).toMatchObject({ propositionId: room.propositions[0], stance: "pro", parentId: null, bodyText: "Four days of work leave one for learning.", author: { displayName: "Ada" } });
    expect(((await live).data as ArgumentDTO).id).toBe(argument.id);
    expect((await api(`/api/debates/${room.id}`, { token: cy!.token })).json.arguments.map((a: { id: string }) => a.id)).toEqual([argument.id]);
    expect((await teamsOf(room, ada!.token)).drafts[0]).toMatchObject({ argumentId: argument.id });
    expect((await teamsOf(room, ada!.token)).teams[0]).toMatchObject({ drafts: 0, published: 1 });

    const twice = await publish(room, reds, d.id, ada!.token);
    expect(twice.status).toBe(409);
    expect(twice.json.error.message).toMatch(/already published/);
  });

  it("a team with propositions takes drafts only on them; observers cannot draft", async () => {
    const room = await classroom(["Ada"]);
    const team = (await createTeam(room, { name: "Focus", propositionIds: [room.propositions[1]] })).json.teams[0].id as string;
    await assign(room, room.students[0]!.participant.id, { teamId: team });
    const off = await draft(room, team, room.students[0]!.token, { propositionId: room.propositions[0], stance: "pro", text: "Off topic." });
    expect(off.status).toBe(403);
    expect(off.json.error.message).toMatch(/other propositions/);
    expect((await draft(room, team, room.students[0]!.token, { propositionId: room.propositions[1], stance: "con", text: "On topic." })).status).toBe(201);
    expect((await draft(room, team, room.olga.token, { propositionId: room.propositions[1], stance: "con", text: "Watching." })).status).toBe(403);
    // A facilitator may draft in any team.
    expect((await draft(room, team, room.host, { propositionId: room.propositions[1], stance: "pro", text: "A hint." })).status).toBe(201);
  });
});

describe("the team operations over the socket", () => {
  it("manageTeams, draftTeamArgument and publishTeamDraft run once per opId and broadcast teams.updated", async () => {
    const room = await classroom(["Ada"]);
    const host = await connect(room.id, room.host);
    const ada = await connect(room.id, room.students[0]!.token);
    const watcher = await connect(room.id, room.olga.token);
    const seen = nextEvent(watcher.socket, ServerEvent.change, (c) => c.kind === "teams.updated");
    const opId = randomUUID();
    const first = await emitWithAck<TeamsViewDTO>(host.socket, ClientEvent.manageTeams, { opId, action: "create", name: "Live" });
    const repeat = await emitWithAck<TeamsViewDTO>(host.socket, ClientEvent.manageTeams, { opId, action: "create", name: "Live" });
    expect(first.ok && repeat.ok).toBe(true);
    expect(((await seen).data as { teams: { name: string }[] }).teams.map((t: { name: string }) => t.name)).toEqual(["Live"]);
    expect((await teamsOf(room, room.host)).teams).toHaveLength(1);
    const teamId = (await teamsOf(room, room.host)).teams[0]!.id;
    expect((await emitWithAck(host.socket, ClientEvent.manageTeams, { action: "assign", participantId: room.students[0]!.participant.id, teamId })).ok).toBe(true);
    const drafted = await emitWithAck<TeamDraftDTO>(ada.socket, ClientEvent.draftTeamArgument, { teamId, propositionId: room.propositions[0], stance: "pro", text: "Live draft." });
    expect(drafted.ok).toBe(true);
    const created = nextEvent(watcher.socket, ServerEvent.change, (c) => c.kind === "argument.created");
    const published = await emitWithAck<ArgumentDTO>(ada.socket, ClientEvent.publishTeamDraft, { teamId, draftId: drafted.ok ? drafted.data.id : "" });
    expect(published.ok).toBe(true);
    expect(((await created).data as ArgumentDTO).bodyText).toBe("Live draft.");
    const refused = await emitWithAck(watcher.socket, ClientEvent.manageTeams, { action: "create", name: "Nope" });
    expect(refused.ok).toBe(false);
  });
});

describe("races: stale requests are refused with a clear error and nothing changed", () => {
  it("two stale moves of a team's last member: one wins, the other gets 409 and changes nothing", async () => {
    const room = await classroom(["Ada"]);
    const ada = room.students[0]!;
    const a = (await createTeam(room, { name: "A" })).json.teams[0].id as string;
    const b = (await createTeam(room, { name: "B" })).json.teams[1].id as string;
    const c = (await createTeam(room, { name: "C" })).json.teams[2].id as string;
    await assign(room, ada.participant.id, { teamId: a });
    const [toB, toC] = await Promise.all([assign(room, ada.participant.id, { teamId: b, fromTeamId: a }), assign(room, ada.participant.id, { teamId: c, fromTeamId: a })]);
    expect([toB.status, toC.status].sort()).toEqual([200, 409]);
    const loser = toB.status === 409 ? toB : toC;
    const winner = toB.status === 409 ? "C" : "B";
    expect(loser.json.error.message).toMatch(new RegExp(`Ada has been moved meanwhile: they are now in “${winner}”\\. Nothing was changed`));
    expect(membersOf(await teamsOf(room, room.host))).toEqual({ A: [], B: winner === "B" ? ["Ada"] : [], C: winner === "C" ? ["Ada"] : [] });
  });

  it("a team for a participant removed meanwhile, and a move into a team deleted meanwhile, change nothing", async () => {
    const room = await classroom(["Ada", "Bo"]);
    const [ada, bo] = room.students;
    const a = (await createTeam(room, { name: "A" })).json.teams[0].id as string;
    const b = (await createTeam(room, { name: "B" })).json.teams[1].id as string;
    expect((await api(`/api/debates/${room.id}/participants/${ada!.participant.id}`, { method: "DELETE", body: {}, token: room.host })).status).toBe(200);
    const removed = await assign(room, ada!.participant.id, { teamId: a, fromTeamId: null });
    expect(removed.status).toBe(409);
    expect(removed.json.error.message).toMatch(/Ada was removed from the debate.*Nothing was changed/);

    await assign(room, bo!.participant.id, { teamId: a });
    await api(`/api/debates/${room.id}/teams/${b}`, { method: "DELETE", body: {}, token: room.host });
    const gone = await assign(room, bo!.participant.id, { teamId: b, fromTeamId: a });
    expect(gone.status).toBe(404);
    expect(gone.json.error.message).toMatch(/team/);
    expect(membersOf(await teamsOf(room, room.host))).toEqual({ A: ["Bo"] });
  });

  it("two members publishing the same draft at once: one argument, the other gets 409", async () => {
    const room = await classroom(["Ada", "Bo"]);
    const [ada, bo] = room.students;
    const team = (await createTeam(room, { name: "A" })).json.teams[0].id as string;
    await assign(room, ada!.participant.id, { teamId: team });
    await assign(room, bo!.participant.id, { teamId: team });
    const d = (await draft(room, team, ada!.token, { propositionId: room.propositions[0], stance: "pro", text: "Once." })).json as TeamDraftDTO;
    const results = await Promise.all([publish(room, team, d.id, ada!.token), publish(room, team, d.id, bo!.token)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect((await api(`/api/debates/${room.id}`, { token: room.host })).json.arguments).toHaveLength(1);
  });
});
