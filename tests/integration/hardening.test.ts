/**
 * Regressions found by trying to break the main path: concurrent curation,
 * structural edits after publishing, malformed ids and bodies, invisible
 * characters, and cross-site writes.
 */
import { describe, expect, it } from "vitest";
import { useTestServer } from "../support/test-server";
import { api, facilitatorToken, publishedDebateWith } from "../support/api-client";
import { seedArticle } from "../support/article";

const { server } = useTestServer({ serveApp: false, rateLimits: "off" });

async function draft() {
  const created = await api(server.url, "/api/debates", { body: { sourceText: seedArticle }, token: await facilitatorToken(server.url) });
  const host = await server.services.findParticipant(created.json.id, created.json.hostToken);
  return { id: created.json.id as string, hostToken: created.json.hostToken as string, host, propositions: created.json.propositions as { id: string; text: string }[] };
}

describe("curation", () => {
  it("two re-drafts at once leave one set of propositions", async () => {
    const d = await draft();
    const results = await Promise.allSettled([
      server.services.curatePropositions(d.id, d.host, { intent: "resection", section: "whole" }),
      server.services.curatePropositions(d.id, d.host, { intent: "resection", section: "whole" }),
    ]);
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    const rows = await server.db.proposition.findMany({ where: { debateId: d.id } });
    expect(new Set(rows.map((r) => r.position)).size).toBe(rows.length);
  });

  it("two merges of the same row at once: one merges, the other is told why", async () => {
    const d = await draft();
    const before = d.propositions.length;
    const results = await Promise.allSettled([
      server.services.curatePropositions(d.id, d.host, { intent: "merge-next", propositionId: d.propositions[0]!.id }),
      server.services.curatePropositions(d.id, d.host, { intent: "merge-next", propositionId: d.propositions[0]!.id }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled").length).toBeGreaterThanOrEqual(1);
    for (const r of results) if (r.status === "rejected") expect((r.reason as { code?: string }).code).toMatch(/not_found|validation_failed/);
    const rows = await server.db.proposition.findMany({ where: { debateId: d.id }, orderBy: { position: "asc" } });
    expect(rows.map((r) => r.position)).toEqual(rows.map((_, i) => i));
    expect(rows.length).toBeLessThan(before);
  });

  it("refuses a split point outside the proposition and an unknown section", async () => {
    const d = await draft();
    for (const at of [-20, 0, 10_000, 1.5]) {
      await expect(server.services.curatePropositions(d.id, d.host, { intent: "split", propositionId: d.propositions[0]!.id, at })).rejects.toMatchObject({ code: "validation_failed", field: "at" });
    }
    await expect(server.services.curatePropositions(d.id, d.host, { intent: "resection", section: -1 })).rejects.toMatchObject({ code: "validation_failed" });
    const first = await server.db.proposition.findUniqueOrThrow({ where: { id: d.propositions[0]!.id } });
    expect(first.text).toBe(d.propositions[0]!.text);
  });

  it("after publishing, propositions can be reworded and added, not deleted, merged, split, moved or re-drafted", async () => {
    const d = await draft();
    await server.services.publishDebate(d.id, d.host);
    const target = d.propositions[1]!.id;
    for (const action of [
      { intent: "delete", propositionId: target },
      { intent: "merge-next", propositionId: target },
      { intent: "split", propositionId: target, at: 5 },
      { intent: "move", propositionId: target, direction: "up" },
      { intent: "resection", section: "whole" },
    ] as const) {
      await expect(server.services.curatePropositions(d.id, d.host, action)).rejects.toMatchObject({ code: "conflict" });
    }
    await server.services.curatePropositions(d.id, d.host, { intent: "edit", propositionId: target, text: "Reworded." });
    expect((await server.db.proposition.findUniqueOrThrow({ where: { id: target } })).text).toBe("Reworded.");
    const head = await server.db.debate.findUniqueOrThrow({ where: { id: d.id } });
    expect(head.lastSeq).toBe(2); // publishing is change 1 (debate.updated, issue 10), the rewording change 2
  });
});

describe("an article with nothing to draft", () => {
  it("says so, and says when it is only questions, in the request's language", async () => {
    const token = await facilitatorToken(server.url);
    const questions = await api(server.url, "/api/debates", { body: { sourceText: "Should cities ban cars?\n\nWho would pay for the buses? And what about deliveries?" }, token });
    expect(questions.status).toBe(400);
    expect(questions.json.error.message).toMatch(/^Steelman found only questions in this text\./);
    const german = await fetch(`${server.url}/api/debates`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}`, "Accept-Language": "de" },
      body: JSON.stringify({ sourceText: "Sollten Städte Autos verbieten? Wer bezahlt die Busse?" }),
    });
    expect(((await german.json()) as { error: { message: string } }).error.message).toMatch(/^Steelman hat in diesem Text nur Fragen gefunden\./);
    const nothing = await api(server.url, "/api/debates", { body: { sourceText: "1234 5678 — 90" }, token });
    expect(nothing.status).toBe(400);
    expect(nothing.json.error.message).toMatch(/^Steelman found no sentences to draw propositions from\./);
  });
});

describe("publishing", () => {
  it("refuses a proposition longer than participants may write, naming it, and publishes once it is shortened", async () => {
    const d = await draft();
    const long = `${"Cities should build more bike lanes and ".repeat(30)}now`;
    expect(long.length).toBeGreaterThan(1000);
    // Written straight to the table, as a drafter before the length check could have done.
    await server.db.proposition.update({ where: { id: d.propositions[1]!.id }, data: { text: long } });
    await expect(server.services.publishDebate(d.id, d.host)).rejects.toMatchObject({
      code: "validation_failed",
      message: "Proposition 2 is longer than 1,000 characters: shorten or split it before publishing.",
    });
    expect((await server.db.debate.findUniqueOrThrow({ where: { id: d.id } })).status).toBe("draft");
    await server.services.curatePropositions(d.id, d.host, { intent: "edit", propositionId: d.propositions[1]!.id, text: "Cities should build more bike lanes now." });
    await server.services.publishDebate(d.id, d.host);
    expect((await server.db.debate.findUniqueOrThrow({ where: { id: d.id } })).status).toBe("published");
  });
});

describe("malformed ids and bodies", () => {
  it("answers 404 for ids that only look like UUIDs, and for unknown debates on every route", async () => {
    expect((await api(server.url, `/api/debates/${"-".repeat(36)}`)).status).toBe(404);
    expect((await api(server.url, "/api/debates/abc/participants", { body: { displayName: "Ada" } })).status).toBe(404);
    expect((await api(server.url, "/api/debates/abc/publish", { body: {} })).status).toBe(404);
  });

  it("answers 400 for a body that claims gzip but is not", async () => {
    const res = await fetch(`${server.url}/api/debates`, { method: "POST", headers: { "Content-Type": "application/json", "Content-Encoding": "gzip" }, body: "not gzip" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/could not be read/);
  });

  it("names non-object payloads in words", async () => {
    const { json } = await api(server.url, "/api/debates", { rawBody: "null", token: await facilitatorToken(server.url) });
    expect(json.error.message).toMatch(/JSON object/);
  });
});

describe("invisible characters", () => {
  it("refuses display names and titles with bidi overrides or nothing visible", async () => {
    const { debate } = await publishedDebateWith(server.url, seedArticle, []);
    for (const displayName of ["\u202eevil name", "\u200b", "a\u2066b"]) {
      const res = await api(server.url, `/api/debates/${debate.id}/participants`, { body: { displayName } });
      expect(res.status).toBe(400);
      expect(res.json.error.field).toBe("displayName");
    }
    const titled = await api(server.url, "/api/debates", { body: { sourceText: seedArticle, title: "Title \u202e2026" }, token: await facilitatorToken(server.url) });
    expect(titled.status).toBe(400);
    expect(titled.json.error.field).toBe("title");
  });
});

describe("cross-site writes", () => {
  it("refuses a cookie-authenticated write from another origin, and a form post to a page from another origin", async () => {
    const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Ada"]);
    const cookie = `sm_${debate.id.replace(/-/g, "")}=${participants[0]!.token}`;
    const vote = (headers: Record<string, string>) =>
      fetch(`${server.url}/api/debates/${debate.id}/propositions/${debate.propositions[0]!.id}/vote`, { method: "PUT", headers: { cookie, ...headers }, body: JSON.stringify({ value: "agree" }) });
    const host = new URL(server.url).host;
    expect((await vote({ "Content-Type": "application/json", Origin: "http://evil.example" })).status).toBe(403);
    expect((await vote({ "Content-Type": "text/plain", Origin: `http://${host}` })).status).toBe(403); // a plain form cannot send JSON
    expect((await vote({ "Content-Type": "application/json" })).status).toBe(403); // no Origin with a cookie
    expect((await vote({ "Content-Type": "application/json", Origin: `http://${host}` })).status).toBe(200);
    const form = await fetch(`${server.url}/debates/${debate.id}`, { method: "POST", headers: { Origin: "http://evil.example", "Content-Type": "application/x-www-form-urlencoded" }, body: "displayName=Mallory" });
    expect(form.status).toBe(403);
  });
});
