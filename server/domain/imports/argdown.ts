/**
 * Importing Argdown (argdown.org) with @argdown/core's own parser and model
 * (ParserPlugin + ModelPlugin), never a home-made parser.
 *
 * Mapping: every statement or argument that supports or attacks nothing is
 * a proposition (Argdown's top-level claims); every statement or argument
 * with an outgoing relation is an argument answering the target of its first
 * relation: `+`, `<+`, `+>` (support, and `+>` entails) are pro; `-`, `<-`,
 * `->`, `_>` (attack, undercut) are con. An argument answering an argument
 * is a rebuttal in that argument's thread. Text is the statement's text or
 * the argument's description (title when it has none); links become sources.
 *
 * Kept with a warning, never dropped silently: premise–conclusion structures
 * (the premises and conclusions are appended to the argument's text), YAML
 * data and front matter, headings (the whole file is the debate's article),
 * further relations of an element beyond its first, contrary and
 * contradictory relations (no Steelman equivalent).
 */
import { answerRoot, breakAnswerCycles } from "./cycles";
import { ArgdownApplication, ModelPlugin, ParserPlugin, RelationType, type IArgdownResponse, type IArgument, type IEquivalenceClass } from "@argdown/core";
import { importWarning, type ImportWarning } from "../../../app/shared/import-warnings";
import { ImportFileError, type ImportedArgument, type ImportedDebate, type ImportedProposition } from "./model";

type Element = IArgument | IEquivalenceClass;

/** Parses, and builds the model only when the parse succeeded (the model plugin logs an error on a failed parse). */
function parse(input: string): IArgdownResponse {
  const app = new ArgdownApplication();
  app.addPlugin(new ParserPlugin(), "parse-input");
  app.addPlugin(new ModelPlugin(), "build-model");
  const parsed = app.run({ input, process: ["parse-input"], logLevel: "none" });
  if (parsed.lexerErrors?.length || parsed.parserErrors?.length) return parsed;
  return app.run({ input, process: ["build-model"], logLevel: "none" }, parsed);
}

const keyOf = (e: Element) => `${e.type === "argument" ? "<" : "["}${e.title ?? ""}${e.type === "argument" ? ">" : "]"}`;

/** The element's own text, links as sources. */
function textOf(e: Element): { text: string; sources: { url: string; title: string }[]; line: number | null; column: number | null } {
  const members = e.members as { text?: string; ranges?: { type: string; url?: string; title?: string }[]; startLine?: number; startColumn?: number; isReference?: boolean }[];
  const described = [...members].reverse().find((m) => m.text && m.text.trim() !== "") ?? members[0];
  const text = described?.text?.trim() || e.title || "";
  const sources = (described?.ranges ?? []).filter((r) => r.type === "link" && r.url).map((r) => ({ url: r.url!, title: r.title || r.url! }));
  const located = members.find((m) => m.startLine !== undefined && !m.isReference) ?? members[0];
  return { text, sources, line: located?.startLine ?? e.startLine ?? null, column: located?.startColumn ?? e.startColumn ?? null };
}

/**
 * Reads an Argdown file.
 * @throws ImportFileError for the first lexer or parser error (line, column, what was expected).
 */
export function parseArgdown(file: string, input: string): ImportedDebate {
  const response = parse(input);
  const lexerError = response.lexerErrors?.[0];
  if (lexerError) throw new ImportFileError(file, lexerError.line ?? null, lexerError.column ?? null, `${lexerError.message} (Argdown text was expected).`);
  const parserError = response.parserErrors?.[0];
  if (parserError) {
    const t = parserError.token;
    throw new ImportFileError(file, Number.isFinite(t.startLine) ? t.startLine! : null, Number.isFinite(t.startColumn) ? t.startColumn! : null, parserError.message.replace(/-->\s*|\s*<--/g, "").trim());
  }
  const warnings: ImportWarning[] = [];
  const elements = new Map<string, Element>();
  for (const s of Object.values(response.statements ?? {})) elements.set(keyOf(s), s);
  for (const a of Object.values(response.arguments ?? {})) elements.set(keyOf(a), a);

  // First outgoing relation of each element: what it answers.
  const answers = new Map<string, { target: string; stance: "pro" | "con" }>();
  let ignored = 0;
  for (const r of response.relations ?? []) {
    if (!r.from || !r.to) continue;
    const from = keyOf(r.from as Element);
    const to = keyOf(r.to as Element);
    if (r.relationType === RelationType.CONTRARY || r.relationType === RelationType.CONTRADICTORY) {
      warnings.push(importWarning(file, null, "importWarning.argdown.relationLeftOut", { relation: r.relationType, from, to }));
      continue;
    }
    const stance = r.relationType === RelationType.SUPPORT || r.relationType === RelationType.ENTAILS ? "pro" : "con";
    if (answers.has(from) || from === to) {
      ignored += 1;
      continue;
    }
    answers.set(from, { target: to, stance });
  }
  if (ignored) warnings.push(importWarning(file, null, "importWarning.argdown.furtherRelations", { count: ignored }));

  // Break cycles: an element whose chain of answers returns to itself becomes a proposition.
  const rootOf = (key: string) => answerRoot(answers, key);
  breakAnswerCycles(answers, (key) => warnings.push(importWarning(file, null, "importWarning.argdown.cycle", { key })));

  const propositions: ImportedProposition[] = [];
  const args: ImportedArgument[] = [];
  for (const [key, e] of elements) {
    const { text, sources, line, column } = textOf(e);
    let body = text;
    if (e.type === "argument" && e.pcs?.length) {
      body += "\n" + e.pcs.map((s, i) => `(${i + 1}) ${s.text ?? s.title ?? ""}`).join("\n");
      warnings.push(importWarning(file, line ?? "?", "importWarning.argdown.premises", { key }));
    }
    const answer = answers.get(key);
    if (!answer) {
      propositions.push({ key, text: text || key, line, column });
      if (sources.length) warnings.push(importWarning(file, line ?? "?", "importWarning.argdown.propositionLinks", { key }));
      continue;
    }
    const root = rootOf(key)!;
    args.push({
      key,
      propositionKey: root,
      parentKey: answer.target === root ? null : answer.target,
      stance: answer.stance,
      text: body,
      authorKey: null,
      sources,
      line,
      column,
    });
  }
  if (/^===\s*$/m.test(input) || /\{[^}]*:[^}]*\}/.test(input)) warnings.push(importWarning(file, null, "importWarning.argdown.yaml"));
  if ((response.sections ?? []).length) warnings.push(importWarning(file, null, "importWarning.argdown.headings"));
  const title = response.sections?.[0]?.title ?? null;
  // Propositions in the order they appear in the file.
  propositions.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  args.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return { file, title, sourceText: input, propositions, arguments: args, participants: [], votes: [], ratings: [], warnings };
}
