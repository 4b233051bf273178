/**
 * Security headers and the per-request CSP nonce (docs/decisions/0008-content-security-policy.md),
 * checked over HTTP against the built app (`npm run build` first: serveApp reads build/).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NON_DOCUMENT_CSP } from "../../server/app";
import { useTestServer } from "../support/test-server";
import { api, facilitatorToken, randomAccount } from "../support/api-client";
import { seedArticle } from "../support/article";

const { server } = useTestServer({ serveApp: true });

/** Splits a policy into directive name → source list. */
function directives(policy: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of policy.split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) map.set(name, sources);
  }
  return map;
}

/** The nonce in a page policy's script-src, checking the rest of script-src on the way. */
function nonceOf(policy: string): string {
  const scriptSrc = directives(policy).get("script-src") ?? [];
  expect(scriptSrc).not.toContain("'unsafe-inline'");
  expect(scriptSrc).not.toContain("'unsafe-eval'");
  const nonces = scriptSrc.filter((s) => s.startsWith("'nonce-"));
  expect(nonces).toHaveLength(1);
  const nonce = nonces[0]!.slice("'nonce-".length, -1);
  // 16 random bytes, base64.
  expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  return nonce;
}

function expectCommonHeaders(res: Response) {
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  expect(res.headers.get("cross-origin-opener-policy")).toBe("same-origin");
  expect(res.headers.get("x-frame-options")).toBe("DENY");
  expect(res.headers.get("permissions-policy")).toMatch(/camera=\(\)/);
  expect(res.headers.get("permissions-policy")).toMatch(/microphone=\(\)/);
}

/** Fetches a page and checks that every script it can run is nonced with its header's nonce. */
async function page(path: string, init: RequestInit = {}) {
  const res = await fetch(`${server.url}${path}`, init);
  const html = await res.text();
  expectCommonHeaders(res);
  const policy = res.headers.get("content-security-policy") ?? "";
  const nonce = nonceOf(policy);

  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  const preloads = html.match(/<link\b[^>]*rel="modulepreload"[^>]*>/g) ?? [];
  expect(preloads.length).toBeGreaterThan(0);
  for (const tag of preloads) expect(tag).toContain(`nonce="${nonce}"`);
  // No inline <style> elements (style-src has no nonce) and no inline event handlers.
  expect(html).not.toMatch(/<style\b/);
  expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i);
  // The nonce is only ever a nonce attribute, never in data the page's scripts could read.
  expect(html.split(nonce).length).toBe(html.split(`nonce="${nonce}"`).length);
  return { res, html, policy, nonce };
}

describe("pages", () => {
  it("the home page has the strict policy, and every script carries its nonce", async () => {
    const { res, policy, nonce } = await page("/");
    expect(res.status).toBe(200);
    expect(policy).toBe(
      `default-src 'self'; script-src 'self' 'nonce-${nonce}' 'strict-dynamic'; style-src 'self'; style-src-attr 'unsafe-inline'; ` +
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    const d = directives(policy);
    expect(d.get("frame-ancestors")).toEqual(["'none'"]);
    expect(d.get("object-src")).toEqual(["'none'"]);
    expect(d.get("base-uri")).toEqual(["'none'"]);
    expect(d.get("style-src")).toEqual(["'self'"]);
  });

  it("each request gets a new nonce", async () => {
    const first = await page("/");
    const second = await page("/");
    expect(second.nonce).not.toBe(first.nonce);
  });

  it("the new-debate form, a debate page and the not-found page are nonced too", async () => {
    // The new-debate form is for signed-in facilitators.
    const user = await server.services.signUp(randomAccount(), "security-headers-test");
    const session = await server.services.startSession(user);
    const form = await page("/debates/new", { headers: { cookie: `sm_session=${session.token}` } });
    expect(new URL(form.res.url).pathname).toBe("/debates/new");
    const created = await api(server.url, "/api/debates", { body: { sourceText: seedArticle, publish: true }, token: await facilitatorToken(server.url) });
    expect(created.status).toBe(201);
    const debate = await page(`/debates/${created.json.id}`);
    expect(debate.res.status).toBe(200);
    expect(debate.html).toContain("data-testid=\"connection-status\"");
    const missing = await page("/no-such-page");
    expect(missing.res.status).toBe(404);
  });

  it("HEAD and static files get the page headers as well", async () => {
    const head = await fetch(`${server.url}/`, { method: "HEAD" });
    expectCommonHeaders(head);
    nonceOf(head.headers.get("content-security-policy") ?? "");
    const favicon = await fetch(`${server.url}/favicon.svg`);
    expect(favicon.status).toBe(200);
    expectCommonHeaders(favicon);
    expect(favicon.headers.get("content-security-policy")).toMatch(/default-src 'self'/);
  });
});

describe("every page type", () => {
  // The route patterns as app/routes.ts lists them, so a new page is checked without editing this test.
  const routePatterns = [...readFileSync(new URL("../../app/routes.ts", import.meta.url), "utf8").matchAll(/(?:index|route)\(\s*(?:"([^"]*)",\s*)?"routes\/[^"]+"/g)].map((m) => `/${m[1] ?? ""}`);

  it("app/routes.ts lists the pages this test walks", () => {
    expect(routePatterns).toContain("/");
    expect(routePatterns).toContain("/debates/:debateId");
    expect(routePatterns.length).toBeGreaterThanOrEqual(15);
  });

  it("each answers with the common headers and, when it renders, a nonced policy (as a signed-in facilitator)", async () => {
    const user = await server.services.signUp(randomAccount(), "security-headers-every-page");
    const session = await server.services.startSession(user);
    const cookie = `sm_session=${session.token}`;
    const created = await api(server.url, "/api/debates", { body: { sourceText: seedArticle, publish: true }, token: await facilitatorToken(server.url) });
    expect(created.status).toBe(201);
    const checked: string[] = [];
    for (const pattern of routePatterns) {
      const path = pattern.replace(":debateId", created.json.id).replace(":token", "no-such-token").replace("*", "no-such-page");
      const res = await fetch(`${server.url}${path}`, { headers: { cookie }, redirect: "manual" });
      expectCommonHeaders(res);
      if (res.status >= 300 && res.status < 400) {
        await res.arrayBuffer();
      } else {
        expect(res.status, path).toBeLessThan(500);
        nonceOf(res.headers.get("content-security-policy") ?? "");
        const html = await res.text();
        expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i);
      }
      checked.push(`${pattern} ${res.status}`);
    }
    expect(checked).toHaveLength(routePatterns.length);
  });
});

describe("JSON responses", () => {
  for (const path of ["/healthz", "/api/debates", "/api/no-such-endpoint"]) {
    it(`${path} allows nothing to load and cannot be framed`, async () => {
      const res = await fetch(`${server.url}${path}`);
      await res.arrayBuffer();
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expectCommonHeaders(res);
      expect(res.headers.get("content-security-policy")).toBe(NON_DOCUMENT_CSP);
      expect(NON_DOCUMENT_CSP).toBe("default-src 'none'; frame-ancestors 'none'");
    });
  }
});

describe("addresses whose %-codes do not decode", () => {
  it("a page answers 400 with a sentence in the reader's language and a way home; the API answers JSON blaming the address", async () => {
    for (const path of ["/%ff", "/debates/%ff", "/debates/00000000-0000-4000-8000-000000000000/arguments/%ff"]) {
      const german = await fetch(`${server.url}${path}`, { headers: { "Accept-Language": "de" } });
      expect(german.status).toBe(400);
      expect(german.headers.get("content-type")).toMatch(/^text\/html/);
      expectCommonHeaders(german);
      const html = await german.text();
      expect(html).toContain('<html lang="de">');
      expect(html).toContain("fehlerhaften %-Code");
      expect(html).toContain('<a href="/">');
      expect(html).not.toContain("URI malformed");
    }
    const english = await (await fetch(`${server.url}/debates/%ff`)).text();
    expect(english).toContain("This address has a broken %-code");
    const apiReply = await fetch(`${server.url}/api/debates/%ff`, { headers: { "Accept-Language": "fr" } });
    expect(apiReply.status).toBe(400);
    expect(await apiReply.json()).toEqual({ error: { code: "validation_failed", message: "Cette adresse contient un code % erroné et ne peut pas être lue. Vérifiez le lien ou allez à la page d’accueil." } });
  });
});
