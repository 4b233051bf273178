/**
 * Issue 20, point 3 (`npm run build` first): every route refuses a body over
 * its limit with 413 before buffering it — page forms 1 MB, the new-debate
 * form and the JSON API 8 MB — whether the body declares its length or
 * arrives chunked; and the server's memory stays flat under a stream of
 * 64 MB bodies (measured on a real server process through GET /metrics).
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { FORM_BODY_MAX_BYTES } from "../../app/shared/body-limits";
import { LIMITS } from "../../app/shared/contract";
import { randomAccount } from "../support/api-client";
import { seedArticle } from "../support/article";
import { postForm } from "../support/page-client";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { useTestServer } from "../support/test-server";

const MB = 1024 * 1024;
const { server } = useTestServer({ serveApp: true, rateLimits: "off" });

/** One 1 MB chunk of a urlencoded form field, reused for every body (the client holds no 64 MB copy). */
const chunk = Buffer.alloc(MB, "a");

interface LargeReply {
  status: number;
  text: string;
}

/**
 * POSTs a urlencoded body of `bytes` bytes (`email=aaaa…`), declared with
 * Content-Length or sent chunked, written 1 MB at a time for as long as the
 * server reads; resolves with the server's answer as soon as it comes (a
 * server that answers early and closes the connection is what we want).
 */
function postLarge(baseUrl: string, path: string, bytes: number, { chunked = false, contentType = "application/x-www-form-urlencoded", cookie }: { chunked?: boolean; contentType?: string; cookie?: string } = {}): Promise<LargeReply> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: "POST",
        headers: { Origin: baseUrl, "Content-Type": contentType, ...(chunked ? { "Transfer-Encoding": "chunked" } : { "Content-Length": String(bytes) }), ...(cookie ? { cookie } : {}) },
      },
      (res) => {
        answered = true;
        const parts: Buffer[] = [];
        res.on("data", (c: Buffer) => parts.push(c));
        res.on("end", () => {
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString("utf8") });
          req.destroy();
        });
      },
    );
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    let sent = 0;
    const write = () => {
      while (!answered && sent < bytes) {
        const piece = sent === 0 ? Buffer.concat([Buffer.from("email="), chunk.subarray(6)]) : chunk;
        const slice = piece.subarray(0, Math.min(piece.length, bytes - sent));
        sent += slice.length;
        if (!req.write(slice)) return void req.once("drain", write);
      }
      if (!answered) req.end();
    };
    write();
  });
}

describe("413 before reading, on every kind of route", () => {
  it("a 64 MB sign-in form is refused with 413 and a sentence", async () => {
    const reply = await postLarge(server.url, "/login", 64 * MB);
    expect(reply.status).toBe(413);
    expect(reply.text).toBe("The request is too large: this address accepts at most 1 MB.");
  });

  it("the limit is 1 MB for page forms: just under is read (and answered as a sign-in), just over is refused", async () => {
    const padding = "x".repeat(FORM_BODY_MAX_BYTES - 200);
    const under = await postForm(server.url, "/login", { email: "someone@example.org", password: "not it", padding });
    expect(under.status).toBe(401);
    const over = await postForm(server.url, "/login", { email: "someone@example.org", password: "not it", padding: `${padding}${"x".repeat(400)}` });
    expect(over.status).toBe(413);
  });

  it("a chunked body (no Content-Length) is counted while the page reads it and refused at the limit", async () => {
    const reply = await postLarge(server.url, "/login", 64 * MB, { chunked: true });
    expect(reply.status).toBe(413);
    expect(reply.text).toContain("The form is too large: this page accepts at most 1 MB.");
    // Single-fetch actions (what React Router's <Form> posts) too.
    expect((await postLarge(server.url, "/forgot-password.data", 4 * MB, { chunked: true })).status).toBe(413);
    expect((await postLarge(server.url, "/forgot-password.data", 4 * MB)).status).toBe(413);
  });

  it("the JSON API keeps its 8 MB limit, with a JSON error, declared or chunked", async () => {
    for (const chunked of [false, true]) {
      const reply = await postLarge(server.url, "/api/accounts", LIMITS.httpBodyMaxBytes + MB, { chunked, contentType: "application/json" });
      expect(reply.status, `chunked: ${chunked}`).toBe(413);
      expect(JSON.parse(reply.text).error.code).toBe("payload_too_large");
    }
  });

  it("the new-debate form takes a whole article (up to the API's 8 MB), so a 2 MB non-Latin article is accepted", async () => {
    const signup = await postForm(server.url, "/signup", randomAccount());
    const cookie = signup.headers.getSetCookie().find((c) => c.startsWith("sm_session="))!.split(";")[0]!;
    const sourceText = `${seedArticle}\n\n${"Учителя обсуждают этот тезис на уроке истории. ".repeat(9_000)}`;
    expect(sourceText.length).toBeLessThan(LIMITS.sourceTextMaxChars);
    const body = new URLSearchParams({ sourceText, visibility: "unlinked" }).toString();
    expect(body.length).toBeGreaterThan(2 * MB);
    const res = await fetch(`${server.url}/debates/new`, { method: "POST", redirect: "manual", headers: { Origin: server.url, cookie, "Content-Type": "application/x-www-form-urlencoded" }, body });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/debates\/[0-9a-f-]{36}\/edit$/);
    expect((await postLarge(server.url, "/debates/new", LIMITS.httpBodyMaxBytes + MB, { cookie })).status).toBe(413);
  });
});

describe("memory stays flat under a stream of oversized bodies (a real server process)", { timeout: 90_000 }, () => {
  const METRICS_TOKEN = "body-limits-metrics-token-0123456789";
  let child: ServerProcess;
  beforeAll(async () => {
    child = await startServerProcess({ databaseUrl: inject("databaseUrl"), env: { METRICS_TOKEN } });
  });
  afterAll(async () => {
    await child?.kill("SIGTERM");
  });

  const rss = async () => {
    const res = await fetch(`${child.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    return ((await res.json()) as { rssBytes: number }).rssBytes;
  };

  it("16 bodies of 64 MB (1 GB in all, 4 at a time, declared and chunked) grow it by less than one of them", async () => {
    // Warm up: the first page render and form read load code that is not what we measure.
    for (let i = 0; i < 3; i++) await postForm(child.url, "/login", { email: "someone@example.org", password: "not it" });
    const before = await rss();
    for (let round = 0; round < 4; round++) {
      const replies = await Promise.all([0, 1, 2, 3].map((i) => postLarge(child.url, "/login", 64 * MB, { chunked: i % 2 === 1 })));
      expect(replies.map((r) => r.status)).toEqual([413, 413, 413, 413]);
    }
    const after = await rss();
    // Reading them would have taken well over 64 MB each (the issue saw 160 MiB for one).
    expect(after - before).toBeLessThan(48 * MB);
    expect((await fetch(`${child.url}/healthz`)).status).toBe(200);
  });
});
