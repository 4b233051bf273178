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
import { NewArgumentsPill, useHeldArguments } from "./NewArguments";
import type { PendingPost } from "~/realtime/pending";

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
    <form method="post" className="rating" role="group" aria-label="Rate this argument">
      <input type="hidden" name="intent" value="rate" />
      <input type="hidden" name="argumentId" value={argument.id} />
      <input type="hidden" name="opId" value={actions.formOpId(`rate:${argument.id}`)} />
      <button type={type} name="value" value={mine === "up" ? "" : "up"} className="button button-small" aria-pressed={mine === "up"} aria-label={`Rate up (${argument.tally.up})`} disabled={off} onClick={() => void rate("up")} {...mark("up")}>
        ▲ <span className="count">{argument.tally.up}</span>
      </button>
      <button type={type} name="value" value={mine === "down" ? "" : "down"} className="button button-small" aria-pressed={mine === "down"} aria-label={`Rate down (${argument.tally.down})`} disabled={off} onClick={() => void rate("down")} {...mark("down")}>
        ▼ <span className="count">{argument.tally.down}</span>
      </button>
      {error ? (
        <span className="error" role="alert">
          {error}
        </span>
      ) : null}
    </form>
  );
}

/** Edits the body of one's own argument; the text stays on error. */
function EditArgument({ argument, actions, onDone }: { argument: ArgumentDTO; actions: TreeActions; onDone(): void }) {
  const [body, setBody] = useState<ArgumentBody | null>(argument.body);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  async function save(event: React.FormEvent) {
    event.preventDefault();
    if (pending) return;
    if (!body) {
      setError("The argument cannot be empty.");
      return;
    }
    setPending(true);
    const reply = await actions.editArgument(argument.id, body);
    setPending(false);
    if (!reply.ok) setError(reply.error.message);
    else onDone();
  }
  return (
    <form className="composer" onSubmit={save} aria-label="Edit your argument">
      <LazyArgumentEditor id={`edit-${argument.id}`} ariaLabel="Edit your argument" initialBody={argument.body} onChange={(b) => setBody(b)} />
      <div className="composer-actions">
        <button type="button" className="button button-small" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? "Saving…" : "Save changes"}
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
  const repliesText = `${total} ${total === 1 ? "reply" : "replies"}`;
  const pendingReplies = actions.pendingPosts.filter((p) => p.parentId === argument.id);
  const replyComposer = (
    <ArgumentComposer
      idPrefix={`reply-${argument.id}`}
      opId={actions.formOpId(`reply:${argument.id}`)}
      propositionId={argument.propositionId}
      parentId={argument.id}
      defaultStance="con"
      label={`Reply to ${argument.author.displayName}`}
      onSubmit={actions.postArgument}
      onDone={() => {
        refocus.current = "reply";
        setReplying(false);
      }}
    />
  );
  if (argument.withheld) {
    return (
      <article className={`argument argument-withheld stance-${argument.stance}`} aria-label={`Hidden ${argument.stance === "pro" ? "pro" : "con"} argument`} data-argument-id={argument.id}>
        <WithheldPlaceholder argument={argument} />
        {renderChildren(false, `${repliesText} (hidden with it)`)}
      </article>
    );
  }
  return (
    <article id={`arg-${argument.id}`} tabIndex={-1} className={`argument stance-${argument.stance}`} aria-label={`${argument.stance === "pro" ? "Pro" : "Con"} argument by ${argument.author.displayName}`} data-argument-id={argument.id}>
      <header className="argument-header">
        <span className={`stance-badge ${argument.stance}`}>{argument.stance === "pro" ? "Pro" : "Con"}</span>
        <bdi className="author">{argument.author.displayName}</bdi>
        <RoleBadge role={argument.author.role} />
        <LocalTime iso={argument.createdAt} format="time" />
        <EditedMarker argument={argument} meId={actions.meId} moderation={moderation} />
        {acrossDivide?.has(argument.id) ? (
          <span className="across-badge" title="Rated helpful by people on both sides of the main divide between opinion groups">
            ⇄ Convinced both sides
          </span>
        ) : null}
      </header>
      <HiddenBanner argument={argument} />
      {argument.deleted ? (
        <p className="deleted-placeholder">Deleted by its author.</p>
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
        <div className="argument-body">
          <RichText body={argument.body} />
        </div>
      )}
      {argument.sources.length ? (
        <ul className="sources" aria-label="Sources">
          {argument.sources.map((s) => (
            <li key={s.id}>
              <a href={s.url} target="_blank" rel="noopener noreferrer nofollow ugc">
                {s.title}
              </a>{" "}
              <span className="muted">({safeHost(s.url)})</span>
              {s.quote ? <blockquote>{s.quote}</blockquote> : null}
            </li>
          ))}
        </ul>
      ) : null}
      <footer className="argument-footer">
        {argument.deleted ? null : <Rating argument={argument} actions={actions} disabled={inHiddenThread} />}
        {actions.allowed.has(Action.postArgument) && !argument.deleted && !inHiddenThread ? (
          hydrated ? (
            <button ref={replyButton} type="button" className="button button-small" aria-expanded={replying} onClick={() => setReplying((r) => !r)}>
              {replying ? "Cancel reply" : "Reply"}
            </button>
          ) : (
            // Before hydration (or without JavaScript): the same button's place, a folded reply form.
            <Unhydrated open={false} summary="Reply">
              {replyComposer}
            </Unhydrated>
          )
        ) : null}
        {actions.allowed.has(Action.editOwnArgument) && mine && !editing && !argument.deleted ? (
          <button ref={editButton} type="button" className="button button-small" onClick={() => setEditing(true)}>
            Edit
          </button>
        ) : null}
        <ModerationButtons argument={argument} meId={actions.meId} allowed={actions.allowed} inHiddenThread={inHiddenThread} moderation={moderation} />
      </footer>
      {replying && hydrated ? replyComposer : null}
      {renderChildren(true, repliesText)}
      {pendingReplies.length ? (
        <div className="rebuttal-list">
          {pendingReplies.map((p) => (
            <PendingArgument key={p.opId} post={p} />
          ))}
        </div>
      ) : null}
    </article>
  );
}

/** One of the reader's own posts waiting for the server: greyed, where it will appear once saved. */
function PendingArgument({ post }: { post: PendingPost }) {
  return (
    <article className={`argument argument-pending stance-${post.stance}`} aria-label={`Your ${post.stance} argument, sending`} aria-busy="true" data-testid="pending-argument">
      <header className="argument-header">
        <span className={`stance-badge ${post.stance}`}>{post.stance === "pro" ? "Pro" : "Con"}</span>
        <span className="author">You</span>
        <span className="pending-note">Sending…</span>
      </header>
      <div className="argument-body">
        <p>{post.text}</p>
      </div>
      {/* The footer the saved argument will have (its rating row), so that the swap changes no height. */}
      <footer className="argument-footer">
        <span className="rating">
          <button type="button" className="button button-small" disabled aria-label="Rate up (0)">
            ▲ <span className="count">0</span>
          </button>
          <button type="button" className="button button-small" disabled aria-label="Rate down (0)">
            ▼ <span className="count">0</span>
          </button>
        </span>
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
}: {
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
  const { shown: args, held, reveal, ref } = useHeldArguments(all, actions.meId);
  const index = childrenIndex(args);
  const top = orderByRanking(index.get("") ?? [], ranking);
  const hiddenThread = hiddenThreadIds(args);
  const column = (stance: Stance, title: string) => {
    const list = top.filter((a) => a.stance === stance);
    const counted = list.filter((a) => isCounted(a, hiddenThread)).length;
    const pending = actions.pendingPosts.filter((p) => !p.parentId && p.stance === stance);
    return (
      <section className={`column column-${stance}`} aria-label={`${title} arguments`}>
        <div className="column-head">
          <h4>
            {title} <span className="muted count" data-testid={`count-${stance}`}>({counted})</span>
          </h4>
          <NewArgumentsPill
            count={held[stance].length}
            columnTitle={title}
            propositionLabel={`proposition ${propositionNumber}`}
            onReveal={() => {
              const ids = reveal(stance);
              // Focus moves to the first argument revealed (the pill it was on is gone).
              requestAnimationFrame(() => document.getElementById(`arg-${ids[0]}`)?.focus({ preventScroll: true }));
            }}
          />
        </div>
        {list.length === 0 && pending.length === 0 ? <p className="empty">No {stance === "pro" ? "arguments for" : "arguments against"} yet.</p> : null}
        {list.map((a) => (
          <ArgumentNode key={a.id} argument={a} index={index} actions={actions} depth={0} moderation={moderation} acrossDivide={ranking?.acrossDivide} />
        ))}
        {pending.map((p) => (
          <PendingArgument key={p.opId} post={p} />
        ))}
      </section>
    );
  };
  return (
    <div className="columns" data-proposition-id={propositionId} ref={ref}>
      {column("pro", "For")}
      {column("con", "Against")}
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
  if (a.args.length !== b.args.length || a.args.some((arg, i) => arg !== b.args[i])) return false;
  const x = a.actions;
  const y = b.actions;
  if (x.meId !== y.meId || x.allowed.size !== y.allowed.size || [...x.allowed].some((action) => !y.allowed.has(action))) return false;
  if (b.args.some((arg) => x.myRatings[arg.id] !== y.myRatings[arg.id] || x.pendingRatings.has(arg.id) !== y.pendingRatings.has(arg.id))) return false;
  if (x.pendingPosts.length !== y.pendingPosts.length || x.pendingPosts.some((post, i) => post.opId !== y.pendingPosts[i]!.opId)) return false;
  return a.moderation.debateId === b.moderation.debateId && a.moderation.role === b.moderation.role;
}

/** ArgumentColumns, rendered again only when `sameColumns` says something it shows has changed. */
export const MemoArgumentColumns = memo(ArgumentColumns, sameColumns);
