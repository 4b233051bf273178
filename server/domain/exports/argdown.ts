/**
 * The `argdown` export (issue 15; syntax: argdown.org/syntax): the debate's
 * title as a heading, each proposition as a statement `[P<n>]: text`, each
 * argument as `<A<n>>: text` under what it answers, with `+` (pro) or `-`
 * (con) relations nested by indentation, rebuttals under their argument.
 * Sources follow the argument's text as Argdown links `[title](url)` (http
 * and https only). Text is one line (line breaks become spaces) and every
 * character Argdown would read as syntax is escaped with a backslash, so
 * @argdown/core parses the file without errors and keeps every relation.
 */
import { propositionTrees } from "./tree";
import { safeHttpUrl, type DebateExportSource, type ExportArgument } from "./types";

/** Escapes text for an Argdown statement or argument description (one line). */
export function escapeArgdown(text: string): string {
  return text
    .replace(/[\r\n\u2028\u2029\t]+/g, " ")
    .replace(/[\\@#*_[\]<>{}()]/g, (c) => `\\${c}`)
    .replace(/[+-](?=>)/g, (c) => `\\${c}`)
    .replace(/\/(?=[/*])/g, "\\/")
    .replace(/[.:](?=\S)/g, (c) => `\\${c}`)
    .trim();
}

function argumentText(a: ExportArgument): string {
  let text = a.deleted ? "(deleted by its author)" : a.bodyText.trim() || "(empty)";
  if (a.hidden) text += ` (hidden by a facilitator: ${a.hidden.reason})`;
  let out = escapeArgdown(text);
  for (const s of a.sources) {
    const url = safeHttpUrl(s.url);
    // Argdown's link token is `[title](url)` with no `]` in the title and no `)` in the url, read verbatim.
    const title = (s.title || s.url).replace(/[\r\n\u2028\u2029\t]+/g, " ").replace(/\[/g, "(").replace(/\]/g, ")").trim() || "source";
    out += url ? ` [${title}](${url.replace(/[()\s]/g, (c) => encodeURIComponent(c).replace("(", "%28").replace(")", "%29"))})` : ` (source: ${escapeArgdown(title)})`;
  }
  return out;
}

/** The debate as Argdown text pieces. */
export async function* writeArgdown(src: DebateExportSource): AsyncGenerator<string> {
  yield `# ${escapeArgdown(src.debate.title) || "Debate"}\n\n`;
  const url = src.debate.sourceUrl ? safeHttpUrl(src.debate.sourceUrl) : null;
  if (url) yield `// Article: ${url.replace(/[\r\n]/g, "")}\n\n`;
  let n = 0;
  for await (const { proposition: p, tree } of propositionTrees(src.propositions, (ids) => src.arguments(ids))) {
    yield `[P${p.index + 1}]: ${escapeArgdown(p.text)}${p.meta ? " #meta" : ""}\n`;
    const lines: string[] = [];
    const stack = tree.map((node) => ({ node, depth: 1 })).reverse();
    while (stack.length) {
      const { node, depth } = stack.pop()!;
      n += 1;
      lines.push(`${"    ".repeat(depth)}${node.argument.stance === "pro" ? "+" : "-"} <A${n}>: ${argumentText(node.argument)}`);
      for (let i = node.replies.length - 1; i >= 0; i--) stack.push({ node: node.replies[i], depth: depth + 1 });
    }
    yield (lines.length ? lines.join("\n") + "\n" : "") + "\n";
  }
}
