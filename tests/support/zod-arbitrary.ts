/**
 * fast-check arbitraries derived from zod schemas, for fuzzing every operation of the operations
 * table (app/shared/operations.ts) with payloads shaped like its own input (issue 9, "Hostile
 * traffic": generators follow the schemas, so a new operation or a new field is fuzzed without
 * anyone writing a generator for it).
 *
 * `nearValid(schema, hints)` walks the schema (zod 4's `def`: object, string with its format and
 * length checks, number with its bounds, enum, literal, array, optional/nullable/default, union,
 * pipe, unknown, …) and yields values that are valid most of the time and wrong in one place the
 * rest of the time: a field of the wrong type, a string just over its maximum, a number just
 * outside its bounds, a key missing, an unknown key added (`__proto__`, `constructor`, …).
 * Ids (`z.uuid()`) come from `hints.ids` when given (real ids of the debate under test), so the
 * valid payloads reach the service instead of stopping at "not found".
 */
import fc from "fast-check";
import type { z } from "../../app/shared/zod";

export interface ArbitraryHints {
  /** Real ids to use for uuid fields, by field name (e.g. { propositionId: […], argumentId: […] }); others get random uuids. */
  ids?: Record<string, string[]>;
}

/** Any wrong value: a scalar of another type, an object, an array, null. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.uuid(),
  fc.jsonValue({ maxDepth: 2 }),
);

const DANGEROUS_KEYS = ["__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty"] as const;

interface ZodDef {
  type: string;
  format?: string;
  checks?: { _zod: { def: { check: string; maximum?: number; minimum?: number; value?: number; inclusive?: boolean } } }[];
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
  out?: z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
  values?: unknown[];
  entries?: Record<string, unknown>;
}

const defOf = (schema: z.ZodType) => (schema as unknown as { def: ZodDef }).def;
const shapeOf = (schema: z.ZodType) => (schema as unknown as { shape: Record<string, z.ZodType> }).shape;

function lengthBounds(def: ZodDef): { min: number; max: number } {
  let min = 0;
  let max = 200;
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    if (c.check === "max_length" && c.maximum !== undefined) max = c.maximum;
    if (c.check === "min_length" && c.minimum !== undefined) min = c.minimum;
  }
  return { min, max: Math.max(min, max) };
}

function numberBounds(def: ZodDef): { min: number; max: number; int: boolean } {
  let min = -1e6;
  let max = 1e6;
  let int = false;
  for (const check of def.checks ?? []) {
    const c = check._zod.def as { check: string; value?: number; format?: string };
    if (c.check === "greater_than" && c.value !== undefined) min = c.value;
    if (c.check === "less_than" && c.value !== undefined) max = c.value;
    if (c.check === "number_format" && (c.format === "safeint" || c.format === "int32")) int = true;
  }
  return { min, max, int };
}

/** Values that satisfy `schema` (most of the time: refinements across fields are not modelled). */
export function valid(schema: z.ZodType, hints: ArbitraryHints = {}, field = ""): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  switch (def.type) {
    case "object": {
      const shape = shapeOf(schema);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(shape)) record[key] = valid(value, hints, key);
      return fc.record(record);
    }
    case "string": {
      if (def.format === "uuid" || def.format === "guid") {
        const known = hints.ids?.[field] ?? [];
        return known.length ? fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 4 }, { arbitrary: fc.uuid(), weight: 1 }) : fc.uuid();
      }
      // A field named like a link is a link, whatever refinement checks it (e.g. an http(s)-only custom check).
      if (def.format === "url" || /^url$|Url$/.test(field)) return fc.webUrl({ validSchemes: ["https", "http"], withQueryParameters: true });
      if (def.format === "email") return fc.emailAddress();
      const { min, max } = lengthBounds(def);
      return fc.string({ minLength: min, maxLength: Math.min(max, 400) });
    }
    case "number": {
      const { min, max, int } = numberBounds(def);
      return int ? fc.integer({ min: Math.ceil(Math.max(min, -(2 ** 31))), max: Math.floor(Math.min(max, 2 ** 31)) }) : fc.double({ min, max, noNaN: true });
    }
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "literal":
      return fc.constantFrom(...(def.values ?? [null]));
    case "enum":
      return fc.constantFrom(...Object.values(def.entries ?? {}));
    case "array": {
      const { min, max } = lengthBounds(def);
      return fc.array(valid(def.element!, hints, field), { minLength: min, maxLength: Math.min(max, 8) });
    }
    case "optional":
      return fc.option(valid(def.innerType!, hints, field), { nil: undefined, freq: 2 });
    case "nullable":
      return fc.option(valid(def.innerType!, hints, field), { nil: null });
    case "default":
    case "prefault":
    case "catch":
    case "readonly":
    case "nonoptional":
      return valid(def.innerType!, hints, field);
    case "union":
      return fc.oneof(...def.options!.map((option) => valid(option, hints, field)));
    case "intersection":
      // a.and(b), as `z.object({ opId }).and(z.discriminatedUnion(…))`: one value with the fields of both.
      return fc.tuple(valid(def.left!, hints, field), valid(def.right!, hints, field)).map(([left, right]) =>
        left !== null && typeof left === "object" && right !== null && typeof right === "object" ? { ...left, ...right } : right,
      );
    case "pipe":
      // z.preprocess(fn, schema) is a pipe from a transform into the schema: the schema says what is valid.
      return defOf(def.in!).type === "transform" ? valid(def.out!, hints, field) : valid(def.in!, hints, field);
    default:
      // unknown, any, custom, lazy, …: anything JSON can carry.
      return fc.jsonValue({ maxDepth: 3 });
  }
}

/** A value that breaks `schema` at its top level: another type, or just past a bound. */
function wrong(schema: z.ZodType): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const base = def.type === "optional" || def.type === "nullable" || def.type === "default" ? defOf(def.innerType!) : def;
  if (base.type === "string" && !base.format) {
    const { max } = lengthBounds(base);
    if (max < 100_000) return fc.oneof(junk, fc.constant("x".repeat(max + 1)));
  }
  if (base.type === "number") {
    const { min, max } = numberBounds(base);
    return fc.oneof(junk, fc.constantFrom(min - 1, max + 1, 0.5, Number.MAX_SAFE_INTEGER * 4));
  }
  return junk;
}

/**
 * Payloads for `schema`: valid ones (half), and for object schemas ones that are wrong in one
 * place: a field replaced by a wrong value, a required field dropped, a dangerous or unknown key
 * added. Non-object schemas get valid values or junk.
 */
export function nearValid(schema: z.ZodType, hints: ArbitraryHints = {}): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const object = def.type === "object" ? schema : def.type === "pipe" && defOf(def.in!).type === "object" ? def.in! : undefined;
  const good = valid(schema, hints);
  if (!object) return fc.oneof(good, junk);
  const keys = Object.keys(shapeOf(object));
  const withWrongField = fc
    .tuple(good, fc.constantFrom(...keys))
    .chain(([value, key]) => wrong(shapeOf(object)[key]!).map((bad) => ({ ...(value as object), [key]: bad })));
  const withoutField = fc.tuple(good, fc.constantFrom(...keys)).map(([value, key]) => {
    const copy = { ...(value as Record<string, unknown>) };
    delete copy[key];
    return copy;
  });
  const withDangerousKey = fc.tuple(good, fc.constantFrom(...DANGEROUS_KEYS), fc.jsonValue({ maxDepth: 2 })).map(([value, key, extra]) => {
    // JSON.parse makes `__proto__` an own key, as it arrives over the wire.
    const copy = JSON.parse(JSON.stringify(value ?? {})) as Record<string, unknown>;
    const head = `{${JSON.stringify(key)}:${JSON.stringify(extra ?? null)}${Object.keys(copy).length ? "," : ""}`;
    return JSON.parse(head + JSON.stringify(copy).slice(1)) as unknown;
  });
  return fc.oneof({ arbitrary: good, weight: 3 }, { arbitrary: withWrongField, weight: 2 }, { arbitrary: withoutField, weight: 1 }, { arbitrary: withDangerousKey, weight: 1 });
}
