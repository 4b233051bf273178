/**
 * The debate page's list of propositions. Up to `VIRTUALISE_ABOVE` propositions it is a plain
 * list; a longer one is virtualised on the window's scroll (@tanstack/react-virtual,
 * docs/decisions/0027-virtualised-proposition-list.md): only the propositions in and near the view
 * are in the DOM, each measured as it renders, the rest stood in for by the list's padding, so that
 * the page keeps the height and scroll position it would have. Before hydration (and without
 * JavaScript) a long list shows `NO_JS_PAGE` propositions from `?from=` with links to the pages
 * before and after.
 */
import { forwardRef, useEffect, useState } from "react";
import { useHydrated } from "~/utils/use-hydrated";

/** Lists longer than this are virtualised. */
export const VIRTUALISE_ABOVE = 50;
/** Propositions per page without JavaScript. */
export const NO_JS_PAGE = 10;

/** What a list item gets to put on its `<li>`: the virtualiser measures it through `ref`. */
export interface ItemProps {
  ref?: (element: Element | null) => void;
  "data-index": number;
  style?: React.CSSProperties;
}

/** Lets the page bring a proposition into the DOM and the view (deep links, search results). */
export interface PropositionListHandle {
  /** Scrolls so that proposition `index` (0-based) starts the view; its element exists after the next render. */
  reveal(index: number): void;
}

export interface Props<T> {
  items: readonly T[];
  /** `?from=` of the no-JavaScript pages. */
  from: number;
  render(item: T, index: number, props: ItemProps): React.ReactNode;
}

function PlainList<T>({
  items,
  render,
  offset = 0,
}: {
  items: readonly T[];
  render: Props<T>["render"];
  offset?: number;
}) {
  return (
    <ol className="proposition-list">
      {items.map((item, i) =>
        render(item, offset + i, { "data-index": offset + i }),
      )}
    </ol>
  );
}

// The virtualiser (@tanstack/react-virtual, about 10 KB gzip) is loaded only for long lists, after
// hydration: it stays out of the debate page's first-load budget (scripts/js-budget.ts).
type VirtualList = typeof import("./VirtualPropositionList").default;
let loadedVirtual: VirtualList | null = null;

/**
 * The virtual list's component once its code has loaded (loaded when `wanted`), else null. Not
 * `lazy` + `Suspense`: a Suspense fallback is a new tree, so the server's page of propositions
 * would be mounted a second time (a few thousand DOM nodes made and thrown away, ADR 0028); here
 * the hydrated page stays until the virtual list replaces it.
 */
function useVirtualList(wanted: boolean): VirtualList | null {
  const [component, setComponent] = useState<VirtualList | null>(() => loadedVirtual);
  useEffect(() => {
    if (!wanted || component) return;
    let live = true;
    import("./VirtualPropositionList")
      .then((m) => {
        loadedVirtual = m.default;
        if (live) setComponent(() => m.default);
      })
      .catch(() => undefined); // not loaded (offline): the pages stay
    return () => {
      live = false;
    };
  }, [wanted, component]);
  return component;
}

/** The propositions, plain or virtualised by their number (see the module comment). */
export const PropositionList = forwardRef(function PropositionList<T>(
  { items, from, render }: Props<T>,
  ref: React.Ref<PropositionListHandle>,
) {
  const hydrated = useHydrated();
  const Virtual = useVirtualList(hydrated && items.length > VIRTUALISE_ABOVE);
  if (items.length <= VIRTUALISE_ABOVE)
    return <PlainList items={items} render={render} />;
  if (!hydrated || !Virtual) return <NoJsPages items={items} from={from} render={render} />;
  return (
    <Virtual
      items={items as readonly unknown[]}
      render={render as Props<unknown>["render"]}
      handle={ref}
    />
  );
}) as <T>(
  props: Props<T> & { ref?: React.Ref<PropositionListHandle> },
) => React.ReactElement;

/** A page of `NO_JS_PAGE` propositions from `from`, with links to the pages before and after. */
function NoJsPages<T>({ items, from, render }: Props<T>) {
  const start = Math.max(0, Math.min(from, items.length - 1));
  const end = Math.min(items.length, start + NO_JS_PAGE);
  return (
    <>
      {start > 0 ? (
        <p className="proposition-pages">
          <a href={`?from=${Math.max(0, start - NO_JS_PAGE)}`}>
            Propositions {Math.max(0, start - NO_JS_PAGE) + 1}–{start}
          </a>
        </p>
      ) : null}
      <PlainList
        items={items.slice(start, end)}
        render={render}
        offset={start}
      />
      {end < items.length ? (
        <p className="proposition-pages">
          <a href={`?from=${end}`}>
            Propositions {end + 1}–{Math.min(items.length, end + NO_JS_PAGE)} of{" "}
            {items.length}
          </a>
        </p>
      ) : null}
    </>
  );
}
