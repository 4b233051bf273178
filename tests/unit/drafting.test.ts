/**
 * Drafting defects found by a tester (segmentation, section finding, eligibility, rewording,
 * dedup), each on made-up text.
 */
import { describe, expect, it } from "vitest";
import { CANDIDATES_MAX, DRAFT_SPAN_MAX_CHARS, draftPropositionList, normaliseWording } from "../../server/domain/claims";
import { LIMITS } from "../../app/shared/constants";
import { draftFromArticle, splitOverLong, splitPropositions } from "../../server/domain/propositions";

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

describe("a text without sentence punctuation", () => {
  const max = LIMITS.propositionMaxChars;
  const inside = (text: string, p: { text: string; sourceSpan: { start: number; end: number } }) => {
    expect(text.slice(p.sourceSpan.start, p.sourceSpan.end)).toBe(p.text);
    expect(p.text.length).toBeLessThanOrEqual(max);
    expect(p.text).toBe(p.text.trim());
  };

  it("gives no draft or candidate longer than a proposition may be, cut at word boundaries", () => {
    const text = "towns should plant more trees along their streets shade cools the pavement in summer and birds return to the parks ".repeat(25).trim();
    expect(text.length).toBeGreaterThan(2 * max);
    const d = draftPropositionList(text);
    const all = [...d.drafts, ...d.candidates];
    expect(all.length).toBeGreaterThan(1);
    for (const p of all) {
      inside(text, p);
      expect(text[p.sourceSpan.end] ?? " ").toMatch(/\s/); // not inside a word
      if (p.suggestion !== null) expect(p.suggestion.length).toBeLessThanOrEqual(max);
    }
    for (const p of draftFromArticle(text).propositions) inside(text, p);
  });

  it("prefers a clause boundary (semicolon, comma before a conjunction) to a bare word boundary", () => {
    const clause = "the council should fund night buses for shift workers who finish late";
    const text = `${Array.from({ length: 12 }, () => clause).join("; ")}, and ${Array.from({ length: 12 }, () => clause).join(" ")}`;
    expect(text.length).toBeGreaterThan(max);
    const all = splitPropositions(text);
    expect(all.length).toBeGreaterThan(1);
    for (const p of all) inside(text, p);
    for (const p of all.slice(0, -1)) expect(p.text).toMatch(/[;,]$/);
    const pieces = splitOverLong(text, { start: 0, end: text.length });
    expect(pieces.map((s) => text.slice(s.start, s.end)).join(" ")).toBe(text.replace(/\s+/g, " "));
  });
});

describe("repeated wording", () => {
  it("drafts a pull quote repeated in the text once, keeping the first", () => {
    const quote = "Cheap buses do more for a city than any new motorway.";
    const text =
      `Bus Fares\n\n${quote} Our council has spent a decade widening roads while fares kept rising.\n\n` +
      "Riders on low incomes now pay a tenth of their wages to get to work. Free fares in smaller towns doubled the number of riders within two years.\n\n" +
      `“${quote.toUpperCase().replace(".", "!")}”\n\nThe council should cut fares before it builds another lane.`;
    const d = draftPropositionList(text);
    const all = [...d.drafts, ...d.candidates];
    const keys = all.map((p) => normaliseWording(p.text));
    expect(new Set(keys).size).toBe(keys.length);
    const kept = all.filter((p) => normaliseWording(p.text) === normaliseWording(quote));
    expect(kept).toHaveLength(1);
    expect(kept[0]!.sourceSpan.start).toBe(text.indexOf(quote));
    expect(normaliseWording("  “Cheap  BUSES do more!” ")).toBe("cheap buses do more");
  });

  it("makes a huge paste of one text repeated into distinct drafts, a capped candidate list and says it truncated", () => {
    const paragraphs = Array.from({ length: 400 }, (_, i) => `Town number ${i + 1} should plant trees on every street it owns. Shade cools the pavement of town ${i + 1} in summer.`);
    const once = `${paragraphs.join("\n\n")}\n\n`;
    const text = once.repeat(Math.ceil((2 * DRAFT_SPAN_MAX_CHARS) / once.length));
    const d = draftPropositionList(text);
    expect(d.truncated).toBe(true);
    expect(d.span.end - d.span.start).toBeLessThanOrEqual(DRAFT_SPAN_MAX_CHARS);
    const keys = [...d.drafts, ...d.candidates].map((p) => normaliseWording(p.text));
    expect(new Set(keys).size).toBe(keys.length);
    expect(d.candidates).toHaveLength(CANDIDATES_MAX);
    expect(d.candidatesLeftOut).toBeGreaterThan(0);
    const short = draftPropositionList(paragraphs.slice(0, 3).join("\n\n"));
    expect(short).toMatchObject({ truncated: false, candidatesLeftOut: 0 });
  });
});
