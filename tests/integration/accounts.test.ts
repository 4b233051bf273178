/**
 * Facilitator accounts end to end over HTTP against the built app (`npm run
 * build` first: serveApp reads build/): sign-up, sign-in, sessions and their
 * cookie, sign-out (here and everywhere), password reset through a capturing
 * mailer, API tokens, debate creation needing an account, and the host
 * recognised by their account after losing the participant cookie — in
 * pages, the JSON API and the socket handshake.
 */
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type WelcomePayload, ServerEvent } from "../../app/shared/contract";
import { startServer, type RunningServer } from "../../server/app";
import { useTestServer } from "../support/test-server";
import { createServices } from "../../server/services";
import { silentPublisher } from "../../server/services/context";
import { CapturingMailer } from "../../server/services/mailer";
import { DEFAULT_RATE_LIMITS, RateLimits } from "../../server/services/rate-limits";
import { Site } from "../../server/site";
import { api, randomAccount } from "../support/api-client";
import { seedArticle } from "../support/article";
import { getPage, postForm } from "../support/page-client";

const mailer = new CapturingMailer();

const { server } = useTestServer({ serveApp: true, rateLimits: "off", mailer });

// ---------------------------------------------------------------- helpers

/** The sm_session Set-Cookie header of a reply (undefined when none). */
function sessionSetCookie(res: Response): string | undefined {
  return res.headers.getSetCookie().find((c) => c.startsWith("sm_session="));
}

/** `sm_session=<token>` for a Cookie header, from a reply that set it. */
function sessionCookieFrom(res: Response): string {
  const header = sessionSetCookie(res);
  expect(header, "the reply sets the session cookie").toBeDefined();
  const pair = header!.split(";")[0]!;
  expect(pair.length).toBeGreaterThan("sm_session=".length + 40);
  return pair;
}

/** Signs up through the page; returns the account and its session cookie. */
async function signUpByPage(displayName = "Pat Facilitator") {
  const account = randomAccount(displayName);
  const res = await postForm(server.url, "/signup", account);
  expect(res.status).toBe(302);
  return { account, cookie: sessionCookieFrom(res) };
}

/** A JSON request authenticated by a session cookie, as the browser's own pages send it. */
function withSession(path: string, cookie: string, init: { method?: string; body?: unknown } = {}) {
  return fetch(`${server.url}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { cookie, Origin: server.url, "Content-Type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}`, "Content-Type": "application/json" });

// ---------------------------------------------------------------- tests

describe("sign-up and sessions", () => {
  it("signs up through the page, stores only an argon2id hash, and sets an httpOnly, SameSite=Lax session cookie", async () => {
    const account = randomAccount("Pat Facilitator");
    const res = await postForm(server.url, "/signup", { ...account, email: `  ${account.email.toUpperCase()} ` });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/account");
    const header = sessionSetCookie(res)!;
    expect(header).toMatch(/; HttpOnly/i);
    expect(header).toMatch(/; SameSite=Lax/i);
    expect(header).toMatch(/; Path=\//i);
    expect(header).not.toMatch(/; Secure/i); // NODE_ENV=test: plain HTTP
    const user = await server.db.user.findUniqueOrThrow({ where: { email: account.email } }); // trimmed and lower-cased
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(user.passwordHash).not.toContain(account.password);
    // Only the session token's SHA-256 is stored.
    const token = decodeURIComponent(sessionCookieFrom(res).slice("sm_session=".length));
    const sessions = await server.db.session.findMany({ where: { userId: user.id } });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(sessions[0]!.tokenHash).not.toBe(token);
    // Idle end 14 days on; the cookie itself lasts until the absolute end, 30 days after sign-in.
    expect(sessions[0]!.expiresAt.getTime() - Date.now()).toBeGreaterThan(13 * 24 * 3600 * 1000);
    expect(sessions[0]!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(14 * 24 * 3600 * 1000);
    const maxAge = Number(/Max-Age=(\d+)/i.exec(header)?.[1]);
    expect(maxAge).toBeGreaterThan(29 * 24 * 3600);
    expect(maxAge).toBeLessThanOrEqual(30 * 24 * 3600);

    const accountPage = await getPage(server.url, "/account", sessionCookieFrom(res));
    expect(accountPage.status).toBe(200);
    const html = await accountPage.text();
    expect(html).toContain("Pat Facilitator");
    expect(html).toContain(account.email);
  });

  it("without an https PUBLIC_URL, cookies are not Secure whatever NODE_ENV says (tests/integration/site-security.test.ts covers https)", async () => {
    const saved = process.env.NODE_ENV;
    try {
      process.env.NODE_ENV = "production";
      expect(sessionSetCookie(await postForm(server.url, "/signup", randomAccount()))).not.toMatch(/; Secure/i);
    } finally {
      process.env.NODE_ENV = saved;
    }
  });

  it("refuses a second account with the same email with 409 and a sentence, on the API and the page", async () => {
    const account = randomAccount();
    expect((await api(server.url, "/api/accounts", { body: account })).status).toBe(201);
    const again = await api(server.url, "/api/accounts", { body: { ...account, email: account.email.toUpperCase() } });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("conflict");
    expect(again.json.error.field).toBe("email");
    expect(again.json.error.message).toMatch(/already exists/);
    const page = await postForm(server.url, "/signup", account);
    expect(page.status).toBe(409);
    expect(sessionSetCookie(page)).toBeUndefined();
    expect(await page.text()).toContain("An account with this email address already exists");
  });

  it("refuses weak passwords and bad emails, naming the field", async () => {
    const base = randomAccount();
    for (const [body, field, message] of [
      [{ ...base, password: "short1" }, "password", /at least 8/],
      [{ ...base, password: base.email }, "password", /email/],
      [{ ...base, password: "1234567890" }, "password", /too easy to guess/],
      [{ ...base, password: "Password1!" }, "password", /too easy to guess/],
      [{ ...base, password: "a".repeat(201) }, "password", /at most 200/],
      [{ ...base, email: "not-an-email" }, "email", /email address/],
      [{ ...base, displayName: "\u202eevil" }, "displayName", /direction/],
    ] as const) {
      const res = await api(server.url, "/api/accounts", { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.field).toBe(field);
      expect(res.json.error.message).toMatch(message);
    }
    expect(await server.db.user.count({ where: { email: base.email } })).toBe(0);
  });

  it("answers a wrong password, an unknown email and a malformed one alike: 401, one generic sentence, no cookie", async () => {
    const { account } = await signUpByPage();
    const replies = [
      await postForm(server.url, "/login", { email: account.email, password: "wrong password here" }),
      await postForm(server.url, "/login", { email: `nobody-${Date.now()}@example.org`, password: account.password }), // checked against the dummy hash
      await postForm(server.url, "/login", { email: "not an email", password: "" }),
    ];
    for (const res of replies) {
      expect(res.status).toBe(401);
      expect(sessionSetCookie(res)).toBeUndefined();
      expect(await res.text()).toContain("The email or password is wrong.");
    }
    const ok = await postForm(server.url, "/login", { email: account.email.toUpperCase(), password: account.password });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toBe("/");
    sessionCookieFrom(ok);
  });

  it("honours ?next= only for paths on this site", async () => {
    const { account } = await signUpByPage();
    const after = async (next: string) => (await postForm(server.url, "/login", { ...account, next })).headers.get("location");
    expect(await after("/debates/new")).toBe("/debates/new");
    expect(await after("//evil.example/x")).toBe("/");
    expect(await after("/\\evil.example")).toBe("/");
    expect(await after("https://evil.example/")).toBe("/");
    expect(await after("javascript:alert(1)")).toBe("/");
    // Signed-out visitors of the new-debate page are sent to sign in, and back.
    const gate = await getPage(server.url, "/debates/new");
    expect(gate.status).toBe(302);
    expect(gate.headers.get("location")).toBe("/login?next=%2Fdebates%2Fnew");
  });

  it("signing out ends that session only: its cookie stops working, the other browser stays signed in", async () => {
    const { account, cookie } = await signUpByPage();
    const other = sessionCookieFrom(await postForm(server.url, "/login", account));
    const out = await postForm(server.url, "/logout", {}, cookie);
    expect(out.status).toBe(302);
    expect(sessionSetCookie(out)).toMatch(/^sm_session=;.*Max-Age=0/i);
    const gone = await getPage(server.url, "/account", cookie);
    expect(gone.status).toBe(302);
    expect(gone.headers.get("location")).toBe("/login?next=%2Faccount");
    expect((await getPage(server.url, "/account", other)).status).toBe(200);
    const user = await server.db.user.findUniqueOrThrow({ where: { email: account.email } });
    expect(await server.db.session.count({ where: { userId: user.id } })).toBe(1);
  });

  it("signing out everywhere ends every session of the account, and API tokens keep working", async () => {
    const account = randomAccount();
    const signup = await api(server.url, "/api/accounts", { body: account });
    const apiToken = signup.json.apiToken as string;
    const first = sessionCookieFrom(await postForm(server.url, "/login", account));
    const second = sessionCookieFrom(await postForm(server.url, "/login", account));
    const everywhere = await postForm(server.url, "/account", { intent: "signOutEverywhere" }, first);
    expect(everywhere.status).toBe(302);
    expect(everywhere.headers.get("location")).toBe("/login?notice=everywhere");
    for (const cookie of [first, second]) expect((await getPage(server.url, "/account", cookie)).status).toBe(302);
    expect(await server.db.session.count({ where: { userId: signup.json.user.id } })).toBe(0);
    expect((await fetch(`${server.url}/api/account`, { headers: bearer(apiToken) })).status).toBe(200);
  });

  it("an expired session is refused and removed", async () => {
    const { cookie, account } = await signUpByPage();
    const user = await server.db.user.findUniqueOrThrow({ where: { email: account.email } });
    await server.db.session.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await getPage(server.url, "/account", cookie)).status).toBe(302);
    expect(await server.db.session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("a session used after an hour slides to 14 idle days from then", async () => {
    const { cookie, account } = await signUpByPage();
    const user = await server.db.user.findUniqueOrThrow({ where: { email: account.email } });
    const old = new Date(Date.now() - 2 * 3600 * 1000);
    await server.db.session.updateMany({ where: { userId: user.id }, data: { lastUsedAt: old, expiresAt: new Date(Date.now() + 3600 * 1000) } });
    expect((await getPage(server.url, "/account", cookie)).status).toBe(200);
    const session = await server.db.session.findFirstOrThrow({ where: { userId: user.id } });
    expect(session.lastUsedAt.getTime()).toBeGreaterThan(old.getTime());
    expect(session.expiresAt.getTime() - Date.now()).toBeGreaterThan(13 * 24 * 3600 * 1000);
  });

  it("however much it is used, a session ends 30 days after sign-in (absolute lifetime), and sliding never passes that", async () => {
    const { cookie, account } = await signUpByPage();
    const user = await server.db.user.findUniqueOrThrow({ where: { email: account.email } });
    const day = 24 * 3600 * 1000;
    // Signed in 29 days ago, used an hour ago… and again now: the idle end moves, but only up to day 30.
    await server.db.session.updateMany({ where: { userId: user.id }, data: { createdAt: new Date(Date.now() - 29 * day), lastUsedAt: new Date(Date.now() - 2 * 3600 * 1000) } });
    expect((await getPage(server.url, "/account", cookie)).status).toBe(200);
    const session = await server.db.session.findFirstOrThrow({ where: { userId: user.id } });
    expect(session.expiresAt.getTime()).toBe(session.createdAt.getTime() + 30 * day);
    // Day 30 and a minute, used every hour (its idle end is far away): it has ended.
    await server.db.session.updateMany({ where: { userId: user.id }, data: { createdAt: new Date(Date.now() - 30 * day - 60_000), lastUsedAt: new Date(), expiresAt: new Date(Date.now() + 10 * day) } });
    const gone = await getPage(server.url, "/account", cookie);
    expect(gone.status).toBe(302);
    expect(gone.headers.get("location")).toBe("/login?next=%2Faccount");
    expect(await server.db.session.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe("password reset", () => {
  const resetLink = (to: string) => {
    const message = mailer.sent.filter((m) => m.to === to).at(-1);
    expect(message, `a reset mail to ${to}`).toBeDefined();
    const link = /https?:\/\/\S+\/reset-password\/[A-Za-z0-9_-]{43}/.exec(message!.text)?.[0];
    expect(link).toBeDefined();
    return new URL(link!);
  };

  it("answers the same for known and unknown emails, and mails a link only to the account", async () => {
    const { account } = await signUpByPage("Rita Reset");
    const before = mailer.sent.length;
    const known = await postForm(server.url, "/forgot-password", { email: account.email });
    const unknown = await postForm(server.url, "/forgot-password", { email: `nobody-${Date.now()}@example.org` });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const sentence = "If an account exists for";
    expect(await known.text()).toContain(sentence);
    expect(await unknown.text()).toContain(sentence);
    await expect.poll(() => mailer.sent.length).toBe(before + 1);
    const message = mailer.sent.at(-1)!;
    expect(message.to).toBe(account.email);
    expect(message.subject).toMatch(/Reset your Steelman password/);
    expect(message.text).toContain("Rita Reset");
    // No PUBLIC_URL: the link uses the address the server listens on (never the request's Host).
    expect(resetLink(account.email).origin).toBe(server.site.linkOrigin);
  });

  it("mails the link in the language of the request that asked for it, and refuses in the page's language", async () => {
    const { account } = await signUpByPage("Rita Rücksetzen");
    const before = mailer.sent.length;
    const asked = await postForm(server.url, "/forgot-password", { email: account.email }, "lang=de");
    expect(await asked.text()).toContain("Falls es ein Konto für");
    await expect.poll(() => mailer.sent.length).toBe(before + 1);
    const message = mailer.sent.at(-1)!;
    expect(message.subject).toBe("Ihr Steelman-Passwort zurücksetzen");
    expect(message.text).toMatch(/^Hallo Rita Rücksetzen,/);
    const link = resetLink(account.email);
    expect(message.text.split("\n")).toContain(link.href);
    const weak = await postForm(server.url, link.pathname, { password: "Password1!" }, "lang=fr");
    expect(weak.status).toBe(400);
    expect(await weak.text()).toMatch(/<p id="password-error" class="error" role="alert">Ce mot de passe est trop facile à deviner\. [^<]+<\/p>/);
  });

  it("sets a new password once: the old one stops working, every session ends, the link cannot be used again", async () => {
    const { account, cookie } = await signUpByPage();
    const other = sessionCookieFrom(await postForm(server.url, "/login", account));
    await postForm(server.url, "/forgot-password", { email: account.email });
    await expect.poll(() => mailer.sent.some((m) => m.to === account.email)).toBe(true);
    const link = resetLink(account.email);

    const form = await getPage(server.url, link.pathname);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain("Choose a new password");
    const weak = await postForm(server.url, link.pathname, { password: "short" });
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain("at least 8 characters");

    const newPassword = "a brand new passphrase";
    const done = await postForm(server.url, link.pathname, { password: newPassword });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("/login?notice=reset");
    for (const c of [cookie, other]) expect((await getPage(server.url, "/account", c)).status).toBe(302);

    expect((await postForm(server.url, "/login", account)).status).toBe(401);
    expect((await postForm(server.url, "/login", { email: account.email, password: newPassword })).status).toBe(302);

    const reused = await postForm(server.url, link.pathname, { password: "yet another passphrase" });
    expect(reused.status).toBe(400);
    expect(await reused.text()).toContain("expired or was already used");
    expect(await (await getPage(server.url, link.pathname)).text()).toContain("This link no longer works");
    expect((await postForm(server.url, "/login", { email: account.email, password: newPassword })).status).toBe(302);
  });

  it("a link older than an hour no longer works", async () => {
    const { account } = await signUpByPage();
    await postForm(server.url, "/forgot-password", { email: account.email });
    await expect.poll(() => mailer.sent.some((m) => m.to === account.email)).toBe(true);
    const link = resetLink(account.email);
    const user = await server.db.user.findUniqueOrThrow({ where: { email: account.email } });
    const row = await server.db.passwordReset.findFirstOrThrow({ where: { userId: user.id } });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(3600 * 1000);
    await server.db.passwordReset.update({ where: { id: row.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const late = await postForm(server.url, link.pathname, { password: "a brand new passphrase" });
    expect(late.status).toBe(400);
    expect((await postForm(server.url, "/login", account)).status).toBe(302); // the old password still works
  });

  it("puts PUBLIC_URL in the link when it is set", async () => {
    const publicMailer = new CapturingMailer();
    const services = createServices({ db: server.db, publisher: silentPublisher, limits: new RateLimits("off"), mailer: publicMailer, site: new Site({ publicUrl: "https://steelman.example.org/" }) });
    const user = await services.signUp(randomAccount(), "test");
    const { sent } = await services.requestPasswordReset({ email: user.email }, { address: "test" });
    await sent;
    expect(publicMailer.sent).toHaveLength(1);
    expect(publicMailer.sent[0]!.text).toMatch(/https:\/\/steelman\.example\.org\/reset-password\/[A-Za-z0-9_-]{43}/);
  });
});

describe("API tokens", () => {
  it("are created in the account page (shown once), listed by prefix, used by scripts, and revoked", async () => {
    const { cookie } = await signUpByPage("Tess Tokens");
    const created = await postForm(server.url, "/account", { intent: "createToken", name: "grading script" }, cookie);
    expect(created.status).toBe(200);
    const html = await created.text();
    const token = /smk_[A-Za-z0-9_-]{43}/.exec(html)?.[0];
    expect(token).toBeDefined();
    // The list shows the name and the first 12 characters only.
    const listing = await (await getPage(server.url, "/account", cookie)).text();
    expect(listing).toContain("grading script");
    expect(listing).toContain(token!.slice(0, 12));
    expect(listing).not.toContain(token!);

    const me = await fetch(`${server.url}/api/account`, { headers: bearer(token!) });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { displayName: string } }).user.displayName).toBe("Tess Tokens");
    const debate = await fetch(`${server.url}/api/debates`, { method: "POST", headers: bearer(token!), body: JSON.stringify({ sourceText: seedArticle }) });
    expect(debate.status).toBe(201);
    const row = await server.db.apiToken.findFirstOrThrow({ where: { prefix: token!.slice(0, 12) } });
    expect(row.lastUsedAt).not.toBeNull();
    expect(row.tokenHash).not.toContain(token!.slice(4));

    const revoked = await postForm(server.url, "/account", { intent: "revokeToken", tokenId: row.id }, cookie);
    expect(revoked.status).toBe(200);
    expect(await (await getPage(server.url, "/account", cookie)).text()).not.toContain(token!.slice(0, 12));
    const after = await fetch(`${server.url}/api/account`, { headers: bearer(token!) });
    expect(after.status).toBe(401);
    const refused = await fetch(`${server.url}/api/debates`, { method: "POST", headers: bearer(token!), body: JSON.stringify({ sourceText: seedArticle }) });
    expect(refused.status).toBe(401);
  });

  it("only their owner can revoke them", async () => {
    const owner = await api(server.url, "/api/accounts", { body: randomAccount() });
    const { cookie: intruder } = await signUpByPage("Ivy Intruder");
    const row = await server.db.apiToken.findFirstOrThrow({ where: { userId: owner.json.user.id } });
    const attempt = await postForm(server.url, "/account", { intent: "revokeToken", tokenId: row.id }, intruder);
    expect(attempt.status).toBe(404);
    expect((await fetch(`${server.url}/api/account`, { headers: bearer(owner.json.apiToken) })).status).toBe(200);
  });

  it("POST /api/accounts answers 201 with the user and a first token named \"first token\"", async () => {
    const account = randomAccount("Script Sam");
    const res = await api(server.url, "/api/accounts", { body: account });
    expect(res.status).toBe(201);
    expect(res.json.user).toEqual({ id: expect.any(String), email: account.email, displayName: "Script Sam" });
    expect(res.json.apiToken).toMatch(/^smk_[A-Za-z0-9_-]{43}$/);
    const tokens = await server.db.apiToken.findMany({ where: { userId: res.json.user.id } });
    expect(tokens.map((t) => t.name)).toEqual(["first token"]);
  });
});

describe("debates need an account", () => {
  it("POST /api/debates without a session or API token is 401 with a sentence, and writes nothing", async () => {
    const before = await server.db.debate.count();
    const anonymous = await api(server.url, "/api/debates", { body: { sourceText: seedArticle } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.error.code).toBe("unauthenticated");
    expect(anonymous.json.error.message).toMatch(/Sign in/);
    const unknownKey = await api(server.url, "/api/debates", { body: { sourceText: seedArticle }, token: `smk_${"x".repeat(43)}` });
    expect(unknownKey.status).toBe(401);
    // A participant token is not a facilitator's.
    const owner = await api(server.url, "/api/accounts", { body: randomAccount() });
    const created = await api(server.url, "/api/debates", { body: { sourceText: seedArticle, publish: true }, token: owner.json.apiToken });
    const joined = await api(server.url, `/api/debates/${created.json.id}/participants`, { body: { displayName: "Dee" } });
    expect((await api(server.url, "/api/debates", { body: { sourceText: seedArticle }, token: joined.json.token })).status).toBe(401);
    expect(await server.db.debate.count()).toBe(before + 1);
  });

  it("records the creator: Debate.createdById, and a host participant linked to the account under its name", async () => {
    const owner = await api(server.url, "/api/accounts", { body: randomAccount("Hana Host") });
    const created = await api(server.url, "/api/debates", { body: { sourceText: seedArticle }, token: owner.json.apiToken });
    expect(created.status).toBe(201);
    expect(created.json.hostToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.json.host.displayName).toBe("Hana Host");
    const debate = await server.db.debate.findUniqueOrThrow({ where: { id: created.json.id } });
    expect(debate.createdById).toBe(owner.json.user.id);
    const host = await server.db.participant.findUniqueOrThrow({ where: { id: created.json.host.id } });
    expect(host).toMatchObject({ role: "host", userId: owner.json.user.id, displayName: "Hana Host" });
  });

  it("recognises the host by their session after the participant cookie is lost: draft, review page, publishing, socket", async () => {
    const { cookie } = await signUpByPage("Sol Session");
    const created = await withSession("/api/debates", cookie, { body: { sourceText: seedArticle } });
    expect(created.status).toBe(201);
    const debate = (await created.json()) as { id: string; hostToken: string };

    // No participant cookie anywhere below: only the session.
    expect((await withSession(`/api/debates/${debate.id}`, cookie)).status).toBe(200);
    expect((await api(server.url, `/api/debates/${debate.id}`)).status).toBe(404);
    const review = await getPage(server.url, `/debates/${debate.id}/edit`, cookie);
    expect(review.status).toBe(200);
    expect(await review.text()).toContain("Publish debate");
    const signedOut = await getPage(server.url, `/debates/${debate.id}/edit`);
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.get("location")).toBe(`/login?next=${encodeURIComponent(`/debates/${debate.id}/edit`)}`);

    // Another facilitator is nobody in this debate.
    const { cookie: stranger } = await signUpByPage("Stan Stranger");
    expect((await withSession(`/api/debates/${debate.id}`, stranger)).status).toBe(404);
    expect((await getPage(server.url, `/debates/${debate.id}/edit`, stranger)).status).toBe(403);
    expect((await withSession(`/api/debates/${debate.id}/publish`, stranger, { body: {} })).status).toBe(401);

    // A cookie write from another site is refused before anything else.
    const crossSite = await fetch(`${server.url}/api/debates/${debate.id}/publish`, { method: "POST", headers: { cookie, Origin: "http://evil.example", "Content-Type": "application/json" }, body: "{}" });
    expect(crossSite.status).toBe(403);

    const published = await withSession(`/api/debates/${debate.id}/publish`, cookie, { body: {} });
    expect(published.status).toBe(200);
    expect(((await published.json()) as { status: string }).status).toBe("published");

    // The socket handshake authenticates from the session cookie it carries.
    const socket = io(server.url, { auth: { debateId: debate.id }, transports: ["websocket"], forceNew: true, reconnection: false, extraHeaders: { cookie } });
    try {
      const welcome = await new Promise<WelcomePayload>((resolve, reject) => {
        socket.once(ServerEvent.welcome, resolve);
        socket.once("connect_error", reject);
      });
      expect(welcome.participant).toMatchObject({ role: "host", displayName: "Sol Session" });
    } finally {
      socket.disconnect();
    }
    // And the account page lists the debate with its review link.
    const accountPage = await (await getPage(server.url, "/account", cookie)).text();
    expect(accountPage).toContain(`/debates/${debate.id}/edit`);
  });

  it("an API token acts as the host in the debates its account created", async () => {
    const owner = await api(server.url, "/api/accounts", { body: randomAccount() });
    const created = await api(server.url, "/api/debates", { body: { sourceText: seedArticle }, token: owner.json.apiToken });
    const published = await api(server.url, `/api/debates/${created.json.id}/publish`, { body: {}, token: owner.json.apiToken });
    expect(published.status).toBe(200);
    expect(published.json.status).toBe("published");
    const other = await api(server.url, "/api/accounts", { body: randomAccount() });
    const draft = await api(server.url, "/api/debates", { body: { sourceText: seedArticle }, token: owner.json.apiToken });
    expect((await api(server.url, `/api/debates/${draft.json.id}/publish`, { body: {}, token: other.json.apiToken })).status).toBe(401);
  });
});

describe("rate limits on accounts (default rules)", () => {
  let limited: RunningServer;
  beforeAll(async () => {
    limited = await startServer({ databaseUrl: inject("databaseUrl"), port: 0, serveApp: true, mailer: new CapturingMailer() });
  });
  afterAll(async () => {
    await limited?.close();
  });

  it("sign-in attempts beyond the rule are answered 429 with Retry-After", async () => {
    const attempt = () => postForm(limited.url, "/login", { email: "someone@example.org", password: "not the password" });
    for (let i = 0; i < DEFAULT_RATE_LIMITS.login.points; i++) expect((await attempt()).status).toBe(401);
    const refused = await attempt();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.text()).toMatch(/Try again in \d+ s/);
  });

  it("sign-ups beyond the rule from one address are answered 429 with Retry-After", async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i <= DEFAULT_RATE_LIMITS.signup.points; i++) {
      const res = await fetch(`${limited.url}/api/accounts`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(randomAccount()) });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get("retry-after");
    }
    expect(statuses.slice(0, -1).every((s) => s === 201)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
