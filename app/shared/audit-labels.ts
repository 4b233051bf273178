/**
 * The audit log in words, for the moderation page: every action
 * (server/services/audit.ts AuditAction) as a human label ("changed
 * visibility", "muted"), the change an entry's `details` records ("Unlinked →
 * Private", "Ben → Benjamin"), and its target by a readable name (the
 * participant, the argument's author and opening words, the proposition's
 * number) instead of an id. The CSV export keeps the raw action ids.
 */
import type { AuditEntryDTO, DebateVisibility, ParticipantRole } from "./contract";

/** Labels by stored action id (AuditAction values); a unit test checks every action has one. */
export const AUDIT_ACTION_LABELS: Readonly<Record<string, string>> = {
  "argument.hidden": "hid an argument",
  "argument.unhidden": "unhid an argument",
  "argument.deleted": "deleted their own argument",
  "report.filed": "reported an argument",
  "report.dismissed": "dismissed a report",
  "proposition.locked": "locked a proposition",
  "proposition.unlocked": "unlocked a proposition",
  "proposition.edited": "reworded a proposition",
  "proposition.added": "added a proposition",
  "propositions.curated": "curated the draft propositions",
  "participant.renamed": "renamed",
  "participant.muted": "muted",
  "participant.unmuted": "unmuted",
  "participant.removed": "removed",
  "participant.role_changed": "changed the role of",
  "debate.published": "published the debate",
  "debate.closed": "closed the debate",
  "debate.reopened": "reopened the debate",
  "debate.visibility_changed": "changed visibility",
  "debate.join_code_rotated": "rotated the join code",
  "debate.rate_limits_changed": "changed the rate limits",
  "phase.changed": "moved the phase",
  "debate.format_changed": "changed the format",
  "results.shown": "showed the results early",
  "decision.proposed": "proposed a decision",
  "decision.closed": "closed a decision",
};

/** What the page knows about the debate now, to name an entry's target. */
export interface AuditTargets {
  /** Participant id → current display name (removed participants included). */
  participants: Readonly<Record<string, string>>;
  /** Argument id → its author's current name and plain text ("" when deleted or unknown). */
  arguments: Readonly<Record<string, { author: string; text: string; deleted: boolean }>>;
  /** Proposition id → its number on the page (1-based). */
  propositions: Readonly<Record<string, number>>;
}

/** One entry as the page shows it. */
export interface AuditLine {
  /** "changed visibility"; the raw id for an action this version does not know. */
  action: string;
  /** The recorded change, e.g. "Unlinked → Private", or null. */
  change: string | null;
  /** The target by name, e.g. "Ana's argument “Benchmarks reward…”", "proposition 3", "the debate". */
  target: string;
}

const VISIBILITY_NAMES: Record<DebateVisibility, string> = { public: "Public", unlinked: "Unlinked", private: "Private" };
const ROLE_NAMES: Record<ParticipantRole, string> = { host: "host", facilitator: "facilitator", debater: "debater", observer: "observer" };
/** Characters of an argument's text shown as its name. */
export const AUDIT_EXCERPT_CHARS = 60;

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const record = (v: unknown): Record<string, unknown> | undefined => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const nameOf = <K extends string>(names: Record<K, string>, v: unknown) => (typeof v === "string" && v in names ? names[v as K] : str(v));

/** "3 per 60 s", or "the default" for a missing or malformed rule. */
function ruleText(v: unknown): string {
  const r = record(v);
  const points = num(r?.points);
  const seconds = num(r?.durationSeconds);
  return points !== undefined && seconds !== undefined ? `${points} per ${seconds} s` : "the default";
}

/** "arguments: the default → 3 per 60 s" for each of the argument and vote rules that changed. */
function rateLimitChange(details: Record<string, unknown>): string | null {
  const from = record(details.from) ?? {};
  const to = record(details.to) ?? {};
  const parts: string[] = [];
  for (const [key, word] of [
    ["argument", "arguments"],
    ["vote", "votes"],
  ] as const) {
    const before = ruleText(from[key]);
    const after = ruleText(to[key]);
    if (before !== after) parts.push(`${word}: ${before} → ${after}`);
  }
  return parts.length ? parts.join("; ") : null;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function changeOf(e: AuditEntryDTO): string | null {
  const d = e.details ?? {};
  const fromTo = (names?: Record<string, string>) => {
    const from = names ? nameOf(names, d.from) : str(d.from);
    const to = names ? nameOf(names, d.to) : str(d.to);
    return from && to ? `${from} → ${to}` : null;
  };
  switch (e.action) {
    case "participant.renamed":
      return fromTo();
    case "participant.role_changed":
      return fromTo(ROLE_NAMES);
    case "debate.visibility_changed":
      return fromTo(VISIBILITY_NAMES);
    case "debate.rate_limits_changed":
      return rateLimitChange(d);
    case "participant.removed": {
      const role = nameOf(ROLE_NAMES, d.role);
      return role ? `was a ${role}` : null;
    }
    case "argument.hidden": {
      const upheld = num(d.reportsUpheld);
      return upheld ? `${plural(upheld, "report", "reports")} upheld` : null;
    }
    case "argument.unhidden": {
      const reason = str(d.hiddenReason);
      return reason ? `hidden for “${reason}”` : null;
    }
    case "decision.closed": {
      const outcome = str(d.outcome);
      return outcome ? `outcome: ${outcome}` : null;
    }
    case "report.dismissed": {
      const reason = str(d.reportReason);
      return reason ? `report: “${reason}”` : null;
    }
    default:
      return null;
  }
}

function argumentName(id: string | undefined, t: AuditTargets): string {
  const a = id ? t.arguments[id] : undefined;
  if (!a) return "an argument";
  const owner = `${a.author}’s argument`;
  if (a.deleted) return `${owner} (deleted)`;
  const text = a.text.replace(/\s+/g, " ").trim();
  if (!text) return owner;
  const chars = Array.from(text);
  if (chars.length <= AUDIT_EXCERPT_CHARS) return `${owner} “${text}”`;
  // Cut at the last word boundary in the limit (mid-word only when a word is longer than half of it).
  const cut = chars.slice(0, AUDIT_EXCERPT_CHARS).join("");
  const space = cut.lastIndexOf(" ");
  return `${owner} “${(space > AUDIT_EXCERPT_CHARS / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, "")}…”`;
}

function targetOf(e: AuditEntryDTO, t: AuditTargets): string {
  const d = e.details ?? {};
  const id = e.targetId ?? undefined;
  switch (e.targetType) {
    case "participant":
      return (id && t.participants[id]) || str(d.name) || "a participant";
    case "argument":
      return argumentName(id, t);
    case "report":
      return argumentName(str(d.argumentId), t);
    case "proposition": {
      const n = (id ? t.propositions[id] : undefined) ?? num(d.position);
      return n ? `proposition ${n}` : "a proposition";
    }
    case "debate":
      return "the debate";
    case "decision": {
      const text = str(d.text);
      return text ? `decision “${text}”` : "a decision";
    }
    default:
      return e.targetType;
  }
}

/**
 * One audit entry in words.
 * @param e the entry as the audit API returns it (`details` is untrusted JSON: malformed values are left out).
 * @param t current names of the debate's participants, arguments and propositions.
 */
export function describeAuditEntry(e: AuditEntryDTO, t: AuditTargets): AuditLine {
  return { action: AUDIT_ACTION_LABELS[e.action] ?? e.action, change: changeOf(e), target: targetOf(e, t) };
}
