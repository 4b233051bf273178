/**
 * What a replay (catch-up after reconnecting) may say about an argument's
 * content. The stored changes keep every body an argument ever had, but only
 * the author and the facilitators may read earlier versions (revisions), and
 * nobody may read what its author deleted. A replay is applied in one go, so
 * it carries each argument's content as of its latest change in the replay:
 * the client ends in the same state, and an earlier body, or one deleted
 * since, is not sent again.
 */
import type { ArgumentDTO, DebateChange } from "../../app/shared/contract";

/** The fields of an ArgumentDTO that hold or describe its content. */
type Content = Pick<ArgumentDTO, "body" | "bodyText" | "sources" | "deleted" | "editCount" | "updatedAt">;

const contentOf = (a: ArgumentDTO): Content => ({ body: a.body, bodyText: a.bodyText, sources: a.sources, deleted: a.deleted, editCount: a.editCount, updatedAt: a.updatedAt });

/**
 * The changes of a replay, in the same order and with the same numbers, where
 * every argument in `argument.created`, `argument.updated` and
 * `argument.unhidden` carries the content of its latest appearance in `changes`.
 * @param changes a replay in ascending `seq` order (not modified).
 */
export function latestArgumentContent(changes: readonly DebateChange[]): DebateChange[] {
  const latest = new Map<string, Content>();
  for (const c of changes) {
    if (c.kind === "argument.created" || c.kind === "argument.updated") latest.set(c.data.id, contentOf(c.data));
    else if (c.kind === "argument.unhidden") for (const a of c.data.arguments) latest.set(a.id, contentOf(a));
  }
  const current = (a: ArgumentDTO): ArgumentDTO => ({ ...a, ...latest.get(a.id) });
  return changes.map((c) => {
    if (c.kind === "argument.created" || c.kind === "argument.updated") return { ...c, data: current(c.data) };
    if (c.kind === "argument.unhidden") return { ...c, data: { ...c.data, arguments: c.data.arguments.map(current) } };
    return c;
  });
}
