/**
 * Reads a big debate's arguments a page at a time (issue 14, docs/decisions/0026-debate-page-frame.md)
 * from `GET /api/debates/:id/propositions/:pid/arguments` (keyset pages, docs/api.md) and an
 * argument's ancestors from `GET /api/debates/:id/arguments/:argumentId/ancestors`, and hands what it
 * read to the live state (actions `page` and `fetched`, ./live-state.ts). One read per key at a time:
 * asking again while a read is under way joins it.
 */
import type { ArgumentDTO } from "~/shared/contract";
import type { ArgumentPage, ArgumentPageOrder, LiveAction, LiveState } from "./live-state";

// The answers are checked by hand, not with zod: zod would add about 30 KB gzip to the debate page's
// first load (scripts/js-budget.ts). Each check returns the value or null.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is string => typeof v === "string" && UUID.test(v);

/** An argument of a page: the server's ArgumentDTO, with its id, links, stance and reply count checked. */
function argumentItem(v: unknown): Item | null {
  if (!isObject(v) || !isId(v.id) || !isId(v.propositionId) || !(v.parentId === null || isId(v.parentId))) return null;
  if ((v.stance !== "pro" && v.stance !== "con") || typeof v.replyCount !== "number" || !Number.isInteger(v.replyCount) || v.replyCount < 0) return null;
  return v as unknown as Item;
}
function items(v: unknown): Item[] | null {
  if (!Array.isArray(v)) return null;
  const list = v.map(argumentItem);
  return list.every((a) => a !== null) ? (list as Item[]) : null;
}
function pageSchema(v: unknown): ArgumentPage | null {
  if (!isObject(v) || !isId(v.propositionId) || !(v.parentId === null || isId(v.parentId))) return null;
  if (v.order !== "oldest" && v.order !== "newest" && v.order !== "top") return null;
  const list = items(v.arguments);
  if (!list || !(v.nextCursor === null || typeof v.nextCursor === "string")) return null;
  return { propositionId: v.propositionId, parentId: v.parentId as string | null, order: v.order, arguments: list, nextCursor: v.nextCursor as string | null };
}
function chainSchema(v: unknown): { propositionId: string; argument: Item; ancestors: Item[] } | null {
  if (!isObject(v) || !isId(v.propositionId)) return null;
  const argument = argumentItem(v.argument);
  const ancestors = items(v.ancestors);
  return argument && ancestors ? { propositionId: v.propositionId, argument, ancestors } : null;
}
/** The message of an error answer (`{ error: { message } }`), or null. */
export function errorMessage(v: unknown): string | null {
  return isObject(v) && isObject(v.error) && typeof v.error.message === "string" ? v.error.message : null;
}

/** Page size of the debate page's reads. */
export const PAGE_SIZE = 20;

type Item = ArgumentDTO & { replyCount: number };

async function getJson<T>(url: string, check: (v: unknown) => T | null): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
  } catch {
    throw new Error("The arguments could not be loaded: the connection failed. Try again.");
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    throw new Error(errorMessage(body) ?? `The arguments could not be loaded (${response.status}). Try again.`);
  }
  const checked = check(body);
  if (checked === null) throw new Error("The server's answer was not understood. Reload the page.");
  return checked;
}

/** Reads pages for one debate page and gives them to the live state. */
export class ArgumentReader {
  private readonly inflight = new Map<string, Promise<string | null>>();

  constructor(
    private readonly debateId: string,
    /** Hands arguments read elsewhere (the loader's deep link) to the live state too. */
    readonly receive: (action: Extract<LiveAction, { type: "page" | "fetched" }>) => void,
    private readonly state: () => LiveState,
  ) {}

  private once(key: string, run: () => Promise<void>): Promise<string | null> {
    const running = this.inflight.get(key);
    if (running) return running;
    const p = run()
      .then(() => null)
      .catch((error: unknown) => (error instanceof Error ? error.message : "The arguments could not be loaded."))
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  /** Whether a read of `key` (`prop:<id>`, `replies:<id>`, `chain:<id>`) is under way. */
  busy(key: string): boolean {
    return this.inflight.has(key);
  }

  private async page(propositionId: string, parentId: string | null, order: ArgumentPageOrder, cursor: string | null): Promise<void> {
    const query = new URLSearchParams({ order, limit: String(PAGE_SIZE), ...(parentId ? { parent: parentId } : {}), ...(cursor ? { cursor } : {}) });
    const page = await getJson(`/api/debates/${this.debateId}/propositions/${propositionId}/arguments?${query}`, pageSchema);
    this.receive({ type: "page", page });
  }

  /**
   * The first page of a proposition's top-level arguments in `order` (nothing when it was read in
   * that order, or the debate came whole), or with `more` the next page.
   * @returns null, or what went wrong in a sentence.
   */
  arguments(propositionId: string, order: ArgumentPageOrder, more = false): Promise<string | null> {
    const { frame } = this.state();
    const read = frame.pages[propositionId];
    if (frame.complete || (!more && read?.order === order) || (more && !read?.nextCursor)) return Promise.resolve(null);
    return this.once(`prop:${propositionId}`, () => this.page(propositionId, null, more ? read!.order : order, more ? read!.nextCursor : null));
  }

  /** The next page (the first, at first) of an argument's direct replies, oldest first. */
  replies(propositionId: string, argumentId: string): Promise<string | null> {
    const { frame } = this.state();
    const read = frame.replyPages[argumentId];
    if (frame.complete || (read && !read.nextCursor)) return Promise.resolve(null);
    return this.once(`replies:${argumentId}`, () => this.page(propositionId, argumentId, "oldest", read?.nextCursor ?? null));
  }

  /** An argument and the arguments it answers (a deep link); resolves to its proposition's id, or throws what went wrong. */
  async chain(argumentId: string): Promise<string> {
    const answer = await getJson(`/api/debates/${this.debateId}/arguments/${argumentId}/ancestors`, chainSchema);
    this.receive({ type: "fetched", arguments: [...answer.ancestors, answer.argument] });
    return answer.propositionId;
  }
}
