import { describe, expect, it } from "vitest";
import { emailSchema, isApiToken, passwordProblem, safeNextPath } from "../../app/shared/accounts";

describe("safeNextPath", () => {
  it("keeps paths on this site", () => {
    expect(safeNextPath("/debates/new")).toBe("/debates/new");
    expect(safeNextPath("/debates/1/edit?x=1#y")).toBe("/debates/1/edit?x=1#y");
  });
  it.each(["//evil.example", "/\\evil.example", "https://evil.example", "javascript:alert(1)", "evil", "", "/a\nb", null, 42])("falls back for %j", (next) => {
    expect(safeNextPath(next, "/account")).toBe("/account");
  });
});

describe("passwordProblem", () => {
  it("accepts a long unrelated passphrase", () => {
    expect(passwordProblem("correct horse battery", "ada@example.org")).toBeNull();
  });
  it.each([
    ["short", /at least 10/],
    ["x".repeat(201), /at most 200/],
    ["ada@example.org", /email/],
    ["ADA@EXAMPLE.ORG", /email/],
    ["aaaaaaaaaaaa", /repeated/],
    ["Password123", /most common/],
  ])("refuses %j", (password, message) => {
    expect(passwordProblem(password, "ada@example.org")).toMatch(message);
  });
});

describe("emailSchema and token prefixes", () => {
  it("trims and lower-cases emails, refuses what is not one", () => {
    expect(emailSchema.parse("  Ada@Example.ORG ")).toBe("ada@example.org");
    expect(emailSchema.safeParse("ada").success).toBe(false);
    expect(emailSchema.safeParse(`${"a".repeat(250)}@example.org`).success).toBe(false);
  });
  it("tells API tokens from participant tokens", () => {
    expect(isApiToken("smk_abc")).toBe(true);
    expect(isApiToken("abcdefghijklmnopqrstuvwxyz0123456789-_ABCDE")).toBe(false);
  });
});
