/**
 * Two readers' agreement as `eval:propositions --agreement` reports it (scripts/lib/claim-agreement.ts,
 * ADR 0058): the evaluation's coverage rule applied to a second reader's marks, on made-up spans and
 * a made-up article where the counts can be checked by hand.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { agreementRow, formatAgreement, loadSecondReader, match, type AgreementRow, type Match } from "../../scripts/lib/claim-agreement";
import type { EvalArticle } from "../../scripts/lib/claim-eval";
import { draftPropositionList } from "../../server/domain/claims";

describe("match", () => {
  const gold = [
    { start: 0, end: 10 },
    { start: 20, end: 30 },
    { start: 40, end: 50 },
  ];

  it("covers a claim with a mark overlapping at least half of it, and not with less", () => {
    expect(match(gold, [{ start: 5, end: 25 }])).toMatchObject({ covered: 2, correct: 1, marks: 1 });
    expect(match(gold, [{ start: 6, end: 24 }])).toMatchObject({ covered: 0, correct: 0, precision: 0 });
  });

  it("counts recall over the gold and precision over the marks", () => {
    const m = match(gold, [{ start: 0, end: 10 }, { start: 60, end: 70 }, { start: 41, end: 49 }, { start: 80, end: 90 }]);
    expect(m).toEqual({ covered: 2, gold: 3, correct: 2, marks: 4, recall: 2 / 3, precision: 0.5 });
  });

  it("gives recall 1 with no gold and precision 0 with no marks", () => {
    expect(match([], [{ start: 0, end: 1 }])).toMatchObject({ recall: 1, precision: 0 });
    expect(match(gold, [])).toMatchObject({ recall: 0, precision: 0 });
  });
});

const text =
  "Schools should start later in the morning. Teenagers sleep later than adults do. " +
  "My neighbour's son walks to school at seven. Homework must be limited to an hour a day. " +
  "The town council met on Tuesday. Longer sleep makes students learn more.";
const claim = (c: string) => ({ text: c, start: text.indexOf(c), end: text.indexOf(c) + c.length });
const article: EvalArticle = {
  name: "made-up",
  text,
  claims: [claim("Schools should start later in the morning."), claim("Homework must be limited to an hour a day."), claim("Longer sleep makes students learn more.")],
};

describe("loadSecondReader", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "second-reader-"));

  it("returns no marks for an article without a file", () => {
    expect(loadSecondReader(dir, { ...article, name: "absent" })).toBeUndefined();
  });

  it("maps each mark to its span in the text", () => {
    writeFileSync(path.join(dir, "made-up.json"), JSON.stringify({ annotated: "test", claims: ["Teenagers sleep later than adults do."] }));
    const start = text.indexOf("Teenagers");
    expect(loadSecondReader(dir, article)).toEqual([{ start, end: start + "Teenagers sleep later than adults do.".length }]);
  });

  it("names the file and the mark when a mark is not in the text", () => {
    writeFileSync(path.join(dir, "made-up.json"), JSON.stringify({ annotated: "test", claims: ["Schools should start at noon."] }));
    expect(() => loadSecondReader(dir, article)).toThrow(/made-up\.json.*Schools should start at noon/);
  });
});

describe("agreementRow", () => {
  it("scores the second reader against the gold, within the cap in its own order, and the drafter against both", () => {
    const marks = [claim("Longer sleep makes students learn more."), claim("Teenagers sleep later than adults do.")].map(({ start, end }) => ({ start, end }));
    const draft = draftPropositionList(text);
    const row = agreementRow(article, marks, draft);
    expect(row.readerB).toMatchObject({ covered: 1, gold: 3, correct: 1, marks: 2 });
    expect(row.cap).toBe(draft.cap);
    expect(row.readerBUnderCap.marks).toBe(Math.min(2, draft.cap));
    expect(row.drafterVsA.marks).toBe(draft.drafts.length);
    expect(row.drafterVsB.gold).toBe(2);
    // A draft right for either reader is right for the union: never below the precision against A.
    expect(row.drafterPrecisionEither).toBeGreaterThanOrEqual(row.drafterVsA.precision);
  });
});

describe("formatAgreement", () => {
  it("counts the articles on which the second reader reaches the targets, with and without the cap", () => {
    const row = (readerB: Match, readerBUnderCap: Match): AgreementRow => ({ name: "x", cap: 3, readerB, readerBUnderCap, drafterVsA: readerB, drafterVsB: readerB, drafterPrecisionEither: 0 });
    const good = match([{ start: 0, end: 10 }], [{ start: 0, end: 10 }]);
    const poor = match([{ start: 0, end: 10 }, { start: 20, end: 30 }], [{ start: 0, end: 10 }]);
    const text = formatAgreement([row(good, poor), row(good, good), row(poor, poor)], { recall: 0.85, precision: 0.75 });
    expect(text).toContain("on 2 of 3 articles, 1 of 3 with its first cap marks.");
  });
});
