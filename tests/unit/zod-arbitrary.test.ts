/**
 * The fuzzer's schema-derived generators (tests/support/zod-arbitrary.ts) must really follow the
 * schemas: valid() payloads of every operation and read in the operations table pass their own
 * schema at least half the time (else the fuzzing of issue 9 would never get past validation into the services), and
 * nearValid() yields both accepted and refused payloads, with the refused ones wrong in a way
 * the schema notices.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OPERATIONS, READS } from "../../app/shared/operations";
import { z } from "../../app/shared/zod";
import { nearValid, valid } from "../support/zod-arbitrary";

const inputs = new Map<string, z.ZodType>([...Object.entries(OPERATIONS), ...Object.entries(READS)].map(([name, spec]) => [name, spec.input as z.ZodType]));
const names = [...inputs.keys()];

describe("schema-derived fuzz payloads", () => {
  it.each(names)("valid() payloads of %s pass its schema at least half the time (refinements across fields are not modelled)", (name) => {
    const spec = { input: inputs.get(name)! };
    const samples = fc.sample(valid(spec.input), { numRuns: 300, seed: 42 });
    const accepted = samples.filter((s) => spec.input.safeParse(s).success).length;
    expect(accepted / samples.length).toBeGreaterThanOrEqual(0.5);
  });

  it.each(names)("nearValid() payloads of %s are a mix of accepted and refused payloads", (name) => {
    const spec = { input: inputs.get(name)! };
    const samples = fc.sample(nearValid(spec.input), { numRuns: 400, seed: 7 });
    const accepted = samples.filter((s) => spec.input.safeParse(s).success).length;
    expect(accepted).toBeGreaterThan(samples.length * 0.2);
    expect(samples.length - accepted).toBeGreaterThan(samples.length * 0.05);
  });

  it("follows bounds, enums, formats and optional fields of a schema", () => {
    const schema = z.object({
      id: z.uuid(),
      kind: z.enum(["pro", "con"]),
      count: z.number().int().min(1).max(5),
      note: z.string().max(3).optional(),
      tags: z.array(z.string().min(1).max(4)).max(2),
    });
    for (const sample of fc.sample(valid(schema, { ids: { id: ["00000000-0000-4000-8000-000000000001"] } }), { numRuns: 200, seed: 1 })) {
      expect(schema.safeParse(sample).success).toBe(true);
    }
    const refused = fc.sample(nearValid(schema), { numRuns: 400, seed: 3 }).filter((s) => !schema.safeParse(s).success);
    const problems = new Set(refused.flatMap((s) => schema.safeParse(s).error!.issues.map((i) => String(i.path[0] ?? "(root)"))));
    // Every field is broken in some sample.
    expect([...problems].sort()).toEqual(expect.arrayContaining(["count", "id", "kind", "tags"]));
  });

  it("adds dangerous keys as own properties, as JSON.parse delivers them", () => {
    const schema = z.object({ a: z.string() });
    const samples = fc.sample(nearValid(schema), { numRuns: 300, seed: 11 }) as Record<string, unknown>[];
    expect(samples.some((s) => s !== null && typeof s === "object" && Object.prototype.hasOwnProperty.call(s, "__proto__"))).toBe(true);
  });
});
