/**
 * The claim features added in the second scoring pass of issue 12 (ADR 0040, "Second pass"):
 * each one on made-up sentences (not from the evaluation set), saying which way it moves a score
 * and why.
 */
import { describe, expect, it } from "vitest";
import { SCORING_WEIGHTS, claimFeatures, claimScore, draftPropositionList, spreadOverParagraphs } from "../../server/domain/claims";
import { sentenceSpans } from "../../server/domain/propositions";
import { startsDependent, suggestRewording } from "../../server/domain/rewording";

const score = (s: string) => claimScore(claimFeatures(s));

/** The score of the candidate (draft or not) whose text contains `needle`. */
function scoreOf(text: string, needle: string): number {
  const draft = draftPropositionList(text, { maxDrafts: 25 });
  const c = [...draft.drafts, ...draft.candidates].find((p) => p.text.includes(needle));
  if (!c) throw new Error(`no candidate contains "${needle}"`);
  return c.score;
}

describe("generic present (claims are general and timeless)", () => {
  it("sees a noun subject with a present verb, not a pronoun subject or a past tense", () => {
    expect(claimFeatures("Remote work makes teams more productive.").genericPresent).toBe(true);
    expect(claimFeatures("Cities need more trains.").genericPresent).toBe(true);
    expect(claimFeatures("We moved the team to remote work last year.").genericPresent).toBe(false);
    expect(claimFeatures("The team worked remotely in 2020.").genericPresent).toBe(false);
    expect(claimFeatures("It makes teams more productive.").genericPresent).toBe(false);
  });

  it("scores the gnomic statement above the same content told as a past event", () => {
    expect(score("Remote work makes teams more productive.")).toBeGreaterThan(score("Remote work made our team more productive."));
  });
});

describe("questions and concessions (raising an issue or granting the other side is not taking a position)", () => {
  it("sees a question and a concessive set-up", () => {
    expect(claimFeatures("Is remote work really more productive?").question).toBe(true);
    expect(claimFeatures("It must be admitted that offices help new hires learn.").concession).toBe(true);
    expect(claimFeatures("I grant that offices help new hires learn.").concession).toBe(true);
    expect(claimFeatures("Offices help new hires learn.").concession).toBe(false);
  });

  it("scores the statement above the question and the concession", () => {
    const claim = score("Remote work is more productive than office work.");
    expect(claim).toBeGreaterThan(score("Is remote work more productive than office work?"));
    expect(score("Offices help new hires learn faster.")).toBeGreaterThan(score("It must be admitted that offices help new hires learn faster."));
  });
});

describe("modals: first-person shall is future, must + have or must be confessed is not obligation", () => {
  it("keeps should and must as obligation", () => {
    expect(claimFeatures("Cities must build more trains.").deontic).toBe(true);
    expect(claimFeatures("Cities shall build more trains.").deontic).toBe(true);
  });

  it("reads I/we shall, must have + participle and must be confessed as prediction or inference", () => {
    for (const s of ["I shall answer these objections in my next letter.", "The storm must have delayed the trains.", "It must be confessed that the trains are late."]) {
      const f = claimFeatures(s);
      expect(f.deontic, s).toBe(false);
      expect(f.predictive, s).toBe(true);
    }
    expect(score("Cities must build more trains for commuters.")).toBeGreaterThan(score("The storm must have delayed the trains for commuters."));
  });
});

describe("claim indicators and metadiscourse", () => {
  it("counts 'will not be disputed' as a claim indicator", () => {
    expect(claimFeatures("That trains are cheaper than roads will not be disputed.").indicator).toBe(true);
  });

  it("sees talk about the text itself and scores it below a position on the topic", () => {
    expect(claimFeatures("My arguments will be open to all readers.").metadiscourse).toBe(true);
    expect(claimFeatures("This shall be the subject of my next address.").metadiscourse).toBe(true);
    expect(claimFeatures("Public transport will be open to all residents.").metadiscourse).toBe(false);
    expect(score("Public transport will be open to all residents.")).toBeGreaterThan(score("My arguments will be open to all readers."));
  });
});

describe("expletive it is not a dangling opening", () => {
  it("treats 'it clearly appears, that' and 'it is that' as expletive, 'it appears in' as anaphoric", () => {
    expect(startsDependent("It clearly appears, that a large republic controls faction better.")).toBe(false);
    expect(startsDependent("It is that very habit which keeps cities poor.")).toBe(false);
    expect(startsDependent("It appears in every report.")).toBe(true);
  });

  it("treats a comma before 'that' and a modal passive of knowing or saying as expletive", () => {
    expect(startsDependent("It is equally evident, that cheap transit helps the poor most.")).toBe(false);
    expect(startsDependent("It can be little doubted that tolls cut congestion.")).toBe(false);
    expect(startsDependent("It will be equally forgotten that cities need revenue.")).toBe(false);
    expect(startsDependent("It will be painted red next week.")).toBe(true);
  });

  it("drops a leading phrasal adverbial such as 'On the other hand' in the rewording", () => {
    const text = "Tolls are unpopular. On the other hand, congestion pricing works in every city that tried it.";
    const start = text.indexOf("On the");
    expect(suggestRewording(text, { start, end: text.length }, sentenceSpans(text))).toBe("Congestion pricing works in every city that tried it.");
  });
});

describe("position in the paragraph and support", () => {
  const claim = "Congestion pricing makes cities healthier.";
  const filler = ["The council met on a Tuesday evening.", "Several residents came to the meeting.", "The minutes were published online."];

  it("scores a paragraph's closing sentence above the same sentence in its middle", () => {
    const middle = `Title line\n\n${filler[0]} ${filler[1]} ${claim} ${filler[2]}\n\n${filler[0]}`;
    const closing = `Title line\n\n${filler[0]} ${filler[1]} ${filler[2]} ${claim}\n\n${filler[0]}`;
    expect(scoreOf(closing, "Congestion") - scoreOf(middle, "Congestion")).toBeCloseTo(SCORING_WEIGHTS.terms.paragraphClosing, 2);
  });

  it("scores a sentence the next one gives a reason for ('For …', 'Because …') above the same sentence without", () => {
    const supported = `Title line\n\n${filler[0]} ${claim} Because cleaner air lowers asthma rates, fewer children miss school. ${filler[1]}\n\n${filler[2]}`;
    const plain = `Title line\n\n${filler[0]} ${claim} Cleaner air lowers asthma rates, and fewer children miss school. ${filler[1]}\n\n${filler[2]}`;
    expect(scoreOf(supported, "Congestion")).toBeGreaterThan(scoreOf(plain, "Congestion"));
  });
});

describe("spreading drafts over paragraphs", () => {
  it("prefers the best of another paragraph to a slightly better second draft from the same paragraph", () => {
    const c = (score: number, paragraph: number, i: number) => ({ c: { score, paragraph }, i });
    const sorted = [c(5, 0, 0), c(4.9, 0, 1), c(4.7, 1, 2), c(1, 2, 3)];
    expect(spreadOverParagraphs(sorted, 2).map((x) => x.i)).toEqual([0, 2]);
    expect(spreadOverParagraphs(sorted, 3).map((x) => x.i)).toEqual([0, 2, 1]);
  });

  it("still takes a clearly better second claim of the same paragraph", () => {
    const c = (score: number, paragraph: number, i: number) => ({ c: { score, paragraph }, i });
    expect(spreadOverParagraphs([c(5, 0, 0), c(4.5, 0, 1), c(2, 1, 2)], 2).map((x) => x.i)).toEqual([0, 1]);
  });
});
