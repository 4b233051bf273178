/**
 * Issue 14: a big debate read in parts (docs/decisions/0026-debate-page-frame.md, 0027). A debate of
 * 60 propositions (a Polis import) and 500 arguments, made over the API. In Chromium a participant:
 *  - gets a virtualised list (far fewer propositions in the DOM than the debate has);
 *  - scrolls down to a proposition whose arguments were not sent with the page: they load (first
 *    page), "Load more" reads the next, "Show 1 more reply" reads a reply;
 *  - votes on it;
 *  - follows a deep link to a reply three levels down: its ancestors are there, it is focused and highlighted;
 *  - searches for a word of one argument and follows the result to it;
 *  - sees another participant's post (from a second browser context) on a proposition not read yet:
 *    its count goes up at once, and the argument is there when the proposition is opened;
 *  - axe finds nothing on the page with arguments loaded and search results shown.
 * A reader who was offline while others posted catches up with counts for the parts not read
 * (app/realtime/held-catch-up.ts): the catch-up carries the new argument of a proposition read in full,
 * only the count of one not read, and that one shows the argument when it is opened.
 * And a debate of 240 propositions anchored in its article (docs/decisions/0028-folded-source-article.md):
 * the article is folded; a highlight still links to its proposition, a proposition back to its highlight.
 */
import { expect, test, type Page } from "@playwright/test";
import { plainTextToArgumentBody } from "../../app/shared/argument-body";
import { facilitatorHeaders } from "../support/e2e-accounts";
import { setContextOffline } from "../support/browser-network";
import { expectAccessible, joinInNewContext } from "../support/e2e-pages";

const PROPOSITIONS = 60;
const ARGUMENTS = 500;
/** The proposition (0-based) read in the test: not among the first three, whose first page comes with the page. */
const READ = 12;
/** Its top-level arguments (more than a page of 20) and a thread of three replies under the first. */
const READ_TOP = 30;
/** The proposition the second participant posts on (far down, never read before). */
const LATE = 55;
const WORDS = ["river", "market", "school", "energy", "housing", "transit", "forest", "harbour", "library", "garden"];

interface Seeded {
  id: string;
  propositions: { id: string }[];
  leafId: string;
  searchId: string;
  counts: Map<string, { pro: number; con: number }>;
}

async function seed(request: import("@playwright/test").APIRequestContext): Promise<Seeded> {
  const rows = ["timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body"];
  for (let i = 0; i < PROPOSITIONS; i++) rows.push(`16510${String(i).padStart(8, "0")},Wed Apr 27 07:51:34 PDT 2022,${i},0,0,0,1,"Statement ${i + 1}: the city should spend more on ${WORDS[i % WORDS.length]} number ${i + 1}."`);
  const votes = "timestamp,datetime,comment-id,voter-id,vote\n1651045893819,Wed Apr 27 00:51:33 PDT 2022,0,1,1\n";
  const imported = await request.post("/api/imports", { headers: await facilitatorHeaders(request), data: { format: "polis", title: "A big debate", files: { "comments.csv": rows.join("\n") + "\n", "votes.csv": votes } } });
  expect(imported.status(), await imported.text()).toBe(201);
  const { id } = (await imported.json()) as { id: string };
  const debate = (await (await request.get(`/api/debates/${id}`)).json()) as { propositions: { id: string }[] };
  expect(debate.propositions).toHaveLength(PROPOSITIONS);
  const tokens: string[] = [];
  for (let i = 0; i < 5; i++) {
    const joined = await request.post(`/api/debates/${id}/participants`, { data: { displayName: `Seeder ${i + 1}` } });
    expect(joined.status()).toBe(201);
    tokens.push(((await joined.json()) as { token: string }).token);
  }
  let n = 0;
  const post = async (propositionId: string, stance: "pro" | "con", text: string, parentId?: string) => {
    const token = tokens[n++ % tokens.length]!;
    const res = await request.post(`/api/debates/${id}/arguments`, { headers: { Authorization: `Bearer ${token}` }, data: { propositionId, stance, body: plainTextToArgumentBody(text), sources: [], ...(parentId ? { parentId } : {}) } });
    expect(res.status(), await res.text()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const counts = new Map(debate.propositions.map((p) => [p.id, { pro: 0, con: 0 }]));
  const read = debate.propositions[READ]!.id;
  // The read proposition: READ_TOP top-level arguments, oldest first, and a thread three deep under the first.
  const first = await post(read, "pro", "Read argument 1 opens the thread");
  counts.get(read)!.pro++;
  const reply = await post(read, "con", "A first reply to the opening argument", first);
  const middle = await post(read, "pro", "A second-level reply", reply);
  const leafId = await post(read, "con", "The deep reply that a link points at", middle);
  for (let i = 2; i <= READ_TOP; i++) {
    const stance = i % 3 === 0 ? "con" : "pro";
    await post(read, stance, `Read argument ${i} on the ${WORDS[READ % WORDS.length]}`);
    counts.get(read)![stance]++;
  }
  let made = READ_TOP + 3;
  // One argument with a word found nowhere else, on a proposition far down.
  const searchId = await post(debate.propositions[40]!.id, "con", "Nobody has costed the zanzibarquokka tunnel yet");
  counts.get(debate.propositions[40]!.id)!.con++;
  made++;
  // The rest spread over the other propositions, in parallel batches.
  const others = debate.propositions.filter((_, i) => i !== READ && i !== LATE);
  const jobs: (() => Promise<unknown>)[] = [];
  for (let i = 0; made + jobs.length < ARGUMENTS; i++) {
    const p = others[i % others.length]!.id;
    const stance = i % 2 ? "con" : "pro";
    counts.get(p)![stance]++;
    jobs.push(() => post(p, stance, `Filler argument ${i} about the proposals`));
  }
  for (let i = 0; i < jobs.length; i += 10) await Promise.all(jobs.slice(i, i + 10).map((job) => job()));
  return { id, propositions: debate.propositions, leafId, searchId, counts };
}

/**
 * Scrolls the window down a screen at a time until proposition `id` is rendered, brings it to the
 * top of the view, and waits until it stays there (propositions measured or loaded above it settle).
 */
async function scrollTo(page: Page, id: string) {
  const inView = () => page.evaluate((target) => {
    const r = document.getElementById(`prop-${target}`)?.getBoundingClientRect();
    return !!r && r.top < window.innerHeight && r.bottom > 0;
  }, id);
  for (let attempt = 0; attempt < 20; attempt++) {
    for (let i = 0; i < 300 && !(await page.locator(`#prop-${id}`).count()); i++) {
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(window.scrollBy(0, 0.8 * window.innerHeight)))));
    }
    await page.locator(`#prop-${id}`).evaluate((element) => element.scrollIntoView({ block: "start" })).catch(() => undefined);
    await page.waitForTimeout(300);
    if ((await inView()) && (await page.waitForTimeout(300).then(inView))) return;
  }
  throw new Error(`proposition ${id} did not stay in view`);
}

test("a debate of 500 arguments: read in parts, voted, linked into, searched, and live", async ({ browser, request, baseURL }) => {
  test.setTimeout(180_000);
  const s = await seed(request);
  const url = `${baseURL}/debates/${s.id}`;
  const page = await joinInNewContext(browser, url, "Reader");

  // Virtualised (once its code has loaded after hydration): a small part of the 60 propositions is in the DOM.
  await expect(page.locator("ol.proposition-list[data-virtual]")).toHaveCount(1);
  const rendered = await page.locator("li.proposition").count();
  expect(rendered).toBeGreaterThan(0);
  expect(rendered).toBeLessThan(PROPOSITIONS / 2);

  // Scroll to a proposition whose arguments did not come with the page: its first page loads.
  const read = s.propositions[READ]!.id;
  await scrollTo(page, read);
  const item = page.locator(`#prop-${read}`);
  await expect(item.getByTestId("lazy-arguments")).toHaveAttribute("data-loaded", "true");
  await expect(item.getByTestId("count-pro")).toHaveText(`(${s.counts.get(read)!.pro})`);
  await expect(item.getByTestId("count-con")).toHaveText(`(${s.counts.get(read)!.con})`);
  const topLevel = item.locator(".column > article.argument");
  await expect(topLevel).toHaveCount(20);
  await item.getByTestId("load-more").click();
  await expect(topLevel).toHaveCount(READ_TOP);
  await expect(item.getByTestId("load-more")).toHaveCount(0);
  // Replies are read on demand.
  await item.getByRole("button", { name: /Show 1 more reply to Seeder/ }).click();
  await expect(item.getByText("A first reply to the opening argument")).toBeVisible();

  // Vote on it.
  const agree = item.getByRole("group", { name: `Your vote on proposition ${READ + 1}` }).locator(".vote-agree");
  await agree.click();
  await expect(agree).toHaveAttribute("aria-pressed", "true");
  await expect.poll(async () => ((await (await request.get(`/api/debates/${s.id}`)).json()) as { propositions: { id: string; tally: { agree: number } }[] }).propositions.find((p) => p.id === read)!.tally.agree).toBe(1);

  // A deep link to a reply three levels down: ancestors loaded, the reply focused and highlighted.
  await page.goto(`${url}/arguments/${s.leafId}`);
  const leaf = page.locator(`#arg-${s.leafId}`);
  await expect(leaf).toBeFocused();
  await expect(leaf).toHaveClass(/argument-focus/);
  await expect(leaf).toContainText("The deep reply that a link points at");
  await expect(page.getByText("Read argument 1 opens the thread")).toBeVisible();
  await expect(page.getByText("A second-level reply")).toBeVisible();
  await expect(page.getByTestId("connection-status")).toHaveText("Live");

  // Search: the one argument with the word, followed to its deep link.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.getByRole("searchbox", { name: "Search this debate" }).fill("zanzibarquokka");
  await expect(page.getByRole("status").filter({ hasText: "1 result for “zanzibarquokka”." })).toBeVisible();
  await expectAccessible(page);
  await page.getByTestId("search-results").getByRole("link", { name: /Argument against proposition 41/ }).click();
  await expect(page).toHaveURL(new RegExp(`/arguments/${s.searchId}$`));
  await expect(page.locator(`#arg-${s.searchId}`)).toBeFocused();
  await expect(page.locator(`#arg-${s.searchId}`)).toHaveClass(/argument-focus/);

  // A second participant, in a browser context of their own, posts on a proposition nobody has read.
  await page.goto(url);
  await expect(page.getByTestId("connection-status")).toHaveText("Live");
  await expect(page.locator("ol.proposition-list[data-virtual]")).toHaveCount(1);
  const late = s.propositions[LATE]!.id;
  await expect(page.locator(`#prop-${late}`)).toHaveCount(0);
  const other = await joinInNewContext(browser, url, "Latecomer");
  const status = await other.evaluate(
    async ({ debateId, propositionId, body }) => (await fetch(`/api/debates/${debateId}/arguments`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ propositionId, stance: "pro", body, sources: [] }) })).status,
    { debateId: s.id, propositionId: late, body: plainTextToArgumentBody("A late argument nobody has read yet") },
  );
  expect(status).toBe(201);
  await scrollTo(page, late);
  const lateItem = page.locator(`#prop-${late}`);
  await expect(lateItem.getByTestId("count-pro")).toHaveText(`(${s.counts.get(late)!.pro + 1})`);
  await expect(lateItem.getByText("A late argument nobody has read yet")).toBeVisible();
  await expect(lateItem.getByTestId("lazy-arguments")).toHaveAttribute("data-loaded", "true");
  await expectAccessible(page);
  await other.context().close();
});

test("a big debate's reader back from offline: what was read comes in full, the rest as counts", async ({ browser, request, baseURL }) => {
  test.setTimeout(180_000);
  const s = await seed(request);
  const url = `${baseURL}/debates/${s.id}`;
  const page = await joinInNewContext(browser, url, "Traveller");
  // The page's sockets, so that the test can cut them (an emulated offline network leaves an open one open).
  await page.context().addInitScript(() => {
    const sockets: WebSocket[] = ((window as unknown as { testSockets: WebSocket[] }).testSockets = []);
    window.WebSocket = class extends WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        sockets.push(this);
      }
    };
  });
  await page.reload();
  const catchUps: string[] = [];
  page.on("websocket", (ws) => ws.on("framereceived", ({ payload }) => void (typeof payload === "string" && payload.includes('"debate:catchup"') && catchUps.push(payload))));
  const status = page.getByTestId("connection-status");
  await expect(status).toHaveText("Live");
  const first = s.propositions[0]!.id; // its first page came with the page
  const late = s.propositions[LATE]!.id; // never read
  await expect(page.locator(`#prop-${first}`).getByTestId("lazy-arguments")).toHaveAttribute("data-loaded", "true");

  // Wait until the page has loaded its catch-up code (./held-catch-up.ts, after the page), then drop the network.
  await page.waitForLoadState("networkidle");
  await setContextOffline(page.context(), true);
  await page.evaluate(() => (window as unknown as { testSockets: WebSocket[] }).testSockets.forEach((ws) => ws.close()));
  await expect(status).toHaveAttribute("data-status", /offline|reconnecting/);
  const joined = await request.post(`/api/debates/${s.id}/participants`, { data: { displayName: "Poster" } });
  const { token } = (await joined.json()) as { token: string };
  for (const [propositionId, text] of [[first, "Posted on a read proposition while away"], [late, "Posted on an unread proposition while away"]] as const) {
    const res = await request.post(`/api/debates/${s.id}/arguments`, { headers: { Authorization: `Bearer ${token}` }, data: { propositionId, stance: "pro", body: plainTextToArgumentBody(text), sources: [] } });
    expect(res.status(), await res.text()).toBe(201);
  }
  await setContextOffline(page.context(), false);
  await expect(status).toHaveText("Live");
  // In view, a new argument waits behind its pill (as one arriving live would).
  await page.getByRole("button", { name: "Show 1 new argument for proposition 1" }).click();
  await expect(page.locator(`#prop-${first}`).getByText("Posted on a read proposition while away")).toBeVisible();
  // The catch-up declared what the page holds: the read proposition's argument in full, the other's by its count.
  await expect.poll(() => catchUps.some((frame) => frame.includes('"held"') && frame.includes("Posted on a read proposition while away"))).toBe(true);
  expect(catchUps.some((frame) => frame.includes("Posted on an unread proposition while away"))).toBe(false);
  await scrollTo(page, late);
  const lateItem = page.locator(`#prop-${late}`);
  await expect(lateItem.getByTestId("count-pro")).toHaveText(`(${s.counts.get(late)!.pro + 1})`);
  await expect(lateItem.getByText("Posted on an unread proposition while away")).toBeVisible();
  await page.context().close();
});

/** Propositions of the article test: over FOLD_ABOVE (200), so the article is folded (ADR 0028). */
const ANCHORED = 240;

test("a big debate's folded article: a highlight links to its proposition and a proposition back to its highlight", async ({ browser, request, baseURL }) => {
  test.setTimeout(120_000);
  const claims = Array.from({ length: ANCHORED }, (_, i) => `Claim number ${i + 1} says that the city should favour plan ${String.fromCharCode(65 + (i % 26))} for reason ${i + 1}.`);
  const created = await request.post("/api/debates", { headers: await facilitatorHeaders(request), data: { sourceText: `A long op-ed\n\nAn introduction.\n\nHot take\n\n${claims.join(" ")}\n`, publish: true, title: "A big article", draft: "sentences" } });
  expect(created.status(), await created.text()).toBe(201);
  const { id, propositions } = (await created.json()) as { id: string; propositions: { id: string }[] };
  expect(propositions.length).toBeGreaterThan(200);
  const url = `${baseURL}/debates/${id}`;
  // One column (as on a phone): each proposition has its "Where the article says this" link.
  const page = await joinInNewContext(browser, url, "Article reader");
  await page.setViewportSize({ width: 800, height: 900 });
  await expect(page.locator("ol.proposition-list[data-virtual]")).toHaveCount(1);

  // Folded: a closed disclosure, no highlight in the DOM.
  const fold = page.getByTestId("source-fold");
  await expect(fold).not.toHaveAttribute("open", /.*/);
  await expect(fold.locator("summary")).toHaveText(`Article text (${propositions.length} highlighted passages)`);
  await expect(page.locator("a.highlight")).toHaveCount(0);

  // A proposition's link back to its span opens the article and brings the span in, focused.
  const third = propositions[2]!.id;
  await page.locator(`#prop-${third}`).getByRole("link", { name: "Where the article says this" }).click();
  await expect(fold).toHaveAttribute("open", "");
  await expect(page.locator(`#span-${third}`)).toBeFocused();
  await expect(page.locator(`#span-${third}`)).toBeInViewport();
  // Only the parts near the view carry their highlights.
  const highlights = await page.locator("a.highlight").count();
  expect(highlights).toBeGreaterThan(0);
  expect(highlights).toBeLessThan(propositions.length / 2);
  await expectAccessible(page);

  // An address with the hash of a span far down (a part not rendered yet): opened at it.
  const far = propositions.length - 10;
  const farId = propositions[far]!.id;
  await page.goto(`${url}#span-${farId}`);
  const span = page.locator(`#span-${farId}`);
  await expect(span).toBeFocused();
  await expect(span).toBeInViewport();
  await expect(span).toHaveAttribute("href", `#prop-${farId}`);
  await expect(span.locator("sup")).toHaveText(String(far + 1));

  // The highlight links to its proposition, which the virtualised list brings into the DOM and the view.
  await expect(page.locator(`#prop-${farId}`)).toHaveCount(0);
  await span.click();
  await expect(page.locator(`#prop-${farId}`)).toBeInViewport();
  await expect(page.locator(`#prop-${farId}`)).toBeFocused();
  await expect(page.locator(`#prop-${farId} .proposition-number`)).toHaveText(String(far + 1));
  await page.context().close();
});
