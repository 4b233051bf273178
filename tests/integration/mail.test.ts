/**
 * Issue 20, point 7 (`npm run build` first): mail really leaves the server.
 * A real SMTP server (the `smtp-server` package, with a user and password)
 * runs inside the test; Steelman sends through it with nodemailer
 * (SmtpMailer, SMTP_URL / MAIL_FROM); the test reads the reset mail that
 * arrives, parsed with `mailparser`: its link uses PUBLIC_URL, works once
 * and expires. Also through `server/index.ts` itself (the environment
 * variables and the start-up lines), and the development fallback says so.
 */
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startServer, type RunningServer } from "../../server/app";
import { SmtpMailer } from "../../server/services/mailer";
import { api, randomAccount } from "../support/api-client";
import { getPage, postForm } from "../support/page-client";
import { startServerProcess } from "../support/server-process";

const SMTP_USER = "steelman-mailer";
const SMTP_PASSWORD = "smtp secret for the tests";
const PUBLIC_URL = "https://steelman.example.org";
const MAIL_FROM = "Steelman <steelman@steelman.example.org>";

/** Every message the SMTP server accepted, parsed, with the envelope's recipients. */
const received: { mail: ParsedMail; recipients: string[] }[] = [];
let smtp: SMTPServer;
let smtpUrl: string;
let steelman: RunningServer;

beforeAll(async () => {
  smtp = new SMTPServer({
    // Plain SMTP on loopback: no certificate to make; AUTH still required, as a real relay would.
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    authMethods: ["PLAIN", "LOGIN"],
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) return callback(null, { user: auth.username });
      return callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({ mail, recipients: session.envelope.rcptTo.map((r) => r.address) });
          callback();
        })
        .catch(callback);
    },
    logger: false,
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const { port } = smtp.server.address() as AddressInfo;
  smtpUrl = `smtp://${SMTP_USER}:${encodeURIComponent(SMTP_PASSWORD)}@127.0.0.1:${port}`;
  steelman = await startServer({ databaseUrl: inject("databaseUrl"), port: 0, serveApp: true, rateLimits: "off", publicUrl: PUBLIC_URL, allowedHosts: ["localhost"], mailer: new SmtpMailer(smtpUrl, MAIL_FROM) });
});

afterAll(async () => {
  await steelman?.close();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
});

/** Waits for the newest mail to `to` whose subject matches, as it arrived at the SMTP server. */
async function mailArriving(to: string, subject: RegExp): Promise<ParsedMail> {
  await expect.poll(() => received.some((r) => r.recipients.includes(to) && subject.test(r.mail.subject ?? "")), { timeout: 15_000 }).toBe(true);
  return received.filter((r) => r.recipients.includes(to) && subject.test(r.mail.subject ?? "")).at(-1)!.mail;
}

/** The reset link in a mail's text. */
function resetLinkIn(mail: ParsedMail): URL {
  const link = /https?:\/\/\S+\/reset-password\/[A-Za-z0-9_-]{43}/.exec(mail.text ?? "")?.[0];
  expect(link, mail.text).toBeDefined();
  return new URL(link!);
}

describe("password-reset mail over SMTP", () => {
  it("arrives at the SMTP server from MAIL_FROM; its link uses PUBLIC_URL, works once, and a notice follows", async () => {
    const account = randomAccount("Mia Mail");
    expect((await api(steelman.url, "/api/accounts", { body: account })).status).toBe(201);
    expect((await postForm(steelman.url, "/forgot-password", { email: account.email })).status).toBe(200);

    const mail = await mailArriving(account.email, /^Reset your Steelman password$/);
    expect(mail.from?.value).toEqual([{ name: "Steelman", address: "steelman@steelman.example.org" }]);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : "").toBe(account.email);
    expect(mail.html).toBe(false);
    expect(mail.text).toContain("Hello Mia Mail,");
    const link = resetLinkIn(mail);
    expect(link.origin).toBe(PUBLIC_URL);

    // The link's path, opened on this server (PUBLIC_URL's host is served by it in production).
    const form = await getPage(steelman.url, link.pathname);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain("Choose a new password");
    const newPassword = "the mail really arrived today";
    expect((await postForm(steelman.url, link.pathname, { password: newPassword })).status).toBe(302);
    expect((await postForm(steelman.url, "/login", { email: account.email, password: newPassword })).status).toBe(302);

    // Works once.
    const again = await postForm(steelman.url, link.pathname, { password: "and once more a new one" });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("expired or was already used");

    const notice = await mailArriving(account.email, /^Your Steelman password was changed$/);
    expect(notice.text).toMatch(/changed with a reset link/);
    expect(notice.text).toContain(`${PUBLIC_URL}/forgot-password`);
  });

  it("a mailed link expires after an hour", async () => {
    const account = randomAccount("Eli Expired");
    expect((await api(steelman.url, "/api/accounts", { body: account })).status).toBe(201);
    await postForm(steelman.url, "/forgot-password", { email: account.email });
    const link = resetLinkIn(await mailArriving(account.email, /^Reset your Steelman password$/));
    const user = await steelman.db.user.findUniqueOrThrow({ where: { email: account.email } });
    await steelman.db.passwordReset.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await (await getPage(steelman.url, link.pathname)).text()).toContain("This link no longer works");
    expect((await postForm(steelman.url, link.pathname, { password: "too late for this one now" })).status).toBe(400);
    expect((await postForm(steelman.url, "/login", account)).status).toBe(302);
  });

  it("nothing is sent for an unknown address, and the answer is the same", async () => {
    const before = received.length;
    const email = `nobody-${Date.now()}@example.org`;
    const res = await postForm(steelman.url, "/forgot-password", { email });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("If an account exists for");
    // A known address sent at the same time arrives; the unknown one never does.
    const known = randomAccount();
    await api(steelman.url, "/api/accounts", { body: known });
    await postForm(steelman.url, "/forgot-password", { email: known.email });
    await mailArriving(known.email, /Reset/);
    expect(received.slice(before).some((r) => r.recipients.includes(email))).toBe(false);
  });
});

// Each test starts `server/index.ts` (tsx compiles it first): slow on a busy machine, hence the generous timeout.
describe("npm start's configuration (server/index.ts as a process)", { timeout: 90_000 }, () => {
  it("sends through SMTP_URL from MAIL_FROM and says so at start, without the SMTP password", async () => {
    const server = await startServerProcess({
      databaseUrl: inject("databaseUrl"),
      env: { LOG_LEVEL: "info", SMTP_URL: smtpUrl, MAIL_FROM, PUBLIC_URL, ALLOWED_HOSTS: "127.0.0.1" },
    });
    try {
      const account = randomAccount("Pro Cess");
      expect((await api(server.url, "/api/accounts", { body: account })).status).toBe(201);
      await postForm(server.url, "/forgot-password", { email: account.email });
      expect(resetLinkIn(await mailArriving(account.email, /^Reset your Steelman password$/)).origin).toBe(PUBLIC_URL);
      await expect.poll(() => server.output()).toContain("Steelman is running at");
      const output = server.output();
      expect(output).toContain(`Mail is sent through smtp://${SMTP_USER}:…@127.0.0.1:`);
      expect(output).not.toContain(encodeURIComponent(SMTP_PASSWORD));
      expect(output).toContain(`PUBLIC_URL is ${PUBLIC_URL}: links in mail point there`);
      expect(output).toContain("Cookies are Secure and __Host-, HSTS is on.");
    } finally {
      await server.kill("SIGTERM");
    }
  });

  it("without SMTP_URL and PUBLIC_URL, says at start that mail is only logged and links use the listening address", async () => {
    const server = await startServerProcess({ databaseUrl: inject("databaseUrl"), env: { LOG_LEVEL: "info", SMTP_URL: "", MAIL_FROM: "", PUBLIC_URL: "", ALLOWED_HOSTS: "" } });
    try {
      // Written at start; read once it has come through the pipe.
      await expect.poll(() => server.output()).toContain("METRICS_TOKEN is not set");
      const output = server.output();
      expect(output).toContain("SMTP_URL is not set: mail (password-reset links) is NOT sent but written to this log, which is for development only.");
      expect(output).toContain(`PUBLIC_URL is not set: links in mail (password resets) point to http://127.0.0.1:${server.port}, the address this server listens on`);
      expect(output).toContain("METRICS_TOKEN is not set: GET /metrics is closed (404).");
    } finally {
      await server.kill("SIGTERM");
    }
  });

  it("refuses to start with SMTP_URL but no MAIL_FROM, or a PUBLIC_URL with a path, naming the variable", async () => {
    await expect(startServerProcess({ databaseUrl: inject("databaseUrl"), env: { SMTP_URL: smtpUrl, MAIL_FROM: "" } })).rejects.toThrow(/MAIL_FROM: MAIL_FROM is required with SMTP_URL/);
    await expect(startServerProcess({ databaseUrl: inject("databaseUrl"), env: { PUBLIC_URL: "https://steelman.example.org/app" } })).rejects.toThrow(/PUBLIC_URL: PUBLIC_URL must be an origin only/);
  });
});
