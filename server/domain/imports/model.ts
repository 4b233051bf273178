/**
 * What every importer of issue 15 (steelman, argdown, kialo, aif) produces:
 * a debate described by keys local to the file, checked afterwards by
 * `checkImported` with the same rules as typed input (proposition text,
 * argument bodies, source URLs), and written by server/services/imports.ts
 * in one transaction.
 *
 * Errors are ImportFileError: the file, the line and column (1-based) where
 * known, and what was expected; they answer 400 and nothing is created.
 */
import { LIMITS, propositionTextSchema, sourceInputSchema, sourceTitleOrHost } from "../../../app/shared/contract";
import { importWarning, type ImportWarning } from "../../../app/shared/import-warnings";
import { ARGUMENT_MAX_CHARS, parseArgumentBody, plainTextToArgumentBody, type ArgumentBody } from "../../../app/shared/lexical";

export class ImportFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly column: number | null,
    readonly problem: string,
  ) {
    super(`${file}${line !== null ? `, line ${line}` : ""}${column !== null ? `, column ${column}` : ""}: ${problem}`);
    this.name = "ImportFileError";
  }
}

/** Where an item came from in its file, for error messages. */
export interface Origin { line: number | null; column: number | null }

export interface ImportedProposition extends Partial<Origin> {
  key: string;
  text: string;
  span?: { start: number; end: number } | null;
  meta?: boolean;
  hidden?: boolean;
  locked?: boolean;
}

export interface ImportedArgument extends Partial<Origin> {
  key: string;
  propositionKey: string;
  parentKey: string | null;
  stance: "pro" | "con";
  /** Plain text (turned into a Lexical body), unless `body` is given. */
  text: string;
  body?: unknown;
  /** Participant key; null: the importing facilitator. */
  authorKey: string | null;
  sources: { url: string; title: string; quote?: string | null }[];
  deleted?: boolean;
  hidden?: { reason: string } | null;
  createdAt?: string;
}

export interface ImportedParticipant {
  key: string;
  displayName: string;
  role: "facilitator" | "debater" | "observer";
  externalId?: string | null;
}

export interface ImportedDebate {
  /** The file that holds the debate (for messages). */
  file: string;
  title: string | null;
  /** The article; null: a summary line is written instead. */
  sourceText: string | null;
  sourceUrl?: string | null;
  thesis?: { heading: string | null; start: number; end: number };
  propositions: ImportedProposition[];
  arguments: ImportedArgument[];
  /** Key of the participant who stands for the importing facilitator (their votes and arguments become the host's). */
  hostKey?: string | null;
  participants: ImportedParticipant[];
  votes: { participantKey: string; propositionKey: string; value: "agree" | "disagree" | "unsure"; at?: string }[];
  ratings: { participantKey: string; argumentKey: string; value: "up" | "down"; at?: string }[];
  /** What was changed or left out on the way in (app/shared/import-warnings.ts). */
  warnings: ImportWarning[];
}

/** The checked form: proposition texts trimmed, argument bodies validated Lexical, sources kept only when valid. */
export interface CheckedArgument extends ImportedArgument { body: ArgumentBody; bodyText: string }

/**
 * Applies the typed-input rules to everything imported and orders arguments
 * so that every parent comes before its rebuttals.
 * @throws ImportFileError for text typed input would refuse (naming the item's line and column where known).
 * Sources with URLs typed input would refuse are dropped with a warning (the argument is kept).
 */
export type CheckedDebate = Omit<ImportedDebate, "arguments"> & { arguments: CheckedArgument[] };

export function checkImported(d: ImportedDebate): CheckedDebate {
  const at = (o: Partial<Origin>) => [o.line ?? null, o.column ?? null] as const;
  if (d.propositions.length === 0) throw new ImportFileError(d.file, null, null, "no propositions were found, so there is nothing to debate.");
  if (d.propositions.length > LIMITS.propositionsMax) {
    throw new ImportFileError(d.file, null, null, `${d.propositions.length} propositions were found; a debate holds at most ${LIMITS.propositionsMax}.`);
  }
  const propositionKeys = new Set<string>();
  const propositions = d.propositions.map((p) => {
    const parsed = propositionTextSchema.safeParse(p.text);
    if (!parsed.success) throw new ImportFileError(d.file, ...at(p), `${parsed.error.issues[0].message} (a proposition was expected: "${p.text.slice(0, 60)}")`);
    if (propositionKeys.has(p.key)) throw new ImportFileError(d.file, ...at(p), `the proposition "${p.key}" appears twice.`);
    propositionKeys.add(p.key);
    return { ...p, text: parsed.data };
  });
  const byKey = new Map<string, ImportedArgument>();
  for (const a of d.arguments) {
    if (byKey.has(a.key)) throw new ImportFileError(d.file, ...at(a), `the argument "${a.key}" appears twice.`);
    byKey.set(a.key, a);
  }
  const warnings = [...d.warnings];
  const checked = new Map<string, CheckedArgument>();
  for (const a of d.arguments) {
    if (!propositionKeys.has(a.propositionKey)) throw new ImportFileError(d.file, ...at(a), `the argument "${a.key}" answers "${a.propositionKey}", which is not a proposition of this file.`);
    if (a.parentKey !== null && !byKey.has(a.parentKey)) throw new ImportFileError(d.file, ...at(a), `the argument "${a.key}" answers "${a.parentKey}", which is not an argument of this file.`);
    let bodyInput = a.body;
    if (bodyInput === undefined) {
      const text = a.text.trim() || (a.deleted ? "" : "(no text)");
      bodyInput = plainTextToArgumentBody(text.length > ARGUMENT_MAX_CHARS ? text.slice(0, ARGUMENT_MAX_CHARS) : text);
      if (text.length > ARGUMENT_MAX_CHARS) warnings.push(importWarning(d.file, a.line || null, "importWarning.model.cut", { max: ARGUMENT_MAX_CHARS }));
    }
    const body = parseArgumentBody(bodyInput);
    let result: { body: ArgumentBody; plainText: string };
    if (body.ok) result = body;
    else if (a.deleted) result = { body: plainTextToArgumentBody(""), plainText: "" };
    else throw new ImportFileError(d.file, ...at(a), `${body.message}${body.path ? ` (at ${body.path})` : ""} (an argument's text was expected)`);
    const sources: CheckedArgument["sources"] = [];
    for (const s of a.sources.slice(0, LIMITS.sourcesPerArgumentMax)) {
      const parsed = sourceInputSchema.safeParse({ url: s.url, title: s.title || s.url, quote: s.quote ?? undefined });
      if (parsed.success) sources.push({ url: parsed.data.url, title: sourceTitleOrHost(parsed.data), quote: parsed.data.quote ?? null });
      else warnings.push(importWarning(d.file, a.line || null, "importWarning.model.sourceLeftOut", { reason: parsed.error.issues[0].message }));
    }
    if (a.sources.length > LIMITS.sourcesPerArgumentMax) warnings.push(importWarning(d.file, a.line || null, "importWarning.model.sourcesKept", { max: LIMITS.sourcesPerArgumentMax }));
    checked.set(a.key, { ...a, body: result.body, bodyText: result.plainText, sources });
  }
  // Parents first (depth-first from the top-level arguments, in file order); a cycle cannot be reached from the top and is an error.
  const children = new Map<string | null, CheckedArgument[]>();
  for (const a of checked.values()) children.set(a.parentKey, [...(children.get(a.parentKey) ?? []), a]);
  const ordered: CheckedArgument[] = [];
  const stack = [...(children.get(null) ?? [])].reverse();
  while (stack.length) {
    const a = stack.pop()!;
    ordered.push(a);
    const parent = a;
    for (const child of [...(children.get(a.key) ?? [])].reverse()) {
      if (child.propositionKey !== parent.propositionKey) throw new ImportFileError(d.file, ...at(child), `the argument "${child.key}" answers an argument on another proposition.`);
      stack.push(child);
    }
  }
  if (ordered.length !== checked.size) {
    const lost = [...checked.values()].find((a) => !ordered.includes(a))!;
    throw new ImportFileError(d.file, ...at(lost), `the argument "${lost.key}" is part of a cycle of replies; every thread must start at a proposition.`);
  }
  return { ...d, propositions, arguments: ordered, warnings };
}
