/**
 * The interface catalogues (app/i18n/messages): every id of the English catalogue is in every other
 * one and nothing more, each message parses as ICU MessageFormat, uses the same placeholders with the
 * same types, and has an `other` case in every plural; the pseudo-locale wraps every message.
 * Also the locale choice (app/i18n/locales.ts) and server error translation by message key.
 */
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { describe, expect, it } from "vitest";
import { messagesFor, translate } from "../../app/i18n/catalogues.server";
import { de } from "../../app/i18n/messages/de";
import { en } from "../../app/i18n/messages/en";
import { es } from "../../app/i18n/messages/es";
import { fr } from "../../app/i18n/messages/fr";
import { chooseLocale, languageFromAcceptLanguage, PSEUDO_LOCALE } from "../../app/i18n/locales";
import { formatMessage } from "../../app/i18n/format";
import { localizedErrorBody } from "../../app/i18n/errors.server";
import { ErrorCode, AppError, unauthenticated } from "../../app/shared/errors";
import { rateLimitMessageKey } from "../../server/services/rate-limits";

/** Each placeholder of a message with its kind ("argument", "number", "plural", …), sorted; plurals must have `other`. */
function placeholders(elements: MessageFormatElement[], out = new Set<string>()): Set<string> {
  for (const element of elements) {
    switch (element.type) {
      case TYPE.argument:
        out.add(`${element.value}:argument`);
        break;
      case TYPE.number:
        out.add(`${element.value}:number`);
        break;
      case TYPE.date:
      case TYPE.time:
        out.add(`${element.value}:date`);
        break;
      case TYPE.plural:
      case TYPE.select:
        out.add(`${element.value}:${element.type === TYPE.plural ? "plural" : "select"}`);
        if (!("other" in element.options)) throw new Error(`"${element.value}" has no "other" case`);
        for (const option of Object.values(element.options)) placeholders(option.value, out);
        break;
      case TYPE.tag:
        out.add(`<${element.value}>`);
        placeholders(element.children, out);
        break;
      default:
        break;
    }
  }
  return out;
}
const shape = (message: string) => [...placeholders(parse(message))].sort();

/** Messages that may be the same words as in English in some language (names, cognates such as "Propositions", "Live", "Pro", "Phase", French "Vote"). */
const SAME_EVERYWHERE = new Set(["meta.title", "home.heading", "editor.link", "composer.url", "error.status", "debate.moderationLink", "connection.live", "connection.offline", "argument.pro", "debate.propositions", "composer.source", "argument.sources", "phaseBanner.label", "phase.vote", "teams.heading", "teams.proposition", "teams.propositions", "format.workshop", "format.phaseMinutes", "visibility.public", "review.proposition", "import.format.argdown", "import.formatLabel", "moderationPage.action", "moderationPage.pageTitle", "moderationPage.heading", "settings.page.column.name", "settings.page.column.arguments", "settings.page.column.actions", "settings.page.rule.arguments", "settings.page.rule.votes", "settings.page.participants", "importWarning.inFile", "audit.visibility.public", "audit.change.fromTo", "audit.change.both", "debate.presenceSeparator"]);

describe("interface catalogues", () => {
  const translations = { de, fr, es } as Record<string, Record<string, string>>;
  for (const [language, catalogue] of Object.entries(translations)) {
    it(`${language} has exactly the English ids`, () => {
      expect(Object.keys(catalogue).sort()).toEqual(Object.keys(en).sort());
    });
    it(`${language} uses the same ICU placeholders as English in every message`, () => {
      const mismatches = Object.entries(en).flatMap(([id, english]) => {
        const translated = catalogue[id];
        if (translated === undefined) return [`${id}: missing`];
        const want = shape(english);
        const got = shape(translated);
        return JSON.stringify(want) === JSON.stringify(got) ? [] : [`${id}: ${JSON.stringify(got)} instead of ${JSON.stringify(want)}`];
      });
      expect(mismatches).toEqual([]);
    });
    it(`${language} is translated, not copied (only names, units and symbols may equal English)`, () => {
      const same = Object.keys(en).filter((id) => catalogue[id] === en[id as keyof typeof en] && !SAME_EVERYWHERE.has(id));
      expect(same).toEqual([]);
    });
  }

  it("English messages all parse and have an `other` case in every plural", () => {
    for (const message of Object.values(en)) expect(() => shape(message)).not.toThrow();
  });

  it("plural rules follow the language: one and other", () => {
    expect(translate("de", "argument.replies", { count: 1 })).toBe("1 Antwort");
    expect(translate("de", "argument.replies", { count: 3 })).toBe("3 Antworten");
    expect(translate("fr", "argument.replies", { count: 0 })).toBe("0 réponse"); // French: 0 is "one"
    expect(translate("en", "argument.replies", { count: 0 })).toBe("0 replies");
  });

  it("numbers are formatted by locale", () => {
    expect(translate("de", "composer.characters", { count: 1234, max: 10000 })).toBe("1.234 / 10.000 Zeichen");
    expect(translate("en", "composer.characters", { count: 1234, max: 10000 })).toBe("1,234 / 10,000 characters");
    expect(translate("fr", "composer.characters", { count: 1234, max: 10000 })).toMatch(/^1\s234 \/ 10\s000 caractères$/u);
  });

  it("the pseudo-locale wraps every message in ⟦ ⟧ and still formats it", () => {
    const pseudo = messagesFor(PSEUDO_LOCALE);
    expect(Object.keys(pseudo).sort()).toEqual(Object.keys(en).sort());
    expect(formatMessage(pseudo, PSEUDO_LOCALE, "argument.replies", { count: 2 })).toBe("⟦2 replies⟧");
  });
});

describe("choosing the locale", () => {
  it("reads Accept-Language by q-value, then order, by primary subtag", () => {
    expect(languageFromAcceptLanguage("de-CH,de;q=0.9,en;q=0.8")).toBe("de");
    expect(languageFromAcceptLanguage("ja, es;q=0.5, fr;q=0.7")).toBe("fr");
    expect(languageFromAcceptLanguage("ja, *;q=0.5")).toBeNull();
    expect(languageFromAcceptLanguage("fr;q=0, es")).toBe("es");
    expect(languageFromAcceptLanguage(undefined)).toBeNull();
  });
  it("prefers the cookie, then the debate's language, then the browser, then English", () => {
    expect(chooseLocale({ cookie: "fr", debateLanguage: "de", acceptLanguage: "es" })).toBe("fr");
    expect(chooseLocale({ cookie: "xx", debateLanguage: "de", acceptLanguage: "es" })).toBe("de");
    expect(chooseLocale({ cookie: null, debateLanguage: null, acceptLanguage: "es-MX" })).toBe("es");
    expect(chooseLocale({ acceptLanguage: "ja" })).toBe("en");
    expect(chooseLocale({ cookie: PSEUDO_LOCALE })).toBe(PSEUDO_LOCALE);
  });
});

describe("server error messages", () => {
  it("keep their code and translate the message by its key", () => {
    const body = localizedErrorBody(unauthenticated(), "de");
    expect(body).toEqual({ code: ErrorCode.unauthenticated, message: "Treten Sie der Debatte zuerst mit einem Anzeigenamen bei." });
    const english = localizedErrorBody(unauthenticated(), "en");
    expect(english.message).toBe(unauthenticated().message);
  });
  it("keep the English message when the error names no catalogue message", () => {
    expect(localizedErrorBody(new AppError(ErrorCode.conflict, "Some sentence."), "es").message).toBe("Some sentence.");
  });
  it("every rate-limit message key is in the catalogue, with its seconds", () => {
    const actions = ["argument", "vote", "join", "createDebate", "login", "loginAccount", "loginDevice", "signup", "passwordReset"] as const;
    for (const action of actions) {
      for (const key of [rateLimitMessageKey(action, "someone"), rateLimitMessageKey(action, "user:1")]) {
        expect(key in en, key).toBe(true);
        expect(translate("es", key as keyof typeof en, { seconds: 1 })).toMatch(/1 segundo\b/);
      }
    }
  });
});
