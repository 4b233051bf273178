/**
 * New passwords as NIST SP 800-63B (§3.1.1.2) and OWASP ASVS 5 (6.2.1–6.2.12)
 * ask: at least 8 characters, up to 200 (so at least 64), any characters, no
 * composition rules, and refused when they are common, breached, expected or
 * about the service or the person (docs/decisions/0034-passwords-and-credentials.md).
 *
 * The check is zxcvbn-ts (@zxcvbn-ts/core, offline): its dictionaries include
 * `passwords-common` (the most common passwords of public breach corpora),
 * `diceware-common`, English words, names and Wikipedia terms, and it finds
 * keyboard walks (qwertyuiop, 1q2w3e4r), sequences, repeats, dates and
 * l33t-speak spellings (P@ssw0rd) of any of them. A password is refused, with
 * the library's own reason, when its estimated guess count scores below 3 of 4
 * (fewer than 10^8 guesses) because of such a match; a password zxcvbn finds
 * nothing in (all "bruteforce": random characters) is accepted from 8
 * characters on, so the minimum length stays the 8 NIST asks for rather than
 * becoming a strength score in disguise. The context-specific
 * words (ASVS 6.1.2, 6.2.11) — the service's name and vocabulary, and the
 * account's email and display name — are added as user inputs, so
 * "steelman2024" or a password built on one's own name is refused too.
 *
 * Cost: only the first 64 characters are analysed (`maxLength`) and l33t
 * substitutions are capped at 4 (the l33t matcher is most of the time: the
 * 180 hostile test payloads took about 10 s in all with 4 and 18–30 s with 10, on
 * this machine under a load average of 7–15; P@ssw0rd-style spellings are
 * still found). Ordinary passwords take a few milliseconds. Every caller
 * takes a rate-limit point or proves a secret before calling it.
 */
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as zxcvbnCommon from "@zxcvbn-ts/language-common";
import * as zxcvbnEnglish from "@zxcvbn-ts/language-en";
import { passwordShapeProblem } from "../../app/shared/accounts";

/** zxcvbn score a new password must reach: 3 ("safely unguessable": ≥ 10^8 guesses) of 0–4. */
export const MIN_PASSWORD_SCORE = 3;

/**
 * Words about this service that make a password easy to guess here (ASVS 5 6.1.2,
 * the documented list; docs/security.md repeats it).
 */
export const CONTEXT_WORDS = ["steelman", "steel man", "steelmanning", "debate", "debates", "debater", "facilitator", "thesis", "proposition", "argument", "rebuttal", "classroom", "student", "teacher"];

let factory: ZxcvbnFactory | null = null;
/** Built on first use: loading the dictionaries takes ~150 ms and a few MB. */
function zxcvbn(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    translations: zxcvbnEnglish.translations,
    graphs: zxcvbnCommon.adjacencyGraphs,
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEnglish.dictionary },
    maxLength: 64,
    l33tMaxSubstitutions: 4,
  });
  return factory;
}

/** Who the password is for: their email and display name count as easy to guess. */
export interface PasswordOwner {
  email?: string;
  displayName?: string;
}

/** The parts of an email and a name a password might be built on ("ada.lovelace@example.org" → ada, lovelace, example). */
function ownerWords(owner: PasswordOwner): string[] {
  const words = new Set<string>();
  const add = (text: string | undefined) => {
    if (!text) return;
    const folded = text.trim().toLowerCase();
    if (folded.length >= 3) words.add(folded);
    for (const part of folded.split(/[^\p{L}\p{N}]+/u)) if (part.length >= 3) words.add(part);
  };
  add(owner.email);
  add(owner.email?.split("@")[0]);
  add(owner.displayName);
  return [...words];
}

/** A refused password: the English sentence, and for a guessable one zxcvbn's warning and suggestion ids (null: none given). */
export interface PasswordProblem {
  message: string;
  tooEasy?: { warning: string | null; suggestion: string | null };
}

/** zxcvbn's id of one of its English feedback sentences (`warnings` or `suggestions`), or null. */
function feedbackId(kind: "warnings" | "suggestions", sentence: string | null | undefined): string | null {
  if (!sentence) return null;
  return Object.entries(zxcvbnEnglish.translations[kind]).find(([, text]) => text === sentence)?.[0] ?? null;
}

/**
 * Why a new password is refused, or null: its length, the email address, or
 * (zxcvbn) a common, breached or predictable one, with the reason and a hint
 * (also as zxcvbn's ids, for the catalogue message `auth.error.passwordTooEasy`).
 * @param owner the account's email and display name, counted as easy to guess.
 */
export function describePasswordProblem(password: string, owner: PasswordOwner = {}): PasswordProblem | null {
  const shape = passwordShapeProblem(password, owner.email);
  if (shape) return { message: shape };
  const result = zxcvbn().check(password, [...CONTEXT_WORDS, ...ownerWords(owner)]);
  if (result.score >= MIN_PASSWORD_SCORE) return null;
  // Nothing known or predictable in it: random characters, weak only by length, which the minimum already governs.
  if (result.sequence.every((match) => match.pattern === "bruteforce")) return null;
  const reason = result.feedback.warning ?? "It would be among the first an attacker tries.";
  const hint = result.feedback.suggestions[0] ?? "A few unrelated words make a strong one.";
  return {
    message: `That password is too easy to guess. ${reason} ${hint}`,
    tooEasy: { warning: feedbackId("warnings", result.feedback.warning), suggestion: feedbackId("suggestions", result.feedback.suggestions[0]) },
  };
}

/** `describePasswordProblem`'s English sentence, or null. */
export function passwordProblem(password: string, owner: PasswordOwner = {}): string | null {
  return describePasswordProblem(password, owner)?.message ?? null;
}
