/**
 * Issue 15, imports: POST /api/imports with formats steelman, argdown, kialo
 * and aif. Round trips (export → import as another facilitator → export give
 * the same propositions, arguments, stances, threads, sources, votes and
 * ratings for steelman; the same tree for argdown and aif), the real public
 * files in tests/fixtures/imports/ (README there: sources and licences),
 * malformed files (400 naming file, line and column; nothing created), the
 * 5 MB file limit (413) and the hostile-payload corpus through every importer.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { api, randomAccount } from "../support/api-client";
import { projectRoot } from "../support/article";
import { seedExportDebate, type SeededExportDebate } from "../support/export-seed";
import { useTestServer } from "../support/test-server";
import { HOSTILE_PAYLOADS } from "../fixtures/hostile-payloads";

const { server } = useTestServer({ serveApp: false, rateLimits: "off" });
const fixture = (...parts: string[]) => readFileSync(path.join(projectRoot, "tests", "fixtures", "imports", ...parts), "utf8");

let seed: SeededExportDebate;
let other: string;
beforeAll(async () => {
  seed = await seedExportDebate(server.url);
  const signUp = await api(server.url, "/api/accounts", { body: randomAccount("Second Facilitator") });
  other = signUp.json.apiToken;
}, 120_000);

async function exportText(debateId: string, format: string, token: string) {
  const res = await fetch(`${server.url}/api/debates/${debateId}/export?format=${format}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return res.text();
}
const importFile = (format: string, name: string, text: string, token = other) => api(server.url, "/api/imports", { token, body: { format, files: { [name]: text } } });

type Doc = {
  propositions: { id: string; text: string; meta: boolean; hidden: boolean; locked: boolean; span: unknown }[];
  arguments: { id: string; propositionId: string; parentId: string | null; stance: string; bodyText: string; body: unknown; author: string; deleted: boolean; hidden: { reason: string } | null; sources: unknown[]; ratings: unknown }[];
  votes: { participant: string; propositionId: string; value: string }[];
  ratings: { participant: string; argumentId: string; value: string }[];
};

/** The debate with ids replaced by positions: proposition index, argument path (proposition index / sibling indices). */
function normalise(doc: Doc) {
  const pIndex = new Map(doc.propositions.map((p, i) => [p.id, i]));
  const pathOf = new Map<string, string>();
  const children = new Map<string | null, Doc["arguments"]>();
  for (const a of doc.arguments) children.set(a.parentId ?? `p:${a.propositionId}`, [...(children.get(a.parentId ?? `p:${a.propositionId}`) ?? []), a]);
  const walk = (key: string, prefix: string) => (children.get(key) ?? []).forEach((a, i) => {
    pathOf.set(a.id, `${prefix}.${i}`);
    walk(a.id, `${prefix}.${i}`);
  });
  doc.propositions.forEach((p, i) => walk(`p:${p.id}`, String(i)));
  return {
    propositions: doc.propositions.map(({ text, meta, hidden, locked, span }) => ({ text, meta, hidden, locked, span })),
    arguments: doc.arguments.map((a) => ({ path: pathOf.get(a.id), stance: a.stance, text: a.bodyText, body: a.body, author: a.author, deleted: a.deleted, hidden: a.hidden?.reason ?? null, sources: a.sources, ratings: a.ratings })).sort((x, y) => String(x.path).localeCompare(String(y.path))),
    votes: doc.votes.map((v) => `${v.participant}:${pIndex.get(v.propositionId)}:${v.value}`).sort(),
    ratings: doc.ratings.map((r) => `${r.participant}:${pathOf.get(r.argumentId)}:${r.value}`).sort(),
  };
}

describe("POST /api/imports (steelman, argdown, kialo, aif)", () => {
  it("steelman: export → import as another facilitator → export gives the same debate (a draft)", async () => {
    const first = JSON.parse(await exportText(seed.debateId, "json", seed.hostToken)) as Doc;
    const res = await importFile("steelman", "debate.steelman.json", JSON.stringify(first));
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    expect(res.json.imported).toMatchObject({ propositions: first.propositions.length, arguments: first.arguments.length, votes: first.votes.length, ratings: first.ratings.length });
    const again = JSON.parse(await exportText(res.json.id, "json", other)) as Doc & { debate: { status: string; sourceText: string; title: string } };
    expect(again.debate.status).toBe("draft");
    expect(again.debate.title).toBe(seed.title);
    expect(normalise(again)).toEqual(normalise(first));
  });

  it("argdown: the export read back by @argdown/core keeps every proposition, stance and thread", async () => {
    const text = await exportText(seed.debateId, "argdown", seed.hostToken);
    const res = await importFile("argdown", "debate.argdown", text);
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    const first = normalise(JSON.parse(await exportText(seed.debateId, "json", seed.hostToken)));
    const again = normalise(JSON.parse(await exportText(res.json.id, "json", other)));
    expect(again.propositions.map((p) => p.text)).toEqual(first.propositions.map((p) => p.text));
    expect(again.arguments.map((a) => [a.path, a.stance])).toEqual(first.arguments.map((a) => [a.path, a.stance]));
    const plain = (a: { text: string }) => a.text.replace(/\s+/g, " ").trim();
    const byPath = new Map(again.arguments.map((a) => [a.path, a]));
    for (const a of first.arguments.filter((x) => !x.deleted && !x.hidden && (x.sources as unknown[]).length === 0)) expect(plain(byPath.get(a.path)!)).toBe(plain(a));
  });

  it("aif: the export read back keeps every proposition, stance and thread", async () => {
    const text = await exportText(seed.debateId, "aif", seed.hostToken);
    const res = await importFile("aif", "debate.aif.json", text);
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    const first = normalise(JSON.parse(await exportText(seed.debateId, "json", seed.hostToken)));
    const again = normalise(JSON.parse(await exportText(res.json.id, "json", other)));
    expect(again.propositions.map((p) => p.text)).toEqual(first.propositions.map((p) => p.text));
    expect(again.arguments.map((a) => [a.path, a.stance])).toEqual(first.arguments.map((a) => [a.path, a.stance]));
  });

  it("argdown: real public files (argdown examples) import with their relations, unsupported constructs listed in warnings", async () => {
    for (const name of ["legalisation-softdrugs.argdown", "state-censorship.argdown", "argdown-primer.argdown"]) {
      const res = await importFile("argdown", name, fixture("argdown", name));
      expect(res.status, `${name}: ${JSON.stringify(res.json)}`).toBe(201);
      expect(res.json.imported.propositions).toBeGreaterThan(0);
      expect(res.json.imported.arguments).toBeGreaterThan(0);
      expect(res.json.warnings.some((w: string) => /YAML|front matter|headings/.test(w))).toBe(true);
    }
  });

  it("kialo: a real Kialo export: the thesis a proposition, every Pro/Con line an argument in its thread", async () => {
    const text = fixture("kialo", "should-hate-speech-be-illegal-6148.txt");
    const res = await importFile("kialo", "hate-speech.txt", text);
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    const claims = text.split("\n").filter((l) => /^(\d+\.)+\s+(Pro|Con):/.test(l)).length;
    expect(res.json.imported).toMatchObject({ propositions: 1, arguments: claims });
    expect(res.json.warnings.some((w: string) => /claim 1\.2\.2\. was imported as a copy/.test(w))).toBe(true);
    const doc = JSON.parse(await exportText(res.json.id, "json", other)) as Doc & { debate: { title: string } };
    expect(doc.debate.title).toBe("Should hate speech be illegal?");
    expect(doc.propositions[0].text).toBe("Hate speech should be banned.");
    const deep = doc.arguments.find((a) => a.bodyText.startsWith("Being ignorant is easy"))!;
    expect(deep.stance).toBe("pro");
    expect(deep.parentId).not.toBeNull();
    expect(doc.arguments.find((a) => a.bodyText.includes("(\"Trolls\")"))).toBeDefined();
    const linked = doc.arguments.find((a) => a.bodyText.startsWith("In the vast majority of countries, hate speech legislation is a disaster"))!;
    expect(linked.sources).toEqual([{ url: "https://www.independent.co.uk/news/uk/arrests-for-offensive-facebook-and-twitter-posts-soar-in-london-a7064246.html", title: "disaster", quote: null }]);
  });

  it("aif: real public AIF files (an AIFdb nodeset, an OVA3 export) import with every support and attack as a pro/con link", async () => {
    // Counts worked out by hand from the files' nodes and edges (I → RA/CA → I):
    // aifdb-nodeset-6064.json: 9 I, 5 RA, 0 CA; 16 L, 14 YA, 8 TA. The RA links are
    //   29053→29054, 111809→111805, 111809→111816, 111816→29053, 111833→111839.
    //   I-nodes with no outgoing RA/CA (29045, 29054, 111805, 111829, 111839) are the 5 propositions;
    //   29053, 111809, 111816, 111833 are arguments, and 111809's second link (to 111816) is a copy
    //   of its text: 5 arguments, 5 pro links, no con.
    // ova3-xaif.json ({ "AIF": … } wrapper): 2 I, 1 RA (B→A); 4 L, 5 YA, 1 TA: 1 proposition ("A"), 1 pro argument ("B").
    const cases = [
      { name: "aifdb-nodeset-6064.json", propositions: 5, arguments: 5, links: 5, copies: 1, ignored: { L: 16, YA: 14, TA: 8 } },
      { name: "ova3-xaif.json", propositions: 1, arguments: 1, links: 1, copies: 0, ignored: { L: 4, YA: 5, TA: 1 } },
    ];
    for (const c of cases) {
      const text = fixture("aif", c.name);
      const res = await importFile("aif", c.name, text);
      expect(res.status, `${c.name}: ${JSON.stringify(res.json)}`).toBe(201);
      expect(res.json.imported).toMatchObject({ propositions: c.propositions, arguments: c.arguments });
      for (const [type, count] of Object.entries(c.ignored)) expect(res.json.warnings).toContain(`${c.name}: ${count} ${type} node(s) were left out (${{ L: "locutions", YA: "illocutions", TA: "transitions" }[type]}).`);
      expect(res.json.warnings.some((w: string) => /\b(MA|PA) node/.test(w))).toBe(false);
      expect(res.json.warnings.filter((w: string) => /was imported as a copy of its text/.test(w))).toHaveLength(c.copies);
      // Every support (RA) and attack (CA) of the file, by text: premise → conclusion, stance.
      const raw = JSON.parse(text);
      const aif = (raw.AIF ?? raw) as { nodes: { nodeID: string; text: string; type: string }[]; edges: { fromID: string; toID: string }[] };
      const byId = new Map(aif.nodes.map((n) => [n.nodeID, n]));
      const relations: string[] = [];
      for (const s of aif.nodes.filter((n) => n.type === "RA" || n.type === "CA")) {
        const conclusion = aif.edges.filter((e) => e.fromID === s.nodeID && byId.get(e.toID)!.type === "I").map((e) => byId.get(e.toID)!.text);
        for (const e of aif.edges.filter((x) => x.toID === s.nodeID && byId.get(x.fromID)!.type === "I")) relations.push(`${byId.get(e.fromID)!.text} → ${conclusion[0]} (${s.type === "RA" ? "pro" : "con"})`);
      }
      expect(relations).toHaveLength(c.links);
      const doc = JSON.parse(await exportText(res.json.id, "json", other)) as Doc;
      const textOf = new Map<string, string>([...doc.propositions.map((p) => [p.id, p.text] as const), ...doc.arguments.map((a) => [a.id, a.bodyText.trim()] as const)]);
      const links = doc.arguments.map((a) => `${a.bodyText.trim()} → ${textOf.get(a.parentId ?? a.propositionId)} (${a.stance})`);
      expect(links.sort()).toEqual(relations.sort());
      expect(doc.propositions.map((p) => p.text).sort()).toEqual(aif.nodes.filter((n) => n.type === "I" && !aif.edges.some((e) => e.fromID === n.nodeID && ["RA", "CA"].includes(byId.get(e.toID)!.type))).map((n) => n.text).sort());
    }
  });

  it("malformed files answer 400 naming file, line and column, and create nothing", async () => {
    const before = await server.db.debate.count();
    const cases: [string, string, string, RegExp][] = [
      ["argdown", "broken.argdown", "[A]: x\n    + <B>: y\n  - <C>: z\n", /broken\.argdown, line 3, column 1: Expecting token of type EOF but found ' {2}-'/],
      ["kialo", "broken.txt", "Discussion Title: X\n\nnot a claim\n", /broken\.txt, line 3, column 1: expected "Discussion Title: …" or a numbered claim/],
      ["kialo", "orphan.txt", "Discussion Title: X\n\n1. Thesis\n1.2.1. Pro: answers a claim that is missing\n", /orphan\.txt, line 4, column 1: claim 1\.2\.1\. answers 1\.2\./],
      ["steelman", "debate.json", '{"format": "steelman-debate",\n  "version": 1,\n  "debate": {,}}', /debate\.json, line 3, column \d+: the file is not valid JSON/],
      ["steelman", "other.json", '{"format": "something else"}', /other\.json: at format: the file must be a Steelman export/],
      ["aif", "graph.json", '{"nodes": [{"nodeID": "1", "text": "A", "type": "I"}], "edges": [{"fromID": "1", "toID": "9"}]}', /graph\.json: an edge joins 1 and 9/],
    ];
    for (const [format, name, text, message] of cases) {
      const res = await importFile(format, name, text);
      expect(res.status, `${format} ${name}: ${JSON.stringify(res.json)}`).toBe(400);
      expect(res.json.error.message).toMatch(message);
      expect(res.json.error.field).toBe(`files.${name}`);
    }
    expect(await server.db.debate.count()).toBe(before);
  });

  it("a file over 5 MB answers 413 naming it; the import needs a facilitator", async () => {
    const big = `1. Thesis\n${"1.1. Pro: padding\n".repeat(300_000)}`;
    const res = await importFile("kialo", "big.txt", big);
    expect(res.status).toBe(413);
    expect(res.json.error.message).toMatch(/"big\.txt" is \d+ MB; files up to 5 MB can be imported/);
    expect((await api(server.url, "/api/imports", { body: { format: "kialo", files: { "a.txt": "1. A" } } })).status).toBe(401);
  });

  it("preview: counts and warnings without creating anything", async () => {
    const before = await server.db.debate.count();
    const res = await api(server.url, "/api/imports/preview", { token: other, body: { format: "kialo", files: { "k.txt": "Discussion Title: T\n\n1. A\n1.1. Pro: B\n1.2. Pro: -> See 1.1.\n" } } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ title: "T", imported: { propositions: 1, arguments: 2 } });
    expect(res.json.warnings).toHaveLength(1);
    expect(await server.db.debate.count()).toBe(before);
  });

  it("the hostile-payload corpus through every importer: 201 with the text kept as text, or 400 with a reason; never 500", async () => {
    const seen = { created: 0, refused: 0 };
    const exported = await exportText(seed.debateId, "json", seed.hostToken);
    for (const p of HOSTILE_PAYLOADS) {
      const aif = JSON.stringify({ nodes: [{ nodeID: "1", text: `Claim ${p.text}`, type: "I" }, { nodeID: "2", text: p.text, type: "I" }, { nodeID: "3", text: "Default Conflict", type: "CA" }], edges: [{ fromID: "2", toID: "3" }, { fromID: "3", toID: "1" }] });
      const steelman = JSON.parse(exported);
      steelman.propositions[0].text = `Claim ${p.text}`;
      steelman.arguments[0].body = { root: { type: "root", version: 1, direction: null, format: "", indent: 0, children: [{ type: "paragraph", version: 1, direction: null, format: "", indent: 0, textFormat: 0, textStyle: "", children: [{ type: "text", version: 1, detail: 0, format: 0, mode: "normal", style: "", text: p.text }] }] } };
      steelman.arguments[0].sources = [{ url: p.text, title: p.text, quote: p.text }];
      const files: [string, string, string][] = [
        ["kialo", "hostile.txt", `Discussion Title: ${p.text}\n\n1. Claim ${p.text}\n1.1. Con: ${p.text}\n`],
        ["argdown", "hostile.argdown", `[Claim]: Claim ${p.text}\n  - <Reply>: ${p.text}\n`],
        ["aif", "hostile.json", aif],
        ["steelman", "hostile.steelman.json", JSON.stringify(steelman)],
      ];
      for (const [format, name, text] of files) {
        const before = await server.db.debate.count();
        const res = await importFile(format, name, text);
        expect([201, 400], `${p.id} via ${format}: ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`).toContain(res.status);
        if (res.status === 400) {
          seen.refused += 1;
          expect(typeof res.json.error.message).toBe("string");
          expect(await server.db.debate.count()).toBe(before);
          continue;
        }
        seen.created += 1;
        const doc = JSON.parse(await exportText(res.json.id, "json", other)) as Doc;
        // Sources that typed input would refuse are left out; any kept is http(s).
        for (const a of doc.arguments) for (const s of a.sources as { url: string }[]) expect(s.url).toMatch(/^https?:/i);
        if (format === "kialo") {
          const md = await exportText(res.json.id, "markdown", other);
          expect(md).not.toMatch(/<script|<img|<svg|\]\(javascript:/i);
        }
      }
    }
    expect(seen.created).toBeGreaterThan(0);
  }, 600_000);
});
