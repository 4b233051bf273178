/**
 * Importing AIF JSON as AIFdb and OVA write it (`nodes`, `edges`, optional
 * `locutions`; OVA's `{ "AIF": { … } }` wrapper is accepted too).
 *
 * Mapping: an I-node that supports or attacks nothing (no edge into an RA or
 * CA node) is a proposition; any other I-node is an argument answering the
 * target of its first RA (pro) or CA (con) node: I → RA/CA → I. An argument
 * answering an argument is a rebuttal. An I-node that supports or attacks
 * several things (AIFdb maps have them: one premise of two inferences) is
 * imported once per link: its further links become copies of its text, keyed
 * `<nodeID>#<n>`, answering the other targets (a Steelman argument answers one
 * thing; this keeps every support and attack, as the Kialo importer keeps
 * "-> See" links). Arguments answering that node hang under its first
 * import only. L (locution), YA (illocution), TA
 * (transition) and MA (rephrase) nodes have no Steelman equivalent: ignored,
 * each kind counted in one warning. PA (preference) nodes likewise.
 */
import { answerRoot, breakAnswerCycles } from "./cycles";
import { z } from "zod";
import { importWarning, type ImportWarning } from "../../../app/shared/import-warnings";
import { ImportFileError, type ImportedArgument, type ImportedDebate, type ImportedProposition } from "./model";
import { parseJsonFile } from "./steelman";

const id = z.union([z.string(), z.number()]).transform(String);
const aifSchema = z.object({
  nodes: z.array(z.object({ nodeID: id, text: z.string().default(""), type: z.string() })),
  edges: z.array(z.object({ fromID: id, toID: id })),
});

/**
 * Reads an AIF JSON file.
 * @throws ImportFileError (JSON syntax: line and column; structure: the path and what was expected).
 */
export function parseAif(file: string, text: string): ImportedDebate {
  const raw = parseJsonFile(file, text) as { AIF?: unknown } | null;
  const parsed = aifSchema.safeParse(raw && typeof raw === "object" && "AIF" in raw ? raw.AIF : raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
    throw new ImportFileError(file, null, null, `at ${path || "the top level"}: ${issue.message} (AIF JSON with "nodes" and "edges" was expected).`);
  }
  const { nodes, edges } = parsed.data;
  const node = new Map(nodes.map((n) => [n.nodeID, n]));
  const out = new Map<string, string[]>();
  for (const e of edges) {
    if (!node.has(e.fromID) || !node.has(e.toID)) throw new ImportFileError(file, null, null, `an edge joins ${e.fromID} and ${e.toID}, but one of them is not a node of the file.`);
    out.set(e.fromID, [...(out.get(e.fromID) ?? []), e.toID]);
  }
  const warnings: ImportWarning[] = [];
  const skipped = new Map<string, number>();
  for (const n of nodes) if (!["I", "RA", "CA"].includes(n.type)) skipped.set(n.type, (skipped.get(n.type) ?? 0) + 1);
  for (const [type, count] of skipped) warnings.push(importWarning(file, null, "importWarning.aif.skipped", { count, type }));

  // What each I-node answers: I → RA/CA → I.
  const answers = new Map<string, { target: string; stance: "pro" | "con" }>();
  const further: { key: string; target: string; stance: "pro" | "con" }[] = [];
  for (const n of nodes) {
    if (n.type !== "I") continue;
    for (const link of out.get(n.nodeID) ?? []) {
      const s = node.get(link)!;
      if (s.type !== "RA" && s.type !== "CA") continue;
      const target = (out.get(link) ?? []).find((t) => node.get(t)?.type === "I");
      if (!target || target === n.nodeID) continue;
      const stance = s.type === "RA" ? "pro" : "con";
      const first = answers.get(n.nodeID);
      if (first && !(first.target === target && first.stance === stance) && !further.some((f) => f.key === n.nodeID && f.target === target && f.stance === stance)) further.push({ key: n.nodeID, target, stance });
      else if (!first) answers.set(n.nodeID, { target, stance });
    }
  }
  const rootOf = (key: string) => answerRoot(answers, key);
  breakAnswerCycles(answers, (key) => warnings.push(importWarning(file, null, "importWarning.aif.cycle", { key })));
  const propositions: ImportedProposition[] = [];
  const args: ImportedArgument[] = [];
  for (const n of nodes) {
    if (n.type !== "I") continue;
    const answer = answers.get(n.nodeID);
    if (!answer) {
      propositions.push({ key: n.nodeID, text: n.text });
      continue;
    }
    const root = rootOf(n.nodeID)!;
    args.push({ key: n.nodeID, propositionKey: root, parentKey: answer.target === root ? null : answer.target, stance: answer.stance, text: n.text, authorKey: null, sources: [] });
  }
  // Further links: a copy of the node answering each other target (a leaf, so no cycle can form; the key skips node IDs of the file).
  const copies = new Map<string, number>();
  for (const link of further) {
    const root = rootOf(link.target)!;
    let n = copies.get(link.key) ?? 1;
    do n += 1;
    while (node.has(`${link.key}#${n}`));
    copies.set(link.key, n);
    args.push({ key: `${link.key}#${n}`, propositionKey: root, parentKey: link.target === root ? null : link.target, stance: link.stance, text: node.get(link.key)!.text, authorKey: null, sources: [] });
    warnings.push(importWarning(file, null, "importWarning.aif.furtherLink", { key: link.key, stance: link.stance, target: link.target }));
  }
  return { file, title: null, sourceText: null, propositions, arguments: args, participants: [], votes: [], ratings: [], warnings };
}
