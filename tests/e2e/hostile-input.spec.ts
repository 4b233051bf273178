/**
 * Hostile input, rendered: debates whose title, article, article URL,
 * propositions, arguments (bodies, links, sources) and participants' names
 * carry every payload of tests/fixtures/hostile-payloads.ts, opened in
 * Chromium on the debate page, the facilitator's review page, the argument
 * editor and the home page.
 *
 * Nothing may execute or load: a dialog (alert), a request to any host but
 * localhost, a page error, a popup, a Content-Security-Policy violation, an
 * element with an event-handler attribute, an iframe/object/embed/img/svg/
 * style/base/meta element inside the content, or a link to anything but
 * http(s)/mailto fails the test. And every payload the server stored reads
 * back as the same text on the page.
 *
 * The same for the inputs of moderation, management and accounts: report and
 * hide reasons (the moderation queue, hidden list and audit log; the hidden
 * banner and the placeholder on the debate page), participants renamed by the
 * host (debate page, presence, settings table), the /join page's code and
 * name, sign-up names, emails and API token names on /account, passwords
 * (never sent back), the sign-in `next` parameter (never off this site) and
 * the settings page's forms (rate limits, visibility, renames).
 */
import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext, type BrowserContext, type Page } from "@playwright/test";
import { participantCookieName } from "../../app/shared/contract";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { seedArticle } from "../support/article";
import { facilitatorToken } from "../support/e2e-accounts";
import { connectParticipant } from "../support/socket-client";
import { HOSTILE_PAYLOADS, HOSTILE_URLS, type HostilePayload, OPEN_REDIRECTS, smugglingLexicalStates } from "../fixtures/hostile-payloads";

/** Payloads sent through the browser pages; the 600,000-character one only tests server limits (tests/integration). */
const PAYLOADS = HOSTILE_PAYLOADS.filter((p) => p.text.length <= 100_000);
const HTTP_URLS = HOSTILE_URLS.filter((u) => u.verdict === "http");
const LINK_STATES = smugglingLexicalStates().filter((c) => c.expect === "either");
const BIDI = /[\u202a-\u202e\u2066-\u2069]/;
/** What an HTML parser makes of text: CR and CRLF become LF, U+0000 becomes U+FFFD. */
const asParsed = (s: string) => s.replace(/\r\n?/g, "\n").replace(/\u0000/g, "\uFFFD");
const short = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);

// ---------------------------------------------------------------- API helpers

type Json = any;

async function call(request: APIRequestContext, method: "POST" | "PATCH", path: string, data: unknown, token?: string): Promise<{ status: number; json: Json }> {
  const res = await request.fetch(path, { method, data, headers: token ? { Authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch {
    json = { raw: text.slice(0, 200) };
  }
  return { status: res.status(), json };
}

/**
 * Sends `data`; while the server refuses a field (400 naming it, or any other
 * failure), replaces that field with a harmless value from `fallback` and
 * tries again. Returns the stored result.
 */
async function sendWithFallback(request: APIRequestContext, method: "POST" | "PATCH", path: string, data: Record<string, unknown>, fallback: (field: string | undefined, data: Record<string, unknown>) => Record<string, unknown>, token?: string): Promise<Json> {
  let body = data;
  let last: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const res = await call(request, method, path, body, token);
    if (res.status === 200 || res.status === 201) return res.json;
    last = { status: res.status, json: res.json };
    body = fallback(res.status === 400 ? res.json?.error?.field : undefined, body);
  }
  throw new Error(`${method} ${path} kept failing: ${JSON.stringify(last).slice(0, 300)}`);
}

interface ExpectedArgument {
  id: string;
  /** Concatenated text of the body's text nodes: the rendered body's textContent. */
  bodyText: string;
  author: string;
  sources: { url: string; title: string; quote: string | null }[];
}
interface ContentDebate {
  id: string;
  url: string;
  hostToken: string;
  title: string;
  sourceUrl: string | null;
  thesisText: string;
  propositions: { id: string; text: string }[];
  arguments: ExpectedArgument[];
  /** Arguments written by the host (opened in the editor). */
  hostArguments: string[];
}

function textOf(body: Json): string {
  let out = "";
  const walk = (node: Json) => {
    if (node?.type === "text") out += node.text;
    for (const child of node?.children ?? []) walk(child);
  };
  walk(body.root);
  return out;
}

const toExpected = (a: Json): ExpectedArgument => ({ id: a.id, bodyText: textOf(a.body), author: a.author.displayName, sources: a.sources.map((s: Json) => ({ url: s.url, title: s.title, quote: s.quote })) });

/** Creates one published debate carrying `chunk` in every field, and returns what the server stored. */
async function createContentDebate(request: APIRequestContext, chunk: HostilePayload[], n: number): Promise<ContentDebate> {
  const facilitator = await facilitatorToken(request);
  // The article: the seed with a sentence quoting each payload in its thesis section.
  const anchor = "🔥 Hot Take: America Is Building the Wrong Kind of AI Lead\n";
  const quoted = chunk.filter((p) => p.text.length < 3_000).map((p) => `Critics of the strategy quoted ${p.text} in their report.\n`).join("");
  const sourceUrl = HTTP_URLS[n % HTTP_URLS.length]!.text;
  const create = (sourceText: string) =>
    sendWithFallback(
      request,
      "POST",
      "/api/debates",
      { title: chunk[0]!.text, sourceText, sourceUrl, publish: true, draft: "sentences" },
      (field, d) => (field === "title" ? { ...d, title: `Hostile debate ${n}` } : field === "sourceUrl" ? { ...d, sourceUrl: "https://example.org/article" } : { ...d, sourceText: seedArticle }),
      facilitator,
    );
  let created = await create(seedArticle.replace(anchor, anchor + quoted));
  // A payload that looks like a heading ("# Heading") can move the thesis section; then quote nothing.
  if (created.propositions.length < chunk.length) created = await create(seedArticle);
  const debateId: string = created.id;
  const host: string = created.hostToken;
  const props: { id: string }[] = created.propositions;
  if (props.length < chunk.length) throw new Error(`only ${props.length} propositions for ${chunk.length} payloads`);

  // Propositions (facilitator edits), one payload each.
  await Promise.all(
    chunk.map((p, i) => sendWithFallback(request, "PATCH", `/api/debates/${debateId}/propositions/${props[i]!.id}`, { text: p.text }, () => ({ text: `Proposition ${i + 1} (payload ${p.id} refused)` }), host)),
  );

  // One participant per payload, named with it, posting an argument that carries it in the body and in a source.
  const posted = await Promise.all(
    chunk.map(async (p, i) => {
      const joined = await sendWithFallback(request, "POST", `/api/debates/${debateId}/participants`, { displayName: p.text }, () => ({ displayName: `Guest ${n}-${i}` }));
      const url = HTTP_URLS.find((u) => u.id === p.id)?.text ?? `https://example.org/source-${n}-${i}`;
      const argument = await sendWithFallback(
        request,
        "POST",
        `/api/debates/${debateId}/arguments`,
        { propositionId: props[i % props.length]!.id, stance: i % 2 ? "con" : "pro", body: plainTextToArgumentBody(p.text), sources: [{ url, title: p.text, quote: p.text }] },
        (field, d) => {
          const source = (d.sources as { url: string; title: string; quote?: string }[])[0]!;
          if (field?.startsWith("body")) return { ...d, body: plainTextToArgumentBody(`Argument ${n}-${i} (body ${p.id} refused)`) };
          if (field === "sources.0.title") return { ...d, sources: [{ ...source, title: `Source ${n}-${i}` }] };
          if (field === "sources.0.quote") return { ...d, sources: [{ url: source.url, title: source.title }] };
          if (field === "sources.0.url") return { ...d, sources: [{ ...source, url: `https://example.org/source-${n}-${i}` }] };
          return { ...d, body: plainTextToArgumentBody(`Argument ${n}-${i}`), sources: [{ url: `https://example.org/source-${n}-${i}`, title: `Source ${n}-${i}` }] };
        },
        joined.token,
      );
      return { joined, argument };
    }),
  );
  const args = posted.map(({ argument }) => toExpected(argument));

  // A rebuttal carrying the next payload, and the host's own arguments: the Lexical link states, and a plain payload.
  const reply = await sendWithFallback(
    request,
    "POST",
    `/api/debates/${debateId}/arguments`,
    { propositionId: props[0]!.id, parentId: posted[0]!.argument.id, stance: "con", body: plainTextToArgumentBody(chunk[1 % chunk.length]!.text) },
    () => ({ propositionId: props[0]!.id, parentId: posted[0]!.argument.id, stance: "con", body: plainTextToArgumentBody("A reply.") }),
    posted[0]!.joined.token,
  );
  args.push(toExpected(reply));
  const hostArguments: string[] = [];
  for (const state of [LINK_STATES[n % LINK_STATES.length]!, LINK_STATES[(n + 10) % LINK_STATES.length]!]) {
    const res = await call(request, "POST", `/api/debates/${debateId}/arguments`, { propositionId: props[1]!.id, stance: "pro", body: state.body }, host);
    if (res.status === 201) {
      args.push(toExpected(res.json));
      hostArguments.push(res.json.id);
    }
  }
  const own = await sendWithFallback(request, "POST", `/api/debates/${debateId}/arguments`, { propositionId: props[2]!.id, stance: "con", body: plainTextToArgumentBody(chunk[2 % chunk.length]!.text) }, () => ({ propositionId: props[2]!.id, stance: "con", body: plainTextToArgumentBody("Host argument.") }), host);
  args.push(toExpected(own));
  hostArguments.push(own.id);

  const debate = (await (await request.get(`/api/debates/${debateId}`)).json()) as Json;
  return {
    id: debateId,
    url: debate.url,
    hostToken: host,
    title: debate.title,
    sourceUrl: debate.sourceUrl,
    thesisText: debate.sourceText.slice(debate.thesis.span.start, debate.thesis.span.end),
    propositions: debate.propositions.map((p: Json) => ({ id: p.id, text: p.text })),
    arguments: args,
    hostArguments,
  };
}

// ---------------------------------------------------------------- browser watch

/** Things the app itself does that are worth knowing but are not payloads running (reported as annotations). */
const appNotes = new Set<string>();
test.afterAll(() => {
  for (const note of appNotes) test.info().annotations.push({ type: "note", description: note });
  if (appNotes.size) console.log(`notes: ${[...appNotes].join("; ")}`);
});

/**
 * Watches a browser context for anything a payload could do: dialogs,
 * requests to other hosts, page errors, console errors, popups and CSP
 * violations. Returns the list it fills.
 */
async function watch(context: BrowserContext): Promise<{ problems: string[]; attach(page: Page): void }> {
  const problems: string[] = [];
  await context.exposeBinding("__reportViolation", (_source, v: { directive: string; blocked: string; file: string; line: number; sample: string }) => {
    // zod 4 probes `new Function("")` once per page to choose its fast path and falls back when the
    // policy refuses it: the app's own bundle, not a payload. Noted, not failed.
    if (v.blocked === "eval" && new URL(v.file || "about:blank", "http://x").pathname.startsWith("/assets/") && v.sample === "") {
      appNotes.add(`CSP refused eval in the app's own bundle (${new URL(v.file).pathname}): zod's feature probe`);
      return;
    }
    problems.push(`CSP violation: ${v.directive} blocked ${v.blocked} (${v.file}:${v.line}) sample=${v.sample}`);
  });
  await context.addInitScript(() => {
    // The article's text as shown, without the proposition numbers the highlights carry.
    (window as unknown as { articleText(el: Element | null): string | null }).articleText = (el) => {
      if (!el) return null;
      const copy = el.cloneNode(true) as Element;
      copy.querySelectorAll(".highlight-number").forEach((n) => n.remove());
      return copy.textContent;
    };
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __reportViolation(v: unknown): void }).__reportViolation({ directive: e.violatedDirective, blocked: e.blockedURI, file: e.sourceFile, line: e.lineNumber, sample: e.sample });
    });
  });
  const pages = new Set<Page>();
  const attach = (page: Page) => {
    pages.add(page);
    page.on("dialog", (d) => {
      problems.push(`dialog on ${page.url()}: ${d.type()} ${JSON.stringify(d.message())}`);
      void d.dismiss().catch(() => undefined);
    });
    page.on("pageerror", (e) => problems.push(`page error on ${page.url()}: ${e.message}`));
    page.on("popup", (p) => problems.push(`a popup opened from ${page.url()}: ${p.url()}`));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console error on ${page.url()}: ${m.text().slice(0, 300)}`);
    });
  };
  context.on("request", (r) => {
    const u = new URL(r.url());
    if (u.protocol === "data:" || u.protocol === "blob:") return;
    if (u.hostname !== "localhost" && u.hostname !== "127.0.0.1") problems.push(`request to another host: ${r.method()} ${r.url()}`);
  });
  context.on("page", (p) => {
    // Pages this test opens are attached right after; anything else is a popup.
    setTimeout(() => {
      if (!pages.has(p)) problems.push(`a page opened by itself: ${p.url()}`);
    }, 1_000);
  });
  return { problems, attach };
}

/**
 * Structural checks on the rendered DOM: no event-handler attributes
 * anywhere, no active or loading elements inside the main content, links only
 * to http(s), mailto or this site.
 */
async function injectedElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const describe = (el: Element) => `<${el.tagName.toLowerCase()}${[...el.attributes].map((a) => ` ${a.name}="${a.value.slice(0, 60)}"`).join("")}>`;
    for (const el of document.querySelectorAll("*")) {
      for (const attr of el.attributes) if (/^on/i.test(attr.name)) found.push(`event handler ${describe(el)}`);
      if (el.namespaceURI !== "http://www.w3.org/1999/xhtml") found.push(`foreign element ${describe(el)}`);
    }
    const main = document.querySelector("main");
    for (const el of main?.querySelectorAll("script, style, iframe, frame, object, embed, img, video, audio, source, svg, math, base, meta, link, marquee, template, noscript") ?? []) found.push(`element in content ${describe(el)}`);
    for (const el of document.querySelectorAll("iframe, frame, object, embed, base, meta[http-equiv]")) found.push(`element ${describe(el)}`);
    for (const el of document.querySelectorAll("[href], [src], [action], [formaction], [xlink\\:href]")) {
      for (const name of ["href", "src", "action", "formaction"]) {
        const value = el.getAttribute(name);
        if (value === null) continue;
        let protocol: string;
        try {
          protocol = new URL(value, location.href).protocol;
        } catch {
          protocol = "(unparsable)";
        }
        if (!["http:", "https:", "mailto:"].includes(protocol)) found.push(`${name} to ${protocol} on ${describe(el)}`);
        if (name !== "href" && new URL(value, location.href).origin !== location.origin) found.push(`${name} loading from another origin on ${describe(el)}`);
      }
    }
    return found;
  });
}

// ---------------------------------------------------------------- tests

/** Defined in the page by watch()'s init script. */
declare function articleText(el: Element | null): string | null;

test("canary: the watchers do catch a payload that runs", async ({ browser }) => {
  const context = await browser.newContext();
  const { problems, attach } = await watch(context);
  const page = await context.newPage();
  attach(page);
  await page.setContent(`<main><p>ok</p><img src="http://evil.example/canary.png" onerror="alert('canary')"><a href="javascript:alert(2)">x</a></main>`);
  await expect.poll(() => problems.some((p) => p.startsWith("dialog"))).toBe(true);
  const found = await injectedElements(page);
  await context.close();
  expect(problems.some((p) => p.startsWith("request to another host: GET http://evil.example/canary.png"))).toBe(true);
  expect(found.some((f) => f.startsWith("event handler <img"))).toBe(true);
  expect(found.some((f) => f.startsWith("element in content <img"))).toBe(true);
  expect(found.some((f) => f.startsWith("href to javascript:"))).toBe(true);
});

test("debate, review and editor pages show hostile titles, articles, propositions, arguments, sources and names as text, and run none of it", async ({ browser, request, baseURL }) => {
  test.setTimeout(120_000);
  // 18 payloads per debate: one proposition, one participant (name), one argument (body, source title/quote/URL) each.
  const size = 18;
  const chunks: HostilePayload[][] = [];
  for (let i = 0; i < PAYLOADS.length; i += size) chunks.push(PAYLOADS.slice(i, i + size));
  const debates = await Promise.all(chunks.map((chunk, n) => createContentDebate(request, chunk, n)));

  const context = await browser.newContext();
  await context.addCookies(debates.map((d) => ({ name: participantCookieName(d.id), value: d.hostToken, url: baseURL! })));
  const { problems, attach } = await watch(context);
  const mismatches: string[] = [];

  const checkDebate = async (page: Page, d: ContentDebate) => {
    // ---- the debate page, as its host
    await page.goto(d.url);
    await expect(page.getByTestId("connection-status")).toHaveText("Live");
    const seen = await page.evaluate((ids) => {
      const header = document.querySelector(".debate-header")!;
      const sourceLink = header.querySelector("a[target=_blank]");
      const propositions = Object.fromEntries(
        [...document.querySelectorAll<HTMLElement>("li.proposition")].map((li) => {
          const h = li.querySelector(".proposition-text")!;
          const number = h.querySelector(".proposition-number")!.textContent!;
          return [li.id.replace(/^prop-/, ""), h.textContent!.slice(number.length + 1)];
        }),
      );
      const args = Object.fromEntries(
        ids.map((id) => {
          const el = document.querySelector(`.argument[data-argument-id="${id}"]`);
          if (!el) return [id, null];
          return [
            id,
            {
              body: el.querySelector(":scope > .argument-body")?.textContent ?? null,
              author: el.querySelector(":scope > .argument-header .author")?.textContent ?? null,
              sources: [...el.querySelectorAll(":scope > .sources li")].map((li) => ({ title: li.querySelector("a")?.textContent ?? null, href: li.querySelector("a")?.getAttribute("href") ?? null, quote: li.querySelector("blockquote")?.textContent ?? null })),
            },
          ];
        }),
      );
      return {
        title: header.querySelector("h1")?.textContent ?? null,
        sourceLink: sourceLink ? { text: sourceLink.textContent, href: sourceLink.getAttribute("href") } : null,
        sourceText: articleText(document.querySelector(".article-pane .source-text")),
        propositions,
        args,
      };
    }, d.arguments.map((a) => a.id));

    const where = `debate ${d.url}`;
    if (seen.title !== d.title) mismatches.push(`${where}: title shows ${short(String(seen.title))}, stored ${short(d.title)}`);
    if (d.sourceUrl && (seen.sourceLink?.text !== d.sourceUrl || seen.sourceLink?.href !== d.sourceUrl)) mismatches.push(`${where}: article link ${JSON.stringify(seen.sourceLink)}, stored ${short(d.sourceUrl)}`);
    if (seen.sourceLink && BIDI.test(seen.sourceLink.text ?? "")) mismatches.push(`${where}: the article URL is shown with bidi controls that reverse how it reads: ${JSON.stringify(seen.sourceLink.text)}`);
    if (seen.sourceText !== asParsed(d.thesisText)) mismatches.push(`${where}: the article's thesis section does not read as its text`);
    for (const p of d.propositions) if (seen.propositions[p.id] !== asParsed(p.text)) mismatches.push(`${where}: proposition shows ${short(String(seen.propositions[p.id]))}, stored ${short(p.text)}`);
    for (const a of d.arguments) {
      const got = seen.args[a.id];
      if (!got) {
        mismatches.push(`${where}: argument ${a.id} is not on the page`);
        continue;
      }
      if (got.body !== asParsed(a.bodyText)) mismatches.push(`${where}: argument body shows ${short(String(got.body))}, stored ${short(a.bodyText)}`);
      if (got.author !== a.author) mismatches.push(`${where}: author shows ${short(String(got.author))}, stored ${short(a.author)}`);
      a.sources.forEach((s, i) => {
        const shown = got.sources[i];
        if (!shown || shown.title !== s.title || shown.href !== s.url || shown.quote !== (s.quote === null ? null : asParsed(s.quote))) mismatches.push(`${where}: source shows ${JSON.stringify(shown)?.slice(0, 200)}, stored ${JSON.stringify(s).slice(0, 200)}`);
      });
    }
    for (const el of await injectedElements(page)) problems.push(`${where}: ${el}`);

    // ---- the host's own arguments in the rich-text editor
    for (const id of d.hostArguments) {
      const article = page.locator(`.argument[data-argument-id="${id}"]`);
      await article.getByRole("button", { name: "Edit", exact: true }).click();
      const editor = article.getByRole("textbox", { name: "Edit your argument" });
      await expect(editor).toBeVisible();
      const expected = d.arguments.find((a) => a.id === id)!;
      const shown = await editor.evaluate((el) => [...el.querySelectorAll("p, li")].map((b) => b.textContent).join(""));
      if (shown !== expected.bodyText) mismatches.push(`${where}: the editor shows ${short(shown)}, stored ${short(expected.bodyText)}`);
      await article.getByRole("button", { name: "Cancel", exact: true }).click();
    }
    for (const el of await injectedElements(page)) problems.push(`${where} (after the editor): ${el}`);

    // ---- the review page
    await page.goto(`${d.url}/edit`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(d.title.replace(/\s+/g, " ").trim() || /./);
    const review = await page.evaluate(() => ({
      title: document.querySelector("main h1")?.textContent ?? null,
      texts: Object.fromEntries([...document.querySelectorAll<HTMLTextAreaElement>("li.draft-proposition textarea")].map((t) => [t.id.replace(/^text-/, ""), t.value])),
      sourceText: articleText(document.querySelector("aside .source-text")),
    }));
    if (review.title !== d.title) mismatches.push(`review ${d.url}: title shows ${short(String(review.title))}`);
    for (const p of d.propositions) if (review.texts[p.id] !== asParsed(p.text)) mismatches.push(`review ${d.url}: proposition box holds ${short(String(review.texts[p.id]))}, stored ${short(p.text)}`);
    if (review.sourceText !== asParsed(d.thesisText)) mismatches.push(`review ${d.url}: the article does not read as its text`);
    for (const el of await injectedElements(page)) problems.push(`review ${d.url}: ${el}`);
  };

  // Three tabs at a time.
  const queue = [...debates];
  const pages = await Promise.all(
    [0, 1, 2].map(async () => {
      const page = await context.newPage();
      attach(page);
      return page;
    }),
  );
  await Promise.all(
    pages.map(async (page) => {
      for (let d = queue.shift(); d; d = queue.shift()) await checkDebate(page, d);
    }),
  );

  // A sample reads as the literal text it is.
  const page = pages[0]!;
  await page.goto(debates[0]!.url);
  await expect(page.getByTestId("connection-status")).toHaveText("Live");
  await expect(page.locator(".argument-body").filter({ hasText: "<script>alert(1)</script>" }).first()).toBeVisible();
  await expect(page.locator(".argument .author").filter({ hasText: "<script>alert(1)</script>" }).first()).toBeVisible();
  await expect(page.locator(".proposition-text").filter({ hasText: "<script>alert(1)</script>" }).first()).toBeVisible();
  await expect(page.locator(".sources a").filter({ hasText: "<img src=x onerror=alert(1)>" }).first()).toBeVisible();
  await expect(page.locator(".sources blockquote").filter({ hasText: "<body onload=alert('body')>" }).first()).toBeVisible();
  // Give anything delayed (meta refresh, timers, lazy loads) a moment to show itself.
  await page.waitForTimeout(500);

  await context.close();
  // problems: something in the payloads ran or loaded; mismatches: stored text that does not read back as the same text.
  expect({ problems, mismatches }).toEqual({ problems: [], mismatches: [] });
});

test("the home page lists every hostile title as text and runs none of it", async ({ browser, request }) => {
  test.setTimeout(90_000);
  const context = await browser.newContext();
  const { problems, attach } = await watch(context);
  const page = await context.newPage();
  attach(page);
  const article = "Public transport should be free for everyone in the city. Free buses would cut traffic and pollution in the centre.\n";
  const mismatches: string[] = [];
  // The home page lists the 50 most recently published debates: publish 50 at a time, then look.
  for (let i = 0; i < PAYLOADS.length; i += 50) {
    const batch = PAYLOADS.slice(i, i + 50);
    const facilitator = await facilitatorToken(request);
    const titles = await Promise.all(
      batch.map(async (p) => {
        const created = await sendWithFallback(request, "POST", "/api/debates", { title: p.text, sourceText: article, publish: true, visibility: "public" }, () => ({ title: `Refused title ${p.id}`, sourceText: article, publish: true, visibility: "public" }), facilitator);
        return created.title as string;
      }),
    );
    await page.goto("/");
    const listed = await page.locator(".debate-list li a bdi").evaluateAll((els) => els.map((e) => e.textContent));
    for (const t of titles) if (!listed.includes(t)) mismatches.push(`home: title ${short(t)} is not listed as that text`);
    for (const el of await injectedElements(page)) problems.push(`home: ${el}`);
    // A sample reads as the literal text it is.
    if (batch.some((p) => p.id === "script-plain")) await expect(page.locator(".debate-list bdi").filter({ hasText: "<script>alert(1)</script>" }).first()).toBeVisible();
  }
  await page.waitForTimeout(300);
  await context.close();
  expect({ problems, mismatches }).toEqual({ problems: [], mismatches: [] });
});

// ---------------------------------------------------------------- moderation, management and accounts

/** What a single-line field stores (tests/integration/hostile-input.test.ts checks the server does exactly this). */
const folded = (s: string) => s.replace(/\s+/g, " ").trim();
/**
 * A text input's value as compared here: line breaks stripped (as inputs do),
 * broken characters and U+0000 as U+FFFD (how they travel or are parsed).
 */
const asInputValue = (s: string) => asParsed(s).replace(/[\r\n]/g, "").replace(BROKEN, "\uFFFD");
/** An unpaired UTF-16 surrogate (it cannot be encoded in a URL or sent as UTF-8). */
const BROKEN = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const isWellFormed = (s: string) => !new RegExp(BROKEN.source).test(s);

/** Runs `fn` over `items`, `size` at a time. */
async function inChunks<T, R>(items: readonly T[], size: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map((item, j) => fn(item, i + j)))));
  return out;
}

/**
 * A form post to a page as a browser without JavaScript sends it (same
 * origin, urlencoded), with plain fetch so no cookie jar is shared between
 * accounts; redirects are not followed.
 */
function postForm(baseURL: string, path: string, fields: Record<string, string>, cookie?: string): Promise<Response> {
  return fetch(`${baseURL}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: baseURL, "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
    body: new URLSearchParams(fields).toString(),
  });
}

/** The `sm_session=…` pair a reply sets, or null. */
const sessionPair = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith("sm_session="))?.split(";")[0] ?? null;

/** Whether a redirect's Location stays on `baseURL`'s origin. */
function staysHere(baseURL: string, location: string | null): boolean {
  if (location === null) return false;
  try {
    return new URL(location, baseURL).origin === new URL(baseURL).origin;
  } catch {
    return false;
  }
}

interface ModerationDebate {
  id: string;
  url: string;
  hostToken: string;
  /** The debaters, with the names the host renamed them to (as stored). */
  authors: { id: string; token: string; name: string }[];
  /** Reported arguments and the reason stored with each report. */
  reports: { argumentId: string; authorId: string; reason: string }[];
  /** Hidden arguments and the stored reason. */
  hides: { argumentId: string; authorId: string; reason: string }[];
}

/**
 * One published debate where, for each payload of `chunk`, a debater posts two
 * arguments; a reporter reports the first with the payload as the reason, the
 * host hides the second with it, and the host renames the debater to it (each
 * falling back to a plain value when the server refuses the payload).
 */
async function createModerationDebate(request: APIRequestContext, chunk: HostilePayload[], n: number): Promise<ModerationDebate> {
  const created = (await call(request, "POST", "/api/debates", { sourceText: seedArticle, publish: true, title: `Moderated debate ${n}` }, await facilitatorToken(request))).json;
  const id: string = created.id;
  const host: string = created.hostToken;
  const props: { id: string }[] = created.propositions;
  const reporter = (await call(request, "POST", `/api/debates/${id}/participants`, { displayName: `Reporter ${n}` })).json;
  const rows = await Promise.all(
    chunk.map(async (p, i) => {
      const joined = (await call(request, "POST", `/api/debates/${id}/participants`, { displayName: `Author ${n}-${i}` })).json;
      const post = async (what: string) => {
        const res = await call(request, "POST", `/api/debates/${id}/arguments`, { propositionId: props[i % props.length]!.id, stance: i % 2 ? "con" : "pro", body: plainTextToArgumentBody(`${what} argument ${n}-${i}.`) }, joined.token);
        if (res.status !== 201) throw new Error(`could not post: ${JSON.stringify(res.json)}`);
        return res.json.id as string;
      };
      const [reported, hidden] = [await post("Reported"), await post("Hidden")];
      const report = await sendWithFallback(request, "POST", `/api/debates/${id}/arguments/${reported}/reports`, { reason: p.text }, () => ({ reason: `Report ${n}-${i} (payload ${p.id} refused)` }), reporter.token);
      const hide = await sendWithFallback(request, "POST", `/api/debates/${id}/arguments/${hidden}/hide`, { reason: p.text }, () => ({ reason: `Hidden ${n}-${i} (payload ${p.id} refused)` }), host);
      const renamed = await sendWithFallback(request, "PATCH", `/api/debates/${id}/participants/${joined.participant.id}`, { displayName: p.text }, () => ({ displayName: `Renamed ${n}-${i}` }), host);
      const authorId = joined.participant.id as string;
      return { author: { id: authorId, token: joined.token as string, name: renamed.displayName as string }, report: { argumentId: reported, authorId, reason: report.reason as string }, hide: { argumentId: hidden, authorId, reason: hide.hidden.reason as string } };
    }),
  );
  return { id, url: `/debates/${id}`, hostToken: host, authors: rows.map((r) => r.author), reports: rows.map((r) => r.report), hides: rows.map((r) => r.hide) };
}

test("hostile report reasons, hide reasons and renamed participants read as text on the moderation, debate and settings pages, and run none of it", async ({ browser, request, baseURL }) => {
  test.setTimeout(180_000);
  // 18 payloads per debate: each one a report reason, a hide reason and a participant's new name.
  const size = 18;
  const chunks: HostilePayload[][] = [];
  for (let i = 0; i < PAYLOADS.length; i += size) chunks.push(PAYLOADS.slice(i, i + size));
  const debates = await Promise.all(chunks.map((chunk, n) => createModerationDebate(request, chunk, n)));

  const hostContext = await browser.newContext();
  await hostContext.addCookies(debates.map((d) => ({ name: participantCookieName(d.id), value: d.hostToken, url: baseURL! })));
  const readerContext = await browser.newContext();
  const host = await watch(hostContext);
  const reader = await watch(readerContext);
  const mismatches: string[] = [];
  const problems = () => [...host.problems, ...reader.problems];

  const checkDebate = async (hostPage: Page, readerPage: Page, d: ModerationDebate) => {
    const names = new Map(d.authors.map((a) => [a.id, a.name]));
    // The debaters are here (live), so the host's page lists them as present.
    const sockets = await Promise.all(d.authors.map((a) => connectParticipant(baseURL!, d.id, a.token)));
    try {
      // ---- the moderation page: the queue, the hidden arguments and the audit log
      await hostPage.goto(`${d.url}/moderation`);
      await expect(hostPage.getByRole("heading", { level: 1 })).toContainText("Moderation");
      const seen = await hostPage.evaluate(() => {
        const items = (section: string) => [...document.querySelectorAll(`section[aria-labelledby="${section}"] li.queue-item`)];
        return {
          queue: Object.fromEntries(items("reports-heading").map((li) => [li.getAttribute("data-argument-id"), { author: li.querySelector(":scope > p > bdi")?.textContent ?? null, reasons: [...li.querySelectorAll(".report-reasons > li > bdi")].map((b) => b.textContent) }])),
          hidden: Object.fromEntries(items("hidden-heading").map((li) => [li.getAttribute("data-argument-id"), { author: li.querySelector(":scope > p > bdi")?.textContent ?? null, reason: li.querySelector(":scope > p .muted > bdi")?.textContent ?? null }])),
          audit: [...document.querySelectorAll("table.audit-table tbody tr")].map((tr) => ({ actor: tr.children[1]?.textContent ?? null, reason: tr.children[4]?.textContent ?? null })),
        };
      });
      const where = `moderation ${d.url}`;
      for (const r of d.reports) {
        const item = seen.queue[r.argumentId];
        if (!item || item.reasons.length !== 1 || item.reasons[0] !== r.reason) mismatches.push(`${where}: report shows ${JSON.stringify(item?.reasons)?.slice(0, 200)}, stored ${short(r.reason)}`);
        if (item && item.author !== names.get(r.authorId)) mismatches.push(`${where}: reported author shows ${short(String(item.author))}, stored ${short(names.get(r.authorId)!)}`);
      }
      for (const h of d.hides) {
        const item = seen.hidden[h.argumentId];
        if (item?.reason !== h.reason) mismatches.push(`${where}: hidden reason shows ${short(String(item?.reason))}, stored ${short(h.reason)}`);
        if (item && item.author !== names.get(h.authorId)) mismatches.push(`${where}: hidden author shows ${short(String(item.author))}`);
      }
      const log = (await (await request.get(`/api/debates/${d.id}/audit?pageSize=50`, { headers: { Authorization: `Bearer ${d.hostToken}` } })).json()) as { entries: { actor: { displayName: string }; reason: string | null }[] };
      const expectedLog = log.entries.map((e) => ({ actor: e.actor.displayName, reason: e.reason ?? "" }));
      if (JSON.stringify(seen.audit) !== JSON.stringify(expectedLog)) mismatches.push(`${where}: the audit log table does not read as the stored log: ${JSON.stringify(seen.audit).slice(0, 300)}`);
      if (!seen.audit.some((row) => d.hides.some((h) => h.reason === row.reason))) mismatches.push(`${where}: no hide reason in the audit log table`);
      for (const el of await injectedElements(hostPage)) host.problems.push(`${where}: ${el}`);

      // ---- the debate page, as the host: the hidden banner, the renamed authors, who is here
      await hostPage.goto(d.url);
      await expect(hostPage.getByTestId("connection-status")).toHaveText("Live");
      await expect(hostPage.getByTestId("presence-count")).toHaveText(`${d.authors.length + 1} here`);
      const page = await hostPage.evaluate(
        ({ hides, reports }) => ({
          banners: Object.fromEntries(hides.map((id) => [id, document.querySelector(`.argument[data-argument-id="${id}"] .hidden-banner bdi`)?.textContent ?? null])),
          authors: Object.fromEntries([...hides, ...reports].map((id) => [id, document.querySelector(`.argument[data-argument-id="${id}"] > .argument-header .author`)?.textContent ?? null])),
          presence: [...document.querySelectorAll(".presence bdi")].map((b) => b.textContent),
        }),
        { hides: d.hides.map((h) => h.argumentId), reports: d.reports.map((r) => r.argumentId) },
      );
      for (const h of d.hides) if (page.banners[h.argumentId] !== h.reason) mismatches.push(`debate ${d.url}: hidden banner shows ${short(String(page.banners[h.argumentId]))}, stored ${short(h.reason)}`);
      for (const a of [...d.hides, ...d.reports]) if (page.authors[a.argumentId] !== names.get(a.authorId)) mismatches.push(`debate ${d.url}: author shows ${short(String(page.authors[a.argumentId]))}, stored ${short(names.get(a.authorId)!)}`);
      const present = new Set([...names.values(), "E2E Facilitator"]);
      if (page.presence.length !== 8) mismatches.push(`debate ${d.url}: presence lists ${page.presence.length} names`);
      for (const name of page.presence) if (!present.has(name ?? "")) mismatches.push(`debate ${d.url}: presence shows ${short(String(name))}, not a stored name`);
      for (const el of await injectedElements(hostPage)) host.problems.push(`debate ${d.url}: ${el}`);

      // ---- the debate page, as a reader: the placeholder with the reason
      await readerPage.goto(d.url);
      await expect(readerPage.getByTestId("connection-status")).toHaveText("Live");
      const placeholders = await readerPage.evaluate(
        (ids) => Object.fromEntries(ids.map((id) => [id, document.querySelector(`.argument-withheld[data-argument-id="${id}"] [data-testid="withheld-placeholder"] bdi`)?.textContent ?? null])),
        d.hides.map((h) => h.argumentId),
      );
      for (const h of d.hides) if (placeholders[h.argumentId] !== h.reason) mismatches.push(`reader ${d.url}: placeholder shows ${short(String(placeholders[h.argumentId]))}, stored ${short(h.reason)}`);
      for (const el of await injectedElements(readerPage)) reader.problems.push(`reader ${d.url}: ${el}`);

      // ---- the settings page: the participants table and each rename form
      await hostPage.goto(`${d.url}/settings`);
      await expect(hostPage.getByRole("heading", { level: 1 })).toContainText("Settings");
      const rows = await hostPage.evaluate(
        (ids) =>
          Object.fromEntries(
            ids.map((id) => {
              const row = document.querySelector(`tr[data-testid="participant-${id}"]`);
              return [id, { name: row?.querySelector("th bdi")?.textContent ?? null, input: row?.querySelector<HTMLInputElement>('input[name="displayName"]')?.value ?? null }];
            }),
          ),
        d.authors.map((a) => a.id),
      );
      for (const a of d.authors) if (rows[a.id]?.name !== a.name || rows[a.id]?.input !== a.name) mismatches.push(`settings ${d.url}: participant shows ${JSON.stringify(rows[a.id])?.slice(0, 200)}, stored ${short(a.name)}`);
      for (const el of await injectedElements(hostPage)) host.problems.push(`settings ${d.url}: ${el}`);
    } finally {
      for (const { socket } of sockets) socket.disconnect();
    }
  };

  const queue = [...debates];
  await Promise.all(
    [0, 1, 2].map(async () => {
      const hostPage = await hostContext.newPage();
      host.attach(hostPage);
      const readerPage = await readerContext.newPage();
      reader.attach(readerPage);
      for (let d = queue.shift(); d; d = queue.shift()) await checkDebate(hostPage, readerPage, d);
    }),
  );
  await hostContext.close();
  await readerContext.close();
  expect({ problems: problems(), mismatches }).toEqual({ problems: [], mismatches: [] });
});

test("the join page refuses hostile codes and names with a sentence, shows them back as the text typed, and runs none of it", async ({ browser }) => {
  test.setTimeout(180_000);
  const context = await browser.newContext();
  const { problems, attach } = await watch(context);
  const mismatches: string[] = [];
  const queue = PAYLOADS.map((p, i) => ({ p, i }));
  await Promise.all(
    [0, 1, 2].map(async () => {
      const page = await context.newPage();
      attach(page);
      await page.goto("/join");
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { p, i } = next;
        // The code in a join link (every third payload, to keep the run short): put into the code box as text.
        if (i % 3 === 0 && isWellFormed(p.text) && p.text.length < 2_000) {
          await page.goto(`/join?code=${encodeURIComponent(p.text)}`);
          const code = await page.locator('form[action="/join"] input[name="code"]').first().inputValue();
          if (asInputValue(code) !== asInputValue(p.text.slice(0, 40))) mismatches.push(`join link ${p.id}: the code box holds ${short(code)}`);
        }
        // Sent as a plain form post (as without JavaScript): the whole page is rendered by the server with the refusal.
        const sent = await page.evaluate((text) => {
          const form = document.querySelector<HTMLFormElement>('form[action="/join"]')!;
          const [codeBox, nameBox] = [form.elements.namedItem("code") as HTMLInputElement, form.elements.namedItem("displayName") as HTMLInputElement];
          codeBox.value = text;
          nameBox.value = text;
          return { code: codeBox.value, name: nameBox.value };
        }, p.text);
        await Promise.all([page.waitForNavigation(), page.evaluate(() => document.querySelector<HTMLFormElement>('form[action="/join"]')!.submit())]);
        if (new URL(page.url()).pathname !== "/join") mismatches.push(`join ${p.id}: the refused form led to ${page.url()}`);
        const error = (await page.locator("#join-error").textContent({ timeout: 10_000 }).catch(() => null)) ?? "";
        if (!/\.$/.test(error) || error.length < 20) mismatches.push(`join ${p.id}: the refusal reads ${JSON.stringify(error)}`);
        if (p.text.trim().length >= 4 && error.includes(p.text.trim())) mismatches.push(`join ${p.id}: the refusal repeats the payload: ${JSON.stringify(error)}`);
        const form = page.locator('form[action="/join"]').first();
        const shown = { code: await form.locator('input[name="code"]').inputValue(), name: await form.locator('input[name="displayName"]').inputValue() };
        // What the browser sent is what the boxes show again (lone surrogates travel as U+FFFD).
        if (asInputValue(shown.code) !== asInputValue(sent.code) || asInputValue(shown.name) !== asInputValue(sent.name)) mismatches.push(`join ${p.id}: the boxes show ${JSON.stringify(shown).slice(0, 200)} after sending ${JSON.stringify(sent).slice(0, 200)}`);
        for (const el of await injectedElements(page)) problems.push(`join ${p.id}: ${el}`);
      }
    }),
  );
  await context.close();
  expect({ problems, mismatches }).toEqual({ problems: [], mismatches: [] });
});

test("account pages show hostile display names, emails and token names as text; passwords are never sent back", async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const base = baseURL!;
  const mismatches: string[] = [];
  // Odd but valid addresses (stored trimmed and lower-cased).
  const oddEmail = (i: number) => [`o'hara+${i}-${randomUUID()}@example.org`, `+cmd-${randomUUID()}@example.org`, `-${i}-${randomUUID()}@example.org`, `  MIXED.Case-${randomUUID()}@EXAMPLE.org `][i % 4]!;

  // An account for each payload the server takes as a display name (the others are refused, naming the field).
  const named = await inChunks(PAYLOADS, 8, async (p, i) => {
    const password = `a strong passphrase ${randomUUID()}`;
    const email = oddEmail(i);
    const res = await fetch(`${base}/api/accounts`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email, password, displayName: p.text }) });
    if (res.status === 400) {
      const field = ((await res.json()) as { error: { field?: string } }).error.field;
      if (field !== "displayName") mismatches.push(`sign-up ${p.id}: refused naming ${field}`);
      return null;
    }
    expect(res.status, `sign-up ${p.id}`).toBe(201);
    const { user } = (await res.json()) as { user: { email: string; displayName: string } };
    if (user.email !== email.trim().toLowerCase()) mismatches.push(`sign-up ${p.id}: email stored as ${JSON.stringify(user.email)}`);
    const login = await postForm(base, "/login", { email: user.email, password });
    expect(login.status, `sign-in ${p.id}`).toBe(302);
    return { payload: p, user, cookie: sessionPair(login)!.slice("sm_session=".length), tokens: ["first token"] };
  });
  const accounts = named.filter((a) => a !== null);
  expect(accounts.length).toBeGreaterThan(PAYLOADS.length / 3);
  // Every payload as an API token name, through /account's form, spread over those accounts.
  await inChunks(PAYLOADS, 8, async (p, i) => {
    const a = accounts[i % accounts.length]!;
    // (A form carries text as UTF-8: a lone surrogate travels as U+FFFD.)
    const made = await postForm(base, "/account", { intent: "createToken", name: p.text }, `sm_session=${a.cookie}`);
    const html = await made.text();
    if (made.status === 200) a.tokens.push(folded(p.text.replace(BROKEN, "\uFFFD")));
    else if (made.status !== 400) mismatches.push(`token ${p.id}: /account answered ${made.status}`);
    else if (!/class="error" role="alert"/.test(html)) mismatches.push(`token ${p.id}: refused without a message`);
  });

  const contexts = await Promise.all([0, 1, 2, 3].map(() => browser.newContext()));
  const watchers = await Promise.all(contexts.map((c) => watch(c)));
  const queue = [...accounts];
  await Promise.all(
    contexts.map(async (context, k) => {
      const page = await context.newPage();
      watchers[k]!.attach(page);
      for (let a = queue.shift(); a; a = queue.shift()) {
        await context.addCookies([{ name: "sm_session", value: a.cookie, url: base, httpOnly: true, sameSite: "Lax" }]);
        await page.goto("/account");
        await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your account");
        const seen = await page.evaluate(() => ({
          lede: [...document.querySelectorAll("main .lede bdi")].map((b) => b.textContent),
          header: document.querySelector(".signed-in bdi")?.textContent ?? null,
          nameBox: document.querySelector<HTMLInputElement>('input[name="displayName"]')?.value ?? null,
          tokens: [...document.querySelectorAll("table.token-table tbody tr td:first-child bdi")].map((b) => b.textContent),
        }));
        const where = `account ${a.payload.id}`;
        if (JSON.stringify(seen.lede) !== JSON.stringify([a.user.displayName, a.user.email])) mismatches.push(`${where}: "Signed in as" shows ${JSON.stringify(seen.lede).slice(0, 200)}`);
        if (seen.header !== a.user.displayName || seen.nameBox !== a.user.displayName) mismatches.push(`${where}: the header shows ${short(String(seen.header))}, the name box ${short(String(seen.nameBox))}, stored ${short(a.user.displayName)}`);
        if (JSON.stringify([...seen.tokens].sort()) !== JSON.stringify([...a.tokens].sort())) mismatches.push(`${where}: tokens listed ${JSON.stringify(seen.tokens).slice(0, 200)}, stored ${JSON.stringify(a.tokens).slice(0, 200)}`);
        for (const el of await injectedElements(page)) watchers[k]!.problems.push(`${where}: ${el}`);
      }
    }),
  );
  await Promise.all(contexts.map((c) => c.close()));

  // Passwords: a refused sign-up or sign-in never sends the password back (a unique marker inside it would show).
  const taken = accounts[0]!.user.email;
  const variants = (s: string) => [s, s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"), JSON.stringify(s).slice(1, -1)];
  await inChunks(PAYLOADS, 8, async (p) => {
    const marker = `Pw${randomUUID().replace(/-/g, "")}`;
    const attempts: [string, Response][] = [
      ["sign-up with a taken email", await postForm(base, "/signup", { email: taken, displayName: "Pat", password: `${marker} ${p.text}` })],
      ["sign-in with a wrong password", await postForm(base, "/login", { email: taken, password: `${marker} ${p.text}` })],
    ];
    const plain = await postForm(base, "/signup", { email: `pw-${randomUUID()}@example.org`, displayName: "Pat", password: p.text });
    if (plain.status !== 302) attempts.push(["sign-up with it as the password", plain]);
    for (const [what, res] of attempts) {
      const html = await res.text();
      if (![302, 400, 401, 409].includes(res.status)) mismatches.push(`password ${p.id}, ${what}: answered ${res.status}`);
      if (html.includes(marker)) mismatches.push(`password ${p.id}, ${what}: the password is in the page`);
      if (what.endsWith("as the password") && p.text.trim().length >= 16 && variants(p.text).some((v) => html.includes(v))) mismatches.push(`password ${p.id}, ${what}: the password is in the page`);
    }
  });

  // In Chromium: a refused sign-up shows the password nowhere in the page; sent as a plain form, the page comes back with the box empty.
  const context = await browser.newContext();
  const { problems, attach } = await watch(context);
  const page = await context.newPage();
  attach(page);
  const secret = `<img src=x onerror=alert('pw')> ${randomUUID()}`;
  await page.goto("/signup");
  await page.getByLabel("Email address").fill(taken);
  await page.getByLabel("Your name, as participants will see it").fill("Pat");
  await page.getByLabel("Password").fill(secret);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("alert").first()).toContainText("already exists");
  expect(await page.content()).not.toContain(secret.slice(-36));
  await Promise.all([page.waitForNavigation(), page.evaluate(() => document.querySelector<HTMLInputElement>('input[name="password"]')!.form!.submit())]);
  await expect(page.getByRole("alert").first()).toContainText("already exists");
  expect(await page.locator('input[name="password"]').inputValue()).toBe("");
  expect(await page.content()).not.toContain(secret.slice(-36));
  await context.close();
  // The refused sign-up itself answers 409, which the browser logs.
  const refusedHere = /^console error on http:\/\/localhost:\d+\/signup: Failed to load resource: the server responded with a status of 409 \(Conflict\)$/;
  expect({ problems: [...problems.filter((p) => !refusedHere.test(p)), ...watchers.flatMap((w) => w.problems)], mismatches }).toEqual({ problems: [], mismatches: [] });
});

test("the sign-in and sign-up `next` parameter never leads off this site, whatever it holds", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const base = baseURL!;
  const problems: string[] = [];
  const account = { email: `next-${randomUUID()}@example.org`, password: `a strong passphrase ${randomUUID()}`, displayName: "Nina Next" };
  expect((await fetch(`${base}/api/accounts`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(account) })).status).toBe(201);
  const cookie = sessionPair(await postForm(base, "/login", account))!;
  const nexts = [...OPEN_REDIRECTS, ...PAYLOADS.filter((p) => p.text.length < 3_000).map((p) => p.text)];
  await inChunks(nexts, 8, async (next) => {
    const replies: [string, Response][] = [["POST /login", await postForm(base, "/login", { ...account, next })]];
    if (isWellFormed(next)) {
      for (const page of ["/login", "/signup"]) replies.push([`GET ${page} (signed in)`, await fetch(`${base}${page}?next=${encodeURIComponent(next)}`, { redirect: "manual", headers: { Cookie: cookie } })]);
    }
    for (const [what, res] of replies) {
      if (res.status !== 302 || !staysHere(base, res.headers.get("location"))) problems.push(`${what} next=${short(next)}: ${res.status} to ${JSON.stringify(res.headers.get("location"))}`);
    }
  });

  // In Chromium: signed in, the sign-in page sends every one of them back to this site; signing in through the form too.
  const context = await browser.newContext();
  const watcher = await watch(context);
  await context.addCookies([{ name: "sm_session", value: cookie.slice("sm_session=".length), url: base, httpOnly: true, sameSite: "Lax" }]);
  const page = await context.newPage();
  watcher.attach(page);
  for (const next of OPEN_REDIRECTS.filter((n) => isWellFormed(n))) {
    await page.goto(`/login?next=${encodeURIComponent(next)}`);
    if (new URL(page.url()).origin !== new URL(base).origin) problems.push(`signed in, /login?next=${short(next)} ended on ${page.url()}`);
  }
  const fresh = await browser.newContext();
  const freshWatcher = await watch(fresh);
  const signIn = await fresh.newPage();
  freshWatcher.attach(signIn);
  for (const next of ["//evil.example", "/\\evil.example", "https://evil.example", "javascript:alert('next')", "/debates/\u{1F525}"]) {
    await signIn.goto(`/login?next=${encodeURIComponent(next)}`);
    await signIn.getByLabel("Email address").fill(account.email);
    await signIn.getByLabel("Password").fill(account.password);
    await signIn.getByRole("button", { name: "Sign in" }).click();
    await expect(signIn.locator(".signed-in")).toHaveText(account.displayName);
    if (new URL(signIn.url()).origin !== new URL(base).origin) problems.push(`signing in with next=${short(next)} ended on ${signIn.url()}`);
    await fresh.clearCookies();
  }
  await context.close();
  await fresh.close();
  // A path on this site that names no page answers 404: that is where such a `next` should end.
  const notFound = /^console error on http:\/\/localhost:\d+\/\S*: Failed to load resource: the server responded with a status of 404 \(Not Found\)$/;
  expect([...problems, ...watcher.problems, ...freshWatcher.problems].filter((p) => !notFound.test(p))).toEqual([]);
});

test("the settings page refuses hostile rate limits, visibility and names with a sentence, and shows every stored name as text", async ({ browser, request, baseURL }) => {
  test.setTimeout(120_000);
  const base = baseURL!;
  const created = (await call(request, "POST", "/api/debates", { sourceText: seedArticle, publish: true, title: "Settings under attack" }, await facilitatorToken(request))).json;
  const cookie = `${participantCookieName(created.id)}=${created.hostToken}`;
  const members = await Promise.all(Array.from({ length: 8 }, async (_, i) => (await call(request, "POST", `/api/debates/${created.id}/participants`, { displayName: `Member ${i + 1}` })).json.participant.id as string));
  const mismatches: string[] = [];
  const settingsPath = `/debates/${created.id}/settings`;
  const refusal = (html: string) => /<p[^>]*class="error"[^>]*role="alert"[^>]*>([^<]+)<\/p>/.exec(html)?.[1] ?? null;

  // Every payload through the page's forms, as a browser without JavaScript posts them.
  await inChunks(PAYLOADS, 8, async (p, i) => {
    for (const [what, fields] of [
      ["argument points", { intent: "rate-limits", argumentPoints: p.text, argumentSeconds: "60" }],
      ["vote seconds", { intent: "rate-limits", votePoints: "5", voteSeconds: p.text }],
      ["visibility", { intent: "visibility", visibility: p.text }],
      ["rename", { intent: "rename", participantId: members[i % members.length]!, displayName: p.text }],
    ] as const) {
      const res = await postForm(base, settingsPath, fields as Record<string, string>, cookie);
      const html = await res.text();
      if (res.status !== 200) mismatches.push(`${what} ${p.id}: ${res.status}`);
      const message = refusal(html);
      if (what !== "rename" && (!message || !/\.$/.test(message))) mismatches.push(`${what} ${p.id}: not refused with a sentence (${JSON.stringify(message)})`);
    }
  });
  const settings = (await (await request.get(`/api/debates/${created.id}/settings`, { headers: { Authorization: `Bearer ${created.hostToken}` } })).json()) as { visibility: string; rateLimits: unknown };
  expect(settings.rateLimits).toEqual({ argument: null, vote: null });
  expect(settings.visibility).toBe("unlinked");

  // In Chromium: the numbers typed by hand (the boxes made plain text, as a hostile client could), sent without the browser's own checks.
  const context = await browser.newContext();
  await context.addCookies([{ name: participantCookieName(created.id), value: created.hostToken, url: base }]);
  const { problems, attach } = await watch(context);
  const page = await context.newPage();
  attach(page);
  for (const value of ["abc", "-5", "0", "1.5", "1e309", "99999999999999999999", "NaN", "Infinity", "-Infinity", "10abc", "1,000", "\uFF11\uFF10", "<script>alert('limit')</script>", "=1+1", "1001"]) {
    await page.goto(settingsPath);
    await Promise.all([
      page.waitForNavigation(),
      page.evaluate((v) => {
        const form = document.querySelector<HTMLInputElement>('input[name="argumentPoints"]')!.form!;
        for (const name of ["argumentPoints", "argumentSeconds"]) {
          const box = form.elements.namedItem(name) as HTMLInputElement;
          box.type = "text";
          box.value = name === "argumentPoints" ? v : "60";
        }
        form.submit();
      }, value),
    ]);
    const shown = await page.getByRole("alert").first().textContent().catch(() => null);
    if (!shown || !/^Arguments, “At most”: give a whole number from 1 to 1,000\.$/.test(shown)) mismatches.push(`rate limit ${JSON.stringify(value)}: the page says ${JSON.stringify(shown)}`);
    for (const el of await injectedElements(page)) problems.push(`settings with ${JSON.stringify(value)}: ${el}`);
  }
  // The participants table shows every name as the server stores it.
  await page.goto(settingsPath);
  const stored = ((await (await request.get(`/api/debates/${created.id}/participants`, { headers: { Authorization: `Bearer ${created.hostToken}` } })).json()) as { participants: { id: string; displayName: string }[] }).participants;
  for (const m of stored) {
    const row = page.getByTestId(`participant-${m.id}`);
    const name = await row.locator("th bdi").textContent();
    if (name !== m.displayName) mismatches.push(`settings: participant shows ${short(String(name))}, stored ${short(m.displayName)}`);
  }
  expect(stored.filter((m) => members.includes(m.id) && !/^Member \d$/.test(m.displayName)).length).toBeGreaterThan(0);
  for (const el of await injectedElements(page)) problems.push(`settings: ${el}`);
  await context.close();
  expect({ problems, mismatches }).toEqual({ problems: [], mismatches: [] });
});
