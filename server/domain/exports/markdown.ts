/**
 * The `markdown` export (issue 15): a report that reads well pasted into a
 * document: title, link to the article, thesis, then per proposition its
 * tally and its argument tree as nested lists (For/Against, rebuttals
 * indented, sources as links), then the opinion groups where they exist.
 *
 * Safety: every piece of user text is escaped, `&`, `<` and `>` as HTML
 * entities (so no HTML runs where the Markdown is rendered) and Markdown's
 * punctuation with a backslash (so no text becomes a link, image, heading or
 * emphasis); links are written only for http and https URLs (others are
 * kept as escaped text).
 */
import { propositionTrees, walk } from "./tree";
import { safeHttpUrl, type DebateExportSource, type ExportArgument, type ExportTally } from "./types";

/** Escapes user text for Markdown: HTML entities for & < >, backslashes for Markdown punctuation, one line. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n?|\n|\u2028|\u2029/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_[\]()!|~]/g, (c) => `\\${c}`);
}

/** A link target safe in Markdown: an http(s) URL with parentheses, spaces and angle brackets percent-encoded; null otherwise. */
export function markdownUrl(url: string): string | null {
  const safe = safeHttpUrl(url);
  return safe ? safe.replace(/[()<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`) : null;
}

const link = (title: string, url: string) => {
  const target = markdownUrl(url);
  return target ? `[${escapeMarkdown(title || url)}](${target})` : `${escapeMarkdown(title)} (${escapeMarkdown(url)}, not a web link)`;
};

const percent = (n: number, total: number) => (total ? `${Math.round((100 * n) / total)} %` : "–");
const tallyLine = (t: ExportTally) => {
  const total = t.agree + t.disagree + t.unsure;
  return `Votes: ${total} · agree ${t.agree} (${percent(t.agree, total)}) · disagree ${t.disagree} (${percent(t.disagree, total)}) · unsure ${t.unsure} (${percent(t.unsure, total)})`;
};

function argumentLine(a: ExportArgument, depth: number): string {
  const label = a.parentId ? (a.stance === "pro" ? "Supports" : "Rebuts") : a.stance === "pro" ? "For" : "Against";
  const who = a.authorName ? escapeMarkdown(a.authorName) : a.author;
  let text = a.deleted ? "_(deleted by its author)_" : escapeMarkdown(a.bodyText.trim()) || "_(empty)_";
  if (a.hidden) text += ` _(hidden by a facilitator: ${escapeMarkdown(a.hidden.reason)})_`;
  const score = a.ratings.up || a.ratings.down ? ` (▲ ${a.ratings.up} ▼ ${a.ratings.down})` : "";
  const indent = "  ".repeat(depth);
  const lines = [`${indent}- **${label}** (${who}${score}): ${text}`];
  for (const s of a.sources) lines.push(`${indent}  - Source: ${link(s.title, s.url)}${s.quote ? ` — “${escapeMarkdown(s.quote)}”` : ""}`);
  return lines.join("\n");
}

/** The report as Markdown text pieces. */
export async function* writeMarkdown(src: DebateExportSource): AsyncGenerator<string> {
  const d = src.debate;
  yield `# ${escapeMarkdown(d.title)}\n\n`;
  const meta = [`Exported from Steelman on ${src.generatedAt.slice(0, 10)}`, `status: ${d.status}`, `${src.participantCount} participants`];
  yield `_${meta.join(" · ")}_\n\n`;
  if (d.sourceUrl) yield `Article: ${link(d.sourceUrl, d.sourceUrl)}\n\n`;
  const thesis = d.sourceText.slice(d.thesis.start, d.thesis.end).trim();
  if (thesis) {
    yield `## Thesis${d.thesis.heading ? `: ${escapeMarkdown(d.thesis.heading)}` : ""}\n\n`;
    for (const para of thesis.split(/\n+/)) if (para.trim()) yield `> ${escapeMarkdown(para.trim())}\n>\n`;
    yield "\n";
  }
  yield "## Propositions\n\n";
  for await (const { proposition: p, tree } of propositionTrees(src.propositions, (ids) => src.arguments(ids))) {
    const flags = [p.meta ? "meta" : null, p.hidden ? "hidden" : null, p.locked ? "locked" : null].filter(Boolean);
    yield `### ${p.index + 1}. ${escapeMarkdown(p.text)}${flags.length ? ` _(${flags.join(", ")})_` : ""}\n\n${tallyLine(p.tally)}\n\n`;
    if (tree.length === 0) {
      yield "_No arguments._\n\n";
      continue;
    }
    const lines: string[] = [];
    for (const { node, depth } of walk(tree)) lines.push(argumentLine(node.argument, depth));
    yield lines.join("\n") + "\n\n";
  }
  if (src.decisions.length) yield* decisionsMarkdown(src);
  if (src.phases.length) yield* phasesMarkdown(src);
  if (src.groups && src.groups.groups.length) {
    const text = new Map(src.propositions.map((p) => [p.id, `${p.index + 1}. ${escapeMarkdown(p.text)}`]));
    yield "## Opinion groups\n\n";
    for (const g of src.groups.groups) {
      yield `### Group ${String.fromCharCode(65 + (g.id % 26))} (${g.size} participants)\n\n`;
      for (const r of g.representative) {
        const share = r.direction === "agree" ? r.agreeShare : r.disagreeShare;
        yield `- ${r.direction === "agree" ? "Agrees" : "Disagrees"} (${Math.round(share * 100)} %): ${text.get(r.propositionId) ?? r.propositionId}\n`;
      }
      yield "\n";
    }
    if (src.groups.consensus.length) {
      yield "### Common ground across groups\n\n";
      for (const c of src.groups.consensus) yield `- ${c.direction === "agree" ? "Agree" : "Disagree"}: ${text.get(c.propositionId) ?? c.propositionId}\n`;
      yield "\n";
    }
  }
}

const RESPONSE_LABELS = { agree: "Agree", abstain: "Abstain", disagree: "Disagree", block: "Block" } as const;
const OUTCOME_LABELS = { adopted: "Adopted", rejected: "Not adopted", withdrawn: "Withdrawn" } as const;

const PHASE_ACTION_WORDS: Record<DebateExportSource["phases"][number]["action"], string> = { start: "started", pause: "paused", resume: "resumed", extend: "extended", next: "moved on", previous: "went back", "show-results": "showed the results" };

/** The phase history: one line per change, oldest first. */
function* phasesMarkdown(src: DebateExportSource): Generator<string> {
  yield "## Phases\n\n";
  for (const p of src.phases) {
    const what = p.action === "show-results" ? `showed the results during ${p.from ?? "the phase"}` : p.from === p.to ? `${PHASE_ACTION_WORDS[p.action]} ${p.to ?? ""}`.trim() : `${PHASE_ACTION_WORDS[p.action]}: ${p.from ?? "—"} → ${p.to ?? "—"}`;
    yield `- ${p.at}: ${escapeMarkdown(what)}${p.seconds ? ` (+${p.seconds} s)` : ""}\n`;
  }
  yield "\n";
}

/** The workshop decisions: text, propositions, outcome, counts, and each answer with its reason and the arguments it cites. */
function* decisionsMarkdown(src: DebateExportSource): Generator<string> {
  const number = new Map(src.propositions.map((p) => [p.id, p.index + 1]));
  yield "## Decisions\n\n";
  for (const d of src.decisions) {
    yield `### ${escapeMarkdown(d.text)}\n\n`;
    const on = d.propositionIds.map((id) => (number.has(id) ? `proposition ${number.get(id)}` : null)).filter(Boolean);
    if (on.length) yield `On ${on.join(", ")}.\n\n`;
    const outcome = d.outcome ? `**${OUTCOME_LABELS[d.outcome]}**${d.outcomeNote ? `: ${escapeMarkdown(d.outcomeNote)}` : ""}` : "_Open (no outcome yet)_";
    yield `Outcome: ${outcome} · agree ${d.counts.agree} · abstain ${d.counts.abstain} · disagree ${d.counts.disagree} · block ${d.counts.block}\n\n`;
    for (const r of d.responses) {
      const who = r.participantName ? escapeMarkdown(r.participantName) : r.participant;
      yield `- **${RESPONSE_LABELS[r.value]}** (${who})${r.reason ? `: ${escapeMarkdown(r.reason)}` : ""}\n`;
      for (const id of r.citedArgumentIds) {
        const text = src.citedArgumentText[id];
        if (text !== undefined) yield `  - Cites: “${escapeMarkdown(text.trim().slice(0, 200))}”\n`;
      }
    }
    yield "\n";
  }
}
