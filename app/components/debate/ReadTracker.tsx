/**
 * Records which arguments a participant reads, for "what changed minds"
 * (docs/decisions/0072-what-changed-minds.md): an argument that stays at least half in view for
 * 3 seconds is `viewed`; one the participant clicks into, focuses or follows a link to is `opened`.
 * Each (argument, kind) is queued once per page; the queue is sent in batches of at most 50 every
 * 5 seconds and when the page is hidden, with `fetch(…, { keepalive: true })` to
 * POST /api/debates/:id/reads (operation `recordReads`). It renders nothing, never waits for an
 * answer and drops a failed batch: reads are cheap evidence, never in the way of the page.
 */
import { useEffect } from "react";

const VIEW_MS = 3_000;
const FLUSH_MS = 5_000;
const BATCH = 50;
const MAX_AGE_MS = 120_000;

type Kind = "viewed" | "opened";

/** Starts tracking while `enabled` (a participant who can vote); stops and sends what is queued on unmount. */
export function ReadTracker({ debateId, enabled }: { debateId: string; enabled: boolean }) {
  useEffect(() => {
    if (!enabled || typeof IntersectionObserver === "undefined") return;
    const queued = new Set<string>();
    let queue: { argumentId: string; kind: Kind; at: number }[] = [];
    const push = (argumentId: string | undefined, kind: Kind) => {
      if (!argumentId || queued.has(`${kind}:${argumentId}`)) return;
      queued.add(`${kind}:${argumentId}`);
      queue.push({ argumentId, kind, at: Date.now() });
    };
    const flush = () => {
      if (queue.length === 0) return;
      const now = Date.now();
      const pending = queue;
      queue = [];
      for (let i = 0; i < pending.length; i += BATCH) {
        const reads = pending.slice(i, i + BATCH).map((r) => ({ argumentId: r.argumentId, kind: r.kind, msAgo: Math.min(MAX_AGE_MS, Math.max(0, now - r.at)) }));
        void fetch(`/api/debates/${debateId}/reads`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ reads }), keepalive: true, credentials: "same-origin" }).catch(() => undefined);
      }
    };
    const timers = new Map<Element, number>();
    const io = new IntersectionObserver(
      (entries) => {
        for (const e of entries) {
          const id = (e.target as HTMLElement).dataset.argumentId;
          if (e.isIntersecting) {
            if (!timers.has(e.target)) timers.set(e.target, window.setTimeout(() => push(id, "viewed"), VIEW_MS));
          } else {
            window.clearTimeout(timers.get(e.target));
            timers.delete(e.target);
          }
        }
      },
      { threshold: 0.5 },
    );
    const observeAll = () => document.querySelectorAll("article[data-argument-id]").forEach((el) => io.observe(el));
    observeAll();
    // New arguments arrive live: look for them at most twice a second.
    let scheduled = false;
    const mo = new MutationObserver(() => {
      if (scheduled) return;
      scheduled = true;
      window.setTimeout(() => {
        scheduled = false;
        observeAll();
      }, 500);
    });
    mo.observe(document.body, { childList: true, subtree: true });
    const opened = (e: Event) => push((e.target as Element | null)?.closest<HTMLElement>("article[data-argument-id]")?.dataset.argumentId, "opened");
    const fromHash = () => {
      const m = /^#arg-([0-9a-f-]{36})$/.exec(window.location.hash);
      if (m) push(m[1], "opened");
    };
    fromHash();
    const hidden = () => {
      if (document.visibilityState === "hidden") flush();
    };
    document.addEventListener("click", opened);
    document.addEventListener("focusin", opened);
    window.addEventListener("hashchange", fromHash);
    document.addEventListener("visibilitychange", hidden);
    window.addEventListener("pagehide", flush);
    const every = window.setInterval(flush, FLUSH_MS);
    return () => {
      window.clearInterval(every);
      io.disconnect();
      mo.disconnect();
      timers.forEach((t) => window.clearTimeout(t));
      document.removeEventListener("click", opened);
      document.removeEventListener("focusin", opened);
      window.removeEventListener("hashchange", fromHash);
      document.removeEventListener("visibilitychange", hidden);
      window.removeEventListener("pagehide", flush);
      flush();
    };
  }, [debateId, enabled]);
  return null;
}
