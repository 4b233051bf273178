/**
 * Others' new arguments in a proposition the reader has in view wait behind a "N new arguments"
 * pill instead of pushing what the reader is looking at (issue 19, docs/decisions/0100-a-page-that-holds-still.md).
 * Arguments that arrive while the proposition is out of view are shown at once (content above the
 * view keeps the reader's place by CSS scroll anchoring; content below moves nothing seen). The
 * reader's own arguments are never held.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { ArgumentDTO, Stance } from "~/shared/contract";

/** What `useHeldArguments` gives the columns. */
export interface HeldArguments {
  /** The arguments to show (everything known minus those held). */
  shown: ArgumentDTO[];
  /** Held arguments per column (the stance of their top-level argument). */
  held: Record<Stance, ArgumentDTO[]>;
  /** Shows the held arguments of one column; resolves to their ids, oldest first. */
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
 */
export function useHeldArguments(args: ArgumentDTO[], meId: string | null): HeldArguments {
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
  const release = unknown.filter((a) => a.author.id === meId || !inView);
  const releaseKey = release.map((a) => a.id).join(",");
  useLayoutEffect(() => {
    if (!releaseKey) return;
    setKnown((k) => new Set([...k, ...releaseKey.split(",")]));
  }, [releaseKey]);

  const releasing = new Set(release.map((a) => a.id));
  const byId = new Map(args.map((a) => [a.id, a]));
  const held: Record<Stance, ArgumentDTO[]> = { pro: [], con: [] };
  const shown: ArgumentDTO[] = [];
  for (const a of args) {
    if (known.has(a.id) || releasing.has(a.id)) shown.push(a);
    else held[columnOf(a, byId)].push(a);
  }
  const reveal = (stance: Stance) => {
    const ids = [...held[stance]].sort((x, y) => x.createdAt.localeCompare(y.createdAt)).map((a) => a.id);
    setKnown((k) => new Set([...k, ...ids]));
    return ids;
  };
  return { shown, held, reveal, ref };
}

/** "1 new argument" / "3 new arguments". */
export const newArgumentsText = (n: number): string => `${n} new ${n === 1 ? "argument" : "arguments"}`;

/**
 * The pill of one column, in a slot of fixed size that is there with or without it; its text is also
 * announced politely. `onReveal` shows the held arguments.
 */
export function NewArgumentsPill({ count, columnTitle, propositionLabel, onReveal }: { count: number; columnTitle: string; propositionLabel: string; onReveal(): void }) {
  return (
    <span className="new-pill-slot">
      {count ? (
        <button type="button" className="new-pill" onClick={onReveal} data-testid="new-arguments-pill" aria-label={`Show ${newArgumentsText(count)} ${columnTitle === "For" ? "for" : "against"} ${propositionLabel}`}>
          {newArgumentsText(count)}
        </button>
      ) : null}
      <span className="visually-hidden" aria-live="polite">
        {count ? `${newArgumentsText(count)} ${columnTitle === "For" ? "for" : "against"} ${propositionLabel}` : ""}
      </span>
    </span>
  );
}
