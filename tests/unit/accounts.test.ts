import { describe, expect, it } from "vitest";
import { emailSchema, isApiToken, PASSWORD_MAX_CHARS, passwordShapeProblem, safeNextPath } from "../../app/shared/accounts";
import { passwordProblem } from "../../server/services/passwords";

describe("safeNextPath", () => {
  it("keeps paths on this site", () => {
    expect(safeNextPath("/debates/new")).toBe("/debates/new");
    expect(safeNextPath("/debates/1/edit?x=1#y")).toBe("/debates/1/edit?x=1#y");
  });
  it.each(["//evil.example", "/\\evil.example", "https://evil.example", "javascript:alert(1)", "evil", "", "/a\nb", null, 42])("falls back for %j", (next) => {
    expect(safeNextPath(next, "/account")).toBe("/account");
  });
});

describe("passwordProblem (NIST SP 800-63B: length, common and breached passwords, context words)", () => {
  const owner = { email: "ada.lovelace@example.org", displayName: "Ada Lovelace" };
  it.each(["correct horse battery", "kangaroo lamp sofa", "Tr0ub4dor&3", "vK8#qz!L"])("accepts %j: any characters, no composition rules, 8 are enough when unguessable", (password) => {
    expect(passwordProblem(password, owner)).toBeNull();
  });
  it("allows 64 characters and more (up to 200)", () => {
    const long = "the quiet orchard keeps its apples for the winter market in town, ok";
    expect(long.length).toBeGreaterThanOrEqual(64);
    expect(passwordProblem(long, owner)).toBeNull();
    expect(passwordProblem(`${long} `.repeat(3).slice(0, PASSWORD_MAX_CHARS), owner)).toBeNull();
  });
  // The examples: 10–12 characters, mixed classes, and all among the first an attacker tries.
  it.each(["Password1!", "P@ssw0rd123", "1q2w3e4r5t6y", "qwertyuiop1", "iloveyou!!", "Summer2024!", "letmein123", "monkey12345"])("refuses the common password %j with a reason", (password) => {
    expect(passwordProblem(password, owner)).toMatch(/^That password is too easy to guess\. .+\. .+/);
  });
  it.each([
    ["steelman2024", "the service's name"],
    ["debate2024!", "the service's vocabulary"],
    ["lovelace1815", "the owner's name"],
    ["ada.lovelace", "the owner's email"],
  ])("refuses %j, built on %s", (password) => {
    expect(passwordProblem(password, owner)).not.toBeNull();
  });
  it.each([
    ["short", /at least 8/],
    ["x".repeat(201), /at most 200/],
    ["ADA.LOVELACE@EXAMPLE.ORG", /email/],
    ["aaaaaaaaaaaa", /too easy to guess/],
  ])("refuses %j", (password, message) => {
    expect(passwordProblem(password, owner)).toMatch(message);
  });
  it("the shape check the browser and schemas share knows length and email only", () => {
    expect(passwordShapeProblem("Password1!", "ada@example.org")).toBeNull();
    expect(passwordShapeProblem("seven77", "ada@example.org")).toMatch(/at least 8/);
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
