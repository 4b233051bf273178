/**
 * useFormat (app/i18n/react.tsx) keeps its Intl formatters, one per kind, locale and options
 * (bench/scroll.ts: making one per number and date was the debate page's largest script cost while
 * scrolling). What it formats must not depend on what it formatted before: each locale and set of
 * options gets its own formatter.
 */
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { messagesFor } from "../../app/i18n/catalogues.server";
import { I18nProvider, useFormat } from "../../app/i18n/react";
import type { Locale } from "../../app/i18n/locales";

function Formatted() {
  const f = useFormat();
  const when = Date.UTC(2026, 11, 7, 12, 0);
  return <>{[f.number(1234.5), f.number(0.25, { style: "percent" }), f.number(1234.5), f.date(when, { timeZone: "UTC", month: "long" }), f.date(when, { timeZone: "UTC", year: "numeric" }), f.list(["a", "b", "c"])].join(" | ")}</>;
}

const render = (locale: Locale) =>
  renderToString(
    <I18nProvider locale={locale} messages={messagesFor(locale)}>
      <Formatted />
    </I18nProvider>,
  );

describe("useFormat", () => {
  it("formats by locale and options, the same after its formatters are kept", () => {
    expect(render("en")).toBe("1,234.5 | 25% | 1,234.5 | December | 2026 | a, b, and c");
    expect(render("de")).toBe("1.234,5 | 25\u00a0% | 1.234,5 | Dezember | 2026 | a, b und c");
    expect(render("en")).toBe("1,234.5 | 25% | 1,234.5 | December | 2026 | a, b, and c");
  });
});
