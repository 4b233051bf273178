/**
 * Renders the role × action table (app/shared/permissions.ts) as the Markdown
 * of docs/roles.md, so the documentation is the table itself, never a copy
 * that drifts.
 */
import {
  Action,
  ALLOWED_IN_DRAFT,
  ALLOWED_WHEN_CLOSED,
  PERMISSIONS,
  REFUSED_BY_PHASE,
  REFUSED_WHEN_LOCKED,
  REFUSED_WHEN_MUTED,
  ROLES,
} from "./permissions";
import { DEFAULT_DURATIONS, PHASE_TEXT, PHASES, phaseRules, type PhaseName } from "./phases";

const ruleText = (format: "classroom" | "oxford", name: PhaseName) => {
  const r = phaseRules(format, name);
  const args = r.arguments === "all" ? "arguments and rebuttals" : r.arguments === "replies" ? "rebuttals only (no new top-level argument)" : "no arguments, edits or sources";
  const motion = r.motionStages.length ? `; motion poll open: ${r.motionStages.join(", ")}` : "";
  const duration = DEFAULT_DURATIONS[name] === null ? "no timer" : `${DEFAULT_DURATIONS[name]! / 60} min`;
  return `| ${format} | \`${name}\` | ${duration} | ${args}; ${r.votes ? "votes and ratings" : "no votes or ratings"}${motion}; results ${r.results ? "shown" : "hidden from all but facilitators"} | ${PHASE_TEXT[name].ask} |`;
};
const phaseRows = () => (["classroom", "oxford"] as const).flatMap((f) => PHASES[f].map((n) => ruleText(f, n))).join("\n");

const list = (actions: ReadonlySet<Action>) => [...actions].map((a) => `\`${a}\``).join(", ");

/** The whole docs/roles.md as a string (ends with a newline). */
export function renderRolesDoc(): string {
  const header = `| Action | What it covers | ${ROLES.join(" | ")} |`;
  const rule = `|---|---|${ROLES.map(() => ":-:").join("|")}|`;
  const rows = (Object.keys(PERMISSIONS) as Action[]).map((action) => {
    const { roles, what } = PERMISSIONS[action];
    return `| \`${action}\` | ${what} | ${ROLES.map((r) => (roles.includes(r) ? "yes" : "—")).join(" | ")} |`;
  });
  return `<!-- Generated from app/shared/permissions.ts by \`npx tsx scripts/roles-doc.ts > docs/roles.md\`; tests/unit/permissions.test.ts fails when they differ. -->
# Who may do what

Every debate has four roles:

- **host**: the facilitator account that created the debate;
- **facilitator**: a co-host the host appointed;
- **debater**: a participant who joined with a display name (a join code or link, no email);
- **observer**: a participant who joined to watch, or whom a facilitator switched to watching. Visitors who have not joined a public or unlinked debate can read it like observers.

One function decides, on both sides: \`decide\` in app/shared/permissions.ts. The server enforces it on every web page action, JSON API route and socket event (server/services/access.ts); tests/integration/roles.test.ts tries every cell, and every state below, on each of them against the running server. The pages offer exactly the controls it allows (tests/unit/debate-controls.test.tsx renders the debate page for every role and state). A refused action answers 403 \`forbidden\` (socket ack \`{ ok: false, error: { code: "forbidden" } }\`) with the reason; no credentials at all answers 401 \`unauthenticated\`.

${header}
${rule}
${rows.join("\n")}

## States that refuse actions whatever the role

- **Closed debate**: read-only for everyone. Only ${list(ALLOWED_WHEN_CLOSED)} work.
- **Draft debate** (not yet published): only ${list(ALLOWED_IN_DRAFT)} work.
- **Muted participant**: may not ${list(REFUSED_WHEN_MUTED)}; may still read, vote, rate and report.
- **Locked proposition**: nobody may ${list(REFUSED_WHEN_LOCKED)} on it or on the arguments under it.
- **Removed participant**: their token stops working; they are no longer a participant.
- **Phase** (classroom and Oxford debates, app/shared/phases.ts): the current phase may refuse ${list(REFUSED_BY_PHASE)}, for every role, except that facilitators always see the results. \`runPhases\` needs a format with phases; \`castMotionVote\` an Oxford debate whose poll is open (the before vote until the arguments phase ends, the after vote in \`after-vote\`). The open board and the workshop have no phases.

| format | phase | default duration | what it allows | what it asks of the room |
|---|---|---|---|---|
${phaseRows()}

## Own and others' items

- Debaters edit, delete and add sources only to their **own** arguments; trying someone else's is \`forbidden\`.
- Facilitators manage debaters and observers; only the host manages facilitators, and nobody mutes, removes or demotes the host.
- Reporting one's own argument is refused; a second report of the same argument by the same participant returns the first.
- Hidden arguments (and the replies under them) are shown with their body only to facilitators and to their own authors; everyone else sees that an argument was hidden, and why.
`;
}
