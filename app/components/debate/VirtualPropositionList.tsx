/**
 * The virtualised list of a long debate's propositions (./PropositionList.tsx, loaded lazily):
 * @tanstack/react-virtual on the window's scroll; the propositions in and near the view are in the
 * DOM in normal flow, each measured as it renders, the rest stood in for by the list's padding.
 */
import { useImperativeHandle, useLayoutEffect, useRef, useState } from "react";
import { useWindowVirtualizer } from "@tanstack/react-virtual";
import type { Props, PropositionListHandle } from "./PropositionList";

/** A proposition's height before it is measured (px): about one with a few arguments. */
const ESTIMATE_PX = 320;
/** The list's gap between propositions (px; .proposition-list in app/app.css, 1.25rem). */
const GAP_PX = 20;

/** A row as last rendered: its index, its offset in the list (px) and the element `render` gave. */
interface Rendered {
  index: number;
  y: number;
  element: React.ReactNode;
}
/**
 * Rows already rendered, by the page's `render` function and item: while a row keeps its index and
 * place, the list gives React the same element, which it skips. The virtualiser renders the list again
 * as the view moves (each scroll that changes the rows in range); without this every row in range was
 * rendered again, arguments, votes and all (bench/scroll.ts). A new `render` (the page rendered again)
 * renders every row again. Weak: a past `render` and its rows go with it.
 */
const rendered = new WeakMap<object, WeakMap<object, Rendered>>();

export default function VirtualPropositionList({
  items,
  render,
  handle,
}: Omit<Props<unknown>, "from"> & {
  handle?: React.Ref<PropositionListHandle>;
}) {
  const list = useRef<HTMLOListElement>(null);
  const [margin, setMargin] = useState(0);
  useLayoutEffect(() => {
    // Where the list starts on the page; measured again when the page above it changes size.
    const measure = () =>
      setMargin(
        list.current
          ? list.current.getBoundingClientRect().top + window.scrollY
          : 0,
      );
    measure();
    const observer =
      typeof ResizeObserver === "undefined"
        ? null
        : new ResizeObserver(measure);
    if (observer && list.current?.parentElement)
      observer.observe(list.current.parentElement);
    return () => observer?.disconnect();
  }, []);
  const virtualizer = useWindowVirtualizer({
    count: items.length,
    estimateSize: () => ESTIMATE_PX,
    overscan: 4,
    gap: GAP_PX,
    scrollMargin: margin,
    initialRect: {
      width: 0,
      height: typeof window === "undefined" ? 800 : window.innerHeight,
    },
  });
  useImperativeHandle(
    handle,
    () => ({
      reveal: (index) => virtualizer.scrollToIndex(index, { align: "start" }),
    }),
    [virtualizer],
  );
  const rows = virtualizer.getVirtualItems();
  const done = rendered.get(render) ?? new WeakMap<object, Rendered>();
  rendered.set(render, done);
  // Absolutely placed rows in a box of the whole list's height: when a proposition above the view is
  // measured or grows, the virtualiser moves the scroll by as much (its own scroll anchoring; the
  // browser's is off for this box only, `.proposition-list-virtual`, so that it is not done twice).
  return (
    <ol ref={list} className="proposition-list proposition-list-virtual" data-virtual="true" style={{ height: virtualizer.getTotalSize() }}>
      {rows.map((row) => {
        const item = items[row.index]!;
        const y = row.start - margin;
        const before = typeof item === "object" && item ? done.get(item) : undefined;
        if (before && before.index === row.index && before.y === y) return before.element;
        const element = render(item, row.index, { ref: virtualizer.measureElement, "data-index": row.index, style: { transform: `translateY(${y}px)` } });
        if (typeof item === "object" && item) done.set(item, { index: row.index, y, element });
        return element;
      })}
    </ol>
  );
}
