/**
 * Server error messages in every language (app/i18n/errors.server.ts): every English sentence the
 * server's code writes into an error (service throws, zod schema messages, refusals) has its
 * `errors.*` catalogue message, found by its text; the English reply stays exactly as it was; zod's
 * own messages (no sentence of the schema's) come out in zod's translation.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { localizedErrorBody, localizedMessage, messageOfSentence } from "../../app/i18n/errors.server";
import { en } from "../../app/i18n/messages/en";
import { LANGUAGES } from "../../app/i18n/locales";
import { AppError, conflict, ErrorCode, forbidden, notFound, validationError } from "../../app/shared/errors";
import { castVoteSchema, createDebateSchema } from "../../app/shared/contract";
import { Action, decideRefusal } from "../../app/shared/permissions";
import { z } from "../../app/shared/zod";
import { parseInput } from "../../server/services/validate";
import { authorize } from "../../server/services/access";
import { phaseFactsOf } from "../../server/services/phase-state";

const root = join(__dirname, "../..");
const filesIn = (dir: string) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(dir, f));

/** The sentence a string literal of the code becomes, with every `${…}` given a sample value. */
const sample = (literal: string) => literal.replace(/\$\{[^{}]*(\{[^{}]*\}[^{}]*)*\}/g, "1").replace(/\\"/g, '"');

/** String literals (plain or template without nested templates) that the code turns into error messages. */
function errorSentences(): { file: string; sentence: string }[] {
  const found: { file: string; sentence: string }[] = [];
  const literal = String.raw`("(?:[^"\\]|\\.)*"|\x60[^\x60]*\x60)`;
  const patterns = [
    new RegExp(String.raw`\b(?:forbidden|conflict|validationError|unauthenticated)\(\s*` + literal, "g"),
    new RegExp(String.raw`new AppError\(ErrorCode\.\w+,\s*` + literal, "g"),
    new RegExp(String.raw`\b(?:message|error|refused):\s*` + literal, "g"),
    new RegExp(String.raw`\bconst [A-Z_]*(?:MESSAGE|TAKEN|CREDENTIALS|REQUIRED|DEAD)[A-Z_]* = ` + literal, "g"),
    new RegExp(String.raw`\breturn ` + literal + String.raw`;\s*\n`, "g"),
  ];
  const files = [...filesIn("server/services"), ...filesIn("server/http"), ...filesIn("server/realtime"), ...filesIn("app/shared")];
  for (const file of files) {
    const text = readFileSync(join(root, file), "utf8");
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) {
        const raw = match[1]!.slice(1, -1);
        if (pattern.source.startsWith(String.raw`\breturn`) && !/^[A-Z“"].*[.)]$/.test(raw)) continue;
        if (!/[a-z]{3}/.test(raw) || /^[a-z]+:[a-z]/.test(raw)) continue; // event names, ids
        found.push({ file, sentence: sample(raw) });
      }
    }
    for (const match of text.matchAll(/\bnotFound\("([^"]+)"\)/g)) found.push({ file, sentence: notFound(match[1]!).message });
  }
  return found;
}

/** Sentences whose literal the sampler cannot make concrete (a plural noun, a nested template): their real forms. */
const CONCRETE: [RegExp, string[]][] = [
  [/^1s must be a list of ids\.$/, ["Propositions must be a list of ids.", "Arguments must be a list of ids."]],
  [/^At most 1 1s\.$/, ["At most 20 propositions.", "At most 10 arguments."]],
  [/^Choose at least 1 1\.$/, ["Choose at least 1 proposition."]],
  [/^1 was not found\./, []], // notFound's own template: its callers are checked one by one
  [/^“1” has already started1\.$/, ["“Arguments” has already started.", "“Arguments” has already started: it is paused, press resume."]],
  [/^Only bold and italic text formatting is allowed\$/, ["Only bold and italic text formatting is allowed.", "Only bold and italic text formatting is allowed (found underline, code)."]],
  [/^1 has been moved meanwhile/, ["Ada has been moved meanwhile: they are now in “Blue”. Nothing was changed; look again and retry.", "Ada has been moved meanwhile: they are now in no team. Nothing was changed; look again and retry."]],
  [/^1 is 1: only debaters/, ["Ada is an observer: only debaters work in teams. Nothing was changed.", "Ada is a facilitator: only debaters work in teams. Nothing was changed."]],
  [/^Unexpected \$/, ["Unexpected property 'color' on a 'text' node.", "Unexpected properties 'a', 'b' on a 'paragraph' node."]],
];

describe("server error sentences have catalogue messages", () => {
  const sentences = errorSentences().flatMap((s) => {
    const concrete = CONCRETE.find(([pattern]) => pattern.test(s.sentence));
    return concrete ? concrete[1].map((sentence) => ({ file: s.file, sentence })) : [s];
  });

  it("finds the error sentences of the code", () => {
    expect(sentences.length).toBeGreaterThan(200);
  });

  // Not error messages, or messages translated by their key (withMessageKey) rather than their text.
  const notMessages = new Set(["debate:error", "ok"]);
  it.each(sentences.filter((s) => !notMessages.has(s.sentence)).map((s) => [s.file, s.sentence]))("%s: %s", (_file, sentence) => {
    const keyed = (Object.values(en) as string[]).includes(sentence);
    expect(keyed || messageOfSentence(sentence) !== null, `no errors.* message matches ${JSON.stringify(sentence)}`).toBe(true);
  });
});

describe("message keys named by the server", () => {
  it("exist in the English catalogue (and so, by the catalogue test, in every language)", () => {
    const files = [...filesIn("server/services"), ...filesIn("server/http"), ...filesIn("server/realtime"), ...filesIn("app/shared"), ...filesIn("app/utils"), ...filesIn("app/i18n")];
    const keys = files.flatMap((file) => [...readFileSync(join(root, file), "utf8").matchAll(/\b(?:withMessageKey|serverMessage)\("([\w.]+)"/g)].map((m) => m[1]!));
    expect(keys.length).toBeGreaterThan(10);
    for (const key of keys) expect(en, key).toHaveProperty([key]);
  });
});

describe("localized error replies", () => {
  it("keeps every English reply exactly as the code wrote it", () => {
    for (const error of [notFound("This debate"), conflict("The phase changed meanwhile: nothing was changed. Look at it again before acting."), validationError("Something nobody catalogued.", "x")]) {
      expect(localizedErrorBody(error, "en")).toEqual(error.toBody());
    }
  });

  it("translates a service's sentence by its text, keeping code and field", () => {
    const error = validationError("Choose a place inside the proposition to split it in two.", "at");
    expect(localizedErrorBody(error, "de")).toEqual({ code: ErrorCode.validation, field: "at", message: "Wählen Sie eine Stelle innerhalb der Aussage, um sie in zwei zu teilen." });
    expect(localizedMessage(notFound("This debate"), "fr")).toBe("Ce débat est introuvable. Vérifiez le lien, ou demandez-en un nouveau à l’animateur.");
  });

  it("translates values: numbers in the language's format, catalogue phrases and phase names", () => {
    expect(localizedMessage(validationError("The title must be at most 1,000 characters."), "de")).toBe("Der Titel: höchstens 1.000 Zeichen.");
    expect(localizedMessage(conflict("“Arguments” is already paused."), "es")).toMatch(/^«Argumentos» ya está en pausa\.$/);
    expect(localizedMessage(forbidden("Something nobody catalogued."), "de")).toBe("Something nobody catalogued.");
  });

  it("translates a schema's own sentence and zod's default messages", () => {
    const custom = catchError(() => parseInput(castVoteSchema, { propositionId: "nope", value: "agree" }));
    expect(custom.message).toBe("propositionId must be a valid id.");
    expect(localizedMessage(custom, "de")).toBe("propositionId muss eine gültige ID sein.");
    const zodDefault = catchError(() => parseInput(z.object({ n: z.number().max(3) }), { n: 5 }));
    expect(localizedMessage(zodDefault, "en")).toBe(zodDefault.message);
    expect(localizedMessage(zodDefault, "fr")).toBe(z.locales.fr().localeError({ ...(zodDefault.validationIssue as object), input: 5 } as never));
    const wrongType = catchError(() => parseInput(z.object({ n: z.number() }), { n: "x" }));
    expect(localizedMessage(wrongType, "de")).toBe("Ungültige Eingabe: erwartet Zahl, erhalten string");
    const missing = catchError(() => parseInput(createDebateSchema, {}));
    expect(localizedMessage(missing, "es")).not.toBe(missing.message);
  });

  it("translates refusals with their phase and action names", () => {
    const phase = phaseFactsOf({ format: "classroom", phaseIndex: 3, resultsShownAt: null });
    const refusal = decideRefusal({ id: "p", role: "debater", muted: false }, Action.postArgument, { status: "published", phase, topLevel: true });
    expect(refusal).not.toBeNull();
    const error = catchError(() => authorize({ id: "p", role: "debater", muted: false }, Action.postArgument, { status: "published", phase, topLevel: true }));
    expect(localizedMessage(error, "en")).toBe(refusal!.text);
    for (const locale of LANGUAGES.filter((l) => l !== "en")) expect(localizedMessage(error, locale)).not.toBe(refusal!.text);
  });
});

function catchError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("did not throw");
}
