/**
 * Issue 20, points 1, 2 and 6 over HTTP against the built app (`npm run build`
 * first): links in mail never come from the request (Host, Origin,
 * X-Forwarded-*); with PUBLIC_URL set, requests for other hosts are refused
 * (400) on pages, the API and the socket.io handshake, ALLOWED_HOSTS adds
 * hosts and TRUST_PROXY decides whether X-Forwarded-Host counts; with an
 * https PUBLIC_URL every cookie is Secure and `__Host-` and HSTS is sent,
 * without one neither; GET /metrics needs METRICS_TOKEN.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startServer, type RunningServer } from "../../server/app";
import { CapturingMailer } from "../../server/services/mailer";
import { HSTS_HEADER } from "../../server/site";
import { api, facilitatorToken, randomAccount } from "../support/api-client";
import { seedArticle } from "../support/article";
import { getPage, postForm } from "../support/page-client";
import { formBody, rawRequest } from "../support/raw-http";
import { useTestServer } from "../support/test-server";

const PUBLIC_HOST = "steelman.example.org";
const METRICS_TOKEN = "metrics-token-for-the-tests-0123456789";

// A: as `npm start` without PUBLIC_URL (links from the listening address, any host answered, plain http).
const plainMailer = new CapturingMailer();
const { server: plain } = useTestServer({ serveApp: true, rateLimits: "off", mailer: plainMailer });

// B: PUBLIC_URL https, ALLOWED_HOSTS adding localhost and a school's domain, METRICS_TOKEN set. No TRUST_PROXY.
const publicMailer = new CapturingMailer();
let site: RunningServer;
// C: the same behind a trusted proxy (TRUST_PROXY=loopback): X-Forwarded-Host counts.
let proxied: RunningServer;
beforeAll(async () => {
  const common = { databaseUrl: inject("databaseUrl"), port: 0, serveApp: true, rateLimits: "off" as const, publicUrl: `https://${PUBLIC_HOST}`, allowedHosts: ["localhost", ".school.example"] };
  site = await startServer({ ...common, mailer: publicMailer, metricsToken: METRICS_TOKEN });
  proxied = await startServer({ ...common, trustProxy: "loopback" });
});
afterAll(async () => {
  await site?.close();
  await proxied?.close();
});

/** The reset link in the newest mail to `to`. */
function mailedLink(mailer: CapturingMailer, to: string): URL {
  const message = mailer.sent.filter((m) => m.to === to).at(-1);
  expect(message, `a mail to ${to}`).toBeDefined();
  const link = /https?:\/\/\S+\/reset-password\/[A-Za-z0-9_-]{43}/.exec(message!.text)?.[0];
  expect(link, message!.text).toBeDefined();
  return new URL(link!);
}

describe("links in mail come from configuration, never from the request (reset-link poisoning)", () => {
  it("without PUBLIC_URL, a forged Host, Origin and X-Forwarded-Host do not choose the link: it points to the listening address", async () => {
    const account = randomAccount();
    expect((await api(plain.url, "/api/accounts", { body: account })).status).toBe(201);
    const evil = "evil.example";
    const { body, headers } = formBody({ email: account.email });
    const res = await rawRequest(plain.url, "/forgot-password", {
      body,
      headers: { ...headers, Host: evil, Origin: `http://${evil}`, "X-Forwarded-Host": "evil-forwarded.example", "X-Forwarded-Proto": "https" },
    });
    expect(res.status).toBe(200);
    await expect.poll(() => plainMailer.sent.some((m) => m.to === account.email)).toBe(true);
    const link = mailedLink(plainMailer, account.email);
    expect(link.origin).toBe(plain.site.linkOrigin);
    expect(link.port).toBe(String(plain.port));
    expect(plainMailer.sent.at(-1)!.text).not.toMatch(/evil/);
  });

  it("with PUBLIC_URL, the link is PUBLIC_URL's, whichever allowed host the request named", async () => {
    const account = randomAccount();
    expect((await api(site.url, "/api/accounts", { body: account })).status).toBe(201);
    const { body, headers } = formBody({ email: account.email });
    const res = await rawRequest(site.url, "/forgot-password", { body, headers: { ...headers, Host: `class.school.example:${site.port}`, Origin: `http://class.school.example:${site.port}` } });
    expect(res.status).toBe(200);
    await expect.poll(() => publicMailer.sent.some((m) => m.to === account.email)).toBe(true);
    expect(mailedLink(publicMailer, account.email).origin).toBe(`https://${PUBLIC_HOST}`);
  });
});

describe("with PUBLIC_URL set, requests for other hosts are refused (ALLOWED_HOSTS)", () => {
  it("refuses a foreign Host with 400 on pages, forms, the API and the socket.io handshake, before anything reads the request", async () => {
    const before = publicMailer.sent.length;
    const foreign = { Host: "evil.example" };
    const page = await rawRequest(site.url, "/", { headers: foreign });
    expect(page.status).toBe(400);
    expect(page.text).toMatch(/does not answer for that host name/);
    const account = randomAccount();
    const { body, headers } = formBody({ email: account.email });
    expect((await rawRequest(site.url, "/forgot-password", { body, headers: { ...headers, ...foreign, Origin: "http://evil.example" } })).status).toBe(400);
    const apiReply = await rawRequest(site.url, "/api/debates", { headers: foreign });
    expect(apiReply.status).toBe(400);
    expect(JSON.parse(apiReply.text).error.code).toBe("validation_failed");
    const handshake = await rawRequest(site.url, "/socket.io/?EIO=4&transport=polling", { headers: foreign });
    expect(handshake.status).toBeGreaterThanOrEqual(400);
    expect(publicMailer.sent.length).toBe(before);
  });

  it("answers PUBLIC_URL's host, the ALLOWED_HOSTS (exact, and a domain with its subdomains), on any port", async () => {
    for (const host of [PUBLIC_HOST, `${PUBLIC_HOST}:443`, `localhost:${site.port}`, "school.example", "a.class.school.example", "STEELMAN.example.org"]) {
      expect((await rawRequest(site.url, "/", { headers: { Host: host } })).status, host).toBe(200);
    }
    for (const host of ["evil.example", "school.example.evil.example", "evilschool.example", `${PUBLIC_HOST}.evil.example`]) {
      expect((await rawRequest(site.url, "/", { headers: { Host: host } })).status, host).toBe(400);
    }
    const handshake = await rawRequest(site.url, "/socket.io/?EIO=4&transport=polling", { headers: { Host: PUBLIC_HOST } });
    expect(handshake.status).toBe(200);
  });

  it("answers /healthz and /metrics for any host (probes and scrapers use addresses; /metrics has its own token)", async () => {
    expect((await rawRequest(site.url, "/healthz", { headers: { Host: "10.0.0.7:3000" } })).status).toBe(200);
    expect((await rawRequest(site.url, "/metrics", { headers: { Host: "10.0.0.7:3000", Authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(200);
  });

  it("ignores X-Forwarded-Host unless TRUST_PROXY trusts the proxy that sent it", async () => {
    // Not trusted: the Host counts, the forwarded header is ignored either way.
    expect((await rawRequest(site.url, "/", { headers: { Host: PUBLIC_HOST, "X-Forwarded-Host": "evil.example" } })).status).toBe(200);
    expect((await rawRequest(site.url, "/", { headers: { Host: "evil.example", "X-Forwarded-Host": PUBLIC_HOST } })).status).toBe(400);
    // Trusted (loopback): the forwarded host is the one checked.
    expect((await rawRequest(proxied.url, "/", { headers: { Host: "internal:3000", "X-Forwarded-Host": PUBLIC_HOST } })).status).toBe(200);
    expect((await rawRequest(proxied.url, "/", { headers: { Host: PUBLIC_HOST, "X-Forwarded-Host": "evil.example" } })).status).toBe(400);
    expect((await rawRequest(proxied.url, "/socket.io/?EIO=4&transport=polling", { headers: { Host: PUBLIC_HOST, "X-Forwarded-Host": "evil.example" } })).status).toBeGreaterThanOrEqual(400);
  });
});

describe("cookies and HSTS follow PUBLIC_URL's scheme, not NODE_ENV", () => {
  it("over https: the session, device and participant cookies are Secure, __Host- (Path=/, no Domain), HttpOnly, SameSite=Lax", async () => {
    const signup = await postForm(site.url, "/signup", randomAccount());
    expect(signup.status).toBe(302);
    const cookies = signup.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith("__Host-sm_session="));
    const device = cookies.find((c) => c.startsWith("__Host-sm_device="));
    for (const cookie of [session, device]) {
      expect(cookie).toBeDefined();
      expect(cookie).toMatch(/; Secure/i);
      expect(cookie).toMatch(/; HttpOnly/i);
      expect(cookie).toMatch(/; SameSite=Lax/i);
      expect(cookie).toMatch(/; Path=\//i);
      expect(cookie).not.toMatch(/; Domain=/i);
    }
    expect(cookies.some((c) => c.startsWith("sm_session="))).toBe(false);

    const created = await api(site.url, "/api/debates", { body: { sourceText: seedArticle, publish: true }, token: await facilitatorToken(site.url) });
    const joined = await postForm(site.url, `/debates/${created.json.id}`, { displayName: "Pia" });
    expect(joined.status).toBe(302);
    const participant = joined.headers.getSetCookie().find((c) => c.startsWith("__Host-sm_"));
    expect(participant).toMatch(/; Secure/i);
    expect(participant).toMatch(/; HttpOnly/i);
  });

  it("over https, only the __Host- session cookie is read: a plain sm_session (settable by a sibling host or over http) is ignored", async () => {
    const signup = await postForm(site.url, "/signup", randomAccount());
    const pair = signup.headers.getSetCookie().find((c) => c.startsWith("__Host-sm_session="))!.split(";")[0]!;
    const token = pair.slice("__Host-sm_session=".length);
    expect((await getPage(site.url, "/account", pair)).status).toBe(200);
    expect((await getPage(site.url, "/account", `sm_session=${token}`)).status).toBe(302);
    expect((await fetch(`${site.url}/api/account`, { headers: { cookie: `sm_session=${token}` } })).status).toBe(401);
    expect((await fetch(`${site.url}/api/account`, { headers: { cookie: pair } })).status).toBe(200);
  });

  it("over https, every response carries HSTS for at least a year with subdomains: pages, API, health, errors", async () => {
    for (const path of ["/", "/login", "/api/debates", "/healthz", "/no-such-page"]) {
      const res = await fetch(`${site.url}${path}`);
      const hsts = res.headers.get("strict-transport-security");
      expect(hsts, path).toBe(HSTS_HEADER);
      expect(Number(/max-age=(\d+)/.exec(hsts!)![1])).toBeGreaterThanOrEqual(365 * 24 * 3600);
      expect(hsts).toMatch(/includeSubDomains/);
    }
    expect((await rawRequest(site.url, "/", { headers: { Host: "evil.example" } })).headers["strict-transport-security"]).toBeUndefined();
  });

  it("over plain http (no PUBLIC_URL), even with NODE_ENV=production: no Secure, no prefix, no HSTS", async () => {
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      const signup = await postForm(plain.url, "/signup", randomAccount());
      const cookies = signup.headers.getSetCookie();
      expect(cookies.find((c) => c.startsWith("sm_session="))).not.toMatch(/; Secure/i);
      expect(cookies.some((c) => c.startsWith("__Host-"))).toBe(false);
      expect((await fetch(`${plain.url}/`)).headers.get("strict-transport-security")).toBeNull();
    } finally {
      process.env.NODE_ENV = saved;
    }
  });
});

describe("held: other origins can neither read answers nor open live connections", () => {
  it("sends no CORS header to another origin, not even to a preflight", async () => {
    const cross = { Origin: "http://evil.example" };
    for (const res of [
      await fetch(`${plain.url}/api/debates`, { headers: cross }),
      await fetch(`${plain.url}/api/account`, { headers: cross }),
      await fetch(`${plain.url}/api/debates`, { method: "OPTIONS", headers: { ...cross, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type" } }),
    ]) {
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    }
  });

  it("refuses a socket.io handshake from a page of another origin, and accepts one from its own", async () => {
    const host = new URL(plain.url).host;
    const foreign = await rawRequest(plain.url, "/socket.io/?EIO=4&transport=polling", { headers: { Host: host, Origin: "http://evil.example" } });
    expect(foreign.status).toBeGreaterThanOrEqual(400);
    const own = await rawRequest(plain.url, "/socket.io/?EIO=4&transport=polling", { headers: { Host: host, Origin: plain.url } });
    expect(own.status).toBe(200);
  });
});

describe("GET /metrics is private (METRICS_TOKEN)", () => {
  it("is closed (404, with a sentence) when no METRICS_TOKEN is set", async () => {
    const res = await fetch(`${plain.url}/metrics`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/METRICS_TOKEN/);
  });

  it("answers 401 without the bearer token or with a wrong one, and the figures with it", async () => {
    const none = await fetch(`${site.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await fetch(`${site.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}x` } })).status).toBe(401);
    expect((await fetch(`${site.url}/metrics`, { headers: { Authorization: "Bearer short" } })).status).toBe(401);
    const ok = await fetch(`${site.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(ok.status).toBe(200);
    const figures = (await ok.json()) as { rssBytes: number; connectedSockets: number };
    expect(figures.rssBytes).toBeGreaterThan(0);
    expect(figures.connectedSockets).toBeGreaterThanOrEqual(0);
  });
});
