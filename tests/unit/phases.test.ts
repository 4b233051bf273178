/**
 * The phase machine, what each phase allows and the Oxford swing (app/shared/phases.ts),
 * and how `decide` applies the phase (app/shared/permissions.ts).
 */
import { describe, expect, it } from "vitest";
import { isAppError } from "../../app/shared/errors";
import { Action, decide } from "../../app/shared/permissions";
import {
  applyPhaseAction,
  checkDurations,
  DEFAULT_DURATIONS,
  initialPhaseState,
  MAX_EXTEND_SECONDS,
  motionResult,
  PHASES,
  phaseName,
  remainingMs,
  timerStatus,
  type PhaseAction,
  type PhaseFacts,
  type PhaseState,
} from "../../app/shared/phases";
import { phaseChangeSchema } from "../../app/shared/phase-schemas";

const T0 = Date.UTC(2026, 11, 6, 9, 0, 0);
const s = (n: number) => n * 1000;

/** The error `fn` throws, as `{ code, message }`. */
function thrown(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected an error");
}

describe("phase lists", () => {
  it("are exactly the issue's", () => {
    expect(PHASES.classroom).toEqual(["read", "argue", "rebut", "vote", "results"]);
    expect(PHASES.oxford).toEqual(["before-vote", "arguments", "rebuttals", "after-vote", "results"]);
    expect(PHASES.open).toEqual([]);
  });
  it("every timed phase has a positive default and results has no timer", () => {
    for (const [name, d] of Object.entries(DEFAULT_DURATIONS)) {
      if (name === "results") expect(d).toBeNull();
      else expect(d).toBeGreaterThan(0);
    }
  });
});

describe("transitions", () => {
  const start = applyPhaseAction("classroom", initialPhaseState(), { action: "start" }, T0);

  it("a published debate waits in its first phase; start runs its timer for the default duration", () => {
    const waiting = initialPhaseState();
    expect(timerStatus(waiting)).toBe("waiting");
    expect(phaseName("classroom", waiting)).toBe("read");
    expect(remainingMs("classroom", waiting, T0)).toBe(s(300));
    expect(start).toMatchObject({ index: 0, startedAt: T0, endsAt: T0 + s(300), pausedAt: null, version: 1 });
    expect(remainingMs("classroom", start, T0 + s(100))).toBe(s(200));
    expect(remainingMs("classroom", start, T0 + s(1000))).toBe(0);
  });

  it("pause keeps the time left and resume gives it back", () => {
    const paused = applyPhaseAction("classroom", start, { action: "pause" }, T0 + s(100));
    expect(timerStatus(paused)).toBe("paused");
    expect(remainingMs("classroom", paused, T0 + s(5000))).toBe(s(200));
    const resumed = applyPhaseAction("classroom", paused, { action: "resume" }, T0 + s(400));
    expect(resumed).toMatchObject({ endsAt: T0 + s(600), pausedAt: null, version: 3 });
  });

  it("extend adds seconds (default 60), from now when time is up, to the duration while waiting", () => {
    expect(applyPhaseAction("classroom", start, { action: "extend" }, T0 + s(10)).endsAt).toBe(T0 + s(360));
    expect(applyPhaseAction("classroom", start, { action: "extend", seconds: 30 }, T0 + s(1000)).endsAt).toBe(T0 + s(1030));
    const waiting = applyPhaseAction("classroom", initialPhaseState(), { action: "extend", seconds: 120 }, T0);
    expect(waiting.durations).toEqual({ read: 420 });
    expect(applyPhaseAction("classroom", waiting, { action: "start" }, T0).endsAt).toBe(T0 + s(420));
  });

  it("next and previous move one phase and start its timer; results has no timer", () => {
    let state: PhaseState = start;
    const seen = [];
    for (let i = 0; i < 4; i++) {
      state = applyPhaseAction("classroom", state, { action: "next" }, T0 + s(i));
      seen.push(phaseName("classroom", state));
    }
    expect(seen).toEqual(["argue", "rebut", "vote", "results"]);
    expect(state).toMatchObject({ startedAt: T0 + s(3), endsAt: null, pausedAt: null, version: 5 });
    expect(timerStatus(state)).toBe("untimed");
    const back = applyPhaseAction("classroom", state, { action: "previous" }, T0 + s(10));
    expect(back).toMatchObject({ index: 3, endsAt: T0 + s(10) + s(180) });
  });

  it("uses the facilitator's durations", () => {
    const state = applyPhaseAction("oxford", initialPhaseState({ "before-vote": 5 }), { action: "start" }, T0);
    expect(state.endsAt).toBe(T0 + s(5));
  });

  it.each<[string, PhaseState, PhaseAction, RegExp]>([
    ["start twice", start, "start", /already started/],
    ["pause while waiting", initialPhaseState(), "pause", /not started/],
    ["resume while running", start, "resume", /not paused/],
    ["previous from the first phase", start, "previous", /first phase/],
    ["next from the last phase", { ...start, index: 4 }, "next", /last phase/],
    ["extend results", { ...start, index: 4, endsAt: null }, "extend", /no timer/],
  ])("refuses %s with a conflict", (_what, state, action, message) => {
    const error = thrown(() => applyPhaseAction("classroom", state, { action }, T0 + 1));
    expect(error.code).toBe("conflict");
    expect(error.message).toMatch(message);
  });

  it("an open board has no phases", () => {
    expect(thrown(() => applyPhaseAction("open", initialPhaseState(), { action: "start" }, T0)).message).toMatch(/no phases/);
  });

  it.each([-5, 0, 1.5, MAX_EXTEND_SECONDS + 1, Number.NaN, Number.POSITIVE_INFINITY])("refuses extending by %s seconds, changing nothing", (seconds) => {
    const before = structuredClone(start);
    const error = thrown(() => applyPhaseAction("classroom", start, { action: "extend", seconds }, T0));
    expect(error.code).toBe("validation_failed");
    expect(error.message).toMatch(/whole number of seconds from 1/);
    expect(start).toEqual(before);
  });

  it("the input schema refuses bad seconds, strings, seconds without extend, unknown actions", () => {
    for (const bad of [{ action: "extend", seconds: -1 }, { action: "extend", seconds: 0 }, { action: "extend", seconds: 2.5 }, { action: "extend", seconds: 1e9 }, { action: "extend", seconds: "60" }, { action: "next", seconds: 60 }, { action: "skip" }, {}]) {
      const parsed = phaseChangeSchema.safeParse(bad);
      expect(parsed.success, JSON.stringify(bad)).toBe(false);
      expect(parsed.error!.issues[0]!.message.length).toBeGreaterThan(10);
    }
    expect(phaseChangeSchema.parse({ action: "extend", seconds: 90, version: 3 })).toEqual({ action: "extend", seconds: 90, version: 3 });
  });

  it("checks chosen durations against the format", () => {
    expect(checkDurations("classroom", { argue: 60 })).toEqual({ argue: 60 });
    expect(thrown(() => checkDurations("classroom", { arguments: 60 })).message).toMatch(/not a phase of a classroom debate/);
    expect(thrown(() => checkDurations("oxford", { results: 60 })).message).toMatch(/no timer/);
    expect(thrown(() => checkDurations("open", { read: 60 })).message).toMatch(/no phases/);
  });
});

describe("what each phase allows (decide)", () => {
  const debater = { id: "d", role: "debater" as const, muted: false };
  const host = { id: "h", role: "host" as const, muted: false };
  const at = (format: PhaseFacts["format"], name: string | null, resultsShown = false) => ({ status: "published" as const, phase: { format, name, resultsShown } });

  it("rebut: rebuttals only, no new top-level arguments", () => {
    expect(decide(debater, Action.postArgument, { ...at("classroom", "rebut"), topLevel: true })).toMatch(/only answer arguments already made/);
    expect(decide(debater, Action.postArgument, { ...at("classroom", "rebut"), topLevel: false })).toBeNull();
    expect(decide(host, Action.postArgument, { ...at("oxford", "rebuttals"), topLevel: true })).toMatch(/only answer/);
  });

  it("vote phases: no arguments or edits, but votes", () => {
    for (const [format, name] of [["classroom", "vote"], ["oxford", "before-vote"], ["oxford", "after-vote"]] as const) {
      expect(decide(debater, Action.postArgument, { ...at(format, name), topLevel: false })).toMatch(/No arguments during/);
      expect(decide(debater, Action.editOwnArgument, at(format, name))).toMatch(/No arguments during/);
      expect(decide(debater, Action.castVote, at(format, name))).toBeNull();
    }
  });

  it("results: hidden from participants until the results phase or until shown; facilitators always see them", () => {
    expect(decide(debater, Action.readResults, at("classroom", "argue"))).toMatch(/Results phase/);
    expect(decide(debater, Action.readResults, at("classroom", "argue", true))).toBeNull();
    expect(decide(debater, Action.readResults, at("classroom", "results"))).toBeNull();
    expect(decide(host, Action.readResults, at("classroom", "argue"))).toBeNull();
    expect(decide(debater, Action.readResults, at("open", null))).toBeNull();
    expect(decide(debater, Action.castVote, at("classroom", "results"))).toMatch(/votes are counted/);
  });

  it("motion polls: before until the arguments phase ends, after only in after-vote, none outside Oxford", () => {
    const vote = (name: string, motionStage: "before" | "after") => decide(debater, Action.castMotionVote, { ...at("oxford", name), motionStage });
    expect(vote("before-vote", "before")).toBeNull();
    expect(vote("arguments", "before")).toBeNull();
    expect(vote("rebuttals", "before")).toMatch(/before vote is closed/);
    expect(vote("arguments", "after")).toMatch(/opens in the “After vote” phase/);
    expect(vote("after-vote", "after")).toBeNull();
    expect(vote("results", "after")).toMatch(/opens in/);
    expect(decide(debater, Action.castMotionVote, { ...at("classroom", "vote"), motionStage: "before" })).toMatch(/no motion vote/);
    expect(decide({ ...debater, role: "observer" }, Action.castMotionVote, { ...at("oxford", "before-vote"), motionStage: "before" })).toMatch(/Observers/);
  });

  it("runPhases: facilitators of a debate with phases", () => {
    expect(decide(host, Action.runPhases, at("oxford", "arguments"))).toBeNull();
    expect(decide(host, Action.runPhases, at("open", null))).toMatch(/open board/);
    expect(decide(debater, Action.runPhases, at("oxford", "arguments"))).toMatch(/Only the host and facilitators/);
  });
});

describe("the Oxford swing (Intelligence Squared scoring)", () => {
  it("swing is after share minus before share in percentage points; the larger swing wins once decided", () => {
    // Before: 30 for, 40 against, 30 undecided; after: 45 for, 50 against, 5 undecided.
    const r = motionResult({ for: 30, against: 40, undecided: 30 }, { for: 45, against: 50, undecided: 5 }, true);
    expect(r.swing).toEqual({ for: 15, against: 10 });
    expect(r.winner).toBe("for");
    // The side with more votes after can still lose: against held the majority but gained less.
    expect(motionResult({ for: 30, against: 40, undecided: 30 }, { for: 45, against: 50, undecided: 5 }, false).winner).toBeNull();
  });
  it("uses shares, not counts, and calls equal swings a tie", () => {
    const r = motionResult({ for: 1, against: 1, undecided: 2 }, { for: 2, against: 2, undecided: 0 }, true);
    expect(r.swing).toEqual({ for: 25, against: 25 });
    expect(r.winner).toBe("tie");
    expect(motionResult({ for: 1, against: 2, undecided: 0 }, { for: 2, against: 4, undecided: 0 }, true).winner).toBe("tie");
  });
  it("rounds to one decimal", () => {
    const r = motionResult({ for: 1, against: 1, undecided: 1 }, { for: 1, against: 2, undecided: 0 }, true);
    expect(r.swing).toEqual({ for: 0, against: 33.3 });
    expect(r.winner).toBe("against");
  });
  it("has no swing while a poll is empty, and no winner once decided: nobody voting after does not make a side win", () => {
    const nobodyAfter = { for: 0, against: 0, undecided: 0 };
    expect(motionResult({ for: 2, against: 1, undecided: 0 }, nobodyAfter, true)).toMatchObject({ swing: null, winner: "none" });
    expect(motionResult({ for: 2, against: 1, undecided: 0 }, nobodyAfter, false)).toMatchObject({ swing: null, winner: null });
    expect(motionResult(nobodyAfter, { for: 1, against: 2, undecided: 0 }, true)).toMatchObject({ swing: null, winner: "none" });
    expect(motionResult(nobodyAfter, nobodyAfter, true)).toMatchObject({ swing: null, winner: "none" });
  });
});
