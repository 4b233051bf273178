/**
 * Reads recorded for everyone who reads (issue 13, docs/decisions/0072-what-changed-minds.md):
 * a facilitator signed in with their account only (the session cookie, no participant cookie, as
 * on a second device) records reads like any participant, and they count in "what changed minds".
 */
import { describe, expect, it } from "vitest";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { api, randomAccount } from "../support/api-client";
import { seedArticle } from "../support/article";
import { postForm } from "../support/page-client";
import { useTestServer } from "../support/test-server";

const { server } = useTestServer({ serveApp: true, rateLimits: "off" });

/** A JSON write with only the session cookie, as the page's fetch sends it (same origin). */
const withSession = (session: string, path: string, body: unknown) =>
  fetch(`${server.url}${path}`, { method: "POST", headers: { cookie: session, origin: server.url, "content-type": "application/json" }, body: JSON.stringify(body) });

describe("reads of an account facilitator", () => {
  it("are recorded with the session cookie alone and count as exposures before their change of mind", async () => {
    const signup = await postForm(server.url, "/signup", randomAccount("Ms Rivera"));
    expect(signup.status).toBe(302);
    const session = signup.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.startsWith("sm_session="))!;
    expect(session).toBeDefined();
    const created = await withSession(session, "/api/debates", { sourceText: seedArticle, publish: true });
    expect(created.status).toBe(201);
    const debate = (await created.json()) as { id: string; propositions: { id: string }[] };
    const ada = (await api(server.url, `/api/debates/${debate.id}/participants`, { body: { displayName: "Ada" } })).json as { token: string };
    const proposition = debate.propositions[0]!.id;
    const argument = (await api(server.url, `/api/debates/${debate.id}/arguments`, { body: { propositionId: proposition, stance: "con", body: plainTextToArgumentBody("Not so fast.") }, token: ada.token })).json as { id: string };

    // The facilitator votes, reads Ada's argument, and changes their vote.
    const vote = (value: string) => fetch(`${server.url}/api/debates/${debate.id}/propositions/${proposition}/vote`, { method: "PUT", headers: { cookie: session, origin: server.url, "content-type": "application/json" }, body: JSON.stringify({ value }) });
    expect((await vote("agree")).status).toBe(200);
    const reads = await withSession(session, `/api/debates/${debate.id}/reads`, { reads: [{ argumentId: argument.id, kind: "viewed", msAgo: 0 }] });
    expect(reads.status).toBe(200);
    expect(await reads.json()).toEqual({ recorded: 1 });
    await new Promise((r) => setTimeout(r, 5));
    expect((await vote("disagree")).status).toBe(200);

    const results = await fetch(`${server.url}/api/debates/${debate.id}/results`, { headers: { cookie: session } });
    const changed = ((await results.json()) as { changedMinds: { changedParticipants: number; arguments: { argumentId: string; changedMinds: number }[]; myPath: unknown[] | null } }).changedMinds;
    expect(changed.changedParticipants).toBe(1);
    expect(changed.arguments).toEqual([expect.objectContaining({ argumentId: argument.id, changedMinds: 1 })]);
    expect(changed.myPath).toHaveLength(1);
  });
});
