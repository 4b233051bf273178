import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findHeadings, findThesisSection, isHotTakeHeading, listSections, segmentsOf } from "../../server/domain/sections";
import type { Section } from "../../server/domain/sections";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const article = readFileSync(path.resolve(projectRoot, "../shared/fixtures/articles/ai-race-hot-take.txt"), "utf8");

const HOT_TAKE_HEADING = "🔥 Hot Take: America Is Building the Wrong Kind of AI Lead";
const ARTICLE_HEADINGS = [
  "The Two Loops: How China Is Building AI Dominance",
  "Deployment vs. Capability: Different Races, Different Winners",
  "The Chip War Paradox",
  "The Data Advantage That Doesn't Show Up in Benchmarks",
  HOT_TAKE_HEADING,
];

const body = (text: string, s: Section) => text.slice(s.span.start, s.span.end);

/** Spans slice to the heading, bodies are trimmed, sections are in order and disjoint. */
function expectWellFormed(text: string, sections: Section[]) {
  let last = 0;
  for (const s of sections) {
    if (s.headingSpan) {
      expect(s.heading).not.toBeNull();
      expect(text.slice(s.headingSpan.start, s.headingSpan.end)).toBe(s.heading);
      expect(s.headingSpan.start).toBeGreaterThanOrEqual(last);
      expect(s.span.start).toBeGreaterThanOrEqual(s.headingSpan.end);
    } else {
      expect(s.heading).toBeNull();
    }
    expect(s.span.start).toBeGreaterThanOrEqual(last);
    expect(s.span.end).toBeGreaterThanOrEqual(s.span.start);
    expect(s.span.end).toBeLessThanOrEqual(text.length);
    const b = body(text, s);
    expect(b).toBe(b.trim());
    last = s.span.end;
  }
}

describe("sections of the real article", () => {
  it("finds exactly the article's five headings", () => {
    expect(findHeadings(article).map((h) => h.text)).toEqual(ARTICLE_HEADINGS);
  });

  it("lists the introduction (no heading) and one section per heading", () => {
    const sections = listSections(article);
    expect(sections.map((s) => s.heading)).toEqual([null, ...ARTICLE_HEADINGS]);
    expectWellFormed(article, sections);
    expect(body(article, sections[0]!)).toMatch(/^The AI race isn't just about who builds the smartest chatbot\./);
    expect(body(article, sections[0]!)).toMatch(/more decisive than who has the biggest model\.$/);
    expect(body(article, sections[3]!)).toMatch(/^America's strategy for maintaining AI leadership/);
    // No body contains a heading line.
    for (const s of sections) for (const h of ARTICLE_HEADINGS) expect(body(article, s)).not.toContain(h);
  });

  it("never takes a body paragraph for a heading", () => {
    const headingLines = new Set(ARTICLE_HEADINGS);
    const bodyLines = article.split("\n").filter((l) => l.trim() !== "" && !headingLines.has(l.trim()));
    expect(bodyLines.length).toBeGreaterThan(30);
    for (const line of bodyLines) expect(findHeadings(`Intro.\n${line}\nMore text.`)).toEqual([]);
  });

  it("finds the Hot Take as the thesis section", () => {
    const thesis = findThesisSection(article);
    expect(thesis).not.toBeNull();
    expect(thesis!.heading).toBe(HOT_TAKE_HEADING);
    expect(article.slice(thesis!.headingSpan!.start, thesis!.headingSpan!.end)).toBe(HOT_TAKE_HEADING);
    const text = body(article, thesis!);
    expect(text.startsWith("Here's the uncomfortable truth")).toBe(true);
    expect(text.endsWith("more potent than anyone in Silicon Valley wants to admit.")).toBe(true);
    expect(thesis!.span.start).toBe(article.indexOf("Here's the uncomfortable truth"));
    expect(thesis!.span.end).toBe(article.trimEnd().length);
  });
});

describe("hot-take headings", () => {
  it.each([
    "🔥 Hot Take:",
    "HOT TAKE",
    "Hot-take",
    "My hot take",
    "Hot take —",
    "🔥🔥 HOT TAKES 🔥🔥",
  ])("recognises %j on its own line", (heading) => {
    const text = `Some introduction here.\n${heading}\nThe thesis sentence is here.\nNext Steps\nOther text.`;
    const thesis = findThesisSection(text);
    expect(thesis?.heading).toBe(heading.trim());
    expect(body(text, thesis!)).toBe("The thesis sentence is here.");
  });

  it("recognises a Markdown heading and runs to the next heading", () => {
    const text = "# Title\n\nIntro paragraph.\n\n## Hot take\n\nFirst claim.\n\nSecond claim.\n\n## Next ##\n\nOther.";
    const thesis = findThesisSection(text)!;
    expect(thesis.heading).toBe("Hot take");
    expect(text.slice(thesis.headingSpan!.start, thesis.headingSpan!.end)).toBe("Hot take");
    expect(body(text, thesis)).toBe("First claim.\n\nSecond claim.");
    expect(listSections(text).map((s) => s.heading)).toEqual(["Title", "Hot take", "Next"]);
  });

  it("recognises bold and setext headings", () => {
    expect(body("Intro.\n**Hot Take**\nClaim.", findThesisSection("Intro.\n**Hot Take**\nClaim.")!)).toBe("Claim.");
    const setext = "Intro.\n\nMy Hot Take\n===========\n\nClaim one.\n";
    const thesis = findThesisSection(setext)!;
    expect(thesis.heading).toBe("My Hot Take");
    expect(body(setext, thesis)).toBe("Claim one.");
  });

  it("does not match words that merely contain the letters", () => {
    expect(isHotTakeHeading("A Photo Taken in Beijing")).toBe(false);
    expect(isHotTakeHeading("Shot Takedown")).toBe(false);
    expect(isHotTakeHeading("#HotTake")).toBe(true);
  });
});

describe("edge cases", () => {
  it("returns null when no heading names a hot take", () => {
    const text = article.replace(HOT_TAKE_HEADING, "Where This Leaves Us");
    expect(findHeadings(text).map((h) => h.text)).toContain("Where This Leaves Us");
    expect(findThesisSection(text)).toBeNull();
  });

  it("does not take HOT TAKE in body text for a heading", () => {
    const text =
      "Intro paragraph.\nHere is my HOT TAKE: chips matter less than data.\n" +
      "My hot take is that nobody in this industry wants to admit how much deployment matters today\nMore text.";
    expect(findHeadings(text)).toEqual([]);
    expect(findThesisSection(text)).toBeNull();
  });

  it("returns null when the hot-take section is empty", () => {
    expect(findThesisSection("Intro.\n## Hot Take\n## Next\nBody.")).toBeNull();
  });

  it("handles \\r\\n line endings", () => {
    const crlf = article.replace(/\n/g, "\r\n") + "\r\n";
    expect(findHeadings(crlf).map((h) => h.text)).toEqual(ARTICLE_HEADINGS);
    const sections = listSections(crlf);
    expectWellFormed(crlf, sections);
    for (const s of sections) expect(body(crlf, s)).not.toMatch(/^\s|\s$/);
    const thesis = findThesisSection(crlf)!;
    expect(body(crlf, thesis).replace(/\r\n/g, "\n")).toBe(body(article, findThesisSection(article)!));
  });

  it("handles empty and whitespace-only text", () => {
    expect(listSections("")).toEqual([]);
    expect(findHeadings("")).toEqual([]);
    expect(findThesisSection("")).toBeNull();
    expect(listSections("  \n\r\n\t \u00a0")).toEqual([]);
    expect(findThesisSection(" \n \n")).toBeNull();
  });

  it("a text without headings is one section with a null heading", () => {
    const text = "\n  just some text without any final punctuation  \n";
    expect(listSections(text)).toEqual([
      { heading: null, headingSpan: null, span: { start: 3, end: text.length - 3 } },
    ]);
    expect(findThesisSection(text)).toBeNull();
  });

  it("counts UTF-16 code units when emoji and astral characters come first", () => {
    const prefix = "😀🚀 Intro with 𝒳 and 𝟘 astral characters 👩‍👩‍👧.\n";
    const text = prefix + article;
    const thesis = findThesisSection(text)!;
    expect(thesis.span.start).toBe(text.indexOf("Here's the uncomfortable truth"));
    expect(thesis.span.start).toBe(prefix.length + article.indexOf("Here's the uncomfortable truth"));
    expect(thesis.headingSpan!.start).toBe(text.indexOf(HOT_TAKE_HEADING));
    expect(text.slice(thesis.headingSpan!.start, thesis.headingSpan!.end)).toBe(HOT_TAKE_HEADING);
    expect(body(text, thesis)).toBe(body(article, findThesisSection(article)!));
  });

  it("does not take a wrapped line or a list of names for headings", () => {
    const wrapped = "We looked at what OpenAI, Anthropic and\nGoogle DeepMind Build\nwhen nobody is watching.";
    expect(findHeadings(wrapped)).toEqual([]);
    const names = "The labs we studied:\nOpenAI\nAnthropic\nGoogle DeepMind\nAll three are American.";
    expect(findHeadings(names)).toEqual([]);
    const bullets = "Key points:\n- Open Models Spread Faster\n- Manufacturing Matters\nDone.";
    expect(findHeadings(bullets)).toEqual([]);
    expect(findHeadings("Intro.\nWhy Deployment Matters?\nBecause it does.")).toEqual([]);
  });

  it("allows a title followed by a subtitle", () => {
    const text = "The AI Race\nWhy Deployment Beats Demos\nBody text starts here.";
    expect(findHeadings(text).map((h) => h.text)).toEqual(["The AI Race", "Why Deployment Beats Demos"]);
  });
});

describe("windowed segmentation", () => {
  it.each(["sentence", "word"] as const)("finds the same %s boundaries as one Intl.Segmenter pass", (granularity) => {
    const segmenter = new Intl.Segmenter("en", { granularity });
    for (const text of [article, article.replace(/\n/g, " "), "😀 𝒳 " + article.replace(/\n/g, "  ")]) {
      const direct = Array.from(segmenter.segment(text), (s) => [s.index, s.segment, s.isWordLike === true]);
      const windowed = Array.from(segmentsOf(segmenter, text), (s) => [s.index, s.segment, s.isWordLike]);
      expect(windowed).toEqual(direct);
    }
  });

  it("handles a segment longer than a window", () => {
    const segmenter = new Intl.Segmenter("en", { granularity: "sentence" });
    const text = "A long sentence " + "without end ".repeat(500) + "stops here. Next.";
    expect(Array.from(segmentsOf(segmenter, text), (s) => s.segment)).toEqual(
      Array.from(segmenter.segment(text), (s) => s.segment),
    );
  });
});
