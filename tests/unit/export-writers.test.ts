/**
 * The text export writers on the whole hostile-payload corpus (issue 15):
 * an in-memory debate whose propositions, arguments and sources are the
 * payloads; the Argdown file must parse with @argdown/core without errors
 * and keep every pro/con relation; the Markdown file must hold no raw HTML
 * and no link other than http(s); the Polis CSVs no cell a spreadsheet runs.
 */
import { ArgdownApplication, ModelPlugin, ParserPlugin } from "@argdown/core";
import { parse } from "csv-parse/sync";
import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { writeArgdown } from "../../server/domain/exports/argdown";
import { writeMarkdown } from "../../server/domain/exports/markdown";
import { writePolisZip } from "../../server/domain/exports/polis";
import type { DebateExportSource, ExportArgument } from "../../server/domain/exports/types";
import { HOSTILE_PAYLOADS } from "../fixtures/hostile-payloads";

const at = "2026-01-01T00:00:00.000Z";
const propositions = HOSTILE_PAYLOADS.slice(0, 20).map((p, index) => ({ id: `prop-${index}`, index, position: index, text: `P ${p.text}`, span: null, meta: false, hidden: false, locked: false, tally: { agree: 1, disagree: 0, unsure: 0 }, createdAt: at }));
const args: ExportArgument[] = HOSTILE_PAYLOADS.map((p, i) => ({
  id: `arg-${i}`,
  propositionId: propositions[i % propositions.length].id,
  parentId: i >= propositions.length && i % 3 === 0 ? `arg-${i - propositions.length}` : null,
  stance: i % 2 ? "con" : "pro",
  body: plainTextToArgumentBody(p.text),
  bodyText: p.text,
  author: "p1",
  createdAt: at,
  updatedAt: at,
  editCount: 0,
  deleted: false,
  hidden: null,
  sources: [{ url: p.text, title: p.text, quote: p.text }],
  ratings: { up: 0, down: 0 },
}));
// A parent must share its reply's proposition.
for (const a of args) if (a.parentId) a.propositionId = args[Number(a.parentId.slice(4))].propositionId;

async function* pages<T>(items: T[]) {
  yield items;
}
const source: DebateExportSource = {
  debate: { id: "d", title: HOSTILE_PAYLOADS[0].text, status: "published", visibility: "public", sourceUrl: "javascript:alert(1)", sourceText: HOSTILE_PAYLOADS.map((p) => p.text).join("\n"), thesis: { heading: "<b>x</b>", start: 0, end: 200 }, createdAt: at, publishedAt: at, closedAt: null },
  reader: { facilitator: false, names: false },
  generatedAt: at,
  propositions,
  arguments: (ids) => pages(ids ? args.filter((a) => ids.includes(a.propositionId)) : args),
  participants: () => pages([{ id: "p0", number: 0, role: "host" as const, externalId: null, joinedAt: at, groupId: null }, { id: "p1", number: 1, role: "debater" as const, externalId: null, joinedAt: at, groupId: 0 }]),
  participantCount: 2,
  votes: () => pages(propositions.map((p) => ({ participant: "p1", propositionId: p.id, value: "agree" as const, at }))),
  votesOf: async () => propositions.map((p) => ({ participant: "p1", propositionId: p.id, value: "agree" as const, at })),
  ratings: () => pages([]),
  audit: () => pages([]),
  groups: null,
  decisions: [],
  phases: [],
  citedArgumentText: {},
};

async function text(gen: AsyncIterable<string>) {
  let out = "";
  for await (const piece of gen) out += piece;
  return out;
}

describe("export writers on the hostile-payload corpus", () => {
  it("argdown: parsed by @argdown/core without errors; one relation per argument, stances kept", async () => {
    const input = await text(writeArgdown(source));
    const app = new ArgdownApplication();
    app.addPlugin(new ParserPlugin(), "parse-input");
    app.addPlugin(new ModelPlugin(), "build-model");
    const parsed = app.run({ input, process: ["parse-input", "build-model"], logLevel: "none" });
    expect(parsed.lexerErrors ?? []).toEqual([]);
    expect((parsed.parserErrors ?? []).map((e) => `${e.message} @${e.token.startLine}`)).toEqual([]);
    expect(parsed.relations).toHaveLength(args.length);
    expect(parsed.relations!.filter((r) => r.relationType === "support")).toHaveLength(args.filter((a) => a.stance === "pro").length);
  });

  it("markdown: no raw HTML, links only to http(s)", async () => {
    const md = await text(writeMarkdown(source));
    expect(md).not.toMatch(/<[a-z!/]/i);
    for (const m of md.matchAll(/(?<!\\)\]\(([^)]*)\)/g)) expect(m[1]).toMatch(/^https?:\/\//);
  });

  it("polis: every text cell neutralised, every file read back", async () => {
    const chunks: Uint8Array[] = [];
    for await (const c of writePolisZip(source, "http://localhost/debates/d")) chunks.push(c);
    const zip = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let o = 0;
    for (const c of chunks) {
      zip.set(c, o);
      o += c.length;
    }
    const files = unzipSync(zip);
    const comments = parse(strFromU8(files["comments.csv"]), { columns: true }) as Record<string, string>[];
    expect(comments).toHaveLength(propositions.length);
    for (const c of comments) expect(c["comment-body"]).not.toMatch(/^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/);
    const summary = parse(strFromU8(files["summary.csv"])) as string[][];
    for (const [, value] of summary) expect(value).not.toMatch(/^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/);
  });
});
