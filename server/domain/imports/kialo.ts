/**
 * Importing Kialo's plain-text export ("Export discussion" → text):
 *
 *     Discussion Title: Should hate speech be illegal?
 *
 *     1. Hate speech should be banned.
 *     1.1. Con: It is better to challenge bad ideas …
 *     1.1.1. Pro: … (a claim may go on over several lines)
 *     1.6.4. Pro: -> See 1.2.2.
 *
 * Mapping: the thesis (`1.`) and any other claim without Pro/Con become
 * propositions; every `Pro:`/`Con:` line an argument answering the claim its
 * number extends (`1.1.1.` answers `1.1.`): on a proposition a top-level
 * argument, on an argument a rebuttal. Kialo's backslash escapes (`\(`) are
 * removed, Markdown links `[text](url)` become sources (the text stays).
 * A `-> See 1.2.3.` link claim becomes an argument that quotes the linked
 * claim (with a warning: Steelman has no shared claims).
 */
import { importWarning, type ImportWarning } from "../../../app/shared/import-warnings";
import { ImportFileError, type ImportedArgument, type ImportedDebate, type ImportedProposition } from "./model";

const ITEM = /^((?:\d+\.)+)\s*(?:(Pro|Con):\s*)?(.*)$/;
const LINK = /\[([^\]\n]*)\]\((https?:\/\/[^)\s]+)\)/g;

const unescape = (text: string) => text.replace(/\\([\\`*_{}[\]()#+\-.!])/g, "$1");

/**
 * Reads a Kialo text export.
 * @throws ImportFileError naming the line and column of the first line that is not Kialo's layout.
 */
export function parseKialo(file: string, input: string): ImportedDebate {
  const lines = input.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  let title: string | null = null;
  type Item = { number: string; stance: "pro" | "con" | null; text: string[]; line: number };
  const items: Item[] = [];
  lines.forEach((raw, index) => {
    const line = index + 1;
    const text = raw.trimEnd();
    if (title === null && items.length === 0) {
      const m = /^Discussion Title:\s*(.*)$/.exec(text);
      if (m) {
        title = m[1].trim();
        return;
      }
      if (text.trim() === "") return;
    }
    const m = ITEM.exec(text);
    if (m) {
      items.push({ number: m[1], stance: m[2] ? (m[2].toLowerCase() as "pro" | "con") : null, text: [m[3]], line });
      return;
    }
    if (items.length === 0) {
      if (text.trim() === "") return;
      throw new ImportFileError(file, line, 1, `expected "Discussion Title: …" or a numbered claim such as "1. …" (found "${text.slice(0, 40)}").`);
    }
    items[items.length - 1].text.push(text);
  });
  if (items.length === 0) throw new ImportFileError(file, lines.length, 1, 'no claims were found; a Kialo export has numbered lines such as "1. The thesis" and "1.1. Pro: …".');
  const byNumber = new Map<string, Item>();
  for (const item of items) {
    if (byNumber.has(item.number)) throw new ImportFileError(file, item.line, 1, `the claim number ${item.number} appears twice.`);
    byNumber.set(item.number, item);
  }
  const warnings: ImportWarning[] = [];
  const propositions: ImportedProposition[] = [];
  const args: ImportedArgument[] = [];
  const rootOf = new Map<string, string>();
  const clean = (item: Item) => item.text.join("\n").trim();
  for (const item of items) {
    let text = clean(item);
    const see = /^->\s*See\s+((?:\d+\.)+)\s*$/.exec(text);
    if (see) {
      const target = byNumber.get(see[1]);
      if (!target) throw new ImportFileError(file, item.line, item.number.length + 2, `"-> See ${see[1]}" links to a claim that is not in the file.`);
      text = `(See ${see[1]}) ${clean(target)}`;
      warnings.push(importWarning(file, item.line, "importWarning.kialo.seeLink", { claim: see[1] }));
    }
    const sources = [...text.matchAll(LINK)].map((m) => ({ url: m[2], title: unescape(m[1]) || m[2] }));
    text = unescape(text.replace(LINK, (_, label: string) => label));
    if (item.stance === null) {
      propositions.push({ key: item.number, text: text.replace(/\s+/g, " "), line: item.line, column: 1 });
      rootOf.set(item.number, item.number);
      if (sources.length) warnings.push(importWarning(file, item.line, "importWarning.kialo.propositionLinks"));
      continue;
    }
    const parentNumber = item.number.replace(/\d+\.$/, "");
    const parent = byNumber.get(parentNumber);
    if (!parent) throw new ImportFileError(file, item.line, 1, `claim ${item.number} answers ${parentNumber || "nothing"}, which is not in the file (a claim numbered ${parentNumber || "1."} was expected before it).`);
    const root = rootOf.get(parentNumber);
    if (!root) throw new ImportFileError(file, item.line, 1, `claim ${item.number} comes before the claim ${parentNumber} it answers.`);
    rootOf.set(item.number, root);
    args.push({
      key: item.number,
      propositionKey: root,
      parentKey: parent.stance === null ? null : parentNumber,
      stance: item.stance,
      text,
      authorKey: null,
      sources,
      line: item.line,
      column: 1,
    });
  }
  return { file, title, sourceText: input, propositions, arguments: args, participants: [], votes: [], ratings: [], warnings };
}
