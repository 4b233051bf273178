/**
 * The Content-Security-Policy in real Chromium (docs/decisions/0008-content-security-policy.md):
 * every page hydrates, navigates and goes live under the strict nonce policy
 * without a single violation, and the policy does refuse what it should.
 */
import { expect, test, type Page } from "@playwright/test";
import { seedArticle } from "../support/article";
import { facilitatorHeaders, signUpInBrowser } from "../support/e2e-accounts";

declare global {
  interface Window {
    __cspViolations: { directive: string; blocked: string; sample: string; source: string }[];
    __marker?: string;
    __injected?: number;
  }
}

/** Records CSP violations (console messages and securitypolicyviolation events), page errors and WebSockets of one page. */
function watch(page: Page) {
  const consoleProblems: string[] = [];
  const webSockets: string[] = [];
  page.on("console", (message) => {
    const text = message.text();
    if (/Content Security Policy|Permissions-Policy/i.test(text) || message.type() === "error") consoleProblems.push(`${message.type()}: ${text}`);
  });
  page.on("pageerror", (error) => consoleProblems.push(`pageerror: ${error.message}`));
  page.on("websocket", (socket) => webSockets.push(socket.url()));
  return {
    consoleProblems,
    webSockets,
    /** Violations reported to the page's scripts since it loaded, except Zod's harmless eval probe. */
    violations: async () => (await page.evaluate(() => window.__cspViolations)).filter((v) => !isZodEvalProbe(v)),
  };
}

/**
 * Zod 4 probes once whether it may compile validators with `new Function("")`;
 * the policy refuses (an eval of the empty string, reported with an empty
 * sample) and Zod falls back to its interpreter. `z.config({ jitless: true })`
 * in the client code would skip the probe (see the ADR).
 */
function isZodEvalProbe(v: { directive: string; blocked: string; sample: string }) {
  return v.directive === "script-src" && v.blocked === "eval" && v.sample === "";
}

test.beforeEach(async ({ page }) => {
  // Init scripts are injected by the browser, outside the page's policy.
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__cspViolations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample, source: `${e.sourceFile}:${e.lineNumber}:${e.columnNumber}` });
    });
  });
});

/** React has hydrated the page: its DOM nodes carry React's fiber keys. */
async function expectHydrated(page: Page) {
  await expect.poll(() => page.evaluate(() => Object.keys(document.querySelector("main") ?? {}).some((k) => k.startsWith("__react")))).toBe(true);
}

function scriptSrc(policy: string | undefined): string {
  return (policy ?? "").split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src ")) ?? "";
}

test("home and new-debate pages hydrate and navigate client-side with no CSP violation", async ({ page }) => {
  const seen = watch(page);
  // Starting a debate needs a facilitator account: sign up first (the sign-up pages are watched too).
  await signUpInBrowser(page, "Csp Facilitator", "/");
  const response = await page.goto("/");
  const policy = response?.headers()["content-security-policy"];
  expect(scriptSrc(policy)).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/]{22}==' 'strict-dynamic'$/);
  expect(policy).toContain("frame-ancestors 'none'");
  expect(response?.headers()["x-content-type-options"]).toBe("nosniff");
  expect(response?.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  await expectHydrated(page);

  // A client-side navigation loads the next route's module (a dynamic import under 'strict-dynamic').
  await page.evaluate(() => (window.__marker = "same document"));
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "New debate" }).click();
  await expect(page).toHaveURL(/\/debates\/new$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("New debate");
  expect(await page.evaluate(() => window.__marker)).toBe("same document");

  // Loaded directly, /debates/new hydrates too: reading a file is done by its script.
  await page.goto("/debates/new");
  await expectHydrated(page);
  await page.getByLabel("Upload a file (.txt, .md or .html)").setInputFiles({ name: "article.txt", mimeType: "text/plain", buffer: Buffer.from(seedArticle) });
  await expect(page.getByText("Loaded article.txt into the text below.")).toBeVisible();
  await page.getByRole("button", { name: "Draft propositions" }).click();
  await expect(page).toHaveURL(/\/debates\/[0-9a-f-]+\/edit$/);
  await expect(page.locator(".draft-proposition").first()).toBeVisible();
  await expectHydrated(page);

  expect(seen.consoleProblems).toEqual([]);
  expect(await seen.violations()).toEqual([]);
});

test("a debate page joined through its form goes live over a WebSocket with no CSP violation", async ({ page, request }) => {
  const created = await (await request.post("/api/debates", { headers: await facilitatorHeaders(request), data: { sourceText: seedArticle, publish: true } })).json();
  const seen = watch(page);
  await page.goto(`/debates/${created.id}`);
  await expectHydrated(page);
  await page.getByLabel("Pick a display name to take part").fill("Ada");
  await page.getByRole("button", { name: "Join the debate" }).click();
  await expect(page.getByText("You are Ada.")).toBeVisible();
  await expect(page.getByTestId("connection-status")).toHaveText("Live");
  // connect-src 'self' admits the same-origin ws: URL.
  await expect.poll(() => seen.webSockets.some((url) => /^ws:\/\/localhost:\d+\/socket\.io\/.*transport=websocket/.test(url))).toBe(true);

  // Lexical (inline styles through the CSSOM) and a vote (the tally bar's painted gradient) work under the policy.
  const first = page.locator(".proposition").first();
  await first.getByText("Add an argument").click();
  const composer = first.getByRole("form", { name: "New argument on proposition 1" });
  await composer.getByRole("textbox", { name: "New argument on proposition 1" }).click();
  await page.keyboard.type("Under a strict policy, ");
  await page.keyboard.press("ControlOrMeta+b");
  await page.keyboard.type("still bold");
  await composer.getByRole("button", { name: "Post argument" }).click();
  await expect(first.locator(".column-pro .argument strong")).toHaveText("still bold");
  await first.getByRole("button", { name: /^Agree/ }).click();
  await expect(first.getByTestId("tally-agree")).toHaveText("1");
  await expect.poll(() => first.locator(".tally-bar").evaluate((el) => (el as HTMLElement).style.backgroundImage)).toContain("100%");

  // After a reload the server-rendered gradient (a style attribute) is applied, not refused.
  await page.reload();
  await expectHydrated(page);
  await expect(page.getByTestId("connection-status")).toHaveText("Live");
  expect(await page.locator(".proposition").first().locator(".tally-bar").evaluate((el) => getComputedStyle(el).backgroundImage)).toContain("linear-gradient");

  expect(seen.consoleProblems).toEqual([]);
  expect(await seen.violations()).toEqual([]);
});

test("the policy refuses scripts and event handlers injected into the page's HTML", async ({ page }) => {
  // Stand-in for a stored XSS: the server's response gains markup it never rendered, under the same header.
  await page.route(
    (url) => url.pathname === "/",
    async (route) => {
      const response = await route.fetch();
      const injected = [
        `<script>window.__injected = 1</script>`,
        `<script src="/favicon.svg"></script>`,
        `<img alt="" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onerror="window.__injected = 2" onload="window.__injected = 3">`,
      ].join("");
      await route.fulfill({ response, body: (await response.text()).replace("</head>", `${injected}</head>`) });
    },
  );
  const response = await page.goto("/");
  expect(response?.headers()["content-security-policy"]).toMatch(/'nonce-/);
  // The page's own nonced scripts still run...
  await expectHydrated(page);
  // ...and none of the injected ones did.
  await expect.poll(async () => [...new Set((await page.evaluate(() => window.__cspViolations)).map((v) => v.directive))].sort()).toEqual(["script-src-attr", "script-src-elem"]);
  expect(await page.evaluate(() => window.__injected)).toBeUndefined();
  const violations = (await page.evaluate(() => window.__cspViolations)).filter((v) => !isZodEvalProbe(v));
  // One per injected script element, and the event handler attributes.
  expect(violations.filter((v) => v.directive === "script-src-elem")).toHaveLength(2);
  expect(violations.every((v) => v.directive === "script-src-elem" || v.directive === "script-src-attr")).toBe(true);
  // 'strict-dynamic': even a same-origin script is refused without the nonce.
  expect(violations.find((v) => v.blocked.endsWith("/favicon.svg"))?.directive).toBe("script-src-elem");
  expect(violations.some((v) => v.blocked === "inline" && v.directive === "script-src-elem")).toBe(true);
});

test("the pages cannot be framed by another site", async ({ page, baseURL, request }) => {
  expect((await request.get("/")).headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  // 127.0.0.1 is a different origin from baseURL's localhost.
  const framingOrigin = baseURL!.replace("localhost", "127.0.0.1");
  await page.route(`${framingOrigin}/framer`, (route) => route.fulfill({ contentType: "text/html", body: `<iframe src="${baseURL}/"></iframe>` }));
  await page.goto(`${framingOrigin}/framer`);
  // Chromium replaces a refused frame with its error page.
  await expect.poll(() => page.frames().map((f) => f.url())).toEqual([`${framingOrigin}/framer`, "chrome-error://chromewebdata/"]);
});
