/**
 * Others' new arguments in a proposition the reader has in view wait behind a "N new arguments"
 * pill instead of pushing what the reader is looking at (issue 19, docs/decisions/0100-a-page-that-holds-still.md).
 * Others' edits of arguments in view wait behind the same pill ("1 edited"): the version on screen
 * stays (its ratings still change in place) until the reader asks for the new one.
 * Arguments and edits that arrive while the proposition is out of view are shown at once (content
 * above the view keeps the reader's place by CSS scroll anchoring; content below moves nothing seen).
 * The reader's own arguments and edits are never held. Hides and deletes apply at once; the
 * argument keeps its height (ArgumentTree.tsx, `useKeptHeight`).
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { ArgumentDTO, Stance } from "~/shared/contract";
import { useT, type Translate } from "~/i18n/react";

/** What `useHeldArguments` gives the columns. */
export interface HeldArguments {
  /** The arguments to show (everything known minus those held). */
  shown: ArgumentDTO[];
  /** Held arguments per column (the stance of their top-level argument). */
  held: Record<Stance, ArgumentDTO[]>;
  /** Per column, how many shown arguments are an older version while the author's edit waits. */
  edited: Record<Stance, number>;
  /** Shows the held arguments and edits of one column; resolves to their ids (new ones oldest first, then the edited). */
  reveal(stance: Stance): string[];
  /** Attach to the element whose visibility decides (the proposition's columns). */
  ref: (element: HTMLElement | null) => void;
}

/** The stance of the top-level argument that `a` belongs to (its own for a top-level one). */
function columnOf(a: ArgumentDTO, byId: Map<string, ArgumentDTO>): Stance {
  let node = a;
  for (let i = 0; node.parentId && i < 64; i++) {
    const parent = byId.get(node.parentId);
    if (!parent) break;
    node = parent;
  }
  return node.stance;
}

/**
 * Decides which of `args` (one proposition's) are shown and which wait behind the pill.
 * @param args the proposition's arguments as the live state has them.
 * @param meId the reader's participant id (their own arguments are never held), or null.
 * @param fetched arguments read from a page (a big debate, issue 14): asked for by the reader, never held.
 */
export function useHeldArguments(args: ArgumentDTO[], meId: string | null, fetched?: Readonly<Record<string, true>>): HeldArguments {
  // The ids the reader has been given; the first render (server and hydration) shows everything.
  const [known, setKnown] = useState<ReadonlySet<string>>(() => new Set(args.map((a) => a.id)));
  const [inView, setInView] = useState(false);
  const observer = useRef<IntersectionObserver | null>(null);
  const ref = useCallback((element: HTMLElement | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!element || typeof IntersectionObserver === "undefined") return;
    observer.current = new IntersectionObserver((entries) => setInView(entries.some((e) => e.isIntersecting)));
    observer.current.observe(element);
  }, []);
  useEffect(() => () => observer.current?.disconnect(), []);

  const unknown = args.filter((a) => !known.has(a.id));
  // Before paint: the reader's own arguments, and anything arriving out of view, join the known at once.
  const release = unknown.filter((a) => a.author.id === meId || !inView || fetched?.[a.id]);
  const releaseKey = release.map((a) => a.id).join(",");
  useLayoutEffect(() => {
    if (!releaseKey) return;
    setKnown((k) => new Set([...k, ...releaseKey.split(",")]));
  }, [releaseKey]);

  // Edits: the version of each argument last put on screen (committed). While the proposition is in
  // view, someone else's newer version waits and the one on screen stays: being what is shown, it
  // stays remembered until the reader reveals it or the proposition leaves the view.
  const lastShown = useRef<ReadonlyMap<string, ArgumentDTO>>(new Map());
  const heldEdits: string[] = [];
  /** The version of `a` to show: the older body while someone else's edit waits in view. */
  const display = (a: ArgumentDTO): ArgumentDTO => {
    if (!inView || a.deleted || a.hidden || a.withheld || a.author.id === meId) return a;
    const old = lastShown.current.get(a.id);
    if (!old || old.editCount >= a.editCount) return a;
    heldEdits.push(a.id);
    return { ...a, body: old.body, bodyText: old.bodyText, sources: old.sources, editCount: old.editCount, updatedAt: old.updatedAt };
  };

  const releasing = new Set(release.map((a) => a.id));
  const byId = new Map(args.map((a) => [a.id, a]));
  const held: Record<Stance, ArgumentDTO[]> = { pro: [], con: [] };
  const edited: Record<Stance, number> = { pro: 0, con: 0 };
  const shown: ArgumentDTO[] = [];
  for (const a of args) {
    if (known.has(a.id) || releasing.has(a.id)) {
      const version = display(a);
      if (version !== a) edited[columnOf(a, byId)]++;
      shown.push(version);
    } else held[columnOf(a, byId)].push(a);
  }
  useLayoutEffect(() => {
    lastShown.current = new Map(shown.map((a) => [a.id, a]));
  });

  const reveal = (stance: Stance) => {
    const ids = [...held[stance]].sort((x, y) => x.createdAt.localeCompare(y.createdAt)).map((a) => a.id);
    const editedIds = heldEdits.filter((id) => columnOf(byId.get(id)!, byId) === stance);
    // Forgetting the older versions lets the edits through; the new set of known ids renders again.
    lastShown.current = new Map([...lastShown.current].filter(([id]) => !editedIds.includes(id)));
    setKnown((k) => new Set([...k, ...ids]));
    return [...ids, ...editedIds];
  };
  return { shown, held, edited, reveal, ref };
}

/**
 * Keeps an argument's box at least as tall as it was when it is deleted, hidden or withheld while
 * on the page (issue 19): its text and thread give way to a one-line placeholder, and without this
 * everything below it in the column would move up under the reader. The height is the box's last
 * size before the change (a ResizeObserver keeps it current; layout effects run before it reports
 * the new size). Kept until the page is reloaded; a box that grows (a facilitator sees the
 * "Hidden" banner) is not held back.
 * @param gone true while the argument is deleted, hidden or withheld.
 * @returns `ref` for the argument's element and `style` (a `minHeight` in px once kept).
 */
export function useKeptHeight(gone: boolean): { ref: React.RefObject<HTMLElement | null>; style: React.CSSProperties | undefined } {
  const ref = useRef<HTMLElement | null>(null);
  const lastHeight = useRef(0);
  const wasGone = useRef(gone);
  const [minHeight, setMinHeight] = useState<number | null>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === "undefined") return;
    // The size the observer reports (it reports the first at once): reading offsetHeight here would
    // lay the page out again whenever another observer's callback had changed it (bench/scroll.ts).
    const observer = new ResizeObserver(([entry]) => {
      lastHeight.current = entry!.borderBoxSize[0]!.blockSize;
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  useLayoutEffect(() => {
    if (gone && !wasGone.current && lastHeight.current) setMinHeight(lastHeight.current);
    wasGone.current = gone;
  }, [gone]);
  return { ref, style: minHeight ? { minHeight: `${minHeight}px` } : undefined };
}

/**
 * The pill's words in the page's language (`t`, from useT): in English "1 new argument" / "3 new arguments" /
 * "1 edited argument" / "2 new arguments, 1 edited".
 */
export const newArgumentsText = (n: number, edited: number, t: Translate): string => {
  if (!edited) return t("newArguments.count", { count: n });
  return n ? t("newArguments.countEdited", { count: n, edited }) : t("newArguments.edited", { edited });
};

/**
 * The pill of one column, in a slot of fixed size that is there with or without it; its text is also
 * announced politely. `onReveal` shows the held arguments.
 */
export function NewArgumentsPill({ count, edited = 0, stance, propositionNumber, onReveal }: { count: number; edited?: number; stance: Stance; propositionNumber: number; onReveal(): void }) {
  const t = useT();
  const text = newArgumentsText(count, edited, t);
  const where = stance === "pro" ? t("newArguments.for", { text, n: propositionNumber }) : t("newArguments.against", { text, n: propositionNumber });
  return (
    <span className="new-pill-slot">
      {count || edited ? (
        <button type="button" className="new-pill" onClick={onReveal} data-testid="new-arguments-pill" aria-label={t("newArguments.show", { what: where })}>
          {text}
        </button>
      ) : null}
      <span className="visually-hidden" aria-live="polite">
        {count || edited ? where : ""}
      </span>
    </span>
  );
}
