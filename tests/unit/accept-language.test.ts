/**
 * Accept-Language headers that are malformed (app/i18n/locales.ts languageFromAcceptLanguage): the
 * best supported language of the parts that can be read is still chosen, a range with an unreadable
 * q-value counts after the well-formed ones, and nothing a client sends makes it throw.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chooseLocale, languageFromAcceptLanguage, LANGUAGES } from "../../app/i18n/locales";

describe("a malformed Accept-Language header", () => {
  it("still gives a usable language it names", () => {
    expect(languageFromAcceptLanguage("de-DE;q=abc,,,;;")).toBe("de");
    expect(languageFromAcceptLanguage("de;q=")).toBe("de");
    expect(languageFromAcceptLanguage(";;;,,,fr")).toBe("fr");
    expect(languageFromAcceptLanguage("\u00ff\u00fe\u0000garbage, es;q=0.3")).toBe("es");
    expect(languageFromAcceptLanguage("de_DE")).toBe("de");
    expect(languageFromAcceptLanguage("  FR-ca ; Q=0.7 ,ja")).toBe("fr");
    expect(languageFromAcceptLanguage("q=0.9, de;q=0.2")).toBe("de");
  });

  it("ranks a range with an unreadable or out-of-range q-value after the well-formed ones", () => {
    expect(languageFromAcceptLanguage("de;q=abc, fr;q=0.1")).toBe("fr");
    expect(languageFromAcceptLanguage("es;q=2, de;q=0.5")).toBe("de");
    expect(languageFromAcceptLanguage("es;q=2, ja")).toBe("es");
    expect(languageFromAcceptLanguage("fr;q=-1, ja")).toBe("fr");
    expect(languageFromAcceptLanguage("fr;q=0, de;q=oops")).toBe("de");
  });

  it("gives nothing (English, by chooseLocale) when no part names a supported language", () => {
    expect(languageFromAcceptLanguage("*;q=0.5")).toBeNull();
    expect(languageFromAcceptLanguage(",,,;;;")).toBeNull();
    expect(languageFromAcceptLanguage("ja;q=abc, *")).toBeNull();
    expect(languageFromAcceptLanguage("\u0000\u0001\u00ff")).toBeNull();
    expect(chooseLocale({ acceptLanguage: "*;q=0.5" })).toBe("en");
    expect(chooseLocale({ acceptLanguage: "de-DE;q=abc,,,;;" })).toBe("de");
  });

  it("keeps the well-formed cases as they were", () => {
    expect(languageFromAcceptLanguage("de-CH,de;q=0.9,en;q=0.8")).toBe("de");
    expect(languageFromAcceptLanguage("ja, es;q=0.5, fr;q=0.7")).toBe("fr");
    expect(languageFromAcceptLanguage("fr;q=0, es")).toBe("es");
    expect(languageFromAcceptLanguage("en;q=0.001, de;q=0.0001")).toBe("en");
  });

  it("never throws, whatever the header holds", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.array(fc.constantFrom("de", "fr", "es", "*", ";", ",", "q=", "0.5", "abc", "-", "_", " ", "=")).map((parts) => parts.join(""))), (header) => {
        const language = languageFromAcceptLanguage(header);
        expect(language === null || (LANGUAGES as readonly string[]).includes(language)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
    expect(languageFromAcceptLanguage(undefined)).toBeNull();
    expect(languageFromAcceptLanguage(["de"] as unknown as string)).toBeNull();
  });
});
