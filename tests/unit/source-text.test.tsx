/**
 * The source article's server render (app/components/SourceText.tsx, docs/decisions/0028-folded-source-article.md):
 * up to FOLD_ABOVE highlights every proposition's span is a link with its number; above it the
 * article is folded in a closed <details>, all of its text there as plain text in parts of
 * CHUNK_HIGHLIGHTS highlights, and no highlight rendered until the parts come into view.
 */
import { renderToString } from "react-dom/server";
import { DomUtils, parseDocument } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { CHUNK_HIGHLIGHTS, FOLD_ABOVE, SourceText } from "../../app/components/SourceText";
import { messagesFor } from "../../app/i18n/catalogues.server";
import { I18nProvider } from "../../app/i18n/react";
import type { PropositionWithTallyDTO } from "../../app/shared/contract";

/** An article of `n` sentences, one proposition anchored to each. */
function article(n: number) {
  let text = "Intro.\n\n";
  const propositions: PropositionWithTallyDTO[] = [];
  for (let i = 0; i < n; i++) {
    const sentence = `Sentence ${i + 1} says something.`;
    propositions.push({ id: `p${i}`, position: i, text: sentence, sourceSpan: { start: text.length, end: text.length + sentence.length }, locked: false, tally: { agree: 0, disagree: 0, unsure: 0, total: 0 }, tallyVersion: 0 });
    text += sentence + " ";
  }
  return { text, propositions };
}

function render(n: number) {
  const { text, propositions } = article(n);
  const html = renderToString(
    <I18nProvider locale="en" messages={messagesFor("en")}>
      <SourceText sourceText={text} span={{ start: 0, end: text.length }} propositions={propositions} />
    </I18nProvider>,
  );
  return { text, doc: parseDocument(html) };
}

describe("SourceText", () => {
  it(`renders every highlight, numbered and linked both ways, up to ${FOLD_ABOVE} propositions`, () => {
    const { text, doc } = render(FOLD_ABOVE);
    const links = DomUtils.findAll((e) => e.name === "a", doc.children);
    expect(links).toHaveLength(FOLD_ABOVE);
    expect(links[41]!.attribs.id).toBe("span-p41");
    expect(links[41]!.attribs.href).toBe("#prop-p41");
    expect(DomUtils.textContent(DomUtils.findOne((e) => e.name === "sup", [links[41]!])!)).toBe("42");
    expect(DomUtils.findAll((e) => e.name === "details", doc.children)).toHaveLength(0);
    // The text without the highlights' numbers (each just before its sentence) is the article.
    expect(DomUtils.textContent(doc).replace(/\d+(?=Sentence)/g, "")).toBe(text);
  });

  it(`folds an article of more than ${FOLD_ABOVE} highlights: closed, plain text in parts, no highlight yet`, () => {
    const n = FOLD_ABOVE + 1;
    const { text, doc } = render(n);
    const details = DomUtils.findAll((e) => e.name === "details", doc.children);
    expect(details).toHaveLength(1);
    expect(details[0]!.attribs.open).toBeUndefined();
    expect(DomUtils.textContent(DomUtils.findOne((e) => e.name === "summary", doc.children)!)).toBe(`Article text (${n} highlighted passages)`);
    expect(DomUtils.findAll((e) => e.name === "a", doc.children)).toHaveLength(0);
    const parts = DomUtils.findAll((e) => e.attribs["data-chunk"] !== undefined, doc.children);
    expect(parts).toHaveLength(Math.ceil(n / CHUNK_HIGHLIGHTS));
    // The parts, in order, are the whole article; each but the first starts where a highlight starts.
    expect(parts.map((p) => DomUtils.textContent(p)).join("")).toBe(text);
    expect(DomUtils.textContent(parts[1]!).startsWith(`Sentence ${CHUNK_HIGHLIGHTS + 1} `)).toBe(true);
  });
});
