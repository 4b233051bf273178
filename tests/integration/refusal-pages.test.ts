/**
 * The pages' side of refusals that say why (against the built app: `npm run build` first):
 * [P1] a participant a facilitator removed who opens the debate again with their old cookie is told they
 *      were removed (public debate: the banner, no join form; private: instead of the join-code form),
 *      and a form they send without JavaScript is refused with that sentence, not "join first";
 * [P2] the settings page names a rate rule's box as the form labels it ("Arguments", "At most"), not by
 *      its API field (`points`, `durationSeconds`), in the page's language;
 * [P3] the moderation page's actions, sent by nobody recognised, ask to sign in as the debate's facilitator.
 */
import { describe, expect, it } from "vitest";
import { translate } from "../../app/i18n/catalogues.server";
import { LANGUAGE_COOKIE, type Locale } from "../../app/i18n/locales";
import { api, publishedDebateWith } from "../support/api-client";
import { seedArticle } from "../support/article";
import { participantCookie, postPageAction } from "../support/page-client";
import { useTestServer } from "../support/test-server";

const { server } = useTestServer({ serveApp: true, rateLimits: "off" });

const inLanguage = (locale: Locale, cookie = "") => [cookie, `${server.site.cookieName(LANGUAGE_COOKIE)}=${locale}`].filter(Boolean).join("; ");
/** The page's HTML without its scripts (they carry the whole catalogue). */
const rendered = async (path: string, cookie: string) => (await (await fetch(`${server.url}${path}`, { headers: { cookie } })).text()).replace(/<script\b[\s\S]*?<\/script>/g, "");
/** Text as React writes it in HTML. */
const html = (text: string) => text.replace(/&/g, "&amp;").replace(/'/g, "&#x27;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

async function debateWithRemoved() {
  const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Removed Rae"]);
  const rae = participants[0]!;
  expect((await api(server.url, `/api/debates/${debate.id}/participants/${rae.id}`, { method: "DELETE", token: debate.hostToken })).status).toBe(200);
  return { debate, rae };
}

describe("pages that say why", () => {
  it("[P1] tells a removed participant they were removed, on the page and for a form sent without JavaScript", async () => {
    const { debate, rae } = await debateWithRemoved();
    const cookie = participantCookie(debate.id, rae.token);
    for (const locale of ["en", "de"] as const) {
      const page = await rendered(`/debates/${debate.id}`, inLanguage(locale, cookie));
      expect(page).toContain('data-testid="removed-banner"');
      expect(page).toContain(html(translate(locale, "debate.removed")));
      expect(page).not.toContain("join-form");
    }
    // A visitor still gets the join form.
    expect(await rendered(`/debates/${debate.id}`, "")).toContain("join-form");

    const vote = await postPageAction(server.url, `/debates/${debate.id}`, { intent: "vote", propositionId: debate.propositions[0]!.id, value: "agree" }, inLanguage("fr", cookie));
    expect((vote.data as { formError: { error: unknown } }).formError.error).toEqual({ code: "unauthenticated", message: translate("fr", "errors.participant.removed") });

    // A private debate: the gate says so instead of offering the join-code form.
    expect((await api(server.url, `/api/debates/${debate.id}/settings`, { method: "PATCH", token: debate.hostToken, body: { visibility: "private" } })).status).toBe(200);
    const gate = await rendered(`/debates/${debate.id}`, inLanguage("es", cookie));
    expect(gate).toContain(html(translate("es", "errors.participant.removed")));
    expect(gate).not.toContain("join-code-input");
  });

  it("[P2] names a rate rule's box as the settings form labels it, in the page's language", async () => {
    const { debate } = await publishedDebateWith(server.url, seedArticle, []);
    const host = participantCookie(debate.id, debate.hostToken);
    const save = (locale: Locale, fields: Record<string, string>) => postPageAction(server.url, `/debates/${debate.id}/settings`, { intent: "rate-limits", ...fields }, inLanguage(locale, host));
    const message = (reply: Awaited<ReturnType<typeof save>>) => (reply.data as { error: { message: string; field: string } }).error;

    expect(message(await save("en", { argumentPoints: "0", argumentSeconds: "60" }))).toMatchObject({ field: "rateLimits.argument.points", message: "Arguments, “At most”: give a whole number from 1 to 1,000." });
    expect(message(await save("de", { argumentPoints: "0", argumentSeconds: "60" })).message).toBe("Argumente, „Höchstens“: Geben Sie eine ganze Zahl von 1 bis 1.000 an.");
    // Only one box of a rule filled: the other is named.
    const french = message(await save("fr", { votePoints: "5" }));
    expect(french.field).toBe("rateLimits.vote.durationSeconds");
    // (French groups digits with a narrow no-break space.)
    expect(french.message.replace(/\u202f/g, " ")).toBe("Votes, « par secondes » : indiquez un nombre entier de secondes de 1 à 3 600.");
    const spanish = message(await save("es", { argumentPoints: "5", argumentSeconds: "99999" }));
    expect(spanish.message).toBe(translate("es", "settings.page.invalid.seconds", { rule: "Argumentos", label: "por segundos", min: 1, max: 3600 }));
    for (const reply of [spanish.message, message(await save("de", { votePoints: "1.5", voteSeconds: "10" })).message]) expect(reply).not.toMatch(/points|durationSeconds|rateLimits/);
    // A good rule is saved as before.
    expect((await save("en", { argumentPoints: "5", argumentSeconds: "60" })).data).toMatchObject({ ok: true });
  });

  it("[P3] asks whoever the moderation page's actions do not recognise to sign in as the debate's facilitator", async () => {
    const { debate } = await publishedDebateWith(server.url, seedArticle, []);
    const reply = await postPageAction(server.url, `/debates/${debate.id}/moderation`, { intent: "hide", argumentId: debate.id, reason: "x" }, inLanguage("de"));
    expect((reply.data as { error: { message: string } }).error.message).toBe(translate("de", "errors.facilitatorSignIn"));
    const settings = await postPageAction(server.url, `/debates/${debate.id}/settings`, { intent: "rotate-code" }, inLanguage("en"));
    expect((settings.data as { error: { code: string; message: string } }).error).toMatchObject({ code: "unauthenticated", message: translate("en", "errors.facilitatorSignIn") });
  });
});
