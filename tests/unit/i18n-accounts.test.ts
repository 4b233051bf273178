/**
 * The account pages' server sentences in the catalogues (issue 16): every English sentence the account
 * schemas and checks give that the server names with a catalogue message (ACCOUNT_MESSAGE_KEYS,
 * `auth.error.passwordTooEasy` with zxcvbn's feedback ids) reads exactly the same from the English
 * catalogue, so English replies do not change, and the other languages translate it.
 */
import { describe, expect, it } from "vitest";
import * as zxcvbnEnglish from "@zxcvbn-ts/language-en";
import { translate } from "../../app/i18n/catalogues.server";
import { apiTokenNameSchema, passwordChangeSchema, signUpSchema, updateAccountSchema } from "../../app/shared/accounts";
import { describeZodError, LIMITS } from "../../app/shared/contract";
import { ACCOUNT_MESSAGE_KEYS } from "../../server/services/accounts";
import { describePasswordProblem } from "../../server/services/passwords";

const firstMessage = (result: { success: boolean; error?: Parameters<typeof describeZodError>[0] }) => (result.error ? describeZodError(result.error).message : null);

describe("account messages in the catalogues", () => {
  it("each named sentence is the English catalogue's text, and translated in de, fr and es", () => {
    for (const [english, { key, values }] of ACCOUNT_MESSAGE_KEYS) {
      expect(translate("en", key, values)).toBe(english);
      for (const language of ["de", "fr", "es"] as const) expect(translate(language, key, values)).not.toBe(english);
    }
  });

  it("the schemas' sentences are the named ones", () => {
    const signUp = { email: "ada@example.org", password: "correct horse battery", displayName: "Ada" };
    const sentences = [
      firstMessage(signUpSchema.safeParse({ ...signUp, email: "" })),
      firstMessage(signUpSchema.safeParse({ ...signUp, email: "not an address" })),
      firstMessage(signUpSchema.safeParse({ ...signUp, email: `${"a".repeat(250)}@example.org` })),
      firstMessage(signUpSchema.safeParse({ ...signUp, password: "short" })),
      firstMessage(signUpSchema.safeParse({ ...signUp, password: "x".repeat(201) })),
      firstMessage(signUpSchema.safeParse({ ...signUp, password: "ada@example.org" })),
      firstMessage(signUpSchema.safeParse({ email: signUp.email, displayName: "Ada" })),
      firstMessage(passwordChangeSchema.safeParse({ currentPassword: "", newPassword: "x" })),
      firstMessage(updateAccountSchema.safeParse({ displayName: " " })),
      firstMessage(updateAccountSchema.safeParse({ displayName: "x".repeat(LIMITS.displayNameMaxChars + 1) })),
      firstMessage(updateAccountSchema.safeParse({ displayName: "\u200b\u200b\u200b" })),
      firstMessage(apiTokenNameSchema.safeParse({ name: "" })),
      firstMessage(apiTokenNameSchema.safeParse({ name: "x".repeat(61) })),
    ];
    const unnamed = sentences.filter((sentence) => !sentence || !ACCOUNT_MESSAGE_KEYS.has(sentence));
    expect(unnamed).toEqual([]);
  });

  it("a guessable password's sentence, with every zxcvbn warning and suggestion, is the English catalogue's", () => {
    const { warnings, suggestions } = zxcvbnEnglish.translations;
    for (const [warning, reason] of [...Object.entries(warnings), ["other", "It would be among the first an attacker tries."]]) {
      for (const [suggestion, hint] of [...Object.entries(suggestions), ["other", "A few unrelated words make a strong one."]]) {
        expect(translate("en", "auth.error.passwordTooEasy", { warning, suggestion })).toBe(`That password is too easy to guess. ${reason} ${hint}`);
      }
    }
    const problem = describePasswordProblem("Password1!", { email: "ada@example.org" });
    expect(problem?.tooEasy?.warning).toBeTruthy();
    expect(translate("de", "auth.error.passwordTooEasy", { warning: problem!.tooEasy!.warning!, suggestion: problem!.tooEasy!.suggestion ?? "other" })).toMatch(/^Dieses Passwort ist zu leicht zu erraten\. \S/);
  });

  it("the reset mail is in the asked language, with the link on a line of its own", () => {
    const link = "https://steelman.example/reset-password/abc";
    for (const language of ["en", "de", "fr", "es", "ar-XB"] as const) {
      const body = translate(language, "reset.mail.body", { name: "Ada", link });
      expect(body.split("\n")).toContain(link);
      expect(body).toContain("Ada");
    }
    expect(translate("de", "reset.mail.subject")).toBe("Ihr Steelman-Passwort zurücksetzen");
  });
});
