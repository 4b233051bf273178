/**
 * The reader's own operations not yet confirmed, by where the page shows them (issue 19, ADR 0100):
 * on the vote buttons, on the rating buttons, and as greyed posts where they will appear.
 */
import type { ArgumentDTO, Stance } from "~/shared/contract";
import { OPERATION_WIRE } from "~/shared/operation-wire";
import type { QueuedOperation } from "./outbox";

/** One of the reader's own posts not yet confirmed, shown greyed where it will appear. */
export interface PendingPost {
  opId: string;
  propositionId: string;
  parentId: string | null;
  stance: Stance;
  /** The text of its body (plain). */
  text: string;
}

/**
 * The reader's unconfirmed operations by what they show on: votes by proposition id, ratings by
 * argument id, and posts (with their text, for the greyed item where they will appear). A post whose
 * saved argument is already here (its broadcast came before its acknowledgement: the reader's own,
 * same place, same text, made since it was queued) is not shown twice.
 */
export function pendingOf(unconfirmed: readonly QueuedOperation[], args: Record<string, ArgumentDTO>, meId: string | null): { votes: Set<string>; ratings: Set<string>; posts: PendingPost[] } {
  const votes = new Set<string>();
  const ratings = new Set<string>();
  const posts: (PendingPost & { queuedAt: number })[] = [];
  for (const op of unconfirmed) {
    const p = op.payload;
    if (op.event === OPERATION_WIRE.castVote.event) votes.add(String(p.propositionId));
    else if (op.event === OPERATION_WIRE.rateArgument.event) ratings.add(String(p.argumentId));
    else if (op.event === OPERATION_WIRE.postArgument.event && typeof p.propositionId === "string") {
      posts.push({ opId: op.opId, propositionId: p.propositionId, parentId: typeof p.parentId === "string" ? p.parentId : null, stance: p.stance === "con" ? "con" : "pro", text: plainTextOf(p.body), queuedAt: op.queuedAt });
    }
  }
  if (posts.length && meId) {
    const saved = Object.values(args).filter((a) => a.author.id === meId);
    const arrived = (post: (typeof posts)[number]) => saved.some((a) => a.propositionId === post.propositionId && (a.parentId ?? null) === post.parentId && a.stance === post.stance && Date.parse(a.createdAt) >= post.queuedAt - 60_000 && plainTextOf(a.body) === post.text);
    return { votes, ratings, posts: posts.filter((post) => !arrived(post)) };
  }
  return { votes, ratings, posts };
}

/** The text of a rich-text body (Lexical JSON as the composer made it), its blocks joined by spaces; "" for anything else. */
export function plainTextOf(body: unknown, depth = 0): string {
  if (depth > 32 || !body || typeof body !== "object") return "";
  const node = body as { type?: unknown; text?: unknown; root?: unknown; children?: unknown };
  if (typeof node.text === "string") return node.text;
  // The whole body: its blocks joined by single spaces.
  if (node.root) return plainTextOf(node.root, depth + 1).replace(/\s+/g, " ").trim();
  if (!Array.isArray(node.children)) return "";
  return node.children
    .map((c) => plainTextOf(c, depth + 1))
    .join(node.type === "root" ? " " : "")
    .trim();
}
