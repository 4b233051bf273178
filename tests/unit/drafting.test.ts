/**
 * Drafting defects found by a tester (segmentation, section finding, eligibility, rewording,
 * dedup), each on made-up text.
 */
import { describe, expect, it } from "vitest";
import { CANDIDATES_MAX, DRAFT_SPAN_MAX_CHARS, draftPropositionList, normaliseWording, titleLine } from "../../server/domain/claims";
import { LIMITS } from "../../app/shared/constants";
import { startsDependentIn, suggestWithoutConnective } from "../../server/domain/connectives";
import { draftFromArticle, sentenceSpans, splitOverLong, splitPropositions } from "../../server/domain/propositions";
import { answersQuestionBefore, startsDependent, suggestRewording } from "../../server/domain/rewording";

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

describe("dependent openings", () => {
  /** The rewording of the last sentence of `text` (which ends the text). */
  const rewordLast = (text: string, last: string) => {
    const start = text.lastIndexOf(last);
    return suggestRewording(text, { start, end: start + last.length }, sentenceSpans(text));
  };

  it("treats a concession opener as soft: dependent, dropped in the suggestion", () => {
    for (const s of ["Yes, the tram started as a tourist ride. But commuters now fill it every morning.", "Of course, parking brings in money.", "True, the tram was expensive."]) {
      expect(startsDependent(s), s).toBe(true);
    }
    const last = "Yes, the tram started as a tourist ride. But commuters now fill it every morning.";
    expect(rewordLast(`Critics call the tram a toy. ${last}`, last)).toBe("The tram started as a tourist ride. But commuters now fill it every morning.");
    expect(startsDependent("Yesterday the tram carried ten thousand riders.")).toBe(false);
  });

  it("treats 'That is why' as dependent, and 'The answer is' after a question", () => {
    expect(startsDependent("That is why the council must fund the tram.")).toBe(true);
    expect(startsDependent("That's how the budget was balanced.")).toBe(true);
    expect(startsDependent("That unity is conducive to energy will not be disputed.")).toBe(false);
    const asked = "Why do riders prefer the tram over the bus? The answer is that trams keep to their timetable every single day.";
    const answer = asked.slice(asked.indexOf("The answer"));
    const spans = sentenceSpans(asked);
    expect(answersQuestionBefore(asked, { start: asked.indexOf("The answer"), end: asked.length }, spans)).toBe(true);
    const stated = `Riders like the tram. ${answer}`;
    expect(answersQuestionBefore(stated, { start: stated.indexOf("The answer"), end: stated.length }, sentenceSpans(stated))).toBe(false);
    const d = draftPropositionList(`Trams in Small Towns\n\nSmall towns should build trams instead of widening roads.\n\n${asked}\n\nThat is why the council must fund the tram before the next election.`);
    for (const p of d.drafts) {
      expect(p.text.startsWith("The answer is"), p.text).toBe(false);
      expect(p.text.startsWith("That is why"), p.text).toBe(false);
    }
  });

  it("reads 'Now that + noun' as a demonstrative: names the antecedent or is not drafted", () => {
    expect(startsDependent("Now that capacity is feeding the national grid.")).toBe(true);
    expect(startsDependent("Now that the war is over, we should rebuild the bridges.")).toBe(false);
    const named = "Now that capacity is feeding the national grid every winter night.";
    expect(rewordLast(`The new solar capacity was built in two years. ${named}`, named)).toBe("Now the new solar capacity is feeding the national grid every winter night.");
    expect(rewordLast(`The town voted for solar panels. ${named}`, named)).toBe(null);
    const d = draftPropositionList(`Solar Towns\n\nSmall towns should build solar farms on their roofs.\n\nThe mayor spoke to the farmers for years about it. ${named}\n\nEvery town should copy this plan before the next winter.`);
    expect(d.drafts.some((p) => p.text === named && p.suggestion === null)).toBe(false);
  });

  it("strips a leading 'Hot take:' label, which is the section's own name", () => {
    const text =
      "Rents keep rising faster than wages in most cities. Young people move out later than their parents did.\n\n" +
      "Hot take: rent caps do more harm than good for the tenants they are meant to protect. Landlords sell up when the rent is capped. Fewer flats come onto the market every year.";
    const d = draftPropositionList(text);
    const all = [...d.drafts, ...d.candidates];
    expect(all.some((p) => /^hot take/i.test(p.text))).toBe(false);
    const take = all.find((p) => p.text.startsWith("rent caps do more harm"));
    expect(take?.suggestion).toMatch(/^Rent caps do more harm than good/);
    for (const p of all) expect(text.slice(p.sourceSpan.start, p.sourceSpan.end)).toBe(p.text);
  });
});

describe("dependent openings in German, French and Spanish", () => {
  const samples: Record<string, string> = {
    deu:
      "Die Gemeinde sollte den Marktplatz für Autos sperren. Der Lärm vertreibt seit Jahren die Kundschaft aus der Altstadt.\n\n" +
      "Dann zum Handel. Die Läden am Platz verlieren jeden Monat Umsatz an die Einkaufszentren am Stadtrand.\n\n" +
      "Außerdem zeigen Umfragen, dass die meisten Anwohner eine Sperrung befürworten würden.\n\n" +
      "Sie wollen ruhige Abende und saubere Luft vor ihren Fenstern.\n\n" +
      "Das ist keine Kleinigkeit für eine kleine Gemeinde mit knappen Kassen.\n\n" +
      "Aber die Händler fürchten um ihre Parkplätze und um ihre Stammkunden.\n\n" +
      "Es gibt genug Parkhäuser am Rand der Altstadt für alle Besucher.",
    fra:
      "La commune doit fermer la place du marché aux voitures. Le bruit chasse les clients du centre depuis des années.\n\n" +
      "Cependant, les commerçants craignent de perdre leurs clients fidèles du samedi.\n\n" +
      "Par ailleurs, les bus doivent passer plus souvent le soir et le dimanche.\n\n" +
      "Ils ont raison sur un point important pour la suite du projet.\n\n" +
      "Cela ne veut pas dire que la fermeture sera simple à organiser.\n\n" +
      "Ensuite les habitants devront apprendre à se garer plus loin du centre.\n\n" +
      "Il faut regarder les chiffres des autres villes avant de décider quoi que ce soit.",
    spa:
      "El ayuntamiento debe cerrar la plaza del mercado a los coches. El ruido aleja a los clientes del centro desde hace años.\n\n" +
      "Además, los autobuses deben pasar con más frecuencia por la noche.\n\n" +
      "Sin embargo, los comerciantes temen perder a sus clientes del sábado.\n\n" +
      "Ellos creen que nadie vendrá a comprar sin poder aparcar cerca.\n\n" +
      "Esto no significa que el cierre sea fácil de organizar en pocas semanas.\n\n" +
      "Pero la transición debe empezar ahora, antes del próximo verano.\n\n" +
      "Este año la plaza recibió más visitantes que nunca durante las fiestas.",
  };
  const dependent: Record<string, RegExp> = {
    deu: /^(?:Dann|Außerdem|Sie|Das ist|Aber)\b/,
    fra: /^(?:Cependant|Par ailleurs|Ils|Cela|Ensuite)\b/,
    spa: /^(?:Además|Sin embargo|Ellos|Esto|Pero)\b/,
  };

  it("drafts no unit that needs the sentence before, and drops a soft connective with its comma in the suggestion", () => {
    for (const [code, text] of Object.entries(samples)) {
      const d = draftPropositionList(text, { maxDrafts: 25, wordsPerDraft: 5 });
      expect(d.language.code).toBe(code);
      expect(d.drafts.length, code).toBeGreaterThan(1);
      for (const p of d.drafts) expect(dependent[code]!.test(p.suggestion ?? p.text), `${code}: ${p.suggestion ?? p.text}`).toBe(false);
      // Expletive "Es gibt" / "Il faut" and the deictic "Este año" are not dependent: they are drafted.
      const standalone = { deu: "Es gibt genug", fra: "Il faut regarder", spa: "Este año la plaza" }[code]!;
      expect(d.drafts.some((p) => p.text.startsWith(standalone)), `${code}: ${standalone}`).toBe(true);
    }
    const fr = draftPropositionList(samples.fra!, { maxDrafts: 25, wordsPerDraft: 5 });
    const all = [...fr.drafts, ...fr.candidates];
    expect(all.find((p) => p.text.startsWith("Par ailleurs"))?.suggestion).toBe("Les bus doivent passer plus souvent le soir et le dimanche.");
    expect(suggestWithoutConnective("spa", "Además, la medida devolvería el espacio público a las personas.")).toBe("La medida devolvería el espacio público a las personas.");
    expect(suggestWithoutConnective("deu", "Außerdem zeigen Umfragen, dass viele zustimmen.")).toBe(null); // verb second: the adverbial cannot just go
  });

  it("tells expletives, articles and free relatives from anaphors", () => {
    expect(startsDependentIn("deu", "Es gibt genug Parkhäuser.")).toBe(false);
    expect(startsDependentIn("deu", "Es ist wichtig, dass die Stadt handelt.")).toBe(false);
    expect(startsDependentIn("deu", "Es ist eine der billigsten Maßnahmen überhaupt, denn sie kostet wenig.")).toBe(true);
    expect(startsDependentIn("deu", "Das Umweltamt hat gerechnet.")).toBe(false);
    expect(startsDependentIn("deu", "Das ist keine Kleinigkeit.")).toBe(true);
    expect(startsDependentIn("fra", "Il est temps de fermer la place.")).toBe(false);
    expect(startsDependentIn("fra", "Il est clair que la place doit fermer.")).toBe(false);
    expect(startsDependentIn("fra", "Il coûte trop cher.")).toBe(true);
    expect(startsDependentIn("fra", "Ce que les critiques oublient, c'est le bruit.")).toBe(false);
    expect(startsDependentIn("fra", "C'est une erreur.")).toBe(true);
    expect(startsDependentIn("spa", "Aquellos que conducen pagan poco.")).toBe(false);
    expect(startsDependentIn("spa", "Su coste es muy bajo.")).toBe(true);
    expect(startsDependentIn("eng", "They are wrong.")).toBe(false); // English has its own checks
  });
});

describe("long paragraphs", () => {
  it("counts every word of a long text, across the pieces the word count is made in", () => {
    const text = "Cities need safe lanes now. ".repeat(2_000).trim();
    expect(text.length).toBeLessThan(60_000);
    expect(draftPropositionList(text).words).toBe(10_000);
  });

  it("takes no title from a first line too long to be one", () => {
    const line = "Cities should ban cars from the centre and fund buses instead of roads ".repeat(1_500);
    expect(titleLine(`${line}\n\nA second paragraph.`)).toBeNull();
    expect(titleLine("Why cities need bike lanes\n\nCities should build them.")).toEqual({ start: 0, end: 26 });
  });
});
