/**
 * The `aif` export (issue 15): AIF JSON as AIFdb and OVA write it:
 * `{ "nodes": [...], "edges": [...], "locutions": [] }`. Node ids are
 * decimal strings "1", "2", … (as AIFdb's); every proposition and every
 * argument's text is an I-node; an argument that supports what it answers
 * goes through an RA node ("Default Inference"), one that attacks it through
 * a CA node ("Default Conflict"): edges argument-I → RA/CA → answered I.
 * Deleted arguments keep their node with the text "(deleted by its author)".
 * Nodes are written page by page; the edges (three numbers per argument) are
 * kept until the nodes are done.
 */
import type { DebateExportSource } from "./types";

/** The debate as AIF JSON text pieces. */
export async function* writeAif(src: DebateExportSource): AsyncGenerator<string> {
  let next = 0;
  const iNode = new Map<string, number>();
  const edges: number[] = [];
  const node = (id: number, text: string, type: string, timestamp: string, scheme?: string) =>
    JSON.stringify({ nodeID: String(id), text, type, timestamp: timestamp.replace("T", " ").slice(0, 19), ...(scheme ? { scheme } : {}) });
  yield '{"nodes":[';
  let first = true;
  const out = (pieces: string[]) => {
    const text = (first ? "\n" : ",\n") + pieces.join(",\n");
    first = false;
    return text;
  };
  if (src.propositions.length) {
    yield out(src.propositions.map((p) => {
      iNode.set(p.id, ++next);
      return node(next, p.text, "I", p.createdAt);
    }));
  }
  for await (const page of src.arguments()) {
    const pieces: string[] = [];
    for (const a of page) {
      const target = iNode.get(a.parentId ?? a.propositionId);
      if (target === undefined) continue;
      const me = ++next;
      iNode.set(a.id, me);
      pieces.push(node(me, a.deleted ? "(deleted by its author)" : a.bodyText, "I", a.createdAt));
      const link = ++next;
      pieces.push(a.stance === "pro" ? node(link, "Default Inference", "RA", a.createdAt, "Default Inference") : node(link, "Default Conflict", "CA", a.createdAt, "Default Conflict"));
      edges.push(me, link, link, target);
    }
    if (pieces.length) yield out(pieces);
  }
  yield '\n],"edges":[';
  const CHUNK = 2000;
  for (let i = 0; i < edges.length; i += CHUNK * 2) {
    const pieces: string[] = [];
    for (let j = i; j < Math.min(edges.length, i + CHUNK * 2); j += 2) {
      pieces.push(JSON.stringify({ edgeID: String(j / 2 + 1), fromID: String(edges[j]), toID: String(edges[j + 1]) }));
    }
    yield (i === 0 ? "\n" : ",\n") + pieces.join(",\n");
  }
  yield '\n],"locutions":[]}\n';
}
