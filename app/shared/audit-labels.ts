/**
 * The audit log in words, for the moderation page: every action
 * (server/services/audit.ts AuditAction) as a human label ("changed
 * visibility", "muted"), the change an entry's `details` records ("Unlinked →
 * Private", "Ben → Benjamin"), and its target by a readable name (the
 * participant, the argument's author and opening words, the proposition's
 * number) instead of an id. The CSV export keeps the raw action ids.
 *
 * Each part is a catalogue message (`audit.*`) with its values, themselves
 * messages where they are words (a role, a visibility): the loader describes
 * the entries with the debate's current names, the page renders them in its
 * language with `auditText(t, …)`.
 */
import type { AuditEntryDTO, DebateVisibility, ParticipantRole } from "./contract";
import type { MessageKey } from "../i18n/messages/en";

/** A message to show: a catalogue id with values (each a string, a number or another message), or text as it is (an unknown id). */
export type AuditText = { key: MessageKey; values?: Readonly<Record<string, string | number | AuditText>> } | { raw: string };

/** Formats a message id with values (the page's `t`). */
type Translate = (id: MessageKey, values?: Record<string, string | number>) => string;

/** `m` in the language of `t`, nested messages first. */
export function auditText(t: Translate, m: AuditText): string {
  if ("raw" in m) return m.raw;
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(m.values ?? {})) values[name] = typeof value === "object" ? auditText(t, value) : value;
  return t(m.key, values);
}

const msg = (key: MessageKey, values?: Record<string, string | number | AuditText>): AuditText => (values ? { key, values } : { key });

/** Label ids by stored action id (AuditAction values): the catalogue message is `audit.action.<id>`; a unit test checks every action has one. */
export const AUDIT_ACTION_LABELS: Readonly<Record<string, MessageKey>> = {
  "argument.hidden": "audit.action.argument.hidden",
  "argument.unhidden": "audit.action.argument.unhidden",
  "argument.deleted": "audit.action.argument.deleted",
  "report.filed": "audit.action.report.filed",
  "report.dismissed": "audit.action.report.dismissed",
  "proposition.locked": "audit.action.proposition.locked",
  "proposition.unlocked": "audit.action.proposition.unlocked",
  "proposition.edited": "audit.action.proposition.edited",
  "proposition.added": "audit.action.proposition.added",
  "propositions.curated": "audit.action.propositions.curated",
  "participant.renamed": "audit.action.participant.renamed",
  "participant.muted": "audit.action.participant.muted",
  "participant.unmuted": "audit.action.participant.unmuted",
  "participant.removed": "audit.action.participant.removed",
  "participant.role_changed": "audit.action.participant.role_changed",
  "debate.published": "audit.action.debate.published",
  "debate.closed": "audit.action.debate.closed",
  "debate.reopened": "audit.action.debate.reopened",
  "debate.visibility_changed": "audit.action.debate.visibility_changed",
  "debate.join_code_rotated": "audit.action.debate.join_code_rotated",
  "debate.rate_limits_changed": "audit.action.debate.rate_limits_changed",
  "phase.changed": "audit.action.phase.changed",
  "debate.format_changed": "audit.action.debate.format_changed",
  "results.shown": "audit.action.results.shown",
  "decision.proposed": "audit.action.decision.proposed",
  "decision.closed": "audit.action.decision.closed",
  "teams.changed": "audit.action.teams.changed",
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

/** One entry as the page shows it (render each part with auditText). */
export interface AuditLine {
  /** "changed visibility"; the raw id for an action this version does not know. */
  action: AuditText;
  /** The recorded change, e.g. "Unlinked → Private", or null. */
  change: AuditText | null;
  /** The target by name, e.g. "Ana's argument “Benchmarks reward…”", "proposition 3", "the debate". */
  target: AuditText;
}

const VISIBILITY_NAMES: Record<DebateVisibility, MessageKey> = { public: "audit.visibility.public", unlinked: "audit.visibility.unlinked", private: "audit.visibility.private" };
const ROLE_NAMES: Record<ParticipantRole, MessageKey> = { host: "audit.role.host", facilitator: "audit.role.facilitator", debater: "audit.role.debater", observer: "audit.role.observer" };
/** Characters of an argument's text shown as its name. */
export const AUDIT_EXCERPT_CHARS = 60;

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const record = (v: unknown): Record<string, unknown> | undefined => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
/** A known name's message, or an unknown string as it is. */
const nameOf = (names: Record<string, MessageKey>, v: unknown): AuditText | undefined => (typeof v === "string" && Object.hasOwn(names, v) ? msg(names[v]) : str(v) !== undefined ? { raw: v as string } : undefined);

/** "3 per 60 s", or "the default" for a missing or malformed rule. */
function ruleText(v: unknown): AuditText {
  const r = record(v);
  const points = num(r?.points);
  const seconds = num(r?.durationSeconds);
  return points !== undefined && seconds !== undefined ? msg("audit.rule.perSeconds", { points, seconds }) : msg("audit.rule.default");
}

/** "arguments: the default → 3 per 60 s" for each of the argument and vote rules that changed. */
function rateLimitChange(details: Record<string, unknown>): AuditText | null {
  const from = record(details.from) ?? {};
  const to = record(details.to) ?? {};
  const parts: AuditText[] = [];
  for (const key of ["argument", "vote"] as const) {
    const before = ruleText(from[key]);
    const after = ruleText(to[key]);
    if (JSON.stringify(before) !== JSON.stringify(after)) parts.push(msg("audit.change.rule", { what: key, before, after }));
  }
  if (parts.length === 2) return msg("audit.change.both", { first: parts[0], second: parts[1] });
  return parts[0] ?? null;
}

function changeOf(e: AuditEntryDTO): AuditText | null {
  const d = e.details ?? {};
  const fromTo = (names?: Record<string, MessageKey>) => {
    const from = names ? nameOf(names, d.from) : str(d.from) !== undefined ? { raw: d.from as string } : undefined;
    const to = names ? nameOf(names, d.to) : str(d.to) !== undefined ? { raw: d.to as string } : undefined;
    return from && to ? msg("audit.change.fromTo", { from, to }) : null;
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
      const role = str(d.role);
      return role ? msg("audit.change.wasRole", { role }) : null;
    }
    case "argument.hidden": {
      const upheld = num(d.reportsUpheld);
      return upheld ? msg("audit.change.reportsUpheld", { count: upheld }) : null;
    }
    case "argument.unhidden": {
      const reason = str(d.hiddenReason);
      return reason ? msg("audit.change.hiddenFor", { reason }) : null;
    }
    case "decision.closed": {
      const outcome = str(d.outcome);
      return outcome ? msg("audit.change.outcome", { outcome }) : null;
    }
    case "report.dismissed": {
      const reason = str(d.reportReason);
      return reason ? msg("audit.change.report", { reason }) : null;
    }
    default:
      return null;
  }
}

function argumentName(id: string | undefined, t: AuditTargets): AuditText {
  const a = id ? t.arguments[id] : undefined;
  if (!a) return msg("audit.target.anArgument");
  if (a.deleted) return msg("audit.target.argumentDeleted", { author: a.author });
  const text = a.text.replace(/\s+/g, " ").trim();
  if (!text) return msg("audit.target.argumentOf", { author: a.author });
  const chars = Array.from(text);
  if (chars.length <= AUDIT_EXCERPT_CHARS) return msg("audit.target.argumentQuote", { author: a.author, excerpt: text });
  // Cut at the last word boundary in the limit (mid-word only when a word is longer than half of it).
  const cut = chars.slice(0, AUDIT_EXCERPT_CHARS).join("");
  const space = cut.lastIndexOf(" ");
  return msg("audit.target.argumentQuote", { author: a.author, excerpt: `${(space > AUDIT_EXCERPT_CHARS / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, "")}…` });
}

function targetOf(e: AuditEntryDTO, t: AuditTargets): AuditText {
  const d = e.details ?? {};
  const id = e.targetId ?? undefined;
  switch (e.targetType) {
    case "participant": {
      const name = (id && t.participants[id]) || str(d.name);
      return name ? { raw: name } : msg("audit.target.aParticipant");
    }
    case "argument":
      return argumentName(id, t);
    case "report":
      return argumentName(str(d.argumentId), t);
    case "proposition": {
      const n = (id ? t.propositions[id] : undefined) ?? num(d.position);
      return n ? msg("audit.target.proposition", { n }) : msg("audit.target.aProposition");
    }
    case "debate":
      return msg("audit.target.debate");
    case "decision": {
      const text = str(d.text);
      return text ? msg("audit.target.decision", { text }) : msg("audit.target.aDecision");
    }
    default:
      return { raw: e.targetType };
  }
}

/**
 * One audit entry as messages (render each part with auditText).
 * @param e the entry as the audit API returns it (`details` is untrusted JSON: malformed values are left out).
 * @param t current names of the debate's participants, arguments and propositions.
 */
export function describeAuditEntry(e: AuditEntryDTO, t: AuditTargets): AuditLine {
  const label = Object.hasOwn(AUDIT_ACTION_LABELS, e.action) ? AUDIT_ACTION_LABELS[e.action] : undefined;
  return { action: label ? msg(label) : { raw: e.action }, change: changeOf(e), target: targetOf(e, t) };
}
