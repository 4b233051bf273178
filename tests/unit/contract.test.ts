/** Payload validation of the wire contract (app/shared/contract.ts). */
import { describe, expect, it } from "vitest";
import { castVoteSchema, createDebateSchema, describeZodError, displayNameSchema, handshakeAuthSchema, postArgumentSchema, sourceInputSchema, sourceTitleOrHost } from "../../app/shared/contract";

const id = "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f";
const problem = (schema: { safeParse(v: unknown): { success: boolean; error?: unknown } }, value: unknown) => {
  const r = schema.safeParse(value);
  expect(r.success).toBe(false);
  return describeZodError(r.error as never);
};

describe("createDebateSchema", () => {
  it("accepts an article and trims the title", () => {
    const r = createDebateSchema.parse({ sourceText: "A claim is made here.", title: "  The  title ", publish: true });
    expect(r.title).toBe("The title");
  });
  it("names the field and explains empty, binary and oversized articles", () => {
    expect(problem(createDebateSchema, {})).toEqual({ field: "sourceText", message: "The article text is required." });
    expect(problem(createDebateSchema, { sourceText: " \n " }).message).toMatch(/empty/);
    expect(problem(createDebateSchema, { sourceText: "PK\u0003\u0004\u0000\u0000binary" }).message).toMatch(/binary/);
    expect(problem(createDebateSchema, { sourceText: "a".repeat(500_001) }).message).toMatch(/too long/);
  });
  it("rejects unsafe source URLs", () => {
    for (const url of ["javascript:alert(1)", " JAVASCRIPT:alert(1)", "data:text/html,<script>", "//evil.example", "ftp://x.org/file"]) {
      expect(problem(createDebateSchema, { sourceText: "A claim.", sourceUrl: url }).field).toBe("sourceUrl");
    }
  });
});

describe("socket payloads", () => {
  it("accepts a well-formed argument and defaults sources to none", () => {
    const r = postArgumentSchema.parse({ propositionId: id, stance: "pro", body: {} });
    expect(r.sources).toEqual([]);
  });
  it("rejects bad ids, stances, too many sources and bad source fields", () => {
    expect(problem(postArgumentSchema, { propositionId: "1", stance: "pro", body: {} }).field).toBe("propositionId");
    expect(problem(postArgumentSchema, { propositionId: id, stance: "neutral", body: {} }).message).toMatch(/pro.*con/);
    const source = { url: "https://example.org", title: "T" };
    expect(problem(postArgumentSchema, { propositionId: id, stance: "pro", body: {}, sources: Array(6).fill(source) }).message).toMatch(/at most 5 sources/);
  });
  it("takes a source without a title and names it after the URL's host", () => {
    for (const title of [undefined, "", "   "]) {
      const parsed = sourceInputSchema.parse({ url: "https://www.example.org/a?b=1", title });
      expect(parsed.title).toBeUndefined();
      expect(sourceTitleOrHost(parsed)).toBe("example.org");
    }
    expect(sourceTitleOrHost(sourceInputSchema.parse({ url: "https://example.org", title: "  A  report " }))).toBe("A report");
    expect(problem(sourceInputSchema, { url: "", title: "A report" }).field).toBe("url");
    expect(problem(sourceInputSchema, { url: "https://example.org", title: "x".repeat(1000) }).message).toMatch(/at most/);
  });
  it("accepts a vote value or null and nothing else", () => {
    expect(castVoteSchema.parse({ propositionId: id, value: null }).value).toBeNull();
    expect(problem(castVoteSchema, { propositionId: id, value: "yes" }).message).toMatch(/agree/);
    expect(problem(castVoteSchema, { propositionId: id }).field).toBe("value");
  });
  it("requires a debate id at handshake", () => {
    expect(handshakeAuthSchema.safeParse({}).success).toBe(false);
    expect(handshakeAuthSchema.safeParse({ debateId: id }).success).toBe(true);
  });
  it("folds whitespace in display names and rejects control characters", () => {
    expect(displayNameSchema.parse("  Ada \t Lovelace ")).toBe("Ada Lovelace");
    expect(displayNameSchema.safeParse("a".repeat(41)).success).toBe(false);
    expect(displayNameSchema.safeParse("\u202eevil").success).toBe(false);
    expect(displayNameSchema.safeParse("\u200b").success).toBe(false);
    expect(displayNameSchema.parse("Zoë 🦊")).toBe("Zoë 🦊");
  });
});
