/**
 * Drafting through the API and the review data (issue 12): a capped draft of
 * claims, thesis first; "sentences" keeps every group; the review's candidates
 * and suggestions; a candidate added with its anchor, and a forged one refused.
 */
import { describe, expect, it } from "vitest";
import { useTestServer } from "../support/test-server";
import { api, facilitatorToken } from "../support/api-client";
import { seedArticle } from "../support/article";
import { splitPropositions } from "../../server/domain/propositions";
import { findThesisSection } from "../../server/domain/sections";

const { server } = useTestServer({ serveApp: false, rateLimits: "off" });

async function create(body: Record<string, unknown>) {
  const created = await api(server.url, "/api/debates", { body, token: await facilitatorToken(server.url) });
  expect(created.status).toBe(201);
  const host = await server.services.findParticipant(created.json.id, created.json.hostToken);
  return { id: created.json.id as string, host, propositions: created.json.propositions as { id: string; text: string; sourceSpan: { start: number; end: number } }[] };
}

describe("drafting", () => {
  it("drafts the seed article's hot take as a handful of claims, thesis first, the rest as candidates", async () => {
    const d = await create({ sourceText: seedArticle });
    const groups = splitPropositions(seedArticle, findThesisSection(seedArticle)!.span);
    expect(d.propositions.length).toBe(5);
    expect(d.propositions[0]!.text).toBe("America is optimizing for the wrong metrics.");
    const review = await server.services.getDraftReview(d.id);
    expect(review.language).toEqual({ code: "eng", name: "English", claimScoring: true });
    expect(review.candidates.length).toBe(groups.length - d.propositions.length);
    expect(review.candidates.find((c) => c.text.startsWith("They're not trying"))?.suggestion).toMatch(/^China is not trying/);

    // One click: the candidate becomes an anchored proposition and leaves the candidates.
    const pick = review.candidates[0]!;
    await server.services.curatePropositions(d.id, d.host, { intent: "add", text: pick.text, span: pick.sourceSpan });
    const rows = await server.db.proposition.findMany({ where: { debateId: d.id }, orderBy: { position: "asc" } });
    expect(rows.at(-1)).toMatchObject({ text: pick.text, spanStart: pick.sourceSpan.start, spanEnd: pick.sourceSpan.end });
    expect((await server.services.getDraftReview(d.id)).candidates).toHaveLength(review.candidates.length - 1);

    // A span that is not where the text is: refused with a sentence, nothing added.
    await expect(
      server.services.curatePropositions(d.id, d.host, { intent: "add", text: "Forged words.", span: pick.sourceSpan }),
    ).rejects.toMatchObject({ code: "validation_failed", message: expect.stringContaining("not in the article") });
    expect(await server.db.proposition.count({ where: { debateId: d.id } })).toBe(rows.length);
  });

  it("keeps every sentence group with draft: \"sentences\", and refuses an unknown draft mode", async () => {
    const d = await create({ sourceText: seedArticle, draft: "sentences" });
    expect(d.propositions.length).toBe(splitPropositions(seedArticle, findThesisSection(seedArticle)!.span).length);
    const bad = await api(server.url, "/api/debates", { body: { sourceText: seedArticle, draft: "everything" }, token: await facilitatorToken(server.url) });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain("draft is 'claims' or 'sentences'");
  });
});

describe("a very long paste", () => {
  it("says how much was drafted from and how many candidates are not listed", async () => {
    const sentence = (i: number) => `Cities should fund cycling project number ${i} before any new road. Project ${i} was discussed at length in the council.`;
    const paragraphs = Array.from({ length: 700 }, (_, i) => sentence(i + 1));
    const long = paragraphs.join("\n\n");
    expect(long.length).toBeGreaterThan(60_000);
    const d = await create({ sourceText: long });
    const review = await server.services.getDraftReview(d.id);
    expect(review.draftedChars).toBeGreaterThan(30_000);
    expect(review.draftedChars).toBeLessThanOrEqual(60_000);
    expect(review.candidates.length).toBeLessThanOrEqual(200);
    expect(review.candidatesLeftOut).toBeGreaterThan(0);

    const short = await create({ sourceText: seedArticle });
    const shortReview = await server.services.getDraftReview(short.id);
    expect(shortReview.draftedChars).toBeNull();
    expect(shortReview.candidatesLeftOut).toBe(0);
  });
});
