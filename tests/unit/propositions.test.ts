import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { draftFromArticle, splitPropositions } from "../../server/domain/propositions";
import type { DraftProposition } from "../../server/domain/propositions";
import { findHeadings, findThesisSection } from "../../server/domain/sections";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const article = readFileSync(path.resolve(projectRoot, "../shared/fixtures/articles/ai-race-hot-take.txt"), "utf8");

/** What a facilitator would want from the Hot Take section, in order. */
const HOT_TAKE_PROPOSITIONS = [
  "Here's the uncomfortable truth that Silicon Valley doesn't want to hear: America is optimizing for the wrong metrics.",
  "We're building AI systems that excel at benchmarks and struggle with deployment.",
  "We're celebrating trillion-parameter models that few can afford to run.",
  "We're guarding our innovations so closely that we're slowing the feedback loops that drive improvement.",
  "Meanwhile, China is building AI that works—cheaply, reliably, and at scale.",
  "They're not trying to match GPT-5 parameter for parameter. They're trying to make AI useful across their entire industrial base. And they're succeeding.",
  "The open-source vs. closed-source debate isn't just philosophical. It has strategic implications.",
  "Open models spread faster, improve faster, and get deployed faster. They create ecosystems rather than products.",
  "China's embrace of open-source AI isn't ideological—it's practical. They recognize that deployment velocity matters more than model size.",
  "America's chip war strategy assumed that compute is the bottleneck. But China's response suggests that creativity, optimization, and real-world data matter just as much.",
  "By forcing China to develop efficient, deployment-focused AI, we may have accelerated the exact competition we were trying to prevent.",
  "The manufacturing angle is particularly galling. We spent decades offshoring production to China, creating the industrial base that now generates their AI data advantage.",
  "We optimized for quarterly earnings and cheap consumer goods. They optimized for industrial capacity and supply chain control. Now that capacity is feeding their AI development in ways we can't easily replicate.",
  "Some American analysts still dismiss China's AI capabilities as derivative, claiming they merely copy US innovations. This is dangerously complacent.",
  "Yes, China started with open-source models. But what they're building on that foundation—deployment at scale, real-world optimization, industrial integration—is genuinely innovative and potentially more transformative than incremental improvements to chatbot capabilities.",
  "The race for artificial general intelligence (AGI) gets all the headlines. But the race for AI utility—the ability to deploy intelligent systems across the economy—is happening now, and China is winning.",
  "By the time AGI arrives, the countries that have mastered deployment will be best positioned to capitalize on it.",
  "America needs to wake up. Our current strategy—frontier models, closed weights, chip restrictions—isn't delivering the dominance we expected.",
  "We need to get serious about deployment, about open-source ecosystems, about rebuilding the industrial base that generates real-world AI data.",
  "We need to compete on China's terms as well as our own.",
  "Because right now, we're building the most impressive AI demos in the world. China is building the most deployed AI systems. And in the long run, deployment beats demos every time.",
  "The AI race isn't over. But the path to victory may not look like we expected.",
  "Open-source, manufacturing dominance, and real-world data—these are China's weapons. And they're proving more potent than anyone in Silicon Valley wants to admit.",
];

/** Every span slices to its text, spans ascend without overlapping, stay within `span`, are trimmed, none ends with "?". */
function expectInvariants(text: string, props: DraftProposition[], span = { start: 0, end: text.length }) {
  let last = span.start;
  for (const p of props) {
    expect(text.slice(p.sourceSpan.start, p.sourceSpan.end)).toBe(p.text);
    expect(p.sourceSpan.start).toBeGreaterThanOrEqual(last);
    expect(p.sourceSpan.end).toBeGreaterThan(p.sourceSpan.start);
    expect(p.sourceSpan.end).toBeLessThanOrEqual(span.end);
    expect(p.text).toBe(p.text.trim());
    expect(p.text).not.toMatch(/\?["'”’)]*$/);
    last = p.sourceSpan.end;
  }
}

describe("propositions of the real article's Hot Take", () => {
  const draft = draftFromArticle(article);

  it("uses the Hot Take section", () => {
    expect(draft.section).toEqual(findThesisSection(article));
    expect(draft.section!.heading).toBe("🔥 Hot Take: America Is Building the Wrong Kind of AI Lead");
    expect(draft.span).toEqual(draft.section!.span);
  });

  it("draws the expected propositions", () => {
    expect(draft.propositions.map((p) => p.text)).toEqual(HOT_TAKE_PROPOSITIONS);
  });

  it("anchors every proposition to the source", () => {
    expectInvariants(article, draft.propositions, draft.span);
    expect(draft.propositions[0]!.sourceSpan.start).toBe(article.indexOf("Here's the uncomfortable truth"));
    expect(draft.propositions.at(-1)!.sourceSpan.end).toBe(draft.span.end);
  });

  it("never shows a dependent sentence alone", () => {
    const texts = draft.propositions.map((p) => p.text);
    for (const dependent of ["And they're succeeding.", "This is dangerously complacent.", "Yes, China started with open-source models."]) {
      expect(texts).not.toContain(dependent);
      expect(texts.filter((t) => t.includes(dependent))).toHaveLength(1);
    }
    const succeeding = texts.find((t) => t.includes("And they're succeeding."))!;
    expect(succeeding).toContain("They're trying to make AI useful across their entire industrial base.");
    const complacent = texts.find((t) => t.includes("This is dangerously complacent."))!;
    expect(complacent.startsWith("Some American analysts still dismiss China's AI capabilities as derivative")).toBe(true);
    const concession = texts.find((t) => t.includes("Yes, China started with open-source models."))!;
    expect(concession).toContain("But what they're building on that foundation");
  });

  it("is the same with splitPropositions on the section span", () => {
    expect(splitPropositions(article, draft.span)).toEqual(draft.propositions);
  });
});

describe("propositions of the whole article", () => {
  const props = splitPropositions(article);

  it("keeps the invariants, drops questions and never uses a heading line", () => {
    expectInvariants(article, props);
    const texts = props.map((p) => p.text);
    expect(texts.some((t) => t.includes("The result?"))).toBe(false);
    expect(texts).toContain("China is building AI capabilities that are less dependent on American hardware.");
    for (const h of findHeadings(article)) {
      for (const p of props) {
        expect(p.sourceSpan.end <= h.blockSpan.start || p.sourceSpan.start >= h.blockSpan.end).toBe(true);
      }
    }
    // The Hot Take's propositions are the tail of the whole text's.
    expect(texts.slice(-HOT_TAKE_PROPOSITIONS.length)).toEqual(HOT_TAKE_PROPOSITIONS);
  });

  it("never yields a proposition from a heading line inside the span", () => {
    const heading = article.indexOf("The Chip War Paradox");
    const span = { start: heading - 50, end: heading + 200 };
    const part = splitPropositions(article, span);
    expectInvariants(article, part, span);
    expect(part.some((p) => p.text.includes("The Chip War Paradox"))).toBe(false);
  });
});

describe("edge cases", () => {
  it("falls back to the whole text when there is no hot-take heading", () => {
    const text = article.replace("🔥 Hot Take: America Is Building the Wrong Kind of AI Lead", "Where This Leaves Us");
    const draft = draftFromArticle(text);
    expect(draft.section).toBeNull();
    expect(draft.span).toEqual({ start: 0, end: text.trimEnd().length });
    expectInvariants(text, draft.propositions, draft.span);
    expect(draft.propositions.map((p) => p.text)).toEqual(splitPropositions(text).map((p) => p.text));
    expect(draft.propositions.some((p) => p.text.includes("Where This Leaves Us"))).toBe(false);
  });

  it("handles \\r\\n line endings", () => {
    const crlf = article.replace(/\n/g, "\r\n") + "\r\n";
    const draft = draftFromArticle(crlf);
    expect(draft.propositions.map((p) => p.text)).toEqual(HOT_TAKE_PROPOSITIONS);
    expectInvariants(crlf, draft.propositions, draft.span);
  });

  it("handles a Markdown hot take with blank lines and hard-wrapped paragraphs", () => {
    const text = [
      "# The AI Race",
      "",
      "Some intro text here.",
      "",
      "## Hot take",
      "",
      "Open models spread faster than closed ones and",
      "they get deployed faster too. And that matters.",
      "",
      "Deployment beats demos in the long run.",
      "",
      "## Next section",
      "",
      "Not part of the thesis.",
    ].join("\n");
    const draft = draftFromArticle(text);
    expect(draft.section!.heading).toBe("Hot take");
    expect(draft.propositions.map((p) => p.text)).toEqual([
      "Open models spread faster than closed ones and\nthey get deployed faster too. And that matters.",
      "Deployment beats demos in the long run.",
    ]);
    expectInvariants(text, draft.propositions, draft.span);
  });

  it("handles empty and whitespace-only text", () => {
    expect(splitPropositions("")).toEqual([]);
    expect(splitPropositions(" \n\r\n\t ")).toEqual([]);
    expect(draftFromArticle("")).toEqual({ section: null, span: { start: 0, end: 0 }, propositions: [] });
    const ws = draftFromArticle("  \n \n");
    expect(ws.section).toBeNull();
    expect(ws.propositions).toEqual([]);
  });

  it("handles text with no sentence-final punctuation", () => {
    const text = "  America is optimizing for the wrong metrics while China deploys AI everywhere  ";
    expect(splitPropositions(text)).toEqual([
      { text: text.trim(), sourceSpan: { start: 2, end: text.length - 2 } },
    ]);
  });

  it("keeps UTF-16 offsets right after emoji and astral characters", () => {
    const prefix = "😀🚀 Intro with 𝒳 and 𝟘 astral characters 👩‍👩‍👧.\n";
    const text = prefix + article;
    const draft = draftFromArticle(text);
    expect(draft.propositions.map((p) => p.text)).toEqual(HOT_TAKE_PROPOSITIONS);
    expectInvariants(text, draft.propositions, draft.span);
    expect(draft.propositions[0]!.sourceSpan.start).toBe(text.indexOf("Here's the uncomfortable truth"));
    const inside = "China’s 🔥 models work. They ship 𝒳 fast.";
    expect(splitPropositions(inside)).toEqual([{ text: inside, sourceSpan: { start: 0, end: inside.length } }]);
  });

  it("drops lines without a single letter (numbers, dashes, emoji)", () => {
    expect(splitPropositions("2024\n\n— — —\n12 34 56\n🔥🔥🔥\n")).toEqual([]);
    const text = "12 34 56\n\nRent controls reduce the supply of housing over time.";
    expect(splitPropositions(text).map((p) => p.text)).toEqual(["Rent controls reduce the supply of housing over time."]);
  });

  it("drops questions and lone dependent sentences", () => {
    expect(splitPropositions("Why does deployment matter?")).toEqual([]);
    expect(splitPropositions("And they're succeeding.")).toEqual([]);
    const text = "The result? China is building capable AI. And they're succeeding.";
    expect(splitPropositions(text).map((p) => p.text)).toEqual(["China is building capable AI. And they're succeeding."]);
  });

  it("keeps the statement before a question's semicolon, and drops the question", () => {
    const text = "Tolls make drivers weigh the true cost of every trip; yet who would vote for them?";
    expect(splitPropositions(text).map((p) => p.text)).toEqual(["Tolls make drivers weigh the true cost of every trip"]);
    // Too short a head, or a question in the head: the whole sentence is a question.
    expect(splitPropositions("Tolls work; so why wait?")).toEqual([]);
    expect(splitPropositions("Do tolls work at all, or do drivers adapt; and who decides?")).toEqual([]);
  });

  it("does not split after titles such as Mr. or U.S.", () => {
    const text = "Mr. Smith says the U.S. Army needs better AI. Dr. Jones disagrees with him strongly.";
    expect(splitPropositions(text).map((p) => p.text)).toEqual([
      "Mr. Smith says the U.S. Army needs better AI.",
      "Dr. Jones disagrees with him strongly.",
    ]);
  });

  it("rejects an invalid span", () => {
    expect(() => splitPropositions("abc", { start: 2, end: 1 })).toThrow(RangeError);
    expect(() => splitPropositions("abc", { start: 0, end: 4 })).toThrow(RangeError);
  });

  it("completes on a 1 MB text", () => {
    const copies: string[] = [];
    let length = 0;
    while (length < 1_000_000) {
      copies.push(article);
      length += article.length + 1;
    }
    const big = copies.join("\n");
    expect(big.length).toBeGreaterThanOrEqual(1_000_000);
    const draft = draftFromArticle(big);
    expect(draft.propositions.length).toBeGreaterThan(0);
    const all = splitPropositions(big);
    expect(all.length).toBeGreaterThan(1000);
    expectInvariants(big, all.slice(-50));
    // One 1 MB paragraph (no line breaks) too.
    const oneLine = splitPropositions(big.replace(/\n/g, " "));
    expect(oneLine.length).toBeGreaterThan(1000);
  });
});
