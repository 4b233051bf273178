/**
 * Who sees a hidden argument, and which arguments count: the withholding
 * rule shared by the server (getDebate, catch-up replay, live broadcasts) and
 * the browser (applying `argument.hidden` locally).
 *
 * An argument is withheld from a viewer when it, or any argument it answers
 * (at any depth), is hidden by a facilitator, and the viewer is neither a
 * facilitator of the debate (host or co-host) nor that argument's author. A
 * withheld ArgumentDTO keeps its ids, stance, parentId, author and `hidden`
 * mark, but its body, plain text and sources are emptied, its rating tally is
 * zeroed and `withheld` is true.
 *
 * Counting: the For/Against numbers the debate page shows count only
 * arguments that are neither deleted, hidden (themselves or through an
 * argument they answer), nor withheld (`isCounted`).
 */
import type { ArgumentDTO, CurrentParticipant, DebateChange } from "./contract";
import { type ArgumentBody, plainTextToArgumentBody } from "./argument-body";
import { isFacilitatorRole } from "./permissions";

/** Who is looking: what these rules read of the current participant, or null for a reader who has not joined. */
type Viewer = Pick<CurrentParticipant, "id" | "role"> | null;

/** The body a deleted or withheld argument carries: one empty paragraph, as Lexical writes an empty editor. */
export const emptyArgumentBody = (): ArgumentBody => plainTextToArgumentBody("");

/** Whether `viewer` may see an argument by `authorId` although it is hidden: facilitators and its author. */
export function mayViewHidden(viewer: Viewer, authorId: string): boolean {
  return !!viewer && (isFacilitatorRole(viewer.role) || viewer.id === authorId);
}

/**
 * Ids of the arguments that are hidden or answer a hidden argument at any
 * depth, from a flat list linked by `parentId`.
 */
export function hiddenThreadIds(args: Iterable<Pick<ArgumentDTO, "id" | "parentId" | "hidden">>): Set<string> {
  const list = [...args];
  const children = new Map<string, string[]>();
  for (const a of list) if (a.parentId) children.set(a.parentId, [...(children.get(a.parentId) ?? []), a.id]);
  const out = new Set<string>();
  const stack = list.filter((a) => a.hidden).map((a) => a.id);
  while (stack.length) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    for (const child of children.get(id) ?? []) stack.push(child);
  }
  return out;
}

/** The withheld form of an argument (see the file header). Applying it twice changes nothing. */
export function withhold(a: ArgumentDTO): ArgumentDTO {
  return { ...a, body: emptyArgumentBody(), bodyText: "", sources: [], tally: { up: 0, down: 0, score: 0 }, withheld: true };
}

/**
 * The argument as `viewer` may see it.
 * @param inHiddenThread whether it or an argument it answers is hidden now.
 */
export function argumentForViewer(a: ArgumentDTO, inHiddenThread: boolean, viewer: Viewer): ArgumentDTO {
  return inHiddenThread && !mayViewHidden(viewer, a.author.id) ? withhold(a) : a;
}

/** Every argument of a debate as `viewer` may see it (the hidden threads are computed from the list itself). */
export function argumentsForViewer(args: ArgumentDTO[], viewer: Viewer): ArgumentDTO[] {
  const hidden = hiddenThreadIds(args);
  if (hidden.size === 0) return args;
  return args.map((a) => argumentForViewer(a, hidden.has(a.id), viewer));
}

/**
 * Whether an argument counts in the For/Against numbers: not deleted, not
 * withheld, and neither it nor any argument it answers is hidden.
 * @param hiddenThread the result of `hiddenThreadIds` over the same list.
 */
export function isCounted(a: Pick<ArgumentDTO, "id" | "deleted" | "withheld" | "hidden">, hiddenThread: ReadonlySet<string>): boolean {
  return !a.deleted && !a.withheld && !a.hidden && !hiddenThread.has(a.id);
}

/**
 * A stored change as `viewer` may receive it (catch-up replay, live
 * broadcasts): arguments inside a thread that is hidden *now* are withheld
 * from those who may not see them; other kinds carry no argument content.
 * @param inHiddenThread whether an argument id is hidden or answers a hidden argument now.
 */
export function changeForViewer(change: DebateChange, inHiddenThread: (argumentId: string) => boolean, viewer: Viewer): DebateChange {
  switch (change.kind) {
    case "argument.created":
    case "argument.updated":
      return { ...change, data: argumentForViewer(change.data, inHiddenThread(change.data.id), viewer) };
    case "argument.unhidden":
      return { ...change, data: { ...change.data, arguments: change.data.arguments.map((a) => argumentForViewer(a, inHiddenThread(a.id), viewer)) } };
    default:
      return change;
  }
}
