/**
 * One proposition's argument tree, read from its argument pages: the
 * top-level arguments (parentId null) with their rebuttals nested, each
 * level in creation order. Arguments whose parent is not in the reader's
 * export (withheld threads) are left out with it.
 */
import type { ExportArgument } from "./types";

export interface ArgumentNode {
  argument: ExportArgument;
  replies: ArgumentNode[];
}

/** Builds the tree of one proposition from its argument pages. */
export async function argumentTree(pages: AsyncIterable<ExportArgument[]>): Promise<ArgumentNode[]> {
  const nodes = new Map<string, ArgumentNode>();
  const roots: ArgumentNode[] = [];
  for await (const page of pages) {
    for (const a of page) {
      const node: ArgumentNode = { argument: a, replies: [] };
      nodes.set(a.id, node);
      if (!a.parentId) roots.push(node);
      else nodes.get(a.parentId)?.replies.push(node);
    }
  }
  return roots;
}

/** Depth-first walk: yields each node with its depth (0 for top-level arguments). */
export function* walk(nodes: ArgumentNode[], depth = 0): Generator<{ node: ArgumentNode; depth: number }> {
  for (const node of nodes) {
    yield { node, depth };
    yield* walk(node.replies, depth + 1);
  }
}
