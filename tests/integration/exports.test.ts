/**
 * Issue 15, exports: GET /api/debates/:id/export?format=… on the seed debate
 * (tests/support/export-seed.ts), each file parsed back by the field's own
 * reader: JSON and AIF against their JSON Schemas (ajv), Argdown with
 * @argdown/core (no errors, every pro/con relation kept), the Polis zip
 * unzipped (fflate) and its CSVs read by csv-parse and by our Polis importer's
 * parser; Markdown checked for escaped HTML and http(s)-only links. Also who
 * gets what (facilitator, participant, anonymous reader) and bad requests.
 */
import { ArgdownApplication, ModelPlugin, ParserPlugin, type IArgdownResponse } from "@argdown/core";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { parse } from "csv-parse/sync";
import { strFromU8, unzipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { AIF_SCHEMA } from "../../server/domain/exports/schema";
import { EXPORT_PAGE_SIZE } from "../../server/services/exports";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { parsePolisExport } from "../../server/domain/polis-import/parse";
import { seedExportDebate, type SeededExportDebate } from "../support/export-seed";
import { useTestServer } from "../support/test-server";

const { server } = useTestServer({ serveApp: false, rateLimits: "off" });

let seed: SeededExportDebate;
beforeAll(async () => {
  seed = await seedExportDebate(server.url);
}, 120_000);

async function download(format: string, token?: string, extra = "") {
  const res = await fetch(`${server.url}/api/debates/${seed.debateId}/export?format=${format}${extra}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, text: () => new TextDecoder().decode(bytes) };
}

function ajv() {
  const validator = new Ajv({ allErrors: true, strict: false });
  addFormats.default(validator);
  return validator;
}

function parseArgdown(input: string): IArgdownResponse {
  const app = new ArgdownApplication();
  app.addPlugin(new ParserPlugin(), "parse-input");
  app.addPlugin(new ModelPlugin(), "build-model");
  return app.run({ input, process: ["parse-input", "build-model"] });
}

describe("GET /api/debates/:id/export", () => {
  it("json: validates against the schema served at /api/schema/debate-v1.json and carries the whole debate for its facilitator", async () => {
    const schemaRes = await fetch(`${server.url}/api/schema/debate-v1.json`);
    expect(schemaRes.status).toBe(200);
    const validate = ajv().compile(await schemaRes.json());
    const res = await download("json", seed.hostToken, "&names=1");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="steelman-[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.steelman\.json"$/);
    const doc = JSON.parse(res.text());
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(doc.format).toBe("steelman-debate");
    expect(doc.version).toBe(1);
    expect(doc.reader).toEqual({ facilitator: true, names: true });
    expect(doc.arguments).toHaveLength(seed.arguments.length);
    expect(doc.arguments.find((a: { id: string }) => a.id === seed.hiddenArgumentId).hidden.reason).toBe("Off topic");
    expect(doc.participants.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(seed.participants.map((p) => p.name)));
    expect(doc.votes).toHaveLength(seed.propositions.length * seed.participants.length);
    expect(doc.ratings).toHaveLength(3);
    expect(doc.audit.map((e: { action: string }) => e.action)).toContain("argument.hidden");
    const byId = new Map(doc.arguments.map((a: { id: string }) => [a.id, a]));
    for (const a of seed.arguments) {
      expect(byId.get(a.id)).toMatchObject({ propositionId: a.propositionId, parentId: a.parentId, stance: a.stance, bodyText: a.text });
    }
    const a1 = doc.arguments.find((a: { bodyText: string }) => a.bodyText.startsWith("Races"));
    expect(a1.sources).toEqual([{ url: "https://example.org/report?a=1&b=(2)", title: "A report [2024]", quote: "safety lags" }]);
    expect(a1.ratings).toEqual({ up: 2, down: 0 });
  });

  it("json: participants and anonymous readers get no hidden thread, no names, no audit log; names are refused to them", async () => {
    const validate = ajv().compile((await import("../../server/domain/exports/schema")).DEBATE_V1_SCHEMA);
    for (const token of [seed.participants[0].token, undefined]) {
      const doc = JSON.parse((await download("json", token)).text());
      expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
      expect(doc.reader).toEqual({ facilitator: false, names: false });
      const ids = doc.arguments.map((a: { id: string }) => a.id);
      expect(ids).not.toContain(seed.hiddenArgumentId);
      expect(ids).not.toContain(seed.hiddenReplyId);
      expect(ids).toHaveLength(seed.arguments.length - 2);
      expect(doc.audit).toBeUndefined();
      expect(JSON.stringify(doc)).not.toContain("Lovelace");
      expect(JSON.stringify(doc)).not.toContain("hidden by the facilitator");
      expect(doc.participants.every((p: { id: string; name?: string }) => /^p\d+$/.test(p.id) && p.name === undefined)).toBe(true);
    }
    const refused = await download("json", seed.participants[0].token, "&names=1");
    expect(refused.status).toBe(403);
  });

  it("pseudonymous ids are stable between exports", async () => {
    const one = JSON.parse((await download("json", seed.participants[1].token)).text());
    const two = JSON.parse((await download("json")).text());
    expect(one.arguments.map((a: { author: string }) => a.author)).toEqual(two.arguments.map((a: { author: string }) => a.author));
  });

  it("markdown: a readable report with every tree, HTML escaped and only http(s) links", async () => {
    const res = await download("markdown", seed.hostToken);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/\.md"$/);
    const md = res.text();
    expect(md.startsWith(`# `)).toBe(true);
    expect(md.split("Votes: 3 ").length - 1).toBe(JSON.parse((await download("json", seed.hostToken)).text()).propositions.length);
    expect(md).not.toMatch(/<script|<img|<svg|<b>/i);
    expect(md).toContain("&lt;script&gt;");
    const links = [...md.matchAll(/(?<!\\)\]\(([^)]*)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(0);
    for (const url of links) expect(url).toMatch(/^https?:\/\//);
    expect(md).toContain("[A report \\[2024\\]](https://example.org/report?a=1&b=%282%29)");
    expect(md).toMatch(/\n {2}- \*\*Rebuts\*\*/);
    expect(md).toContain("hidden by a facilitator: Off topic");
  });

  it("argdown: parsed by @argdown/core without errors, every pro/con relation kept", async () => {
    const res = await download("argdown", seed.hostToken);
    expect(res.status).toBe(200);
    const text = res.text();
    const parsed = parseArgdown(text);
    expect(parsed.lexerErrors ?? []).toEqual([]);
    expect(parsed.parserErrors ?? []).toEqual([]);
    const relations = parsed.relations ?? [];
    expect(relations).toHaveLength(seed.arguments.length);
    const pro = seed.arguments.filter((a) => a.stance === "pro").length;
    expect(relations.filter((r) => r.relationType === "support")).toHaveLength(pro);
    expect(relations.filter((r) => r.relationType === "attack")).toHaveLength(seed.arguments.length - pro);
    // Hostile text stays text: the statement P1 exists and the script is plain description text.
    expect(Object.keys(parsed.statements ?? {})).toEqual(expect.arrayContaining(seed.propositions.map((_, i) => `P${i + 1}`)));
    const descriptions = Object.values(parsed.arguments ?? {}).flatMap((a) => a.members.map((m) => m.text ?? ""));
    expect(descriptions.some((d) => d.includes("<script>alert('x')</script>"))).toBe(true);
  });

  it("aif: validates against the AIF schema, I-nodes for every proposition and argument, RA for pro, CA for con", async () => {
    const res = await download("aif", seed.hostToken);
    const doc = JSON.parse(res.text());
    const validate = ajv().compile(AIF_SCHEMA);
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const count = (type: string) => doc.nodes.filter((n: { type: string }) => n.type === type).length;
    const pro = seed.arguments.filter((a) => a.stance === "pro").length;
    const propositionCount = JSON.parse((await download("json", seed.hostToken)).text()).propositions.length;
    expect(count("I")).toBe(propositionCount + seed.arguments.length);
    expect(count("RA")).toBe(pro);
    expect(count("CA")).toBe(seed.arguments.length - pro);
    expect(doc.edges).toHaveLength(seed.arguments.length * 2);
    const ids = new Set(doc.nodes.map((n: { nodeID: string }) => n.nodeID));
    for (const e of doc.edges) expect(ids.has(e.fromID) && ids.has(e.toID)).toBe(true);
  });

  it("polis: a zip of Polis's four CSVs, read back by csv-parse and by the Polis importer; formulas neutralised", async () => {
    const res = await download("polis", seed.hostToken);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toMatch(/\.polis\.zip"$/);
    const files = Object.fromEntries(Object.entries(unzipSync(res.bytes)).map(([name, data]) => [name, strFromU8(data)]));
    expect(Object.keys(files).sort()).toEqual(["comments.csv", "participants-votes.csv", "summary.csv", "votes.csv"]);
    const comments = parse(files["comments.csv"], { columns: true }) as Record<string, string>[];
    expect(Object.keys(comments[0])).toEqual(["timestamp", "comment-id", "author-id", "agrees", "disagrees", "moderated", "is-meta", "is-seed", "group-informed-consensus", "comment-body"]);
    const votes = parse(files["votes.csv"], { columns: true }) as Record<string, string>[];
    expect(Object.keys(votes[0])).toEqual(["timestamp", "datetime", "comment-id", "voter-id", "vote"]);
    expect(votes).toHaveLength(seed.propositions.length * seed.participants.length);
    const pv = parse(files["participants-votes.csv"], { columns: true }) as Record<string, string>[];
    expect(pv).toHaveLength(seed.participants.length);
    expect((parse(files["participants-votes.csv"], { to: 1 }) as string[][])[0].slice(0, 7)).toEqual(["participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]);
    const summary = Object.fromEntries(parse(files["summary.csv"]) as string[][]);
    expect(Object.keys(summary)).toEqual(["topic", "url", "views", "voters", "voters-in-conv", "commenters", "comments", "groups", "conversation-description"]);
    expect(summary.voters).toBe(String(seed.participants.length));
    // Every text cell: nothing a spreadsheet would run.
    for (const table of [comments.map((c) => c["comment-body"]), [summary.topic, summary["conversation-description"]]]) {
      for (const cell of table) expect(cell).not.toMatch(/^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/);
    }
    const polis = parsePolisExport(files as Parameters<typeof parsePolisExport>[0]);
    expect(polis.comments).toHaveLength(comments.length);
    expect(polis.votes.count).toBe(votes.length);
  });

  it("large debates are read page by page: every argument, vote and rating of a debate larger than a page is exported once", async () => {
    const debateId = seed.debateId;
    const host = await server.db.participant.findFirstOrThrow({ where: { debateId, role: "host" } });
    const propositions = await server.db.proposition.findMany({ where: { debateId }, orderBy: { position: "asc" } });
    const extra = EXPORT_PAGE_SIZE * 2 + 17;
    const stamp = new Date("2020-01-01T00:00:00Z");
    // Many arguments with the same creation time: the keyset (createdAt, id) must still visit each once.
    await server.db.argument.createMany({
      data: Array.from({ length: extra }, (_, i) => ({ debateId, propositionId: propositions[i % propositions.length].id, authorId: host.id, stance: i % 2 ? ("con" as const) : ("pro" as const), body: plainTextToArgumentBody(`bulk ${i}`), bodyText: `bulk ${i}`, createdAt: stamp, updatedAt: stamp })),
    });
    try {
      const doc = JSON.parse((await download("json", seed.hostToken)).text());
      const bulk = doc.arguments.filter((a: { bodyText: string }) => a.bodyText.startsWith("bulk "));
      expect(bulk).toHaveLength(extra);
      expect(new Set(bulk.map((a: { id: string }) => a.id)).size).toBe(extra);
      const aif = JSON.parse((await download("aif", seed.hostToken)).text());
      expect(aif.edges).toHaveLength((seed.arguments.length + extra) * 2);
    } finally {
      await server.db.argument.deleteMany({ where: { debateId, bodyText: { startsWith: "bulk " } } });
    }
  });

  it("answers 400 for an unknown format, 404 for a debate the reader may not read", async () => {
    const bad = await download("docx", seed.hostToken);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text()).error.message).toMatch(/format must be one of json, markdown, argdown, aif, polis/);
    const missing = await fetch(`${server.url}/api/debates/00000000-0000-4000-8000-000000000000/export?format=json`);
    expect(missing.status).toBe(404);
  });
});
