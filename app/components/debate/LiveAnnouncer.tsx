/**
 * Screen-reader announcements of live changes on the debate page (issue 16): one polite,
 * throttled live region for the whole page, never a flood. It speaks only about the proposition
 * in focus (the list item `li.proposition#prop-<id>` holding the keyboard focus): a new argument there by someone
 * else, and a change of its vote tally. Changes elsewhere on the board are not announced.
 * docs/decisions/0041-one-throttled-live-region.md explains the choice.
 */
import { useT, type Translate } from "~/i18n/react";
import { useEffect, useRef, useState } from "react";
import type { ArgumentDTO, VoteTally } from "~/shared/contract";

/** The least time between two announcements, in milliseconds. */
export const ANNOUNCE_INTERVAL_MS = 5_000;

/** What the announcer needs to know about one proposition. */
export interface AnnouncedProposition {
  id: string;
  tally: VoteTally;
}

/** What changed on the focused proposition since the last look; merged until it is spoken. */
export interface PendingNews {
  propositionNumber: number;
  /** New arguments by others, oldest first (only the last one's author and text are read out). */
  newArguments: { author: string; stance: "pro" | "con"; reply: boolean; text: string }[];
  /** The tally after the change, when it changed. */
  tally: VoteTally | null;
}

/**
 * The news on the proposition `focusedId` between two renderings: arguments in `next` that were
 * not in `seen` (written by someone other than `meId`, not withheld or deleted), and its tally when
 * it differs from `previousTally`. Null when there is nothing to say.
 */
export function newsFor(
  focusedId: string | null,
  propositions: readonly AnnouncedProposition[],
  previousTally: VoteTally | undefined,
  seen: ReadonlySet<string>,
  next: readonly ArgumentDTO[],
  meId: string | null,
): PendingNews | null {
  if (!focusedId) return null;
  const index = propositions.findIndex((p) => p.id === focusedId);
  if (index < 0) return null;
  const tally = propositions[index]!.tally;
  const tallyChanged = !!previousTally && (previousTally.agree !== tally.agree || previousTally.disagree !== tally.disagree || previousTally.unsure !== tally.unsure);
  const newArguments = next
    .filter((a) => a.propositionId === focusedId && !seen.has(a.id) && a.author.id !== meId && !a.withheld && !a.deleted)
    .sort((x, y) => x.createdAt.localeCompare(y.createdAt))
    .map((a) => ({ author: a.author.displayName, stance: a.stance, reply: a.parentId !== null, text: a.bodyText }));
  if (!newArguments.length && !tallyChanged) return null;
  return { propositionNumber: index + 1, newArguments, tally: tallyChanged ? tally : null };
}

/** Folds `later` into `earlier` (both about the same proposition, else `later` replaces it). */
export function mergeNews(earlier: PendingNews | null, later: PendingNews | null): PendingNews | null {
  if (!earlier) return later;
  if (!later) return earlier;
  if (earlier.propositionNumber !== later.propositionNumber) return later;
  return { propositionNumber: later.propositionNumber, newArguments: [...earlier.newArguments, ...later.newArguments], tally: later.tally ?? earlier.tally };
}

/** At most this many characters of an argument are read out. */
const QUOTE_MAX_CHARS = 120;

/**
 * The sentence spoken for `news` in the page's language (`t`, from useT), e.g. in English
 * "Proposition 2: new con argument by Ben: “…”. Votes now 3 agree, 1 disagree, 0 unsure."
 */
export function announcementText(news: PendingNews, t: Translate): string {
  const parts: string[] = [];
  const count = news.newArguments.length;
  const last = news.newArguments[count - 1];
  if (count === 1 && last) {
    const text = last.text.length > QUOTE_MAX_CHARS ? `${last.text.slice(0, QUOTE_MAX_CHARS - 1).trimEnd()}…` : last.text;
    parts.push(t("announce.newOne", { stance: last.stance, reply: last.reply ? "yes" : "no", author: last.author, text }));
  } else if (count > 1) {
    parts.push(t("announce.newMany", { count, author: last!.author }));
  }
  const votes = news.tally ? { agree: news.tally.agree, disagree: news.tally.disagree, unsure: news.tally.unsure } : null;
  if (votes) parts.push(parts.length ? t("announce.votesThen", votes) : t("announce.votesFirst", votes));
  return t("announce.proposition", { n: news.propositionNumber, news: parts.join(" ") });
}

/**
 * The page's one polite live region (put it once on the debate page). Renders a visually hidden paragraph whose text is replaced
 * at most once per ANNOUNCE_INTERVAL_MS with what changed on the proposition in focus meanwhile.
 */
export function LiveAnnouncer({ propositions, args, meId }: { propositions: readonly AnnouncedProposition[]; args: readonly ArgumentDTO[]; meId: string | null }) {
  const [message, setMessage] = useState("");
  const t = useT();
  const focusedId = useFocusedProposition();
  const seen = useRef<Set<string> | null>(null);
  const tallies = useRef(new Map<string, VoteTally>());
  const pending = useRef<PendingNews | null>(null);
  const lastSpoken = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    // The first rendering is what the page loaded with: nothing in it is news.
    if (!seen.current) seen.current = new Set(args.map((a) => a.id));
    else {
      const news = newsFor(focusedId, propositions, focusedId ? tallies.current.get(focusedId) : undefined, seen.current, args, meId);
      for (const a of args) seen.current.add(a.id);
      pending.current = mergeNews(pending.current, news);
    }
    tallies.current = new Map(propositions.map((p) => [p.id, p.tally]));
    if (!pending.current || timer.current) return;
    const speak = () => {
      timer.current = null;
      if (!pending.current) return;
      setMessage(announcementText(pending.current, t));
      pending.current = null;
      lastSpoken.current = Date.now();
    };
    timer.current = setTimeout(speak, Math.max(0, lastSpoken.current + ANNOUNCE_INTERVAL_MS - Date.now()));
  }, [focusedId, propositions, args, meId, t]);

  // Moving to another proposition drops what was not yet said about the previous one.
  useEffect(() => {
    pending.current = null;
  }, [focusedId]);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  return (
    <p className="visually-hidden" aria-live="polite" data-testid="live-announcer">
      {message}
    </p>
  );
}

/**
 * The id of the proposition whose list item (`li#prop-<id>`) holds the keyboard focus, or null when
 * the focus is elsewhere. The pointer does not count: hovering a card is not choosing to listen to it.
 */
function useFocusedProposition(): string | null {
  const [focused, setFocused] = useState<string | null>(null);
  useEffect(() => {
    const onFocus = (event: FocusEvent) => {
      const item = event.target instanceof Element ? event.target.closest('li[id^="prop-"]') : null;
      setFocused(item ? item.id.slice("prop-".length) : null);
    };
    document.addEventListener("focusin", onFocus);
    return () => document.removeEventListener("focusin", onFocus);
  }, []);
  return focused;
}
