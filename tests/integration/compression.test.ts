/**
 * Compression (issue 21, docs/decisions/0090-compression.md), checked over HTTP against the built app
 * (`npm run build` first: serveApp reads build/): pages, the JSON API and scripts go out in Brotli to
 * a client that accepts it, in gzip to one that accepts only gzip, and plain to one that accepts
 * neither; the decoded bodies are the same bytes. Scripts come from the copies compressed at build time,
 * cached for a year as immutable.
 */
import { request } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { api, facilitatorToken } from "../support/api-client";
import { seedArticle } from "../support/article";
import { useTestServer } from "../support/test-server";

const { server } = useTestServer({ serveApp: true });

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** GET with exactly this Accept-Encoding (none at all when undefined); the body as sent, not decoded. */
function get(path: string, acceptEncoding: string | undefined): Promise<Reply> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, headers: acceptEncoding === undefined ? {} : { "Accept-Encoding": acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** The body decoded by its Content-Encoding. */
function decoded(reply: Reply): string {
  const encoding = reply.headers["content-encoding"];
  if (encoding === "br") return brotliDecompressSync(reply.body).toString("utf8");
  if (encoding === "gzip") return gunzipSync(reply.body).toString("utf8");
  expect(encoding).toBeUndefined();
  return reply.body.toString("utf8");
}

let debateId = "";
let scriptPath = "";

beforeAll(async () => {
  const created = await api(server.url, "/api/debates", { body: { sourceText: seedArticle, publish: true }, token: await facilitatorToken(server.url) });
  expect(created.status).toBe(201);
  debateId = created.json.id as string;
  const page = decoded(await get(`/debates/${debateId}`, undefined));
  scriptPath = /<link rel="modulepreload" href="(\/assets\/entry\.client-[\w-]+\.js)"/.exec(page)?.[1] ?? "";
  expect(scriptPath).not.toBe("");
});

describe("compression by Accept-Encoding", () => {
  const clients = [
    { name: "a Brotli client", accept: "gzip, deflate, br", expected: "br" },
    { name: "a gzip-only client", accept: "gzip", expected: "gzip" },
    { name: "an identity client", accept: "identity", expected: undefined },
    { name: "a client without Accept-Encoding", accept: undefined, expected: undefined },
  ] as const;

  for (const client of clients) {
    it(`the debate page, its JSON and its scripts for ${client.name}`, async () => {
      for (const path of [`/debates/${debateId}`, `/api/debates/${debateId}`, scriptPath]) {
        const reply = await get(path, client.accept);
        expect(reply.status, path).toBe(200);
        expect(reply.headers["content-encoding"], path).toBe(client.expected);
        expect(String(reply.headers.vary ?? ""), path).toMatch(/accept-encoding/i);
        const plain = await get(path, "identity");
        if (path === scriptPath) expect(decoded(reply)).toBe(decoded(plain));
        else expect(decoded(reply).length).toBeGreaterThan(1000);
        if (client.expected) expect(reply.body.length, path).toBeLessThan(plain.body.length);
      }
    });
  }

  it("serves scripts from their build-time copies, cached for a year as immutable", async () => {
    const reply = await get(scriptPath, "br");
    expect(reply.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(reply.headers["content-type"]).toMatch(/javascript/);
    // A build-time copy is served with its length (on-the-fly compression streams without one).
    expect(Number(reply.headers["content-length"])).toBe(reply.body.length);
  });

  it("leaves small bodies alone", async () => {
    const reply = await get("/healthz", "br, gzip");
    expect(reply.status).toBe(200);
    expect(reply.headers["content-encoding"]).toBeUndefined();
  });
});
