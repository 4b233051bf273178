/**
 * One proposition's argument tree, read from its argument pages: the
 * top-level arguments (parentId null) with their rebuttals nested, each
 * level in creation order. Arguments whose parent is not in the reader's
 * export (withheld threads) are left out with it.
 */
import { TREE_BATCH, type ExportArgument } from "./types";

export interface ArgumentNode {
  argument: ExportArgument;
  replies: ArgumentNode[];
}

/** Builds the trees of the propositions whose argument pages are given: proposition id → top-level arguments. */
export async function argumentTrees(pages: AsyncIterable<ExportArgument[]>): Promise<Map<string, ArgumentNode[]>> {
  const nodes = new Map<string, ArgumentNode>();
  const roots = new Map<string, ArgumentNode[]>();
  for await (const page of pages) {
    for (const a of page) {
      const node: ArgumentNode = { argument: a, replies: [] };
      nodes.set(a.id, node);
      if (!a.parentId) roots.set(a.propositionId, [...(roots.get(a.propositionId) ?? []), node]);
      else nodes.get(a.parentId)?.replies.push(node);
    }
  }
  return roots;
}

/** Propositions in batches of TREE_BATCH with their argument trees, one database pass per batch. */
export async function* propositionTrees<P extends { id: string }>(propositions: P[], read: (ids: string[]) => AsyncIterable<ExportArgument[]>): AsyncGenerator<{ proposition: P; tree: ArgumentNode[] }> {
  for (let i = 0; i < propositions.length; i += TREE_BATCH) {
    const batch = propositions.slice(i, i + TREE_BATCH);
    const trees = await argumentTrees(read(batch.map((p) => p.id)));
    for (const proposition of batch) yield { proposition, tree: trees.get(proposition.id) ?? [] };
  }
}

/** Depth-first walk: yields each node with its depth (0 for top-level arguments). */
export function* walk(nodes: ArgumentNode[], depth = 0): Generator<{ node: ArgumentNode; depth: number }> {
  for (const node of nodes) {
    yield { node, depth };
    yield* walk(node.replies, depth + 1);
  }
}
