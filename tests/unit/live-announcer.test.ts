import { describe, expect, it } from "vitest";
import { announcementText, mergeNews, newsFor } from "../../app/components/debate/LiveAnnouncer";
import { translate } from "../../app/i18n/catalogues.server";
import type { Translate } from "../../app/i18n/react";

/** The English catalogue, as the page's `useT()` gives it. */
const t: Translate = (id, values) => translate("en", id, values);
import { phaseAnnouncement } from "../../app/components/debate/PhaseBanner";
import type { ArgumentDTO } from "../../app/shared/contract";

const tally = (agree: number, disagree = 0, unsure = 0) => ({ agree, disagree, unsure, total: agree + disagree + unsure });
const props = [
  { id: "p1", tally: tally(1) },
  { id: "p2", tally: tally(3, 1) },
];
function arg(id: string, propositionId: string, author: string, extra: Partial<ArgumentDTO> = {}): ArgumentDTO {
  return {
    id,
    propositionId,
    parentId: null,
    stance: "con",
    body: { root: { type: "root", children: [] } } as unknown as ArgumentDTO["body"],
    bodyText: `Text of ${id}`,
    author: { id: author, displayName: author.toUpperCase(), role: "debater" },
    sources: [],
    tally: { up: 0, down: 0 } as ArgumentDTO["tally"],
    tallyVersion: 0,
    createdAt: `2026-01-01T00:00:0${id.slice(-1)}Z`,
    updatedAt: "2026-01-01T00:00:00Z",
    editCount: 0,
    deleted: false,
    hidden: null,
    withheld: false,
    ...extra,
  };
}

describe("live announcements", () => {
  it("says nothing without a proposition in focus", () => {
    expect(newsFor(null, props, tally(0), new Set(), [arg("a1", "p2", "ben")], "me")).toBeNull();
  });

  it("announces a new argument by someone else on the focused proposition only", () => {
    const args = [arg("a1", "p2", "ben"), arg("a2", "p1", "cy"), arg("a3", "p2", "me"), arg("a4", "p2", "dee", { withheld: true })];
    const news = newsFor("p2", props, tally(3, 1), new Set(), args, "me");
    expect(news).toEqual({ propositionNumber: 2, newArguments: [{ author: "BEN", stance: "con", reply: false, text: "Text of a1" }], tally: null });
    expect(announcementText(news!, t)).toBe("Proposition 2: new con argument by BEN: “Text of a1”.");
    // Already seen: nothing.
    expect(newsFor("p2", props, tally(3, 1), new Set(["a1"]), args, "me")).toBeNull();
  });

  it("announces a changed tally, and merges what happened while it waited", () => {
    const vote = newsFor("p2", props, tally(2, 1), new Set(), [], "me");
    expect(announcementText(vote!, t)).toBe("Proposition 2: votes now 3 agree, 1 disagree, 0 unsure.");
    const reply = newsFor("p2", props, undefined, new Set(), [arg("a5", "p2", "eve", { parentId: "a1", stance: "pro", bodyText: "x".repeat(300) })], "me");
    const second = newsFor("p2", props, undefined, new Set(), [arg("a6", "p2", "fay")], "me");
    const merged = mergeNews(mergeNews(vote, reply), second)!;
    expect(merged.newArguments).toHaveLength(2);
    expect(announcementText(merged, t)).toBe("Proposition 2: 2 new arguments, the latest by FAY. Votes now 3 agree, 1 disagree, 0 unsure.");
    // A long argument is cut short.
    expect(announcementText(reply!, t).length).toBeLessThan(170);
    expect(announcementText(reply!, t)).toContain("new pro reply by EVE");
  });

  it("news about another proposition replaces what was pending", () => {
    const a = newsFor("p1", props, tally(0), new Set(), [], "me");
    const b = newsFor("p2", props, tally(0), new Set(), [], "me");
    expect(mergeNews(a, b)).toBe(b);
    expect(mergeNews(null, a)).toBe(a);
    expect(mergeNews(a, null)).toBe(a);
  });
});

describe("phase announcements", () => {
  it("says the phase's moments, the same sentence between them", () => {
    expect(phaseAnnouncement(t, "Argue", "waiting", 900_000)).toBe("Argue phase, not started yet.");
    expect(phaseAnnouncement(t, "Argue", "running", 900_000)).toBe("Argue phase: the timer is running.");
    // Ticking does not change what is said until the last minute.
    expect(phaseAnnouncement(t, "Argue", "running", 61_000)).toBe(phaseAnnouncement(t, "Argue", "running", 899_000));
    expect(phaseAnnouncement(t, "Argue", "running", 60_000)).toBe("Argue phase: less than a minute left.");
    expect(phaseAnnouncement(t, "Argue", "running", 1_000)).toBe("Argue phase: less than a minute left.");
    expect(phaseAnnouncement(t, "Argue", "running", 0)).toBe("Argue phase: time is up.");
    expect(phaseAnnouncement(t, "Argue", "paused", 30_000)).toBe("Argue phase: the timer is paused.");
    expect(phaseAnnouncement(t, "Results", "untimed", null)).toBe("Results phase.");
  });
});
