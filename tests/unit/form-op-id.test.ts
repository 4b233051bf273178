/** The debate page's form operation ids (app/shared/form-op-id.ts): valid UUIDs, the same for the same form and rendering, different otherwise. */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formOpId } from "../../app/shared/form-op-id";

describe("formOpId", () => {
  it("is a version 8 UUID the server's opId schema accepts", () => {
    const id = formOpId(randomUUID(), "vote:abc");
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(z.uuid().safeParse(id).success).toBe(true);
  });

  it("is the same for the same rendering and form (server HTML and hydrated page agree), and differs otherwise", () => {
    const key = randomUUID();
    expect(formOpId(key, "post:p1")).toBe(formOpId(key, "post:p1"));
    const ids = new Set<string>();
    const keys = Array.from({ length: 50 }, () => randomUUID());
    for (const k of keys) for (let i = 0; i < 200; i++) ids.add(formOpId(k, `rate:${i}`));
    expect(ids.size).toBe(50 * 200);
    // The key and the form name cannot be traded for each other across the separator.
    expect(formOpId("ab", "c")).not.toBe(formOpId("a", "bc"));
  });
});
