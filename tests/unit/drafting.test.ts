/**
 * Drafting defects found by a tester (segmentation, section finding, eligibility, rewording,
 * dedup), each on made-up text.
 */
import { describe, expect, it } from "vitest";
import { draftPropositionList } from "../../server/domain/claims";
import { draftFromArticle } from "../../server/domain/propositions";

describe("a hot-take section that holds only a question", () => {
  const text =
    "Public libraries should open on Sundays in every town.\n\nFamilies have more free time at weekends than on weekdays. Students need quiet places to work before Monday exams.\n\nHot Take\n\nShould we not simply close the libraries on Mondays instead?\n";

  it("falls back to the whole text, as an empty section does", () => {
    const d = draftPropositionList(text);
    expect(d.section).toBeNull();
    expect(d.drafts.length).toBeGreaterThan(0);
    expect(d.drafts.map((p) => p.text)).toContain("Public libraries should open on Sundays in every town.");
    const sentences = draftFromArticle(text);
    expect(sentences.section).toBeNull();
    expect(sentences.propositions.length).toBeGreaterThan(0);
  });
});
