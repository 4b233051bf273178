/**
 * Issue 20, points 4 and 5 over HTTP against the built app (`npm run build`
 * first): common and breached passwords are refused with the reason next to
 * the field; a password reset and the change-password page end every
 * session, API token, trusted browser and host link of the account (live
 * connections included) and a mail says so; failed sign-ins slow an account
 * down without locking its owner out of a browser it signed in from before
 * (device cookies), and parallel guesses cannot outrun the count.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ServerEvent } from "../../app/shared/contract";
import { startServer, type RunningServer } from "../../server/app";
import { CREDENTIALS_ENDED_MESSAGE } from "../../server/services/accounts";
import { CapturingMailer } from "../../server/services/mailer";
import { DEFAULT_RATE_LIMITS } from "../../server/services/rate-limits";
import { api, randomAccount } from "../support/api-client";
import { seedArticle } from "../support/article";
import { getPage, postForm } from "../support/page-client";
import { nextEvent } from "../support/socket-client";
import { useTestServer } from "../support/test-server";

const mailer = new CapturingMailer();
const { server, connect } = useTestServer({ serveApp: true, rateLimits: "off", mailer });

// ---------------------------------------------------------------- helpers

/** `name=value` of the Set-Cookie named `name` in a reply (undefined when none). */
function cookiePair(res: Response, name: string): string | undefined {
  return res.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${name}=`) && !c.startsWith(`${name}=;`))
    ?.split(";")[0];
}

/** A facilitator signed up through the page, with a session, a trusted browser, an API token and a published debate it hosts. */
async function facilitatorWithEverything(base: string) {
  const account = randomAccount("Hal Host");
  const signup = await postForm(base, "/signup", account);
  expect(signup.status).toBe(302);
  const session = cookiePair(signup, "sm_session")!;
  const device = cookiePair(signup, "sm_device")!;
  expect(session).toBeDefined();
  expect(device).toBeDefined();
  const created = await postForm(base, "/account", { intent: "createToken", name: "grading script" }, session);
  const apiToken = /smk_[A-Za-z0-9_-]{43}/.exec(await created.text())![0];
  const debate = await api(base, "/api/debates", { body: { sourceText: seedArticle, publish: true }, token: apiToken });
  expect(debate.status).toBe(201);
  const user = await server.db.user.findUniqueOrThrow({ where: { email: account.email } });
  return { account, user, session, device, apiToken, debateId: debate.json.id as string, hostToken: debate.json.hostToken as string };
}

/** What still works for a facilitator's old credentials: [session, API token, host link]. */
async function stillWorking(base: string, f: Awaited<ReturnType<typeof facilitatorWithEverything>>) {
  return [
    (await getPage(base, "/account", f.session)).status === 200,
    (await fetch(`${base}/api/account`, { headers: { Authorization: `Bearer ${f.apiToken}` } })).status === 200,
    (await api(base, `/api/debates/${f.debateId}/settings`, { token: f.hostToken })).status === 200,
  ];
}

/** The newest mail to `to` whose subject matches. */
const mailTo = (to: string, subject: RegExp) => mailer.sent.filter((m) => m.to === to && subject.test(m.subject)).at(-1);

// ---------------------------------------------------------------- passwords

describe("new passwords are checked against common and breached ones (NIST SP 800-63B)", () => {
  it.each(["Password1!", "P@ssw0rd123", "1q2w3e4r5t6y", "qwertyuiop1", "iloveyou!!"])("refuses %j on the sign-up page with the reason next to the field, and on the API", async (password) => {
    const account = { ...randomAccount(), password };
    const page = await postForm(server.url, "/signup", account);
    expect(page.status).toBe(400);
    expect(cookiePair(page, "sm_session")).toBeUndefined();
    const html = await page.text();
    // The reason is the field's own error, referenced by the input's aria-describedby.
    expect(html).toMatch(/<p id="password-error" class="error" role="alert">That password is too easy to guess\. [^<]+<\/p>/);
    expect(html).toMatch(/aria-describedby="password-error password-hint"/);
    const viaApi = await api(server.url, "/api/accounts", { body: { ...randomAccount(), password } });
    expect(viaApi.status).toBe(400);
    expect(viaApi.json.error.field).toBe("password");
    expect(viaApi.json.error.message).toMatch(/too easy to guess/);
    expect(await server.db.user.count({ where: { email: account.email } })).toBe(0);
  });

  it("accepts 8 unguessable characters and 64 or more characters", async () => {
    expect((await api(server.url, "/api/accounts", { body: { ...randomAccount(), password: "vK8#qz!L" } })).status).toBe(201);
    expect((await api(server.url, "/api/accounts", { body: { ...randomAccount(), password: "a quiet orchard keeps its apples for the winter market in the town" } })).status).toBe(201);
  });
});

// ---------------------------------------------------------------- ending credentials

describe("a password reset ends every credential of the account, and says so", () => {
  it("ends sessions, API tokens, trusted browsers and host links (the live connection too); signing in again makes the account host again", async () => {
    const f = await facilitatorWithEverything(server.url);
    expect(await stillWorking(server.url, f)).toEqual([true, true, true]);
    const live = await connect(f.debateId, f.hostToken);
    expect(live.welcome.participant?.role).toBe("host");
    const ended = nextEvent(live.socket, ServerEvent.error, (e) => e.message === CREDENTIALS_ENDED_MESSAGE);
    const disconnected = new Promise<string>((resolve) => live.socket.once("disconnect", resolve));

    await postForm(server.url, "/forgot-password", { email: f.account.email });
    await expect.poll(() => mailTo(f.account.email, /Reset your Steelman password/)).toBeDefined();
    const resetMail = mailTo(f.account.email, /Reset your Steelman password/)!;
    expect(resetMail.text).toMatch(/signs you out in every browser, revokes your API tokens\s+and ends the host links of your debates/);
    const link = new URL(/https?:\/\/\S+\/reset-password\/[A-Za-z0-9_-]{43}/.exec(resetMail.text)![0]);
    const newPassword = "a brand new passphrase for hal";
    expect((await postForm(server.url, link.pathname, { password: newPassword })).status).toBe(302);

    expect(await stillWorking(server.url, f)).toEqual([false, false, false]);
    await ended;
    expect(await disconnected).toBe("io server disconnect");
    expect(await server.db.session.count({ where: { userId: f.user.id } })).toBe(0);
    expect(await server.db.apiToken.count({ where: { userId: f.user.id, revokedAt: null } })).toBe(0);
    expect(await server.db.trustedDevice.count({ where: { userId: f.user.id } })).toBe(0);

    const notice = mailTo(f.account.email, /Your Steelman password was changed/);
    expect(notice?.text).toMatch(/changed with a reset link/);
    expect(notice?.text).toMatch(/every session \(1\)/);
    expect(notice?.text).toMatch(/every API token \(1\)/);
    expect(notice?.text).toMatch(/host links of your debates \(1\)/);
    expect(notice?.text).toMatch(/forgot-password/);

    const again = await postForm(server.url, "/login", { email: f.account.email, password: newPassword });
    expect(again.status).toBe(302);
    const settings = await fetch(`${server.url}/api/debates/${f.debateId}/settings`, { headers: { cookie: cookiePair(again, "sm_session")! } });
    expect(settings.status).toBe(200);
  });
});

describe("the change-password page", () => {
  it("is for signed-in facilitators only", async () => {
    const res = await getPage(server.url, "/account/password");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/login?next=%2Faccount%2Fpassword");
  });

  it("requires the current password, and refuses a common new one with the reason next to the field; nothing ends", async () => {
    const f = await facilitatorWithEverything(server.url);
    const wrong = await postForm(server.url, "/account/password", { currentPassword: "not my password", newPassword: "a perfectly good new passphrase" }, f.session);
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toMatch(/<p id="current-password-error" class="error" role="alert">The current password is wrong\.<\/p>/);
    const weak = await postForm(server.url, "/account/password", { currentPassword: f.account.password, newPassword: "P@ssw0rd123" }, f.session);
    expect(weak.status).toBe(400);
    expect(await weak.text()).toMatch(/<p id="password-error" class="error" role="alert">That password is too easy to guess\./);
    expect(await stillWorking(server.url, f)).toEqual([true, true, true]);
    expect((await postForm(server.url, "/login", f.account)).status).toBe(302);
  });

  it("changes it: every other session, API token and host link ends, this browser stays signed in with a new session, and a mail says so", async () => {
    const f = await facilitatorWithEverything(server.url);
    const otherBrowser = cookiePair(await postForm(server.url, "/login", f.account), "sm_session")!;
    const newPassword = "another long passphrase for hal";
    const changed = await postForm(server.url, "/account/password", { currentPassword: f.account.password, newPassword }, f.session);
    expect(changed.status).toBe(302);
    expect(changed.headers.get("location")).toBe("/account?notice=password");
    const fresh = cookiePair(changed, "sm_session")!;
    expect(fresh).not.toBe(f.session);
    expect(cookiePair(changed, "sm_device")).toBeDefined();

    expect(await stillWorking(server.url, f)).toEqual([false, false, false]);
    expect((await getPage(server.url, "/account", otherBrowser)).status).toBe(302);
    const page = await getPage(server.url, "/account?notice=password", fresh);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Your password was changed.");
    expect(await server.db.session.count({ where: { userId: f.user.id } })).toBe(1);

    const notice = mailTo(f.account.email, /Your Steelman password was changed/);
    expect(notice?.text).toMatch(/changed on its account page/);
    expect(notice?.text).toMatch(/every other session \(1\)/);
    expect(notice?.text).toMatch(/every API token \(1\)/);
    expect((await postForm(server.url, "/login", f.account)).status).toBe(401);
    expect((await postForm(server.url, "/login", { email: f.account.email, password: newPassword })).status).toBe(302);
  });
});

// ---------------------------------------------------------------- lockout

describe("failed sign-ins slow an account down without locking its owner out (device cookies, default rules)", () => {
  // Default rate limits, behind a trusted proxy so that each test request can come "from" its own address.
  let guarded: RunningServer;
  const guardedMailer = new CapturingMailer();
  beforeAll(async () => {
    guarded = await startServer({ databaseUrl: inject("databaseUrl"), port: 0, serveApp: true, mailer: guardedMailer, trustProxy: "loopback" });
  });
  afterAll(async () => {
    await guarded?.close();
  });

  let nextAddress = 1;
  /** A new client address (TEST-NET-3), as the trusted proxy reports it. */
  const newAddress = () => `203.0.113.${nextAddress++}`;

  /** A sign-in form post from `address`, with a Cookie header or none. */
  function signIn(fields: { email: string; password: string }, address: string, cookie?: string) {
    return fetch(`${guarded.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: guarded.url, "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": address, ...(cookie ? { cookie } : {}) },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** Signs an owner up (from one address) and signs in from a second browser: two trusted browsers. */
  async function ownerWithTwoBrowsers() {
    const account = randomAccount("Olive Owner");
    const signup = await fetch(`${guarded.url}/signup`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: guarded.url, "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": newAddress() },
      body: new URLSearchParams(account).toString(),
    });
    expect(signup.status).toBe(302);
    const laptop = cookiePair(signup, "sm_device")!;
    const phone = cookiePair(await signIn(account, newAddress()), "sm_device")!;
    expect(laptop).toBeDefined();
    expect(phone).toBeDefined();
    return { account, laptop, phone };
  }

  it("a stranger's failures from many addresses lock out new browsers, never the owner's; reset lifts the lock", async () => {
    const { account, laptop, phone } = await ownerWithTwoBrowsers();
    const wrong = { email: account.email, password: "guess guess guess" };
    for (let i = 0; i < DEFAULT_RATE_LIMITS.loginAccount.points; i++) expect((await signIn(wrong, newAddress())).status).toBe(401);
    // The account's allowance for unknown browsers is spent: even the right password from a new browser waits…
    const stranger = await signIn(account, newAddress());
    expect(stranger.status).toBe(429);
    expect(Number(stranger.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await stranger.text()).toContain("a browser you have signed in with before still can");
    // …but the owner's browsers sign in at once, and get a new device cookie.
    const fromLaptop = await signIn(account, newAddress(), laptop);
    expect(fromLaptop.status).toBe(302);
    const laptopNext = cookiePair(fromLaptop, "sm_device")!;
    expect(laptopNext).not.toBe(laptop);
    expect((await signIn(account, newAddress(), phone)).status).toBe(302);
    // A device cookie of another account, or an old rotated one, is no pass.
    expect((await signIn(account, newAddress(), laptop)).status).toBe(429);

    // Resetting the password (proving the mailbox) lifts the lock for new browsers.
    await fetch(`${guarded.url}/forgot-password`, { method: "POST", headers: { Origin: guarded.url, "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": newAddress() }, body: new URLSearchParams({ email: account.email }).toString() });
    await expect.poll(() => guardedMailer.sent.some((m) => m.to === account.email)).toBe(true);
    const link = new URL(/https?:\/\/\S+\/reset-password\/[A-Za-z0-9_-]{43}/.exec(guardedMailer.sent.find((m) => m.to === account.email)!.text)![0]);
    expect((await postForm(guarded.url, link.pathname, { password: "the owner's new passphrase" })).status).toBe(302);
    expect((await signIn({ email: account.email, password: "the owner's new passphrase" }, newAddress())).status).toBe(302);
  });

  it("a trusted browser's own failures lock only that browser", async () => {
    const { account, laptop, phone } = await ownerWithTwoBrowsers();
    const wrong = { email: account.email, password: "fat fingers again" };
    for (let i = 0; i < DEFAULT_RATE_LIMITS.loginDevice.points; i++) expect((await signIn(wrong, newAddress(), phone)).status).toBe(401);
    const locked = await signIn(account, newAddress(), phone);
    expect(locked.status).toBe(429);
    expect(await locked.text()).toContain("Too many failed sign-ins from this browser.");
    expect((await signIn(account, newAddress(), laptop)).status).toBe(302);
    expect((await signIn(account, newAddress())).status).toBe(302);
  });

  it("only failures count: an owner signing in again and again from new browsers is never slowed down", async () => {
    const { account } = await ownerWithTwoBrowsers();
    for (let i = 0; i < DEFAULT_RATE_LIMITS.loginAccount.points + 3; i++) expect((await signIn(account, newAddress())).status).toBe(302);
  });

  it("parallel guesses cannot outrun the count: of 20 at once, exactly the allowance is checked", async () => {
    const { account } = await ownerWithTwoBrowsers();
    const replies = await Promise.all(Array.from({ length: 20 }, () => signIn({ email: account.email, password: "parallel guess" }, newAddress())));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(DEFAULT_RATE_LIMITS.loginAccount.points);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20 - DEFAULT_RATE_LIMITS.loginAccount.points);
  });

  it("the per-address rule still slows one address guessing many accounts", async () => {
    const address = newAddress();
    const statuses: number[] = [];
    for (let i = 0; i <= DEFAULT_RATE_LIMITS.login.points; i++) statuses.push((await signIn({ email: `nobody-${i}-${Date.now()}@example.org`, password: "whatever it is" }, address)).status);
    expect(statuses.slice(0, -1).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it("stores only the SHA-256 of device tokens", async () => {
    const { account, laptop } = await ownerWithTwoBrowsers();
    const token = decodeURIComponent(laptop.slice("sm_device=".length));
    const user = await guarded.db.user.findUniqueOrThrow({ where: { email: account.email } });
    const rows = await guarded.db.trustedDevice.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.tokenHash).not.toContain(token);
    }
  });
});
