import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { claimFeatures, claimScore, DEFAULT_MAX_DRAFTS, draftPropositionList, DRAFT_SPAN_MAX_CHARS, MIN_DRAFTS, titleLine, WORDS_PER_DRAFT } from "../../server/domain/claims";
import { detectLanguage } from "../../server/domain/nlp";
import { splitPropositions } from "../../server/domain/propositions";
import { startsDependent, subjectOf, suggestRewording, thirdPersonSingular } from "../../server/domain/rewording";
import { sentenceSpans } from "../../server/domain/propositions";
import { evaluate, formatTable, loadEvalSet, scoreDraft, TARGETS } from "../../scripts/lib/claim-eval";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const article = readFileSync(path.resolve(projectRoot, "../shared/fixtures/articles/ai-race-hot-take.txt"), "utf8");
const fixtures = path.resolve(projectRoot, "tests/fixtures/claims");

/** The rewording of `sentence` as the second sentence after `previous`. */
function reword(previous: string, sentence: string): string | null {
  const text = `${previous} ${sentence}`;
  const start = previous.length + 1;
  return suggestRewording(text, { start, end: text.length }, sentenceSpans(text));
}

describe("claim features", () => {
  it("sees recommendations, predictions, comparisons and generalisations", () => {
    expect(claimFeatures("America should compete on deployment.").deontic).toBe(true);
    expect(claimFeatures("We need to get serious about deployment.").deontic).toBe(true);
    expect(claimFeatures("The countries that mastered deployment will be best positioned.").predictive).toBe(true);
    expect(claimFeatures("Deployment velocity matters more than model size.").comparative).toBe(true);
    expect(claimFeatures("Open models are better for the economy.").comparative).toBe(true);
    expect(claimFeatures("Every factory floor generates data.").generic).toBe(true);
    expect(claimFeatures("Justice is the end of government.").copulaPredicate).toBe(true);
    expect(claimFeatures("I am clearly of opinion it is your interest to adopt it.").indicator).toBe(true);
    expect(claimFeatures("The causes of faction cannot be removed; therefore relief must be sought elsewhere.").conclusion).toBe(true);
    expect(claimFeatures("Accept the place the divine providence has found for you.").imperative).toBe(true);
  });

  it("sees narrative, examples, quotations, hedges, set-up and definitions", () => {
    expect(claimFeatures("I remember that I made an answer to a valued adviser when quite young.").narrative).toBe(true);
    expect(claimFeatures("We offshored production to China and lost our factories.").pastShare).toBeGreaterThan(0.5);
    expect(claimFeatures("For example, DeepSeek released R1 as an open-weight model.").example).toBe(true);
    expect(claimFeatures("“Not a drum was heard, not a funeral note.”").quotation).toBe(true);
    expect(claimFeatures("Perhaps such a plan would be less difficult in practice.").hedge).toBe(true);
    expect(claimFeatures("I propose, in a series of papers, to discuss the following interesting particulars:").setup).toBe(true);
    expect(claimFeatures("Let us examine the points in which it varies from pure democracy.").setup).toBe(true);
    expect(claimFeatures("By a faction, I understand a number of citizens united by a common impulse.").definition).toBe(true);
    expect(claimFeatures("If a faction consists of less than a majority, relief is supplied by the republican principle.").conditional).toBe(true);
    expect(claimFeatures("Some writers have explained the English constitution thus.").attribution).toBe(true);
    expect(claimFeatures("Let us examine the points.").imperative).toBe(false);
  });

  it("scores claims above background, narrative, examples and set-up", () => {
    const score = (s: string) => claimScore(claimFeatures(s));
    const claims = [
      "America should stop restricting chip exports because the restrictions backfired.",
      "A government ill executed must be, in practice, a bad government.",
      "Open models spread faster than closed ones and will win in the long run.",
    ];
    const background = [
      "In 1787 the essay was published in the Daily Advertiser in New York.",
      "I remember an answer which I made when quite young to a valued adviser.",
      "For example, the model was released on 20 January 2025.",
      "I propose, in a series of papers, to discuss the following interesting particulars:",
    ];
    for (const c of claims) for (const b of background) expect(score(c), `${c} vs ${b}`).toBeGreaterThan(score(b));
  });
});

describe("dependent openings", () => {
  it("finds connectives and anaphora, not expletive it or a subject clause", () => {
    for (const s of ["But the path to victory may not look like we expected.", "And they're succeeding.", "However, benchmarks measure a narrow slice.", "They create ecosystems rather than products.", "This is dangerously complacent.", "Wherefore, security is the end of government.", "For in politics it is absurd to make proselytes by fire."]) {
      expect(startsDependent(s), s).toBe(true);
    }
    for (const s of ["It is clear that deployment matters.", "That unity is conducive to energy will not be disputed.", "Open models spread faster.", "We need to compete on China's terms.", "It is in vain to say that enlightened statesmen will adjust these interests.", "For years the logic was straightforward."]) {
      expect(startsDependent(s), s).toBe(false);
    }
  });
});

describe("rewording", () => {
  it("puts the antecedent in place of a leading pronoun, with agreement", () => {
    expect(reword("Meanwhile, China is building AI that works.", "They're not trying to match GPT-5 parameter for parameter.")).toBe("China is not trying to match GPT-5 parameter for parameter.");
    expect(reword("China's embrace of open-source AI is practical.", "They recognize that deployment velocity matters more than model size.")).toBe(null);
    expect(reword("China embraces open-source AI.", "They recognize that deployment velocity matters more than model size.")).toBe("China recognizes that deployment velocity matters more than model size.");
    expect(reword("Open models improve faster.", "They create ecosystems rather than products.")).toBe("Open models create ecosystems rather than products.");
    expect(reword("The open-source vs. closed-source debate isn't just philosophical.", "It has strategic implications.")).toBe("The open-source vs. closed-source debate has strategic implications.");
    expect(reword("Open models improve faster.", "Their weights are public.")).toBe("Open models' weights are public.");
  });

  it("drops a leading connective and turns a demonstrative determiner into 'The'", () => {
    expect(reword("Some think so.", "But the most common and durable source of factions has been the unequal distribution of property.")).toBe("The most common and durable source of factions has been the unequal distribution of property.");
    expect(reword("China builds AI.", "Meanwhile, America builds demos.")).toBe("America builds demos.");
    expect(reword("Open-source AI spreads.", "This open-source strategy creates a virtuous cycle.")).toBe("The open-source strategy creates a virtuous cycle.");
    expect(reword("A plan.", "These must be chiefly, if not wholly, effects of a factious spirit.")).toBe(null);
  });

  it("offers nothing when no antecedent agrees or none is needed", () => {
    expect(reword("The model is small.", "They are fast.")).toBe(null); // "they" and a singular common noun
    expect(reword("Open models spread faster.", "Deployment beats demos every time.")).toBe(null);
  });

  it("finds subjects and inflects verbs", () => {
    expect(subjectOf("Meanwhile, China is building AI that works.")).toMatchObject({ text: "China", proper: true });
    expect(subjectOf("Open models improve faster.")).toMatchObject({ text: "Open models", plural: true });
    expect(subjectOf("China's embrace of open-source AI is practical.")?.text ?? "China's embrace of open-source AI").toBe("China's embrace of open-source AI");
    expect(subjectOf("They spread faster.")).toBe(null);
    expect(["recognize", "try", "push", "go"].map(thirdPersonSingular)).toEqual(["recognizes", "tries", "pushes", "goes"]);
  });
});

describe("drafting", () => {
  it("keeps the seed article's hot take: thesis first, a capped list, the rest as candidates", () => {
    const d = draftPropositionList(article);
    expect(d.section?.heading).toBe("🔥 Hot Take: America Is Building the Wrong Kind of AI Lead");
    expect(d.cap).toBe(Math.max(MIN_DRAFTS, Math.ceil(d.words / WORDS_PER_DRAFT)));
    expect(d.drafts).toHaveLength(d.cap);
    expect(d.drafts[0]!.thesis).toBe(true);
    expect(d.drafts[0]!.text).toBe("America is optimizing for the wrong metrics.");
    // Drafts and candidates together cover every sentence group of the hot take, none twice.
    const all = [...d.drafts, ...d.candidates];
    expect(all).toHaveLength(splitPropositions(article, d.span).length);
    for (const p of all) expect(article.slice(p.sourceSpan.start, p.sourceSpan.end)).toBe(p.text);
    // No draft needs the sentence before it.
    for (const p of d.drafts) expect(startsDependent(p.suggestion ?? p.text), p.text).toBe(false);
    // Drafts after the thesis come by score.
    const scores = d.drafts.slice(1).map((p) => p.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // A candidate that starts with "They're" has its suggestion.
    const theyre = d.candidates.find((p) => p.text.startsWith("They're not trying"));
    expect(theyre?.suggestion).toMatch(/^China is not trying to match GPT-5/);
  });

  it("caps an article without a hot take at one draft per 120 words and the setting", () => {
    const text = article.replace("🔥 Hot Take: America Is Building the Wrong Kind of AI Lead", "Where This Leaves Us");
    const d = draftPropositionList(text);
    expect(d.section).toBeNull();
    expect(d.drafts.length).toBeLessThanOrEqual(Math.ceil(d.words / WORDS_PER_DRAFT));
    expect(d.drafts.length).toBeLessThanOrEqual(DEFAULT_MAX_DRAFTS);
    expect(d.drafts.filter((p) => p.thesis)).toHaveLength(1);
    expect(draftPropositionList(text, { maxDrafts: 3 }).drafts).toHaveLength(3);
    expect(() => draftPropositionList(text, { maxDrafts: 0 })).toThrow(RangeError);
  });

  it("leaves the title line out and takes framing before a colon off", () => {
    const text = "Why Cities Need Bike Lanes\n\nHere's the truth nobody tells you: Bike lanes pay for themselves within a few years. Cities should build more of them.\n";
    expect(text.slice(titleLine(text)!.start, titleLine(text)!.end)).toBe("Why Cities Need Bike Lanes");
    const d = draftPropositionList(text);
    const texts = d.drafts.map((p) => p.text);
    expect(texts.some((t) => t.includes("Why Cities"))).toBe(false);
    expect(texts).toContain("Bike lanes pay for themselves within a few years.");
  });

  it("detects German, French and Spanish and drafts sentence by sentence with the cap", () => {
    const samples: Record<string, string> = {
      deu: "Die Stadt sollte mehr Geld in Radwege investieren. Der Verkehr in der Innenstadt ist seit Jahren ein Problem, und viele Menschen fahren mit dem Auto zur Arbeit.\n\nRadwege sind billiger als neue Straßen. Sie machen die Stadt leiser und gesünder. Deshalb muss der Stadtrat jetzt handeln und die Pläne umsetzen.",
      fra: "La ville devrait investir davantage dans les pistes cyclables. La circulation dans le centre est un problème depuis des années, et beaucoup de gens prennent la voiture pour aller au travail.\n\nLes pistes cyclables coûtent moins cher que les nouvelles routes. Elles rendent la ville plus calme et plus saine. Le conseil municipal doit donc agir maintenant.",
      spa: "La ciudad debería invertir más dinero en carriles para bicicletas. El tráfico en el centro es un problema desde hace años, y mucha gente va al trabajo en coche.\n\nLos carriles para bicicletas son más baratos que las carreteras nuevas. Hacen la ciudad más tranquila y más sana. Por eso el ayuntamiento debe actuar ahora.",
    };
    for (const [code, text] of Object.entries(samples)) {
      expect(detectLanguage(text).code).toBe(code);
      const d = draftPropositionList(text);
      expect(d.language).toMatchObject({ code, claimScoring: false });
      expect(d.drafts.length).toBeGreaterThan(0);
      expect(d.drafts.length).toBeLessThanOrEqual(d.cap);
      expect(d.drafts.every((p) => p.features === null && p.suggestion === null)).toBe(true);
      expect(d.drafts[0]!.thesis).toBe(true);
    }
    expect(detectLanguage(article)).toMatchObject({ code: "eng", name: "English", claimScoring: true });
  });
});

describe("evaluation", () => {
  it("loads the set: at least 8 articles of 8 to 20 claims, each an exact substring, with licence and source", () => {
    const set = loadEvalSet(fixtures);
    expect(set.length).toBeGreaterThanOrEqual(8);
    for (const a of set) {
      expect(a.claims.length, a.name).toBeGreaterThanOrEqual(8);
      expect(a.claims.length, a.name).toBeLessThanOrEqual(20);
      for (const c of a.claims) expect(a.text.slice(c.start, c.end)).toBe(c.text);
    }
  });

  it("computes recall, precision and dangling drafts by the issue's definitions", () => {
    const text = "Title\n\nClaim one is here. Background two. Claim three is long enough to count.";
    const claims = [
      { text: "Claim one is here.", start: text.indexOf("Claim one"), end: text.indexOf("Claim one") + 18 },
      { text: "Claim three is long enough to count.", start: text.indexOf("Claim three"), end: text.length },
    ];
    const base = draftPropositionList(text);
    const mk = (start: number, end: number, suggestion: string | null = null) => ({ text: text.slice(start, end), sourceSpan: { start, end }, score: 0, features: null, suggestion, thesis: false, paragraph: 0, signals: null });
    // One draft covers claim one exactly; one covers half of claim three (counts); one covers background.
    const half = claims[1]!.start + Math.ceil((claims[1]!.end - claims[1]!.start) / 2);
    const row = scoreDraft({ name: "t", text, claims }, { ...base, drafts: [mk(claims[0]!.start, claims[0]!.end), mk(claims[1]!.start, half), mk(text.indexOf("Background"), text.indexOf("Background") + 16)] });
    expect(row).toMatchObject({ covered: 2, recall: 1, correctDrafts: 2, dangling: 0 });
    expect(row.precision).toBeCloseTo(2 / 3);
    expect(row.pass).toBe(false); // precision 0.67 < 0.75
    // Less than half of a claim does not cover it; a dangling wording is counted.
    const short = scoreDraft({ name: "t", text, claims }, { ...base, drafts: [mk(claims[1]!.start, half - 2), mk(claims[0]!.start, claims[0]!.end, "And so on.")] });
    expect(short).toMatchObject({ covered: 1, dangling: 1 });
  });

  it("runs on the whole set in seconds and prints a table", () => {
    const started = performance.now();
    const rows = evaluate(loadEvalSet(fixtures));
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(rows.every((r) => r.dangling === 0)).toBe(true);
    expect(formatTable(rows)).toContain("| federalist-10 |");
    expect(TARGETS).toEqual({ recall: 0.85, precision: 0.75, dangling: 0 });
  });
});

describe("a very long article", () => {
  it("is drafted from its opening, up to a paragraph break within DRAFT_SPAN_MAX_CHARS", () => {
    const paragraph = "Cities should build protected bike lanes on every main road. Protected lanes lower crashes and make streets calmer. ".repeat(6) + "\n\n";
    const text = `A long essay\n\n${paragraph.repeat(Math.ceil((DRAFT_SPAN_MAX_CHARS * 4) / paragraph.length))}`;
    const draft = draftPropositionList(text);
    expect(draft.drafts.length).toBeGreaterThan(0);
    for (const d of [...draft.drafts, ...draft.candidates]) expect(d.sourceSpan.end).toBeLessThanOrEqual(DRAFT_SPAN_MAX_CHARS + 20);
    expect(text.slice(draft.span.end - 1, draft.span.end + 2)).toMatch(/\.\s/);
  });
});
