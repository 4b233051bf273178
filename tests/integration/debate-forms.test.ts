/**
 * The debate page's forms sent without JavaScript (issue 21, app/utils/debate-forms.server.ts), over
 * HTTP against the built app (`npm run build` first): a form posts through the same services as the
 * socket, lands back at its anchor, counts once when sent twice with its opId, and explains a refusal.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { participantCookieName } from "../../app/shared/contract";
import { formOpId } from "../../app/shared/form-op-id";
import { api, facilitatorToken } from "../support/api-client";
import { seedArticle } from "../support/article";
import { formBody, rawRequest } from "../support/raw-http";
import { useTestServer } from "../support/test-server";

const { server } = useTestServer({ serveApp: true });

async function debateWithParticipant() {
  const created = await api(server.url, "/api/debates", { body: { sourceText: seedArticle, publish: true }, token: await facilitatorToken(server.url) });
  expect(created.status).toBe(201);
  const joined = await api(server.url, `/api/debates/${created.json.id}/participants`, { body: { displayName: "Form sender" } });
  expect(joined.status).toBe(201);
  return { debateId: created.json.id as string, propositionId: created.json.propositions[0].id as string, cookie: `${participantCookieName(created.json.id)}=${joined.json.token}` };
}

function postForm(debateId: string, cookie: string | null, fields: Record<string, string>) {
  const { body, headers } = formBody(fields);
  return rawRequest(server.url, `/debates/${debateId}`, { body, headers: { ...headers, ...(cookie ? { Cookie: cookie } : {}) } });
}

describe("the debate page's forms without JavaScript", () => {
  it("posts an argument from plain text once, however often the same form is sent", async () => {
    const { debateId, propositionId, cookie } = await debateWithParticipant();
    const opId = formOpId(randomUUID(), `post:${propositionId}`);
    const fields = { intent: "post", opId, propositionId, stance: "con", bodyText: "First line.\nSecond line.", sourceUrl: "https://example.org/report", sourceTitle: "A report" };
    for (let i = 0; i < 2; i++) {
      const reply = await postForm(debateId, cookie, fields);
      expect(reply.status).toBe(302);
      expect(reply.headers.location).toBe(`/debates/${debateId}#prop-${propositionId}`);
    }
    const debate = await api(server.url, `/api/debates/${debateId}`);
    const posted = debate.json.arguments.filter((a: { propositionId: string }) => a.propositionId === propositionId);
    expect(posted).toHaveLength(1);
    expect(posted[0].stance).toBe("con");
    expect(posted[0].bodyText).toBe("First line.\nSecond line.");
    expect(posted[0].body.root.children).toHaveLength(2);
    expect(posted[0].sources).toMatchObject([{ url: "https://example.org/report", title: "A report" }]);
  });

  it("votes, changes and clears the vote (an empty value is the current choice pressed again)", async () => {
    const { debateId, propositionId, cookie } = await debateWithParticipant();
    const key = randomUUID();
    const tally = async () => (await api(server.url, `/api/debates/${debateId}`)).json.propositions[0].tally;
    expect((await postForm(debateId, cookie, { intent: "vote", opId: formOpId(key, "a"), propositionId, value: "agree" })).status).toBe(302);
    expect(await tally()).toMatchObject({ agree: 1, total: 1 });
    expect((await postForm(debateId, cookie, { intent: "vote", opId: formOpId(key, "b"), propositionId, value: "unsure" })).status).toBe(302);
    expect(await tally()).toMatchObject({ agree: 0, unsure: 1, total: 1 });
    expect((await postForm(debateId, cookie, { intent: "vote", opId: formOpId(key, "c"), propositionId, value: "" })).status).toBe(302);
    expect(await tally()).toMatchObject({ total: 0 });
  });

  it("explains a refusal on the page, with no 500: not joined, or a bad value", async () => {
    const { debateId, propositionId, cookie } = await debateWithParticipant();
    const anonymous = await postForm(debateId, null, { intent: "vote", propositionId, value: "agree" });
    expect(anonymous.status).toBe(200);
    expect(anonymous.text).toContain("Join the debate first");
    const bad = await postForm(debateId, cookie, { intent: "vote", propositionId, value: "maybe" });
    expect(bad.status).toBe(200);
    expect(bad.text).toContain("A vote is");
    const empty = await postForm(debateId, cookie, { intent: "post", propositionId, stance: "pro", bodyText: "   " });
    expect(empty.status).toBe(200);
    expect(empty.text).toContain("The argument is empty.");
  });
});
