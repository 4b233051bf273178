/**
 * The pages offer exactly what `decide` (app/shared/permissions.ts) allows: the
 * debate page is rendered (react-dom/server, through react-router's route stub,
 * with the loader data a participant would get) for every role × state, and the
 * controls found in the HTML are compared with the actions `decide` allows there.
 * The settings page's participant controls are checked the same way against
 * `decideParticipantChange`. The server enforces the same functions
 * (tests/integration/roles.test.ts), so what is shown is what works.
 */
import { renderToString } from "react-dom/server";
import { createRoutesStub } from "react-router";
import { DomUtils, parseDocument } from "htmlparser2";
import { afterEach, describe, expect, it, vi } from "vitest";
import Debate from "../../app/routes/debate";
import { messagesFor } from "../../app/i18n/catalogues.server";
import { I18nProvider } from "../../app/i18n/react";
import DebateSettings from "../../app/routes/debate-settings";
import type { CurrentParticipant, DebateStatus, ParticipantRole } from "../../app/shared/contract";
import type { DebateSettingsAdminDTO, ParticipantAdminDTO } from "../../app/shared/management";
import { argumentForViewer } from "../../app/shared/moderation";
import { Action, allowedActions, decideParticipantChange, type Decider, ROLES } from "../../app/shared/permissions";
import { argumentFixture, debateFixture } from "../support/dto-fixtures";

type Me = (CurrentParticipant & { removed?: boolean }) | null;

/**
 * renderToString is the server's render, before the scripts arrive: the page then offers the
 * controls that work without JavaScript (issue 21's forms). The hydrated page is rendered with
 * `useHydrated` answering true.
 */
const hydration = vi.hoisted(() => ({ hydrated: true }));
vi.mock("../../app/utils/use-hydrated", () => ({ useHydrated: () => hydration.hydrated }));
afterEach(() => {
  hydration.hydrated = true;
});
/** Controls that need JavaScript: deleting one's own argument and unhiding have no form before hydration. */
const NEEDS_SCRIPTS = new Set(["delete", "unhide"]);
const withoutScripts = (controls: Record<string, Set<string>>) => Object.fromEntries(Object.entries(controls).map(([k, v]) => [k, new Set([...v].filter((c) => !NEEDS_SCRIPTS.has(c)))]));
type Element = ReturnType<typeof DomUtils.findAll>[number];

// ---------------------------------------------------------------- rendering

/** Renders a route component with `loaderData` at `path` and parses the HTML (in English, as the root layout provides it). */
function render(Component: unknown, path: string, pattern: string, loaderData: unknown) {
  const Stub = createRoutesStub([{ id: "page", path: pattern, Component: Component as never, loader: () => loaderData }]);
  return parseDocument(
    renderToString(
      <I18nProvider locale="en" messages={messagesFor("en")}>
        <Stub initialEntries={[path]} hydrationData={{ loaderData: { page: loaderData } }} />
      </I18nProvider>,
    ),
  );
}

const text = (el: Element) => DomUtils.textContent(el).replace(/\s+/g, " ").trim();
const all = (root: Element | ReturnType<typeof parseDocument>, test: (el: Element) => boolean) => DomUtils.findAll(test, root.children);
const enabled = (el: Element) => el.attribs.disabled === undefined;
const isButton = (el: Element) => el.name === "button" || el.name === "summary";

// ---------------------------------------------------------------- the debate page

const PROPOSITION = "p1";
const argumentsOn = (locked: boolean) => ({
  theirs: argumentFixture("theirs", { author: { id: "other", displayName: "Other", role: "debater" } }),
  mine: argumentFixture("mine", { author: { id: "me", displayName: "Me", role: "debater" } }),
  hidden: argumentFixture("hidden", {
    author: { id: "other", displayName: "Other", role: "debater" },
    hidden: { reason: "Off topic", at: "2026-01-01T00:00:01.000Z" },
  }),
  locked,
});

/** The debate page as the loader gives it to `me` (hidden arguments withheld as the server withholds them). */
function debatePage(me: Me, status: DebateStatus, locked: boolean) {
  const a = argumentsOn(locked);
  const debate = debateFixture({
    status,
    propositions: [{ ...debateFixture().propositions[0]!, id: PROPOSITION, locked }],
    arguments: [a.theirs, a.mine, a.hidden].map((x) => argumentForViewer(x, x.id === "hidden", me)),
  });
  return render(Debate, "/debates/d", "/debates/:debateId", { debate, me, mine: { votes: {}, ratings: {} }, openReports: 0, share: null, formKey: "3f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f" });
}

/** The controls offered, by where they are: the page, the proposition, and each argument. Disabled buttons are not offered. */
function debateControls(doc: ReturnType<typeof parseDocument>) {
  const page = new Set<string>();
  for (const el of all(doc, isButton).filter(enabled)) {
    if (text(el) === "Close the debate…") page.add("close");
    if (text(el) === "Reopen the debate") page.add("reopen");
  }
  const proposition = new Set<string>();
  const item = all(doc, (el) => el.attribs.id === `prop-${PROPOSITION}`)[0]!;
  for (const el of all(item, isButton).filter(enabled)) {
    if (/^(Lock|Unlock) proposition/.test(el.attribs["aria-label"] ?? "")) proposition.add("lock");
    if (el.parent && (el.parent as Element).attribs?.class === "vote-buttons") proposition.add("vote");
    if (text(el) === "Add an argument") proposition.add("post");
  }
  const argument = (id: string) => {
    const found = new Set<string>();
    const article = all(doc, (el) => el.name === "article" && el.attribs["data-argument-id"] === id)[0];
    if (!article) return found;
    for (const el of all(article, isButton).filter(enabled)) {
      const label = el.attribs["aria-label"] ?? "";
      if (/^Rate (up|down)/.test(label)) found.add("rate");
      const words = text(el);
      if (words === "Reply") found.add("reply");
      if (words === "Edit") found.add("edit");
      if (words === "Delete") found.add("delete");
      if (words === "Report") found.add("report");
      if (words === "Hide…") found.add("hide");
      if (words === "Unhide") found.add("unhide");
    }
    return found;
  };
  return { page, proposition, theirs: argument("theirs"), mine: argument("mine"), hidden: argument("hidden") };
}

/** What `decide` allows, in the same terms. Item rules on top of it (own argument, hidden thread) are the services' too. */
function expectedDebateControls(me: Me, status: DebateStatus, locked: boolean) {
  const who: Decider = me && !me.removed ? me : null;
  const onDebate = allowedActions(who, { status });
  const onProposition = allowedActions(who, { status, propositionLocked: locked });
  const names = (pairs: [string, boolean][]) => new Set(pairs.filter(([, ok]) => ok).map(([name]) => name));
  const has = (a: Action) => onProposition.has(a);
  return {
    // Reopening an open debate changes nothing (server/services/locks.ts), so the page offers it only when closed.
    page: names([["close", onDebate.has(Action.closeDebate)], ["reopen", onDebate.has(Action.reopenDebate) && status === "closed"]]),
    proposition: names([["lock", has(Action.lockProposition)], ["vote", has(Action.castVote)], ["post", has(Action.postArgument)]]),
    theirs: names([["rate", has(Action.rateArgument)], ["reply", has(Action.postArgument)], ["report", has(Action.reportArgument)], ["hide", has(Action.hideArgument)]]),
    mine: names([["rate", has(Action.rateArgument)], ["reply", has(Action.postArgument)], ["edit", has(Action.editOwnArgument)], ["delete", has(Action.deleteOwnArgument)], ["hide", has(Action.hideArgument)]]),
    // In a hidden thread only unhiding is left (withheld altogether from who may not see it).
    hidden: names([["unhide", has(Action.hideArgument)]]),
  };
}

const participant = (role: ParticipantRole, muted = false): CurrentParticipant => ({ id: "me", displayName: "Me", role, muted, debateId: "d" });
const STATUSES: DebateStatus[] = ["draft", "published", "closed"];
const cases: { who: string; me: Me }[] = [
  { who: "nobody (not joined)", me: null },
  ...ROLES.flatMap((role) => [
    { who: role, me: participant(role) },
    { who: `muted ${role}`, me: participant(role, true) },
  ]),
  { who: "removed debater", me: { ...participant("debater"), removed: true } },
];

describe("the debate page offers exactly the actions decide() allows", () => {
  for (const { who, me } of cases) {
    for (const status of STATUSES) {
      for (const locked of [false, true]) {
        it(`${who}, ${status} debate, ${locked ? "locked" : "open"} proposition`, () => {
          expect(debateControls(debatePage(me, status, locked))).toEqual(expectedDebateControls(me, status, locked));
        });
        it(`${who}, ${status} debate, ${locked ? "locked" : "open"} proposition, before the scripts arrive`, () => {
          hydration.hydrated = false;
          expect(debateControls(debatePage(me, status, locked))).toEqual(withoutScripts(expectedDebateControls(me, status, locked)));
        });
      }
    }
  }
});

describe("regressions: the page used to re-derive the rules and drift from them", () => {
  it("a muted debater is offered Report on someone else's argument (muting stops posting, not reporting)", () => {
    const controls = debateControls(debatePage(participant("debater", true), "published", false));
    expect(controls.theirs).toContain("report");
    expect(controls.theirs).toContain("rate");
    expect(controls.theirs).not.toContain("reply");
  });

  it("on a locked proposition a debater is offered Report, and no reply, vote or rating", () => {
    const controls = debateControls(debatePage(participant("debater"), "published", true));
    expect([...controls.theirs]).toEqual(["report"]);
    expect(controls.proposition.size).toBe(0);
  });
});

// ---------------------------------------------------------------- the settings page

const settings = (status: DebateStatus): DebateSettingsAdminDTO => ({
  id: "d",
  title: "t",
  status,
  visibility: "unlinked",
  joinCode: "ABCD-EFGH",
  joinPath: "/join?code=ABCD-EFGH",
  debatePath: "/debates/d",
  closedAt: null,
  language: null,
  rateLimits: { argument: null, vote: null },
  defaultRateLimits: { argument: { points: 10, durationSeconds: 60 }, vote: { points: 60, durationSeconds: 60 } },
});

const row = (id: string, role: ParticipantRole, extra: Partial<ParticipantAdminDTO> = {}): ParticipantAdminDTO => ({
  id,
  displayName: id,
  role,
  muted: false,
  removed: false,
  joinedAt: "2026-01-01T00:00:00.000Z",
  lastSeenAt: "2026-01-01T00:00:00.000Z",
  argumentCount: 0,
  ...extra,
});

/** Everyone a facilitator can meet on the page, themselves included. */
const people = (me: CurrentParticipant): ParticipantAdminDTO[] => [
  row(me.role === "host" ? "me" : "host", "host"),
  row(me.role === "facilitator" ? "me" : "cohost", "facilitator"),
  row("debater", "debater"),
  row("muted-debater", "debater", { muted: true }),
  row("observer", "observer"),
  row("gone", "debater", { removed: true }),
];

function settingsControls(me: CurrentParticipant) {
  const doc = render(DebateSettings, "/debates/d/settings", "/debates/:debateId/settings", {
    settings: settings("published"),
    participants: people(me),
    joinUrl: "http://localhost/join?code=ABCD-EFGH",
    me,
  });
  const found: Record<string, string[]> = {};
  for (const tr of all(doc, (el) => el.name === "tr" && (el.attribs["data-testid"] ?? "").startsWith("participant-"))) {
    const id = tr.attribs["data-testid"]!.slice("participant-".length);
    found[id] = all(tr, isButton)
      .map((el): string | null => {
        const words = text(el);
        const label = el.attribs["aria-label"] ?? "";
        if (words === "Rename…") return "rename";
        if (/^(Mute|Unmute) /.test(label)) return "mute";
        if (/^Make .* (an observer|a debater)$/.test(label)) return "role";
        if (/^(Make facilitator:|Revoke facilitator role of)/.test(label)) return "appoint";
        if (words === "Remove…") return "remove";
        return null;
      })
      .filter((x): x is string => x !== null)
      .sort();
  }
  return found;
}

function expectedSettingsControls(me: CurrentParticipant) {
  const expected: Record<string, string[]> = {};
  for (const p of people(me)) {
    const may = (change: Parameters<typeof decideParticipantChange>[2]) => !p.removed && decideParticipantChange(me, p, change, { status: "published" }) === null;
    const plain = p.role === "debater" || p.role === "observer";
    expected[p.id] = [
      ["rename", may({ rename: true })],
      ["mute", may({ muted: !p.muted })],
      ["role", plain && may({ role: p.role === "debater" ? "observer" : "debater" })],
      ["appoint", p.role !== "host" && may({ role: p.role === "facilitator" ? "debater" : "facilitator" })],
      ["remove", may({ remove: true })],
    ]
      .filter(([, ok]) => ok)
      .map(([name]) => name as string)
      .sort();
  }
  return expected;
}

describe("the settings page offers exactly the participant changes decideParticipantChange() allows", () => {
  for (const role of ["host", "facilitator"] as const) {
    it(`as the ${role}`, () => {
      expect(settingsControls(participant(role))).toEqual(expectedSettingsControls(participant(role)));
    });
  }

  it("regression: a co-host is offered Rename on their own row (the server lets anyone rename themselves)", () => {
    expect(settingsControls(participant("facilitator")).me).toEqual(["rename"]);
  });
});
