/**
 * The pill's words (app/components/debate/NewArguments.tsx): new arguments, edited arguments, or both.
 */
import { describe, expect, it } from "vitest";
import { newArgumentsText } from "../../app/components/debate/NewArguments";
import { translate } from "../../app/i18n/catalogues.server";
import type { Translate } from "../../app/i18n/react";

/** The English catalogue, as the page's `useT()` gives it. */
const t: Translate = (id, values) => translate("en", id, values);

describe("newArgumentsText", () => {
  it("counts new arguments with the right plural", () => {
    expect(newArgumentsText(1, 0, t)).toBe("1 new argument");
    expect(newArgumentsText(3, 0, t)).toBe("3 new arguments");
  });
  it("names edits alone", () => {
    expect(newArgumentsText(0, 1, t)).toBe("1 edited argument");
    expect(newArgumentsText(0, 2, t)).toBe("2 edited arguments");
  });
  it("puts new arguments first when both wait", () => {
    expect(newArgumentsText(2, 1, t)).toBe("2 new arguments, 1 edited");
  });
});
