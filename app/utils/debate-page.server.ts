/**
 * The debate page's loader (app/routes/debate.tsx, and app/routes/debate-argument.tsx for deep links).
 */
import type { Route } from "../routes/+types/debate";
import { isUuid } from "~/shared/contract";
import { isFacilitatorRole } from "~/shared/permissions";
import { orRespond, refusal } from "~/utils/errors.server";
import { currentParticipant, removedFromDebate } from "~/utils/participant.server";
import { pageOrigin } from "~/utils/session.server";
import type { ShareInfo } from "~/components/debate/SharePanel";
import { translate } from "~/i18n/catalogues.server";
import { currentRequestLocale } from "~/i18n/request-locale.server";

/**
 * The debate page's data; `argumentId`: a deep link (`/debates/:id/arguments/:argumentId`,
 * ./debate-argument.tsx) whose argument and ancestors are read with the frame. Query: `read=<propositionId>`
 * reads that proposition's first page of arguments on the server (the no-JavaScript path of a big debate),
 * `q=` searches the debate (the search box without JavaScript).
 */
export async function loadDebatePage({ params, request, context }: Pick<Route.LoaderArgs, "params" | "request" | "context">, argumentId: string | null) {
  const me = await currentParticipant(context, request, params.debateId);
  // A private debate shows a non-participant only the join-code form (not even its title).
  const access = await context.services.debateAccess(params.debateId);
  if (!access) throw refusal(404, translate(currentRequestLocale(), "debate.notFound"));
  // Someone a facilitator removed, back with their old cookie or account: told so, not invited to join again.
  const removed = !me && (await removedFromDebate(context, request, params.debateId));
  if (!me && access.visibility === "private" && access.status !== "draft") return { gate: "private" as const, removed };
  const isFacilitator = isFacilitatorRole(me?.role);
  if (access.status === "draft" && !isFacilitator) {
    throw refusal(404, translate(currentRequestLocale(), "errors.join.draft"));
  }
  const url = new URL(request.url);
  const readParam = url.searchParams.get("read");
  const q = url.searchParams.get("q");
  const [[debate, mine], openReports, settings, chain, readPage, search] = await Promise.all([
    // Hidden arguments are withheld unless `me` is a facilitator or their author.
    // The frame (docs/decisions/0026-debate-page-frame.md): a big debate's arguments come a page at a time.
    // Our own choices are read after the tallies, never beside them: the page takes the tallies' versions as
    // how new its choices are, so the choices must be at least that new (app/realtime/live-state.ts, mergeChoices).
    orRespond(() => context.services.getDebate(params.debateId, me, { frame: true })).then(async (read) => [read, await context.services.myChoices(me)] as const),
    isFacilitator ? context.services.openReportCount(me) : 0,
    // The join code goes to facilitators only (the Share panel).
    isFacilitator ? context.services.getSettings(me, params.debateId) : null,
    argumentId ? orRespond(() => context.services.argumentChain(params.debateId, argumentId, me)) : null,
    readParam && isUuid(readParam) ? context.services.argumentPage(params.debateId, readParam, me, { order: "oldest", limit: "50" }).catch(() => null) : null,
    q && q.trim() ? context.services.searchDebate(params.debateId, me, { q: q.slice(0, 200) }).catch(() => null) : null,
  ]);
  // What was read besides the frame joins its arguments (and, for a big debate, its pages and reply counts).
  const extra = [...(chain ? [...chain.ancestors, chain.argument] : []), ...(readPage ? readPage.arguments : [])];
  if (extra.length && debate.frame && !debate.frame.complete) {
    const known = new Set(debate.arguments.map((a) => a.id));
    for (const { replyCount, ...a } of extra) {
      debate.frame.replyCounts[a.id] = replyCount;
      if (!known.has(a.id)) debate.arguments.push(a);
      known.add(a.id);
    }
    if (readPage) debate.frame.pages[readPage.propositionId] = { order: readPage.order, nextCursor: readPage.nextCursor };
  }
  const origin = pageOrigin(context, request);
  const share: ShareInfo | null = settings ? { joinCode: settings.joinCode, joinUrl: `${origin}${settings.joinPath}`, debateUrl: `${origin}${settings.debatePath}`, visibility: settings.visibility } : null;
  const focus = chain ? { argumentId: chain.argument.id, propositionId: chain.propositionId, chain: [...chain.ancestors, chain.argument] } : null;
  const from = Number(url.searchParams.get("from"));
  // formKey: the opIds of this rendering's forms (app/shared/form-op-id.ts).
  return { debate, me: me ? { id: me.id, displayName: me.displayName, role: me.role, muted: me.muted, debateId: me.debateId } : null, removed, mine, openReports, share, formKey: crypto.randomUUID(), focus, search, from: Number.isInteger(from) && from > 0 ? from : 0 };
}
