/**
 * A proposition's arguments in a big debate (issue 14, docs/decisions/0026-debate-page-frame.md):
 * the first page is read when the proposition comes near the view (an IntersectionObserver with
 * a margin), the next ones with "Load more arguments". Around the proposition's columns (children);
 * nothing to do when the debate came whole. Without JavaScript, a link reads the proposition's
 * first page on the server.
 */
import { useT } from "~/i18n/react";
import { useEffect, useRef, useState } from "react";
import type { ArgumentReader } from "~/realtime/argument-reader";
import type { ArgumentPageOrder, FrameState } from "~/realtime/live-state";
import { useHydrated } from "~/utils/use-hydrated";

/** How far outside the view a proposition starts loading (px). */
const NEAR_VIEW = "400px";

export function LazyArguments({ propositionId, propositionNumber, frame, order, reader, children }: { propositionId: string; propositionNumber: number; frame: FrameState; order: ArgumentPageOrder; reader: ArgumentReader; children: React.ReactNode }) {
  const t = useT();
  const hydrated = useHydrated();
  const box = useRef<HTMLDivElement>(null);
  const [near, setNear] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const read = frame.pages[propositionId];
  const count = frame.counts[propositionId];
  const needed = !frame.complete && (!!count?.all || !!read) && read?.order !== order;
  useEffect(() => {
    const element = box.current;
    if (!element || frame.complete || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => setNear(entries.some((e) => e.isIntersecting)), { rootMargin: NEAR_VIEW });
    observer.observe(element);
    return () => observer.disconnect();
  }, [frame.complete]);
  const load = async (more: boolean) => {
    setBusy(true);
    const problem = await reader.arguments(propositionId, order, more);
    setBusy(false);
    setError(problem);
  };
  useEffect(() => {
    // Only the first page of the chosen order is read by itself; a failure waits for "Try again".
    if (near && needed && !busy && !error) void load(false);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- load reads the latest state through the reader
  }, [near, needed, busy, error]);
  if (frame.complete) return <>{children}</>;
  const left = read?.nextCursor ? Math.max(0, (count?.pro ?? 0) + (count?.con ?? 0)) : 0;
  return (
    <div ref={box} className="lazy-arguments" data-testid="lazy-arguments" data-loaded={read ? "true" : "false"}>
      {children}
      <p className="lazy-status">
        <span role="status">{busy ? t("lazy.loading", { n: propositionNumber }) : ""}</span>
        {error ? (
          <span className="error" role="alert">
            {error}{" "}
            <button type="button" className="button button-small" onClick={() => void load(!!read && read.order === order)}>
              {t("lazy.tryAgain")}
            </button>
          </span>
        ) : null}
        {hydrated && read?.nextCursor && !busy ? (
          <button type="button" className="button button-small" data-testid="load-more" onClick={() => void load(true)} aria-label={t("lazy.loadMoreLabel", { n: propositionNumber })}>
            {left ? t("lazy.loadMoreOf", { count: left }) : t("lazy.loadMore")}
          </button>
        ) : null}
        {!hydrated && !read && count?.all ? (
          <a href={`?read=${propositionId}#prop-${propositionId}`} data-testid="read-arguments-link">
            {t("lazy.showAll", { count: count.all, n: propositionNumber })}
          </a>
        ) : null}
      </p>
    </div>
  );
}
