/**
 * The lossless `json` export (issue 15): `{ "format": "steelman-debate",
 * "version": 1, … }`, described by the JSON Schema in ./schema.ts (served at
 * /api/schema/debate-v1.json). Written as a stream of JSON text pieces, one
 * page of rows at a time (server/services/exports.ts reads the pages).
 *
 * Top-level keys, in order: format, version, generatedAt, reader, debate
 * (article, thesis span, status), propositions (spans, tallies, meta, hidden),
 * participants (pseudonymous ids `p<n>`, names only when a facilitator asked),
 * arguments (parent links, stance, Lexical body and plain text, sources,
 * rating counts), votes, ratings, groups (opinion groups or null), decisions
 * (workshop decisions with their answers, cited arguments and outcome) and, for
 * facilitators only, audit.
 */
import type { DebateExportSource } from "./types";

export const STEELMAN_FORMAT = "steelman-debate";
export const STEELMAN_VERSION = 1;

/** Writes `items` pages as the elements of a JSON array. */
async function* array<T>(pages: AsyncIterable<T[]>): AsyncGenerator<string> {
  yield "[";
  let first = true;
  for await (const page of pages) {
    if (page.length === 0) continue;
    yield (first ? "\n" : ",\n") + page.map((item) => JSON.stringify(item)).join(",\n");
    first = false;
  }
  yield "\n]";
}

async function* once<T>(items: T[]): AsyncIterable<T[]> {
  yield items;
}

/** The whole debate as JSON text pieces (concatenated, one JSON document). */
export async function* writeJson(src: DebateExportSource): AsyncGenerator<string> {
  const head = { format: STEELMAN_FORMAT, version: STEELMAN_VERSION, generatedAt: src.generatedAt, reader: src.reader, debate: src.debate };
  const text = JSON.stringify(head);
  yield text.slice(0, -1);
  yield ',\n"propositions":';
  yield* array(once(src.propositions));
  yield ',\n"participants":';
  yield* array(src.participants());
  yield ',\n"arguments":';
  yield* array(src.arguments());
  yield ',\n"votes":';
  yield* array(src.votes());
  yield ',\n"ratings":';
  yield* array(src.ratings());
  yield `,\n"groups":${JSON.stringify(src.groups)}`;
  yield ',\n"decisions":';
  yield* array(once(src.decisions));
  yield ',\n"phases":';
  yield* array(once(src.phases));
  if (src.reader.facilitator) {
    yield ',\n"audit":';
    yield* array(src.audit());
  }
  yield "}\n";
}
