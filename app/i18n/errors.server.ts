/**
 * Error replies in the request's language: the `code` stays the stable
 * machine-readable one (app/shared/errors.ts), the `message` is translated.
 *
 * How an error finds its catalogue message (docs/i18n.md "Server errors"):
 * 1. its own key (AppError.withMessageKey), e.g. the refusals of app/shared/permissions.ts;
 * 2. else its English sentence: every `errors.*` message of the English catalogue is also a
 *    pattern (its `{placeholders}` match any text), so a service's or a zod schema's sentence,
 *    written in English where it is thrown, is found by the text it has today. Matched values
 *    that are themselves catalogue phrases (`errors.what.*`, a phase's name) are translated too;
 * 3. else, for a zod issue without a sentence of its own, zod's translation of its default message;
 * 4. else the English sentence as it is (tests/unit/i18n-errors.test.ts checks that every
 *    sentence the server's code writes has its catalogue message).
 */
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import type { AppError, ErrorBody, ValidationIssue } from "../shared/errors";
import { PHASE_KEYS, PHASE_TEXT, type PhaseName } from "../shared/phases";
import { z } from "../shared/zod";
import { translate } from "./catalogues.server";
import type { MessageKey } from "./messages/en";
import { en } from "./messages/en";
import { currentRequestLocale } from "./request-locale.server";
import { DEFAULT_LANGUAGE, type Locale } from "./locales";

type Values = Record<string, string | number>;

/** An English error message as a pattern: the regex matches its sentences, `names` are its placeholders in order. */
interface Pattern {
  key: MessageKey;
  regex: RegExp;
  names: { name: string; numeric: boolean }[];
  /** Characters of fixed text: the more, the more specific the pattern (tried first). */
  literal: number;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The pattern of one message, or null when it has plurals, selects or tags (those are only reached by their key). */
function patternOf(key: MessageKey, elements: MessageFormatElement[]): Pattern | null {
  let source = "";
  let literal = 0;
  const names: Pattern["names"] = [];
  for (const element of elements) {
    if (element.type === TYPE.literal) {
      source += escape(element.value);
      literal += element.value.length;
    } else if (element.type === TYPE.argument) {
      source += "(.+?)";
      names.push({ name: element.value, numeric: false });
    } else if (element.type === TYPE.number) {
      source += "(-?[\\d,]+(?:\\.\\d+)?)";
      names.push({ name: element.value, numeric: true });
    } else return null;
  }
  return { key, regex: new RegExp(`^${source}$`, "s"), names, literal };
}

/** English sentence → key for the messages without placeholders; patterns for the others, most specific first. */
const exact = new Map<string, MessageKey>();
const patterns: Pattern[] = [];
/** English phrases used as values (`errors.what.*`, phase names) → their key. */
const phrases = new Map<string, MessageKey>();
for (const [key, text] of Object.entries(en) as [MessageKey, string][]) {
  if (key.startsWith("errors.what.")) {
    phrases.set(translate(DEFAULT_LANGUAGE, key), key);
    continue;
  }
  if (!key.startsWith("errors.")) continue;
  const elements = parse(text);
  if (elements.every((e) => e.type === TYPE.literal)) {
    const sentence = translate(DEFAULT_LANGUAGE, key);
    if (!exact.has(sentence)) exact.set(sentence, key);
    continue;
  }
  const pattern = patternOf(key, elements);
  if (pattern) patterns.push(pattern);
}
patterns.sort((a, b) => b.literal - a.literal);
for (const name of Object.keys(PHASE_TEXT) as PhaseName[]) phrases.set(PHASE_TEXT[name].label, PHASE_KEYS[name].label);

/** The catalogue message of an English error sentence and its values, or null. */
export function messageOfSentence(sentence: string): { key: MessageKey; values?: Values } | null {
  const key = exact.get(sentence);
  if (key) return { key };
  for (const pattern of patterns) {
    const match = pattern.regex.exec(sentence);
    if (!match) continue;
    const values: Values = {};
    pattern.names.forEach(({ name, numeric }, i) => {
      const raw = match[i + 1]!;
      values[name] = numeric ? Number(raw.replace(/,/g, "")) : raw;
    });
    return { key: pattern.key, values };
  }
  return null;
}

/** Values in `locale`: those that are catalogue phrases, translated; a refusal's phase and action, by their names. */
function localizedValues(locale: Locale, key: string, values: Values | undefined): Values | undefined {
  if (!values) return values;
  const out: Values = {};
  for (const [name, value] of Object.entries(values)) {
    const phrase = typeof value === "string" ? phrases.get(value) : undefined;
    out[name] = phrase ? translate(locale, phrase) : value;
  }
  if (key.startsWith("refusal.")) {
    const phase = typeof values.phase === "string" ? PHASE_KEYS[values.phase as PhaseName] : undefined;
    if (phase) Object.assign(out, { phase: translate(locale, phase.label), ask: translate(locale, phase.ask) });
    if (typeof values.action === "string") out.what = translate(locale, `permission.${values.action}` as MessageKey);
  }
  return out;
}

/** A sample value of the type zod's message names ("received number"): the finished issue no longer has the input. */
function sampleOf(type: string | undefined): unknown {
  const samples: Record<string, unknown> = { number: 0, nan: NaN, string: "", boolean: false, null: null, array: [], object: {}, bigint: 0n, date: new Date(0), function: () => {}, symbol: Symbol() };
  return type && type in samples ? samples[type] : undefined;
}

const zodLocales: Partial<Record<Locale, () => { localeError: z.core.$ZodErrorMap }>> = { en: z.locales.en, de: z.locales.de, fr: z.locales.fr, es: z.locales.es };

/** zod's own message for `issue` in `locale`, when `english` is zod's default English one (not a schema's sentence). */
function zodMessage(issue: ValidationIssue, english: string, locale: Locale): string | null {
  if (issue.code === "custom") return null;
  const received = issue.code === "invalid_type" ? /received (\w+)$/.exec(english)?.[1] : undefined;
  const raw = { ...issue, input: sampleOf(received) } as unknown as Parameters<z.core.$ZodErrorMap>[0];
  const format = (l: Locale) => {
    const result = zodLocales[l]?.().localeError(raw);
    return typeof result === "string" ? result : result?.message;
  };
  if (format("en") !== english) return null;
  return format(locale) ?? null;
}

/** An English error sentence of the server's (an AppError's message or one sent without an AppError) in `locale`, by its catalogue message; null without one. */
function sentenceIn(sentence: string, locale: Locale): string | null {
  const found = messageOfSentence(sentence);
  return found ? translate(locale, found.key, localizedValues(locale, found.key, found.values)) : null;
}

/** An English error sentence the server writes without an AppError (socket guards, body limits) in `locale` (default: the current request's). */
export function localizedSentence(sentence: string, locale: Locale = currentRequestLocale()): string {
  return locale === DEFAULT_LANGUAGE ? sentence : (sentenceIn(sentence, locale) ?? sentence);
}

/** The message of `error` in `locale` (see the module's comment for the order). */
export function localizedMessage(error: AppError, locale: Locale): string {
  const key = error.messageKey;
  if (key && key in en) return translate(locale, key as MessageKey, localizedValues(locale, key, error.messageValues));
  if (locale === DEFAULT_LANGUAGE) return error.message;
  const translated = sentenceIn(error.message, locale);
  if (translated !== null) return translated;
  if (error.validationIssue) return zodMessage(error.validationIssue, error.message, locale) ?? error.message;
  return error.message;
}

/** `error.toBody()` with its message in `locale` (default: the current request's). */
export function localizedErrorBody(error: AppError, locale: Locale = currentRequestLocale()): ErrorBody {
  return { ...error.toBody(), message: localizedMessage(error, locale) };
}

/** A fixed error sentence of the server's own (not from a service) in the current request's language. */
export function serverMessage(key: MessageKey, values?: Record<string, string | number>): string {
  return translate(currentRequestLocale(), key, values);
}
