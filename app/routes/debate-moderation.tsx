/**
 * The facilitators' moderation page: open reports grouped by argument (hide
 * with a reason, or dismiss), the arguments hidden now (unhide), and the
 * audit log, page by page, with a CSV download. Everything goes through the
 * services, which refuse anyone but the debate's facilitators; the page
 * refreshes itself when reports arrive or arguments are hidden elsewhere.
 */
import { parseOperationInput } from "~/shared/operations";
import { useEffect, useEffectEvent } from "react";
import { Form, Link, useNavigation, useRevalidator } from "react-router";
import { io } from "socket.io-client";
import type { Route } from "./+types/debate-moderation";
import { FormError } from "~/components/FormError";
import { LocalTime } from "~/components/LocalTime";
import { LIMITS, ServerEvent } from "~/shared/contract";
import { FacilitatorPageBoundary } from "~/components/FacilitatorOnly";
import { auditText, describeAuditEntry, type AuditTargets } from "~/shared/audit-labels";
import { formResult, readForm } from "~/utils/errors.server";
import { facilitatorPageActor, forFacilitator } from "~/utils/facilitator-page.server";
import { currentParticipant, whyNoParticipant } from "~/utils/participant.server";
import { localizedErrorBody } from "~/i18n/errors.server";
import { pageTitle } from "~/i18n/meta";
import { useT } from "~/i18n/react";

export const meta: Route.MetaFunction = ({ data, matches }) => [{ title: data?.title ? pageTitle(matches, "moderationPage.pageTitle", { title: data.title }) : pageTitle(matches, "moderationPage.pageTitleNone") }];

/** Facilitators only: anyone else gets a page saying so (401 with "Sign in", or 403), see FacilitatorPageBoundary. */
export async function loader({ params, request, context }: Route.LoaderArgs) {
  const me = await facilitatorPageActor(context, request, params.debateId, "moderation");
  const page = new URL(request.url).searchParams.get("page") ?? undefined;
  const guarded = <T,>(fn: () => Promise<T>) => forFacilitator(me, request, "moderation", fn);
  const [queue, audit, debate, participants] = await Promise.all([
    guarded(() => context.services.moderationQueue(me)),
    guarded(() => context.services.auditLog(me, { page })),
    guarded(() => context.services.getDebate(params.debateId, me)),
    guarded(() => context.services.listParticipants(me, params.debateId)),
  ]);
  const hidden = debate.arguments
    .filter((a) => a.hidden)
    .map((a) => ({ id: a.id, author: a.author, stance: a.stance, hidden: a.hidden!, excerpt: a.bodyText.slice(0, 280) }));
  // Names for the audit log's targets, as they are now.
  const targets: AuditTargets = {
    participants: Object.fromEntries(participants.map((p) => [p.id, p.displayName])),
    arguments: Object.fromEntries(debate.arguments.map((a) => [a.id, { author: a.author.displayName, text: a.bodyText.slice(0, 400), deleted: a.deleted }])),
    propositions: Object.fromEntries(debate.propositions.map((p, i) => [p.id, i + 1])),
  };
  const entries = audit.entries.map((e) => ({ ...e, line: describeAuditEntry(e, targets) }));
  return { debateId: debate.id, title: debate.title, open: debate.status === "published", queue, audit: { ...audit, entries }, hidden };
}

export function ErrorBoundary() {
  return <FacilitatorPageBoundary />;
}

export async function action({ params, request, context }: Route.ActionArgs) {
  const form = await readForm(request);
  const me = await currentParticipant(context, request, params.debateId);
  // Nobody recognised: removed from the debate, signed out, or another account (in the request's language).
  if (!me) return { error: localizedErrorBody(await whyNoParticipant(context, request, params.debateId, { facilitatorOnly: true })), argumentId: null };
  const intent = String(form.get("intent") ?? "");
  const argumentId = String(form.get("argumentId") ?? "");
  const reason = form.get("reason");
  const run = (): Promise<unknown> => {
    switch (intent) {
      case "hide":
        return context.services.hideArgument(me, parseOperationInput("hideArgument", { argumentId, reason }));
      case "dismiss":
        return context.services.dismissReports(me, parseOperationInput("dismissReports", { argumentId }));
      case "unhide":
        return context.services.unhideArgument(me, parseOperationInput("unhideArgument", { argumentId }));
      default:
        return Promise.reject(new Error("unknown intent"));
    }
  };
  if (!["hide", "dismiss", "unhide"].includes(intent)) return { error: { message: "Unknown action." }, argumentId: null };
  const result = await formResult(run);
  if (!result.ok) return { error: result.error, argumentId };
  return { ok: true as const, intent, argumentId };
}

/** Refreshes the page's data when a report is filed or resolved, or an argument is hidden or unhidden. */
function useLiveRefresh(debateId: string) {
  const revalidator = useRevalidator();
  const refresh = useEffectEvent(() => void revalidator.revalidate());
  useEffect(() => {
    const socket = io({ auth: { debateId }, withCredentials: true, transports: ["websocket", "polling"] });
    socket.on(ServerEvent.moderation, refresh);
    socket.on(ServerEvent.change, (change) => {
      if (change.kind === "argument.hidden" || change.kind === "argument.unhidden") refresh();
    });
    return () => {
      socket.disconnect();
    };
  }, [debateId]);
}

export default function DebateModeration({ loaderData, actionData }: Route.ComponentProps) {
  const { debateId, title, open, queue, audit, hidden } = loaderData;
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  useLiveRefresh(debateId);
  const failed = actionData && "error" in actionData && actionData.error ? { message: actionData.error.message, argumentId: actionData.argumentId } : null;
  const errorFor = (argumentId: string) => (failed?.argumentId === argumentId ? failed.message : null);
  const generalError = failed && !failed.argumentId ? failed.message : null;
  const pages = Math.max(1, Math.ceil(audit.total / audit.pageSize));
  const t = useT();

  return (
    <section className="page moderation-page">
      <p className="muted">
        <Link to={`/debates/${debateId}`}>{t("moderationPage.back")}</Link>
      </p>
      <h1>{t("moderationPage.heading", { title })}</h1>
      <FormError message={generalError} />
      {open ? null : <p className="callout">{t("moderationPage.notOpen")}</p>}

      <section aria-labelledby="reports-heading">
        <h2 id="reports-heading">
          {t("moderationPage.reports")} <span className="muted">{t("moderationPage.openCount", { count: queue.openReports })}</span>
        </h2>
        {queue.items.length === 0 ? <p className="empty">{t("moderationPage.noReports")}</p> : null}
        <ul className="queue">
          {queue.items.map((item) => (
            <li key={item.argument.id} className="queue-item" data-argument-id={item.argument.id}>
              <p>
                <span className={`stance-badge ${item.argument.stance}`}>{t(item.argument.stance === "pro" ? "argument.pro" : "argument.con")}</span> {t("moderationPage.argumentBy")} <bdi>{item.argument.author.displayName}</bdi>{" "}
                <span className="muted">
                  · {t("moderationPage.reportCount", { count: item.count })}
                  {item.argument.deleted ? ` · ${t("moderationPage.deletedByAuthor")}` : ""}
                </span>
              </p>
              <blockquote className="excerpt">{item.argument.excerpt || <span className="muted">{t("moderationPage.noText")}</span>}</blockquote>
              <ul className="report-reasons" aria-label={t("moderationPage.reasons")}>
                {item.reports.map((r) => (
                  <li key={r.id}>
                    “<bdi>{r.reason}</bdi>” <span className="muted">— <bdi>{r.reporter.displayName}</bdi>, <LocalTime iso={r.createdAt} format="time" /></span>
                  </li>
                ))}
              </ul>
              {open ? (
                <div className="queue-actions">
                  <Form method="post" className="hide-form" noValidate>
                    <input type="hidden" name="intent" value="hide" />
                    <input type="hidden" name="argumentId" value={item.argument.id} />
                    <label className="field">
                      <span>{t("moderationPage.hideReason")}</span>
                      <input name="reason" required maxLength={LIMITS.reasonMaxChars} defaultValue={item.reports[0]?.reason ?? ""} />
                    </label>
                    <button type="submit" className="button button-primary" disabled={busy}>
                      {t("moderationPage.hide")}
                    </button>
                  </Form>
                  <Form method="post">
                    <input type="hidden" name="intent" value="dismiss" />
                    <input type="hidden" name="argumentId" value={item.argument.id} />
                    <button type="submit" className="button" disabled={busy}>
                      {t("moderationPage.dismiss", { count: item.count })}
                    </button>
                  </Form>
                </div>
              ) : null}
              <FormError message={errorFor(item.argument.id)} />
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="hidden-heading">
        <h2 id="hidden-heading">
          {t("moderationPage.hidden")} <span className="muted">({hidden.length})</span>
        </h2>
        {hidden.length === 0 ? <p className="empty">{t("moderationPage.noneHidden")}</p> : null}
        <ul className="queue">
          {hidden.map((a) => (
            <li key={a.id} className="queue-item" data-argument-id={a.id}>
              <p>
                <span className={`stance-badge ${a.stance}`}>{t(a.stance === "pro" ? "argument.pro" : "argument.con")}</span> {t("moderationPage.argumentBy")} <bdi>{a.author.displayName}</bdi>
                <span className="muted">
                  {" "}
                  · {t("moderationPage.hiddenAt")} <LocalTime iso={a.hidden.at} format="time" />: <bdi>{a.hidden.reason}</bdi>
                </span>
              </p>
              <blockquote className="excerpt">{a.excerpt || <span className="muted">{t("moderationPage.noText")}</span>}</blockquote>
              {open ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="unhide" />
                  <input type="hidden" name="argumentId" value={a.id} />
                  <button type="submit" className="button" disabled={busy}>
                    {t("moderationPage.unhide")}
                  </button>
                </Form>
              ) : null}
              <FormError message={errorFor(a.id)} />
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="audit-heading">
        <h2 id="audit-heading">
          {t("moderationPage.audit")} <span className="muted">{t("moderationPage.entries", { count: audit.total })}</span>
        </h2>
        <p>
          <a className="button" href={`/api/debates/${debateId}/audit.csv`} download>
            {t("moderationPage.csv")}
          </a>
        </p>
        {audit.entries.length === 0 ? (
          <p className="empty">{t("moderationPage.nothing")}</p>
        ) : (
          <div className="table-scroll">
            <table className="audit-table">
              <caption className="visually-hidden">{t("moderationPage.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("moderationPage.when")}</th>
                  <th scope="col">{t("moderationPage.who")}</th>
                  <th scope="col">{t("moderationPage.action")}</th>
                  <th scope="col">{t("moderationPage.target")}</th>
                  <th scope="col">{t("moderationPage.reason")}</th>
                </tr>
              </thead>
              <tbody>
                {audit.entries.map((e) => (
                  <tr key={e.id}>
                    <td>
                      <LocalTime iso={e.at} format="date" /> <LocalTime iso={e.at} format="time" />
                    </td>
                    <td>
                      <bdi>{e.actor.displayName}</bdi>
                    </td>
                    <td className="audit-action">
                      {auditText(t, e.line.action)}
                      {e.line.change ? (
                        <>
                          <br />
                          <bdi className="muted audit-change">{auditText(t, e.line.change)}</bdi>
                        </>
                      ) : null}
                    </td>
                    <td>
                      <bdi>{auditText(t, e.line.target)}</bdi>
                    </td>
                    <td>
                      <bdi>{e.reason ?? ""}</bdi>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {pages > 1 ? (
          <nav className="pager" aria-label={t("moderationPage.pages")}>
            {audit.page > 1 ? <Link to={`?page=${audit.page - 1}`}>{t("moderationPage.newer")}</Link> : null}
            <span className="muted">{t("moderationPage.page", { page: audit.page, pages })}</span>
            {audit.page < pages ? <Link to={`?page=${audit.page + 1}`}>{t("moderationPage.older")}</Link> : null}
          </nav>
        ) : null}
      </section>
    </section>
  );
}
