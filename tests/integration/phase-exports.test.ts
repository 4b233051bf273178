/**
 * The phase history in the exports (issue 13): a classroom debate's phase changes (audited as
 * `phase.changed` and `results.shown`) are in the `json` export for every reader, valid against the
 * served JSON Schema, and in the `markdown` report; an open board has none.
 */
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { api as callApi, facilitatorToken } from "../support/api-client";
import { seedArticle } from "../support/article";
import { useTestServer } from "../support/test-server";

let facilitator: string;
const { server } = useTestServer({ serveApp: false, rateLimits: "off" });
beforeAll(async () => {
  facilitator = await facilitatorToken(server.url);
});
const api = (path: string, init?: Parameters<typeof callApi>[2]) => callApi(server.url, path, init);
const download = async (id: string, format: string, token: string) => (await fetch(`${server.url}/api/debates/${id}/export?format=${format}`, { headers: { Authorization: `Bearer ${token}` } })).text();

describe("phase history in the exports", () => {
  it("lists start, extend, next and showing the results, oldest first, for a debater too; valid JSON Schema; in the Markdown report", async () => {
    const created = (await api("/api/debates", { body: { sourceText: seedArticle, publish: true, format: "classroom" }, token: facilitator })).json;
    const ada = (await api(`/api/debates/${created.id}/participants`, { body: { displayName: "Ada" } })).json;
    for (const body of [{ action: "start" }, { action: "extend", seconds: 30 }, { action: "next" }]) {
      expect((await api(`/api/debates/${created.id}/phase`, { body, token: created.hostToken })).status).toBe(200);
    }
    expect((await api(`/api/debates/${created.id}/show-results`, { body: {}, token: created.hostToken })).status).toBe(200);

    const doc = JSON.parse(await download(created.id, "json", ada.token));
    expect(doc.phases).toEqual([
      { at: expect.any(String), action: "start", from: "read", to: "read" },
      { at: expect.any(String), action: "extend", from: "read", to: "read", seconds: 30 },
      { at: expect.any(String), action: "next", from: "read", to: "argue" },
      { at: expect.any(String), action: "show-results", from: "argue", to: "argue" },
    ]);
    expect([...doc.phases].map((p: { at: string }) => p.at)).toEqual([...doc.phases].map((p: { at: string }) => p.at).sort());
    expect(doc.audit).toBeUndefined();
    const validator = new Ajv({ allErrors: true, strict: false });
    addFormats.default(validator);
    const validate = validator.compile(await (await fetch(`${server.url}/api/schema/debate-v1.json`)).json());
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);

    const md = await download(created.id, "markdown", created.hostToken);
    expect(md).toMatch(/## Phases\n\n- [^\n]+: started read\n- [^\n]+: extended read \(\+30 s\)\n- [^\n]+: moved on: read → argue\n- [^\n]+: showed the results during argue\n/);
  });

  it("an open board has an empty phase history and no Phases section", async () => {
    const created = (await api("/api/debates", { body: { sourceText: seedArticle, publish: true }, token: facilitator })).json;
    expect(JSON.parse(await download(created.id, "json", created.hostToken)).phases).toEqual([]);
    expect(await download(created.id, "markdown", created.hostToken)).not.toMatch(/## Phases/);
  });
});
