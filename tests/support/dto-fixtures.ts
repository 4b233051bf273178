/**
 * Hand-built DTOs (app/shared/contract.ts) for unit tests of the client
 * reducer and the withholding rule: one published debate "d" with one
 * proposition "p1", and arguments on it. Each builder takes overrides, spread
 * last, so a test states only what it cares about.
 */
import type { ArgumentDTO, DebateDTO, PropositionWithTallyDTO } from "../../app/shared/contract";
import { plainTextToArgumentBody } from "../../app/shared/lexical";

/** Proposition "p1", "A claim." (characters 0–8 of the source), unlocked, no votes. */
const claimProposition = (): PropositionWithTallyDTO => ({ id: "p1", position: 0, text: "A claim.", sourceSpan: { start: 0, end: 8 }, locked: false, tally: { agree: 0, disagree: 0, unsure: 0, total: 0 }, tallyVersion: 0 });

/**
 * A pro, top-level argument `id` on "p1" by debater "u", with no sources,
 * ratings or edits, created and updated at 2026-01-01T00:00:00Z. Its text is
 * `id` (body and bodyText), unless `overrides.bodyText` says otherwise.
 */
export function argumentFixture(id: string, overrides: Partial<ArgumentDTO> = {}): ArgumentDTO {
  const text = overrides.bodyText ?? id;
  return {
    id,
    propositionId: "p1",
    parentId: null,
    stance: "pro",
    body: plainTextToArgumentBody(text),
    bodyText: text,
    author: { id: "u", displayName: "U", role: "debater" },
    sources: [],
    tally: { up: 0, down: 0, score: 0 },
    tallyVersion: 0,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    editCount: 0,
    deleted: false,
    hidden: null,
    withheld: false,
    ...overrides,
  };
}

/** Published, unlinked debate "d" at seq 10 on the source "A claim.", with claimProposition() and no arguments. */
export function debateFixture(overrides: Partial<DebateDTO> = {}): DebateDTO {
  return {
    id: "d",
    title: "t",
    status: "published",
    visibility: "unlinked",
    sourceUrl: null,
    url: "/debates/d",
    createdAt: "2026-01-01T00:00:00.000Z",
    format: "open",
    phase: null,
    phaseVersion: 0,
    phases: [],
    resultsShown: false,
    motion: null,
    decisions: [],
    teams: [],
    seq: 10,
    sourceText: "A claim.",
    thesis: { heading: null, span: { start: 0, end: 8 } },
    propositions: [claimProposition()],
    arguments: [],
    ...overrides,
  };
}
