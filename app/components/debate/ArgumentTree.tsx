import { memo, useEffect, useRef, useState } from "react";
import { LazyArgumentEditor } from "~/components/editor/LazyArgumentEditor";
import { LocalTime } from "~/components/LocalTime";
import { RichText } from "~/components/RichText";
import type { ArgumentBody } from "~/shared/argument-body";
import type { Ack, ArgumentDTO, RatingValue, Stance } from "~/shared/contract";
import { ArgumentComposer } from "./ArgumentComposer";
import { EditedMarker, HiddenBanner, ModerationButtons, type ModerationActions, WithheldPlaceholder } from "./ArgumentModeration";
import { hiddenThreadIds, isCounted } from "~/shared/moderation";
import { FormError } from "~/components/FormError";
import { RoleBadge } from "./RoleBadge";
import { orderByRanking, type ArgumentRanking } from "./ArgumentOrder";
import { Action } from "~/shared/permissions";
import { useHydrated } from "~/utils/use-hydrated";
import { NewArgumentsPill, useHeldArguments, useKeptHeight } from "./NewArguments";
import type { PendingPost } from "~/realtime/pending";
import { useContentLanguage } from "~/i18n/content-language";
import { useFormat, useT } from "~/i18n/react";

export type { PendingPost };

export interface TreeActions {
  /**
   * What `decide` (app/shared/permissions.ts) allows the current participant on this proposition
   * (allowedActions): the tree offers exactly these, less what an argument's own state rules out
   * (someone else's, deleted, in a hidden thread), as the services refuse them too.
   */
  allowed: ReadonlySet<Action>;
  /** The current participant's id, to offer editing of their own arguments. */
  meId: string | null;
  editArgument(argumentId: string, body: unknown): Promise<Ack<ArgumentDTO>>;
  myRatings: Record<string, RatingValue>;
  /** Arguments whose rating by the reader is not yet confirmed (shown with a pending mark). */
  pendingRatings: ReadonlySet<string>;
  /** The reader's own posts not yet confirmed. */
  pendingPosts: readonly PendingPost[];
  postArgument: React.ComponentProps<typeof ArgumentComposer>["onSubmit"];
  /**
   * The reader pressed ▲ or ▼: the caller rates, or clears the rating when `value` is already the
   * reader's latest choice (decided against the live state at the moment of the click, not the render).
   */
  pressRating(argumentId: string, value: RatingValue): Promise<Ack<unknown>>;
  /** The operation id of one of this rendering's forms, by form name (app/shared/form-op-id.ts). */
  formOpId(form: string): string;
  /**
   * A big debate's replies read on demand (issue 14): direct replies per argument as the server
   * counts them, and `load` reads the next page of an argument's replies (null, or what went wrong).
   * Absent when the debate came whole.
   */
  replies?: { counts: Readonly<Record<string, number>>; load(argumentId: string): Promise<string | null> };
  /** The argument a deep link points at: highlighted. */
  focusId?: string | null;
  /** Arguments read from a page or a deep link (never held behind the "new arguments" pill). */
  fetched?: Readonly<Record<string, true>>;
}

/** Children of each argument id ("" for top-level), oldest first. */
export function childrenIndex(args: ArgumentDTO[]): Map<string, ArgumentDTO[]> {
  const index = new Map<string, ArgumentDTO[]>();
  for (const a of [...args].sort((x, y) => x.createdAt.localeCompare(y.createdAt))) {
    const key = a.parentId ?? "";
    index.set(key, [...(index.get(key) ?? []), a]);
  }
  return index;
}

function countDescendants(id: string, index: Map<string, ArgumentDTO[]>): number {
  return (index.get(id) ?? []).reduce((n, c) => n + 1 + countDescendants(c.id, index), 0);
}

function Rating({ argument, actions, disabled = false }: { argument: ArgumentDTO; actions: TreeActions; disabled?: boolean }) {
  const mine = actions.myRatings[argument.id];
  // The button last pressed: it carries the pending mark while the rating waits for the server.
  const [aimed, setAimed] = useState<RatingValue | null>(null);
  const pending = actions.pendingRatings.has(argument.id);
  const [error, setError] = useState<string | null>(null);
  const off = !actions.allowed.has(Action.rateArgument) || disabled;
  const hydrated = useHydrated();
  const t = useT();
  const f = useFormat();
  // Every click counts (no click is dropped while an earlier one waits): the live layer sends them in order.
  const rate = async (value: RatingValue) => {
    setAimed(value);
    const reply = await actions.pressRating(argument.id, value);
    setError(reply.ok ? null : reply.error.message);
  };
  const mark = (value: RatingValue) => (pending && aimed === value ? { "data-pending": "true" } : {});
  // A real form before hydration (or without JavaScript): see VoteBar.
  const type = hydrated ? "button" : "submit";
  return (
    <form method="post" className="rating" role="group" aria-label={t("rating.group")}>
      <input type="hidden" name="intent" value="rate" />
      <input type="hidden" name="argumentId" value={argument.id} />
      <input type="hidden" name="opId" value={actions.formOpId(`rate:${argument.id}`)} />
      <button type={type} name="value" value={mine === "up" ? "" : "up"} className="button button-small" aria-pressed={mine === "up"} aria-label={t("rating.up", { count: argument.tally.up })} disabled={off} onClick={() => void rate("up")} {...mark("up")}>
        ▲ <span className="count">{f.number(argument.tally.up)}</span>
      </button>
      <button type={type} name="value" value={mine === "down" ? "" : "down"} className="button button-small" aria-pressed={mine === "down"} aria-label={t("rating.down", { count: argument.tally.down })} disabled={off} onClick={() => void rate("down")} {...mark("down")}>
        ▼ <span className="count">{f.number(argument.tally.down)}</span>
      </button>
      <FormError message={error} inline />
    </form>
  );
}

/** Edits the body of one's own argument; the text stays on error. */
function EditArgument({ argument, actions, onDone }: { argument: ArgumentDTO; actions: TreeActions; onDone(): void }) {
  const [body, setBody] = useState<ArgumentBody | null>(argument.body);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const t = useT();
  async function save(event: React.FormEvent) {
    event.preventDefault();
    if (pending) return;
    if (!body) {
      setError(t("argument.empty"));
      return;
    }
    setPending(true);
    const reply = await actions.editArgument(argument.id, body);
    setPending(false);
    if (!reply.ok) setError(reply.error.message);
    else onDone();
  }
  return (
    <form className="composer" onSubmit={save} aria-label={t("argument.editLabel")}>
      <LazyArgumentEditor id={`edit-${argument.id}`} ariaLabel={t("argument.editLabel")} initialBody={argument.body} onChange={(b) => setBody(b)} />
      <div className="composer-actions">
        <button type="button" className="button button-small" onClick={onDone}>
          {t("common.cancel")}
        </button>
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? t("common.saving") : t("common.saveChanges")}
        </button>
      </div>
      <FormError message={error} />
    </form>
  );
}

/**
 * One argument with its sources, rating, reply composer and foldable rebuttals (any depth).
 * A withheld argument (hidden, for someone who may not see it) shows a placeholder with its thread folded;
 * a deleted one says so, and its replies stay.
 */
export function ArgumentNode({
  argument,
  index,
  actions,
  depth,
  moderation,
  inHiddenThread: hiddenAbove = false,
  acrossDivide,
}: {
  argument: ArgumentDTO;
  index: Map<string, ArgumentDTO[]>;
  actions: TreeActions;
  depth: number;
  moderation: ModerationActions;
  /** True when an argument this one answers is hidden. */
  inHiddenThread?: boolean;
  /** Arguments rated helpful on both sides of the main divide (shown with a badge). */
  acrossDivide?: ReadonlySet<string>;
}) {
  const [replying, setReplying] = useState(false);
  const hydrated = useHydrated();
  const t = useT();
  const contentLanguage = useContentLanguage();
  const [editing, setEditing] = useState(false);
  // Focus goes back to the button that opened the reply composer or the editor once it closes (posted, saved or cancelled).
  const replyButton = useRef<HTMLButtonElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const refocus = useRef<"reply" | "edit" | null>(null);
  useEffect(() => {
    if (refocus.current === "reply" && !replying) replyButton.current?.focus();
    if (refocus.current === "edit" && !editing) editButton.current?.focus();
    refocus.current = null;
  }, [replying, editing]);
  const mine = actions.meId !== null && actions.meId === argument.author.id;
  // Deleted or hidden while on the page: the box keeps its height, so nothing below it moves.
  const kept = useKeptHeight(argument.deleted || argument.withheld || !!argument.hidden);
  const children = index.get(argument.id) ?? [];
  const total = countDescendants(argument.id, index);
  const inHiddenThread = hiddenAbove || !!argument.hidden;
  const renderChildren = (open: boolean, summary: string) =>
    children.length ? (
      <details className="rebuttals" open={open}>
        <summary>{summary}</summary>
        <div className="rebuttal-list">
          {children.map((c) => (
            <ArgumentNode key={c.id} argument={c} index={index} actions={actions} depth={depth + 1} moderation={moderation} inHiddenThread={inHiddenThread} acrossDivide={acrossDivide} />
          ))}
        </div>
      </details>
    ) : null;
  const repliesText = t("argument.replies", { count: total });
  // Replies not read yet (a big debate, issue 14): a button reads the next page of them.
  const unread = actions.replies ? Math.max(0, (actions.replies.counts[argument.id] ?? 0) - children.length) : 0;
  const pendingReplies = actions.pendingPosts.filter((p) => p.parentId === argument.id);
  const replyComposer = (
    <ArgumentComposer
      idPrefix={`reply-${argument.id}`}
      opId={actions.formOpId(`reply:${argument.id}`)}
      propositionId={argument.propositionId}
      parentId={argument.id}
      defaultStance="con"
      label={t("argument.replyTo", { name: argument.author.displayName })}
      onSubmit={actions.postArgument}
      onDone={() => {
        refocus.current = "reply";
        setReplying(false);
      }}
    />
  );
  if (argument.withheld) {
    return (
      <article ref={kept.ref} style={kept.style} className={`argument argument-withheld stance-${argument.stance}`} aria-label={argument.stance === "pro" ? t("argument.hiddenPro") : t("argument.hiddenCon")} data-argument-id={argument.id}>
        <WithheldPlaceholder argument={argument} />
        {renderChildren(false, t("argument.repliesHidden", { count: total }))}
      </article>
    );
  }
  return (
    <article ref={kept.ref} style={kept.style} id={`arg-${argument.id}`} tabIndex={-1} className={`argument stance-${argument.stance}${actions.focusId === argument.id ? " argument-focus" : ""}`} aria-label={argument.stance === "pro" ? t("argument.proBy", { name: argument.author.displayName }) : t("argument.conBy", { name: argument.author.displayName })} data-argument-id={argument.id}>
      <header className="argument-header">
        <span className={`stance-badge ${argument.stance}`}>{argument.stance === "pro" ? t("argument.pro") : t("argument.con")}</span>
        <bdi className="author">{argument.author.displayName}</bdi>
        <RoleBadge role={argument.author.role} />
        <LocalTime iso={argument.createdAt} format="time" />
        <EditedMarker argument={argument} meId={actions.meId} moderation={moderation} />
        {acrossDivide?.has(argument.id) ? (
          <span className="across-badge" title={t("argument.acrossTitle")}>
            {t("argument.across")}
          </span>
        ) : null}
      </header>
      <HiddenBanner argument={argument} />
      {argument.deleted ? (
        <p className="deleted-placeholder">{t("argument.deleted")}</p>
      ) : editing ? (
        <EditArgument
          argument={argument}
          actions={actions}
          onDone={() => {
            refocus.current = "edit";
            setEditing(false);
          }}
        />
      ) : (
        <div className="argument-body" lang={contentLanguage}>
          <RichText body={argument.body} />
        </div>
      )}
      {argument.sources.length ? (
        <ul className="sources" aria-label={t("argument.sources")}>
          {argument.sources.map((s) => (
            <li key={s.id}>
              <a href={s.url} target="_blank" rel="noopener noreferrer nofollow ugc">
                {s.title}
              </a>{" "}
              <span className="muted">({safeHost(s.url)})</span>
              {s.quote ? <blockquote lang={contentLanguage}>{s.quote}</blockquote> : null}
            </li>
          ))}
        </ul>
      ) : null}
      <footer className="argument-footer">
        {argument.deleted ? null : <Rating argument={argument} actions={actions} disabled={inHiddenThread} />}
        {actions.allowed.has(Action.postArgument) && !argument.deleted && !inHiddenThread ? (
          hydrated ? (
            <button ref={replyButton} type="button" className="button button-small" aria-expanded={replying} onClick={() => setReplying((r) => !r)}>
              {replying ? t("argument.cancelReply") : t("argument.reply")}
            </button>
          ) : (
            // Before hydration (or without JavaScript): the same button's place, a folded reply form.
            <Unhydrated open={false} summary={t("argument.reply")}>
              {replyComposer}
            </Unhydrated>
          )
        ) : null}
        {actions.allowed.has(Action.editOwnArgument) && mine && !editing && !argument.deleted ? (
          <button ref={editButton} type="button" className="button button-small" onClick={() => setEditing(true)}>
            {t("argument.edit")}
          </button>
        ) : null}
        <ModerationButtons argument={argument} meId={actions.meId} allowed={actions.allowed} inHiddenThread={inHiddenThread} moderation={moderation} />
      </footer>
      {replying && hydrated ? replyComposer : null}
      {renderChildren(true, repliesText)}
      {unread && actions.replies ? <MoreReplies count={unread} load={() => actions.replies!.load(argument.id)} author={argument.author.displayName} /> : null}
      {pendingReplies.length ? (
        <div className="rebuttal-list">
          {pendingReplies.map((p) => (
            <PendingArgument key={p.opId} post={p} allowed={actions.allowed} />
          ))}
        </div>
      ) : null}
    </article>
  );
}

/** "Show N more replies": reads the next page of an argument's replies; says so while reading and when it fails. */
function MoreReplies({ count, load, author }: { count: number; load(): Promise<string | null>; author: string }) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const hydrated = useHydrated();
  if (!hydrated) return null;
  return (
    <p className="more-replies">
      <button
        type="button"
        className="button button-small"
        data-testid="more-replies"
        disabled={busy}
        aria-label={t("replies.moreLabel", { count, author })}
        onClick={async () => {
          setBusy(true);
          setError(await load());
          setBusy(false);
        }}
      >
        {busy ? t("replies.loading") : t("replies.more", { count })}
      </button>
      <FormError message={error} inline />
    </p>
  );
}

/**
 * The buttons a posted argument will have, in order, shown disabled on one still waiting to be
 * delivered so that nothing moves when it is (docs/decisions/0100-a-page-that-holds-still.md):
 * [the action that allows it, its label's message key, whether it is the danger style].
 */
const PENDING_BUTTONS = [
  [Action.postArgument, "argument.reply", false],
  [Action.editOwnArgument, "argument.edit", false],
  [Action.deleteOwnArgument, "moderation.delete", true],
  [Action.hideArgument, "moderation.hide", false],
] as const;

/**
 * One of the reader's own posts waiting for the server: greyed, where it will appear once saved.
 * It has the header and footer rows the saved argument will have for its author (the rating row and,
 * as `allowed` says, Reply, Edit, Delete and Hide), disabled, so that the swap changes no height: in a
 * narrow column those buttons wrap to a second row, and a pending item without them made the page
 * jump 37 px when the saved argument replaced it (issue 19).
 */
function PendingArgument({ post, allowed }: { post: PendingPost; allowed: ReadonlySet<Action> }) {
  const t = useT();
  const f = useFormat();
  return (
    <article className={`argument argument-pending stance-${post.stance}`} aria-label={post.stance === "pro" ? t("argument.pendingPro") : t("argument.pendingCon")} aria-busy="true" data-testid="pending-argument">
      <header className="argument-header">
        <span className={`stance-badge ${post.stance}`}>{post.stance === "pro" ? t("argument.pro") : t("argument.con")}</span>
        <span className="author">{t("argument.youAuthor")}</span>
        <span className="pending-note">{t("argument.sending")}</span>
      </header>
      <div className="argument-body">
        <p>{post.text}</p>
      </div>
      <footer className="argument-footer">
        <span className="rating">
          <button type="button" className="button button-small" disabled aria-label={t("rating.up", { count: 0 })}>
            ▲ <span className="count">{f.number(0)}</span>
          </button>
          <button type="button" className="button button-small" disabled aria-label={t("rating.down", { count: 0 })}>
            ▼ <span className="count">{f.number(0)}</span>
          </button>
        </span>
        {PENDING_BUTTONS.filter(([action]) => allowed.has(action)).map(([action, label, danger]) => (
          <button key={action} type="button" className={`button button-small${danger ? " button-danger" : ""}`} disabled>
            {t(label)}
          </button>
        ))}
      </footer>
    </article>
  );
}

/**
 * Before hydration (or without JavaScript) its children sit in a closed <details> opened by `summary`
 * (the Reply button cannot work yet); once hydrated, and `open`, they are shown as they are.
 */
function Unhydrated({ open, summary, children }: { open: boolean; summary: string; children: React.ReactNode }) {
  const hydrated = useHydrated();
  if (hydrated) return open ? <>{children}</> : null;
  return (
    <details className="reply-details">
      <summary className="button button-small">{summary}</summary>
      {children}
    </details>
  );
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "";
  }
}

/**
 * The pro and con columns of one proposition, top-level arguments in `ranking`'s order (oldest
 * first without one; replies always oldest first). The numbers count only arguments
 * that are not deleted, hidden or withheld (`isCounted`, app/shared/moderation.ts).
 */
export function ArgumentColumns({
  propositionId,
  propositionNumber,
  args: all,
  actions,
  moderation,
  ranking = null,
  counts,
}: {
  /** A big debate's counts for this proposition (issue 14): shown instead of counting the arguments read so far. */
  counts?: { pro: number; con: number } | null;
  propositionId: string;
  /** 1-based, for the pill's words. */
  propositionNumber: number;
  /** The page's form ids (loader's formKey), which `actions.formOpId` closes over: compared by MemoArgumentColumns. */
  formKey?: string;
  args: ArgumentDTO[];
  actions: TreeActions;
  moderation: ModerationActions;
  ranking?: ArgumentRanking | null;
}) {
  // Others' new arguments wait behind the pill while this proposition is in view (./NewArguments.tsx).
  const { shown: args, held, edited, reveal, ref } = useHeldArguments(all, actions.meId, actions.fetched);
  const index = childrenIndex(args);
  const top = orderByRanking(index.get("") ?? [], ranking);
  const hiddenThread = hiddenThreadIds(args);
  const t = useT();
  const f = useFormat();
  const column = (stance: Stance, title: string) => {
    const list = top.filter((a) => a.stance === stance);
    const counted = counts ? counts[stance] : list.filter((a) => isCounted(a, hiddenThread)).length;
    const pending = actions.pendingPosts.filter((p) => !p.parentId && p.stance === stance);
    return (
      <section className={`column column-${stance}`} aria-label={stance === "pro" ? t("columns.proLabel") : t("columns.conLabel")}>
        <div className="column-head">
          <h4>
            {title} <span className="muted count" data-testid={`count-${stance}`}>({f.number(counted)})</span>
          </h4>
          <NewArgumentsPill
            count={held[stance].length}
            edited={edited[stance]}
            stance={stance}
            propositionNumber={propositionNumber}
            onReveal={() => {
              const ids = reveal(stance);
              // Focus moves to the first argument revealed (the pill it was on is gone).
              requestAnimationFrame(() => document.getElementById(`arg-${ids[0]}`)?.focus({ preventScroll: true }));
            }}
          />
        </div>
        {list.length === 0 && pending.length === 0 && !(counts && counts[stance] > 0) ? <p className="empty">{stance === "pro" ? t("columns.noPro") : t("columns.noCon")}</p> : null}
        {list.map((a) => (
          <ArgumentNode key={a.id} argument={a} index={index} actions={actions} depth={0} moderation={moderation} acrossDivide={ranking?.acrossDivide} />
        ))}
        {pending.map((p) => (
          <PendingArgument key={p.opId} post={p} allowed={actions.allowed} />
        ))}
      </section>
    );
  };
  return (
    <div className="columns" data-proposition-id={propositionId} ref={ref}>
      {column("pro", t("columns.for"))}
      {column("con", t("columns.against"))}
    </div>
  );
}

type ArgumentColumnsProps = React.ComponentProps<typeof ArgumentColumns>;

/**
 * Whether a proposition's columns would render the same (issue 19: a vote click re-rendered every
 * proposition's threads, 112–120 ms to the next paint at 10 live events/s). Compared: the
 * proposition, its arguments one by one (the live state keeps an unchanged argument's object), the
 * ranking, what the reader may do, their ratings, pending ratings and posts on these arguments, and
 * `formKey` (the page's form ids, which the functions close over). The functions themselves are not
 * compared: they act through the live client (stable) and read its latest state at the call.
 */
export function sameColumns(a: ArgumentColumnsProps, b: ArgumentColumnsProps): boolean {
  if (a.propositionId !== b.propositionId || a.propositionNumber !== b.propositionNumber || a.ranking !== b.ranking || a.formKey !== b.formKey) return false;
  if (a.counts?.pro !== b.counts?.pro || a.counts?.con !== b.counts?.con || !a.actions.replies !== !b.actions.replies || a.actions.focusId !== b.actions.focusId) return false;
  if (a.args.length !== b.args.length || a.args.some((arg, i) => arg !== b.args[i])) return false;
  const x = a.actions;
  const y = b.actions;
  // The reply counts of this proposition's arguments only: a page read for another proposition makes a new map.
  if (b.args.some((arg) => x.replies?.counts[arg.id] !== y.replies?.counts[arg.id])) return false;
  if (x.meId !== y.meId || x.allowed.size !== y.allowed.size || [...x.allowed].some((action) => !y.allowed.has(action))) return false;
  if (b.args.some((arg) => x.myRatings[arg.id] !== y.myRatings[arg.id] || x.pendingRatings.has(arg.id) !== y.pendingRatings.has(arg.id))) return false;
  if (x.pendingPosts.length !== y.pendingPosts.length || x.pendingPosts.some((post, i) => post.opId !== y.pendingPosts[i]!.opId)) return false;
  return a.moderation.debateId === b.moderation.debateId && a.moderation.role === b.moderation.role;
}

/** ArgumentColumns, rendered again only when `sameColumns` says something it shows has changed. */
export const MemoArgumentColumns = memo(ArgumentColumns, sameColumns);
